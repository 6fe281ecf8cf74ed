"""A scripted HTTP/1.1 server on 127.0.0.1 that writes exactly the bytes it is told to.

Each accepted connection plays the next :class:`Exchange` of the script: it reads the
request head, records it, writes the status line and headers, then the body parts
(with the framing and pauses the script gives), then closes, resets or holds the
connection. It runs in a thread, so sync and async clients alike can talk to it, and
it stops everything it started when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Generator, Sequence
from types import TracebackType
from typing import Literal, final

import attrs

Framing = Literal["content-length", "chunked", "close"]
Then = Literal["close", "reset", "hold"]


@final
@attrs.frozen
class Pause:
    seconds: float


BodyPart = bytes | Pause


@final
@attrs.frozen
class Response:
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/event-stream"),)
    body: tuple[BodyPart, ...] = ()
    framing: Framing = "close"
    then: Then = "close"
    reason: str = ""


@final
@attrs.frozen
class Request:
    """A request as the server received it."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@final
class Script:
    """The responses to play, one per connection, shared by the servers of a test."""

    def __init__(self, responses: Sequence[Response]) -> None:
        self.responses = list(responses)
        self.requests: list[Request] = []
        self.unexpected = 0
        self._lock = threading.Lock()

    def next(self, request: Request) -> Response:
        with self._lock:
            index = len(self.requests)
            self.requests.append(request)
            if index < len(self.responses):
                return self.responses[index]
            self.unexpected += 1
        return Response(599, (("Content-Type", "text/plain"),), (b"unexpected request",), "content-length")


@final
class ScriptedServer:
    """Serves ``script``, one response per connection, in order.

    ``origin`` is ``http://127.0.0.1:PORT`` (``https`` with ``tls``). A connection
    beyond the script gets a 599 response and is counted in ``unexpected``.
    """

    def __init__(
        self, script: Sequence[Response] | Script = (), *, tls: ssl.SSLContext | None = None
    ) -> None:
        self.script = script if isinstance(script, Script) else Script(script)
        self._tls = tls
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.origin = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.other_origin = ""
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept, name="scripted-server", daemon=True)

    @property
    def requests(self) -> list[Request]:
        """Every request the script has served, in order."""
        return self.script.requests

    @property
    def unexpected(self) -> int:
        """Requests that came after the script ran out."""
        return self.script.unexpected

    def __enter__(self) -> ScriptedServer:
        self._acceptor.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._acceptor.join(5)
        with self._lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._connections.append(connection)
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            connection.settimeout(5)
            if self._tls is not None:
                try:
                    connection = self._tls.wrap_socket(connection, server_side=True)
                except (ssl.SSLError, OSError):
                    return  # the client refused our certificate
            request = _read_request(connection)
            if request is None:
                return
            response = self.script.next(request)
            self._play(connection, response)
        except OSError:
            pass  # the client went away: that is its right
        finally:
            with contextlib.suppress(OSError):
                connection.close()

    def _play(self, connection: socket.socket, response: Response) -> None:
        head = [f"HTTP/1.1 {response.status} {response.reason or _REASONS.get(response.status, 'Status')}"]
        head += [
            f"{name}: {value.replace('{origin}', self.origin).replace('{other_origin}', self.other_origin)}"
            for name, value in response.headers
        ]
        data = [part for part in response.body if isinstance(part, bytes)]
        if response.framing == "content-length":
            head.append(f"Content-Length: {sum(map(len, data))}")
        elif response.framing == "chunked":
            head.append("Transfer-Encoding: chunked")
        else:
            head.append("Connection: close")
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        for part in response.body:
            if isinstance(part, Pause):
                if self._stop.wait(part.seconds):
                    return
            elif response.framing == "chunked":
                if part:
                    connection.sendall(b"%x\r\n%s\r\n" % (len(part), part))
            else:
                connection.sendall(part)
        if response.then == "reset":
            # A reset makes the peer's kernel drop what its program has not read yet:
            # give the client a moment to read what was sent, or a row would test the
            # race instead of the reconnection.
            time.sleep(0.05)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        if response.framing == "chunked" and response.then == "close":
            connection.sendall(b"0\r\n\r\n")  # a held body never ends
        if response.then == "hold":
            while not self._stop.is_set():
                connection.settimeout(0.05)
                try:
                    if not connection.recv(1024):
                        return  # the client closed
                except TimeoutError:
                    continue


def _read_request(connection: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("utf-8")
    request_line, *header_lines = head.split("\r\n")
    method, path, _ = request_line.split(" ", 2)
    headers = tuple(
        (name, value.strip()) for name, _, value in (line.partition(":") for line in header_lines)
    )
    return Request(method, path, headers)


_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    404: "Not Found",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def sse_body(*events: str) -> tuple[bytes, ...]:
    """Encode text parts as UTF-8 body parts."""
    return tuple(event.encode("utf-8") for event in events)


@contextlib.contextmanager
def serving(*responses: Response, tls: ssl.SSLContext | None = None) -> Generator[ScriptedServer, None, None]:
    with ScriptedServer(responses, tls=tls) as server:
        yield server


def wait_until(condition: object, timeout: float = 5.0) -> None:
    """Poll a callable until it returns true (for threads in tests)."""
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.005)
