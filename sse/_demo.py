"""The embedded server of ``sse demo``: a real SSE server on 127.0.0.1 that drops the
first connection in the middle of an event and resumes from ``Last-Event-ID``.

Connection 1 gets events 1 to 3, then half of event 4, then a reset. Connection 2
asks for what follows 3 and gets events 4 to 6, then the body ends. Connection 3
gets 204 No Content, which tells the client that the stream is over.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from types import TracebackType

from typing_extensions import final

EVENTS = 6
DROP_AFTER = 3
PAUSE = 0.25  # between events, so that a person sees them arrive
RETRY_MS = 500

_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"


def event_bytes(number: int) -> bytes:
    data = json.dumps({"seq": number, "text": f"event {number} of {EVENTS}"})
    return f"event: tick\nid: {number}\ndata: {data}\n\n".encode()


@final
class DemoServer:
    """Serves the demo stream in a thread until the ``with`` block ends."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/events"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="sse-demo-server", daemon=True)

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection, contextlib.suppress(OSError):
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = connection.recv(4096)
            if not chunk:
                return
            head += chunk
        last_id = 0
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "last-event-id" and value.strip().isdigit():
                last_id = int(value.strip())
        if last_id >= EVENTS:
            connection.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
            return
        connection.sendall(_HEAD.encode() + f"retry: {RETRY_MS}\n\n".encode())
        for number in range(last_id + 1, EVENTS + 1):
            if self._stop.wait(PAUSE):
                return
            if last_id == 0 and number == DROP_AFTER + 1:
                # Half an event, then the connection is cut: the client must drop it.
                connection.sendall(event_bytes(number)[:20])
                time.sleep(0.05)
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            connection.sendall(event_bytes(number))
