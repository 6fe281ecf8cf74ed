"""Comments (heartbeats) in stream order, interleaved with the events."""

import time
from collections.abc import Iterable

from sse import EventSource, SSEComment


def watch(chunks: Iterable[bytes]) -> float:
    last_heartbeat = 0.0
    for item in EventSource.from_bytes(chunks, comments=True):
        if isinstance(item, SSEComment):
            last_heartbeat = time.monotonic()  # item.text is the line after its colon: " ping"
        else:
            print(item.data)
    return last_heartbeat
