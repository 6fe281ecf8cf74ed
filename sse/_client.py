"""``SSEClient`` / ``AsyncSSEClient``: the reconnecting clients, two thin IO loops
around :class:`~sse._core.StreamCore`."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, TypeGuard

from typing_extensions import Self, TypedDict, Unpack, final

from sse._attempt import ConnectAttempt, current_attempt
from sse._core import (
    DEFAULT_RETRY_INTERVAL,
    DEFAULT_TIMEOUT,
    ERROR_BODY_LIMIT,
    ReconnectPolicy,
    StreamCore,
    events_before,
)
from sse._errors import EventTooLargeError
from sse._events import SSEEvent
from sse._parser import DEFAULT_MAX_EVENT_SIZE
from sse._transport import (
    AsyncRawResponse,
    AsyncResponse,
    AsyncTransport,
    SyncRawResponse,
    SyncResponse,
    SyncTransport,
    VerifyTypes,
)

if TYPE_CHECKING:
    from types import TracebackType


class ClientOptions(TypedDict, total=False):
    """The keyword arguments of :func:`connect`, as :class:`SSEClient` takes them."""

    headers: dict[str, str] | None
    timeout: float
    retry_interval: int
    max_retries: int
    verify: VerifyTypes
    last_event_id: str
    transport: SyncTransport | None
    max_event_size: int


class AsyncClientOptions(TypedDict, total=False):
    """The keyword arguments of :func:`async_connect`, as :class:`AsyncSSEClient` takes them."""

    headers: dict[str, str] | None
    timeout: float
    retry_interval: int
    max_retries: int
    verify: VerifyTypes
    last_event_id: str
    transport: AsyncTransport | None
    max_event_size: int


class _ClientBase:
    """What both clients hold alike: the processing model and the connection options."""

    __slots__ = ("_core", "_timeout", "_verify")

    def _setup(
        self,
        url: str,
        headers: dict[str, str] | None,
        timeout: float,
        retry_interval: int,
        max_retries: int,
        verify: VerifyTypes,
        last_event_id: str,
        max_event_size: int,
    ) -> None:
        self._timeout = timeout
        self._verify = verify
        self._core = StreamCore(
            url,
            headers=headers,
            retry_interval=retry_interval,
            last_event_id=last_event_id,
            policy=ReconnectPolicy(max_retries=max_retries),
            max_event_size=max_event_size,
        )

    @property
    def url(self) -> str:
        """The URL of the stream."""
        return self._core.url

    @property
    def last_event_id(self) -> str:
        """The last event ID: what the next connection sends as ``Last-Event-ID``."""
        return self._core.parser.last_event_id

    @property
    def reconnection_time(self) -> int:
        """Milliseconds to wait before reconnecting: the server's ``retry:``, else
        ``retry_interval``."""
        return self._core.reconnection_time


@final
class SSEClient(_ClientBase):
    """Synchronous SSE client with auto-reconnection.

    Opens a streaming HTTP GET, parses ``text/event-stream``, and automatically
    reconnects when the connection drops, as WHATWG HTML 9.2.3 says: after the
    reconnection time, with ``Last-Event-ID``; a 204 ends the stream; any other
    status but 200, or a Content-Type that is not ``text/event-stream``, raises.

    Args:
        url: SSE endpoint URL.
        headers: Extra HTTP headers to send.
        timeout: Connection and read timeout in seconds; a stream silent for longer
            is reconnected.
        retry_interval: Initial reconnection delay in milliseconds, until the server
            sends ``retry:``.
        max_retries: Maximum consecutive failed attempts retried (``-1`` = unlimited);
            one more raises :class:`SSEConnectionError`.
        verify: TLS verification: ``True``, ``False``, a CA bundle path or an
            ``ssl.SSLContext``.
        last_event_id: Initial ``Last-Event-ID`` header value.
        transport: An HTTP GET callable (see the transport Protocols); ``None`` uses
            the built-in transport.
        max_event_size: Bound on one line and on the data of one event, in characters.

    Example::

        with SSEClient(url) as client:
            for event in client:
                print(event.data)
    """

    __slots__ = ("_attempt", "_closed", "_response", "_transport")

    def __init__(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry_interval: int = DEFAULT_RETRY_INTERVAL,
        max_retries: int = -1,
        verify: VerifyTypes = True,
        last_event_id: str = "",
        transport: SyncTransport | None = None,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None:
        if transport is None:
            from sse.transports import HTTPTransport

            transport = HTTPTransport()
        self._transport = transport
        self._setup(url, headers, timeout, retry_interval, max_retries, verify, last_event_id, max_event_size)
        self._closed = threading.Event()
        self._attempt: ConnectAttempt | None = None
        self._response: SyncResponse | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[SSEEvent]:
        core = self._core
        closed = self._closed
        while not closed.is_set():
            # Published first, checked second (as the response below): a close() from
            # another thread either aborts this attempt or is seen here.
            attempt = self._attempt = ConnectAttempt()
            if closed.is_set():
                return
            context = current_attempt.set(attempt)
            try:
                response = self._transport(
                    core.url,
                    headers=core.request_headers(),
                    stream=True,
                    timeout=self._timeout,
                    verify=self._verify,
                )
            except OSError as exc:  # the network: try again
                if closed.is_set():
                    return
                closed.wait(core.connection_lost(exc))
                continue
            finally:
                current_attempt.reset(context)
                self._attempt = None
            self._response = response
            error: OSError | None = None
            try:
                # Published first, checked second: a close() from another thread either
                # sees the response and closes it, or is seen here.
                if closed.is_set():
                    return
                headers, error_body = _head(response, self._timeout)
                if closed.is_set():  # closed while the head or an error page was read
                    return
                if not core.check_response(response.status_code, headers, error_body):
                    return  # 204: the server asks the client to stop
                if _is_raw(response):
                    for chunk in response.iter_bytes():
                        try:
                            events = core.feed(chunk)
                        except EventTooLargeError as too_large:
                            for event in events_before(too_large):  # nothing completed is lost
                                if closed.is_set():
                                    return
                                yield event
                            raise
                        for event in events:
                            if closed.is_set():
                                return
                            yield event
                else:
                    for line in response.iter_lines():
                        line_event = core.feed_line(line)
                        if line_event is not None and not closed.is_set():
                            yield line_event
            except OSError as exc:
                error = exc
            finally:
                self._response = None
                _close_quietly(response)
            if closed.is_set():
                return
            closed.wait(core.connection_lost(error))

    def close(self) -> None:
        """Close the SSE connection; safe from another thread, where it ends a blocked
        iteration at once (with the built-in transport, even while it is connecting;
        another transport, once it returns)."""
        self._closed.set()
        attempt = self._attempt
        if attempt is not None:
            attempt.abort()
        response = self._response
        if response is not None:
            _close_quietly(response)


@final
class AsyncSSEClient(_ClientBase):
    """Asynchronous SSE client with auto-reconnection.

    The async twin of :class:`SSEClient`: the same processing model, driven with
    ``await``. Cancelling the task that iterates closes the connection.

    Args:
        url: SSE endpoint URL.
        headers: Extra HTTP headers to send.
        timeout: Connection and read timeout in seconds; a stream silent for longer
            is reconnected.
        retry_interval: Initial reconnection delay in milliseconds, until the server
            sends ``retry:``.
        max_retries: Maximum consecutive failed attempts retried (``-1`` = unlimited);
            one more raises :class:`SSEConnectionError`.
        verify: TLS verification: ``True``, ``False``, a CA bundle path or an
            ``ssl.SSLContext``.
        last_event_id: Initial ``Last-Event-ID`` header value.
        transport: An HTTP GET callable (see the transport Protocols); ``None`` uses
            the built-in transport.
        max_event_size: Bound on one line and on the data of one event, in characters.

    Example::

        async with AsyncSSEClient(url) as client:
            async for event in client:
                print(event.data)
    """

    __slots__ = ("_closed", "_response", "_transport")

    def __init__(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry_interval: int = DEFAULT_RETRY_INTERVAL,
        max_retries: int = -1,
        verify: VerifyTypes = True,
        last_event_id: str = "",
        transport: AsyncTransport | None = None,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None:
        if transport is None:
            from sse.transports import AsyncHTTPTransport

            transport = AsyncHTTPTransport()
        self._transport = transport
        self._setup(url, headers, timeout, retry_interval, max_retries, verify, last_event_id, max_event_size)
        self._closed = asyncio.Event()
        self._response: AsyncResponse | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def __aiter__(self) -> AsyncIterator[SSEEvent]:
        core = self._core
        closed = self._closed
        while not closed.is_set():
            try:
                response = await self._open()
            except OSError as exc:
                if closed.is_set():
                    return
                await _wait(closed, core.connection_lost(exc))
                continue
            if response is None:  # closed while connecting
                return
            self._response = response
            error: OSError | None = None
            try:
                if closed.is_set():  # closed while connecting
                    return
                headers, error_body = await _ahead(response, self._timeout)
                if closed.is_set():
                    return
                if not core.check_response(response.status_code, headers, error_body):
                    return
                if _is_araw(response):
                    async for chunk in response.aiter_bytes():
                        try:
                            events = core.feed(chunk)
                        except EventTooLargeError as too_large:
                            for event in events_before(too_large):
                                if closed.is_set():
                                    return
                                yield event
                            raise
                        for event in events:
                            if closed.is_set():
                                return
                            yield event
                else:
                    async for line in response.aiter_lines():
                        line_event = core.feed_line(line)
                        if line_event is not None and not closed.is_set():
                            yield line_event
            except OSError as exc:
                error = exc
            finally:
                self._response = None
                await _aclose_quietly(response)
            if closed.is_set():
                return
            await _wait(closed, core.connection_lost(error))

    async def _open(self) -> AsyncResponse | None:
        """Call the transport; ``None`` if the client was closed before it returned.

        The call runs as a task, so that a close() from another task cancels it
        wherever it is: connecting, in the TLS handshake, waiting for the head.
        """
        core = self._core
        connecting = asyncio.ensure_future(
            self._transport(
                core.url,
                headers=core.request_headers(),
                stream=True,
                timeout=self._timeout,
                verify=self._verify,
            )
        )
        closing = asyncio.ensure_future(self._closed.wait())
        try:
            try:
                await asyncio.wait((connecting, closing), return_when=asyncio.FIRST_COMPLETED)
            finally:
                closing.cancel()
                connecting.cancel()  # nothing if it has returned
                # Let the transport release its socket. wait() does not raise what the
                # task raised, yet a cancellation of this task still goes through.
                await asyncio.wait((connecting,))
        except BaseException:  # the iterating task itself was cancelled
            # The transport may have returned in the same turn: nobody else would close
            # that response.
            await _discard(connecting)
            raise
        if connecting.cancelled():
            return None
        return connecting.result()  # or the transport's error

    async def close(self) -> None:
        """Close the SSE connection; a wait to reconnect, or a connection being opened,
        ends at once."""
        self._closed.set()
        response = self._response
        if response is not None:
            await _aclose_quietly(response)


def connect(url: str, **kwargs: Unpack[ClientOptions]) -> SSEClient:
    """Open a synchronous SSE connection.

    Shorthand for ``SSEClient(url, **kwargs)``; the keyword arguments are typed, so a
    misspelt option is a type error. Use as a context manager::

        with connect(url) as events:
            for event in events:
                print(event.data)
    """
    return SSEClient(url, **kwargs)


def async_connect(url: str, **kwargs: Unpack[AsyncClientOptions]) -> AsyncSSEClient:
    """Open an asynchronous SSE connection.

    Shorthand for ``AsyncSSEClient(url, **kwargs)``. Use as an async context manager::

        async with async_connect(url) as events:
            async for event in events:
                print(event.data)
    """
    return AsyncSSEClient(url, **kwargs)


# -- helpers -----------------------------------------------------------------------------


def _is_raw(response: SyncResponse) -> TypeGuard[SyncRawResponse]:
    """Whether a response offers the full shape: headers and raw bytes."""
    return hasattr(response, "iter_bytes") and hasattr(response, "headers")


def _is_araw(response: AsyncResponse) -> TypeGuard[AsyncRawResponse]:
    return hasattr(response, "aiter_bytes") and hasattr(response, "headers")


def _head(response: SyncResponse, timeout: float) -> tuple[Mapping[str, str] | None, bytes]:
    """The headers (when exposed) and, for an error status, the start of the body: at
    most ERROR_BODY_LIMIT bytes, read for at most ``timeout`` seconds in all (plus the
    read under way), so that a server trickling its error page cannot hold the client."""
    if not _is_raw(response):
        return None, b""
    raw = response
    if raw.status_code in (200, 204):
        return raw.headers, b""
    body = b""
    deadline = time.monotonic() + timeout
    with contextlib.suppress(OSError):
        for chunk in raw.iter_bytes():
            body += chunk
            if len(body) >= ERROR_BODY_LIMIT or time.monotonic() >= deadline:
                break
    return raw.headers, body


async def _ahead(response: AsyncResponse, timeout: float) -> tuple[Mapping[str, str] | None, bytes]:
    if not _is_araw(response):
        return None, b""
    raw = response
    if raw.status_code in (200, 204):
        return raw.headers, b""
    body = bytearray()

    async def read() -> None:
        async for chunk in raw.aiter_bytes():
            body.extend(chunk)
            if len(body) >= ERROR_BODY_LIMIT:
                break

    with contextlib.suppress(OSError, asyncio.TimeoutError):
        await asyncio.wait_for(read(), timeout)
    return raw.headers, bytes(body)


async def _wait(closed: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds``, or until the client is closed."""
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(closed.wait(), seconds)


def _close_quietly(response: SyncResponse) -> None:
    with contextlib.suppress(Exception):  # cleanup after an error must not mask it
        response.close()


async def _discard(connecting: asyncio.Future[AsyncResponse]) -> None:
    """Close what a transport call abandoned by its caller returns, now or when it does."""
    if not connecting.done():
        connecting.add_done_callback(_close_later)
    elif not connecting.cancelled() and connecting.exception() is None:
        await _aclose_quietly(connecting.result())


def _close_later(connecting: asyncio.Future[AsyncResponse]) -> None:
    if not connecting.cancelled() and connecting.exception() is None:
        _orphans.add(task := asyncio.ensure_future(_aclose_quietly(connecting.result())))
        task.add_done_callback(_orphans.discard)


# Closing tasks of abandoned responses, kept alive until they end.
_orphans: set[asyncio.Future[None]] = set()


async def _aclose_quietly(response: AsyncResponse) -> None:
    with contextlib.suppress(Exception):
        await response.aclose()
