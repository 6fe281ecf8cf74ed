"""The sans-IO parser, for any IO loop."""

from collections.abc import Iterable

from sse import SSEParser


def parse(body_chunks: Iterable[bytes]) -> None:
    parser = SSEParser()
    for chunk in body_chunks:
        for event in parser.feed(chunk):  # the events this chunk completed, in order
            print(event.event, event.data)
    parser.end()  # the stream ended: an event without its blank line is discarded
