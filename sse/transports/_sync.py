"""The built-in sync transport: the sans-IO core of ``sse._http`` over ``socket`` and ``ssl``."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

from typing_extensions import final

from sse._attempt import ConnectAttempt, current_attempt, shut_down
from sse._core import DEFAULT_TIMEOUT
from sse._http import (
    DEFAULT_MAX_REDIRECTS,
    READ_SIZE,
    REDIRECT_STATUSES,
    Headers,
    Redirects,
    ResponseReader,
    Target,
    TLSContexts,
    build_request,
)
from sse._lines import iter_lines
from sse._transport import VerifyTypes


@final
class HTTPResponse:
    """A streaming response of :class:`HTTPTransport`; it owns its connection.

    ``close()`` may be called from any thread: it wakes a read blocked in another.
    """

    __slots__ = ("_buffered", "_closed", "_lock", "_reader", "_sock", "headers", "status_code", "url")

    def __init__(self, sock: socket.socket, reader: ResponseReader, buffered: list[bytes], url: str) -> None:
        self._sock = sock
        self._reader = reader
        self._buffered = buffered
        self._closed = False
        self._lock = threading.Lock()
        self.status_code: int = reader.status
        self.headers: Headers = reader.headers or Headers([])
        self.url: str = url

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status_code < 300

    def iter_bytes(self) -> Iterator[bytes]:
        """The body as it arrives, until it ends or the connection closes.

        Raises:
            OSError: the network failed, or no data came for ``timeout`` seconds.
        """
        reader = self._reader
        buffered, self._buffered = self._buffered, []
        yield from buffered
        recv = self._sock.recv
        while not reader.complete and not self._closed:
            if reader.error is not None:  # after the good bytes before it: now, not after a read
                raise reader.error
            data = recv(READ_SIZE)
            if not data:
                return
            yield from reader.feed(data)

    def iter_lines(self) -> Iterator[str]:
        """The body as lines, decoded and split as the standard says."""
        return iter_lines(self.iter_bytes())

    def close(self) -> None:
        """Close the connection; a read blocked in another thread returns at once."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        shut_down(self._sock)  # wakes a read blocked in another thread
        self._sock.close()


@final
class HTTPTransport:
    """The built-in sync transport: HTTP/1.1 over ``socket`` and ``ssl``, parsed by llhttp.

    A callable with the seed's transport signature. It follows redirects (301, 302,
    303, 307, 308) up to ``max_redirects``, dropping credentials when one leaves the
    origin, and verifies TLS against the system's trust store unless told otherwise.

    Args:
        max_redirects: How many redirects one request may follow.
    """

    __slots__ = ("_contexts", "max_redirects")

    def __init__(self, *, max_redirects: int = DEFAULT_MAX_REDIRECTS) -> None:
        self.max_redirects: int = max_redirects
        self._contexts = TLSContexts()

    def __call__(
        self,
        url: str,
        *,
        headers: dict[str, str],
        stream: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        verify: VerifyTypes = True,
    ) -> HTTPResponse:
        """GET ``url`` and return the response once its head has arrived.

        Raises:
            ValueError: the URL is not http(s), a header value holds CR, LF or NUL, or
                the CA bundle named by ``verify`` cannot be loaded.
            SSERedirectError: a redirect without Location, a loop, or too many.
            OSError: the connection failed or timed out (``ssl.SSLError`` for TLS).
        """
        redirects = Redirects(url, headers, self.max_redirects)
        while True:
            target = redirects.target
            response = self._exchange(target, build_request(target, redirects.headers), timeout, verify)
            if response.status_code not in REDIRECT_STATUSES:
                return response
            response.close()
            redirects.follow(response.status_code, response.headers)

    def _exchange(self, target: Target, request: bytes, timeout: float, verify: VerifyTypes) -> HTTPResponse:
        attempt = current_attempt.get()
        sock = _connect(target.host, target.port, timeout, attempt)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if target.scheme == "https":
                context = self._contexts.get(verify)
                sock = context.wrap_socket(sock, server_hostname=target.host, do_handshake_on_connect=False)
                if attempt is not None:
                    attempt.track(sock)  # the TLS socket, so that abort() wakes the handshake
                sock.do_handshake()
            sock.sendall(request)
            reader = ResponseReader()
            buffered: list[bytes] = []
            while reader.headers is None:
                data = sock.recv(READ_SIZE)
                if not data:
                    raise ConnectionError("the server closed the connection before responding")
                buffered += reader.feed(data)
        except BaseException:
            sock.close()
            raise
        return HTTPResponse(sock, reader, buffered, target.url)


def _connect(host: str, port: int, timeout: float, attempt: ConnectAttempt | None) -> socket.socket:
    """``socket.create_connection``, with each socket registered with ``attempt`` before
    it connects, so that a client's close() can abort the connect."""
    if attempt is None:
        return socket.create_connection((host, port), timeout=timeout)
    error: OSError | None = None
    for family, kind, protocol, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        sock = socket.socket(family, kind, protocol)
        try:
            attempt.track(sock)
            sock.settimeout(timeout)
            sock.connect(address)
            attempt.track(sock)  # again: an abort() just before connect() could not shut it down
        except OSError as exc:
            sock.close()
            if isinstance(exc, ConnectionAbortedError):
                raise
            error = exc
        else:
            return sock
    raise error if error is not None else OSError(f"no address for {host}")
