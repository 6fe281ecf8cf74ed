"""The built-in async transport: the sans-IO core of ``sse._http`` over an asyncio Protocol.

llhttp is fed straight from ``data_received``; the body waits in a queue that pauses
the socket when a slow reader lets it grow past ``_HIGH_WATER``, so memory stays bounded.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator

from typing_extensions import final, override

from sse._core import DEFAULT_TIMEOUT
from sse._http import (
    DEFAULT_MAX_REDIRECTS,
    REDIRECT_STATUSES,
    Headers,
    Redirects,
    ResponseReader,
    Target,
    TLSContexts,
    build_request,
)
from sse._lines import aiter_lines
from sse._transport import VerifyTypes

_HIGH_WATER = 1024 * 1024  # queued body bytes before the socket is paused
_LOW_WATER = 256 * 1024


@final
class _ResponseProtocol(asyncio.Protocol):
    """Bytes in, through llhttp, into a bounded queue of body chunks."""

    def __init__(self, reader: ResponseReader, loop: asyncio.AbstractEventLoop) -> None:
        self.reader: ResponseReader = reader
        self.loop = loop
        self.chunks: collections.deque[bytes] = collections.deque()
        self.queued: int = 0
        self.ended: bool = False
        self.error: Exception | None = None
        self.transport: asyncio.Transport | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False

    @override
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a stream transport

    @override
    def data_received(self, data: bytes) -> None:
        try:
            body = self.reader.feed(data)
        except ConnectionError as exc:
            self.error = exc
            self.ended = True
            body = []
        if self.reader.error is not None:  # delivered after the good body bytes before it
            self.error = self.reader.error
            self.ended = True
        for chunk in body:
            self.chunks.append(chunk)
            self.queued += len(chunk)
        if self.reader.complete:
            self.ended = True
        if self.queued > _HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    @override
    def eof_received(self) -> bool | None:
        self.ended = True
        self._wake()
        return False

    @override
    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        if exc is not None and self.error is None:
            self.error = exc
        self._wake()

    def take(self) -> bytes:
        chunk = self.chunks.popleft()
        self.queued -= len(chunk)
        if self._paused and self.queued < _LOW_WATER and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return chunk

    async def wait(self, timeout: float) -> None:
        """Wait for more bytes, the end, or ``timeout`` seconds of silence."""
        waiter: asyncio.Future[None] = asyncio.Future(loop=self.loop)
        self._waiter = waiter
        timer = self.loop.call_later(timeout, self._time_out, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None

    def _time_out(self, waiter: asyncio.Future[None]) -> None:
        if not waiter.done():
            waiter.set_exception(TimeoutError("no data from the server within the read timeout"))

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


@final
class AsyncHTTPResponse:
    """A streaming response of :class:`AsyncHTTPTransport`; it owns its connection."""

    __slots__ = ("_protocol", "_timeout", "headers", "status_code", "url")

    def __init__(self, protocol: _ResponseProtocol, timeout: float, url: str) -> None:
        self._protocol = protocol
        self._timeout = timeout
        self.status_code: int = protocol.reader.status
        self.headers: Headers = protocol.reader.headers or Headers([])
        self.url: str = url

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status_code < 300

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body as it arrives, until it ends or the connection closes.

        Raises:
            OSError: the network failed, or no data came for ``timeout`` seconds.
        """
        protocol = self._protocol
        while True:
            while protocol.chunks:
                yield protocol.take()
            if protocol.ended:
                if protocol.error is not None and not protocol.reader.complete:
                    raise _as_os_error(protocol.error)
                return
            await protocol.wait(self._timeout)

    def aiter_lines(self) -> AsyncIterator[str]:
        """The body as lines, decoded and split as the standard says."""
        return aiter_lines(self.aiter_bytes())

    async def aclose(self) -> None:
        """Close the connection."""
        transport = self._protocol.transport
        if transport is not None and not transport.is_closing():
            transport.close()
        self._protocol.ended = True


@final
class AsyncHTTPTransport:
    """The built-in async transport: HTTP/1.1 over asyncio, parsed by llhttp.

    An async callable with the seed's transport signature; redirects, TLS and
    timeouts as :class:`HTTPTransport`.

    Args:
        max_redirects: How many redirects one request may follow.
    """

    __slots__ = ("_contexts", "max_redirects")

    def __init__(self, *, max_redirects: int = DEFAULT_MAX_REDIRECTS) -> None:
        self.max_redirects: int = max_redirects
        self._contexts = TLSContexts()

    async def __call__(
        self,
        url: str,
        *,
        headers: dict[str, str],
        stream: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        verify: VerifyTypes = True,
    ) -> AsyncHTTPResponse:
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
            response = await self._exchange(target, build_request(target, redirects.headers), timeout, verify)
            if response.status_code not in REDIRECT_STATUSES:
                return response
            await response.aclose()
            redirects.follow(response.status_code, response.headers)

    async def _exchange(
        self, target: Target, request: bytes, timeout: float, verify: VerifyTypes
    ) -> AsyncHTTPResponse:
        loop = asyncio.get_running_loop()
        protocol = _ResponseProtocol(ResponseReader(), loop)
        context = self._contexts.get(verify) if target.scheme == "https" else None
        try:
            await asyncio.wait_for(
                loop.create_connection(
                    lambda: protocol,
                    target.host,
                    target.port,
                    ssl=context,
                    server_hostname=target.host if context is not None else None,
                ),
                timeout,
            )
        except asyncio.TimeoutError:
            raise TimeoutError(f"could not connect to {target.host}:{target.port} in {timeout} s") from None
        response = AsyncHTTPResponse(protocol, timeout, target.url)
        try:
            assert protocol.transport is not None
            protocol.transport.write(request)
            while protocol.reader.headers is None:
                if protocol.ended:
                    error = protocol.error or ConnectionError(
                        "the server closed the connection before responding"
                    )
                    raise _as_os_error(error)
                await protocol.wait(timeout)
        except BaseException:
            await response.aclose()
            raise
        response.status_code = protocol.reader.status
        response.headers = protocol.reader.headers
        return response


def _as_os_error(error: Exception) -> OSError:
    return error if isinstance(error, OSError) else ConnectionError(str(error))
