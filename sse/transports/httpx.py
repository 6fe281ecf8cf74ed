"""Transports over `httpx <https://www.python-httpx.org>`_: the SSE clients send with an
``httpx.Client`` or ``httpx.AsyncClient``, yours or one of their own.

Install with ``pip install 'sse[httpx]'``. Give the client you already configured, and
its proxies, authentication, cookies, HTTP/2 and TLS settings apply::

    with httpx.Client(headers={"Authorization": f"Bearer {token}"}) as http:
        with SSEClient(url, transport=HTTPXTransport(http)) as events:
            for event in events:
                print(event.data)

The responses have the full shape (headers and raw bytes), so ``sse`` checks the
Content-Type and decodes the body itself, exactly as the built-in transport does.
Redirects are followed by the same rules as the built-in transport (httpx's own
``follow_redirects`` is not used), and once one leaves the first origin,
none of your client's credentials (default headers, auth) go out. Header values go
out as UTF-8.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Iterator

import httpx
from typing_extensions import final

from sse._attempt import shut_down
from sse._core import DEFAULT_TIMEOUT
from sse._errors import SSERedirectError
from sse._http import CREDENTIALS, DEFAULT_MAX_REDIRECTS, REDIRECT_STATUSES, Headers, Redirects, TLSContexts
from sse._lines import aiter_lines, iter_lines
from sse._transport import VerifyTypes
from sse.transports._adapt import as_os_error, latin1_headers, utf8_headers

__all__ = ["AsyncHTTPXResponse", "AsyncHTTPXTransport", "HTTPXResponse", "HTTPXTransport"]


@final
class HTTPXTransport:
    """A sync transport over an ``httpx.Client``.

    Args:
        client: The client to send with; its settings apply, and the SSE client's
            ``verify`` does not. It stays open: it is yours. ``None``: each connection
            gets a client of its own, with the SSE client's ``verify``, closed with the
            response.
        max_redirects: How many redirects one request may follow.
    """

    __slots__ = ("_client", "_contexts", "max_redirects")

    def __init__(
        self, client: httpx.Client | None = None, *, max_redirects: int = DEFAULT_MAX_REDIRECTS
    ) -> None:
        self._client = client
        self._contexts = TLSContexts()
        self.max_redirects: int = max_redirects

    def __call__(
        self,
        url: str,
        *,
        headers: dict[str, str],
        stream: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        verify: VerifyTypes = True,
    ) -> HTTPXResponse:
        """GET ``url`` and return the response once its head has arrived.

        Raises:
            ValueError: the URL is not http(s), a header value holds CR, LF or NUL, or
                the CA bundle named by ``verify`` cannot be loaded.
            SSERedirectError: a redirect without Location, a loop, or too many.
            OSError: the connection failed or timed out; httpx's errors are turned
                into the ``OSError`` under them (``ssl.SSLError`` for TLS).
        """
        redirects = Redirects(url, headers, self.max_redirects)
        owned = httpx.Client(verify=self._contexts.get(verify)) if self._client is None else None
        client = self._client or owned
        assert client is not None
        try:
            while True:
                request = _request(client, redirects, timeout)
                try:
                    response = client.send(
                        request,
                        stream=True,
                        follow_redirects=False,
                        auth=None if redirects.left_origin else httpx.USE_CLIENT_DEFAULT,
                    )
                except httpx.RequestError as exc:
                    raise _translated(exc, redirects.target.url) from exc
                if response.status_code not in REDIRECT_STATUSES:
                    return HTTPXResponse(response, owned)
                response.close()
                redirects.follow(response.status_code, latin1_headers(response.headers.raw))
        except BaseException:
            if owned is not None:
                owned.close()
            raise


@final
class HTTPXResponse:
    """A streaming response of :class:`HTTPXTransport`.

    ``close()`` may be called from any thread: it wakes a read blocked in another.
    """

    __slots__ = ("_closed", "_lock", "_owned", "_reading", "_response", "headers", "status_code", "url")

    def __init__(self, response: httpx.Response, owned: httpx.Client | None) -> None:
        self._response = response
        self._owned = owned
        self._closed = False
        self._reading = False
        self._lock = threading.Lock()
        self.status_code: int = response.status_code
        self.headers: Headers = latin1_headers(response.headers.raw)
        self.url: str = str(response.url)

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status_code < 300

    def iter_bytes(self) -> Iterator[bytes]:
        """The body as it arrives (content-encoding undone), until it ends.

        Raises:
            OSError: the network failed, or no data came for ``timeout`` seconds.
        """
        self._reading = True
        try:
            yield from self._response.iter_bytes()
        except Exception as exc:
            if self._closed:  # close() from another thread: the read it woke may fail in any way
                return
            if isinstance(exc, httpx.RequestError):
                raise _translated(exc, self.url) from exc
            raise
        finally:
            self._reading = False

    def iter_lines(self) -> Iterator[str]:
        """The body as lines, decoded and split as the standard says."""
        return iter_lines(self.iter_bytes())

    def close(self) -> None:
        """Close the response (and the client, if the transport made it)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        response = self._response
        # Wake a read blocked in another thread, on a connection this response alone
        # holds: not one httpx has already given back to its pool (the body ended), nor
        # an HTTP/2 connection, which carries other requests.
        if self._reading and not response.is_closed and response.http_version.startswith("HTTP/1"):
            stream: object = response.extensions.get("network_stream")
            get_extra_info = getattr(stream, "get_extra_info", None)
            shut_down(get_extra_info("socket") if callable(get_extra_info) else None)
        try:
            with contextlib.suppress(httpx.HTTPError, httpx.StreamError):
                self._response.close()
        finally:
            if self._owned is not None:
                self._owned.close()


@final
class AsyncHTTPXTransport:
    """An async transport over an ``httpx.AsyncClient``.

    Args:
        client: The client to send with; its settings apply, and the SSE client's
            ``verify`` does not. It stays open: it is yours. ``None``: each connection
            gets a client of its own, with the SSE client's ``verify``, closed with the
            response.
        max_redirects: How many redirects one request may follow.
    """

    __slots__ = ("_client", "_contexts", "max_redirects")

    def __init__(
        self, client: httpx.AsyncClient | None = None, *, max_redirects: int = DEFAULT_MAX_REDIRECTS
    ) -> None:
        self._client = client
        self._contexts = TLSContexts()
        self.max_redirects: int = max_redirects

    async def __call__(
        self,
        url: str,
        *,
        headers: dict[str, str],
        stream: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        verify: VerifyTypes = True,
    ) -> AsyncHTTPXResponse:
        """GET ``url`` and return the response once its head has arrived.

        Raises:
            ValueError: the URL is not http(s), a header value holds CR, LF or NUL, or
                the CA bundle named by ``verify`` cannot be loaded.
            SSERedirectError: a redirect without Location, a loop, or too many.
            OSError: the connection failed or timed out; httpx's errors are turned
                into the ``OSError`` under them (``ssl.SSLError`` for TLS).
        """
        redirects = Redirects(url, headers, self.max_redirects)
        owned = httpx.AsyncClient(verify=self._contexts.get(verify)) if self._client is None else None
        client = self._client or owned
        assert client is not None
        try:
            while True:
                request = _request(client, redirects, timeout)
                try:
                    response = await client.send(
                        request,
                        stream=True,
                        follow_redirects=False,
                        auth=None if redirects.left_origin else httpx.USE_CLIENT_DEFAULT,
                    )
                except httpx.RequestError as exc:
                    raise _translated(exc, redirects.target.url) from exc
                if response.status_code not in REDIRECT_STATUSES:
                    return AsyncHTTPXResponse(response, owned)
                await response.aclose()
                redirects.follow(response.status_code, latin1_headers(response.headers.raw))
        except BaseException:
            if owned is not None:
                await owned.aclose()
            raise


@final
class AsyncHTTPXResponse:
    """A streaming response of :class:`AsyncHTTPXTransport`."""

    __slots__ = ("_closed", "_owned", "_response", "headers", "status_code", "url")

    def __init__(self, response: httpx.Response, owned: httpx.AsyncClient | None) -> None:
        self._response = response
        self._owned = owned
        self._closed = False
        self.status_code: int = response.status_code
        self.headers: Headers = latin1_headers(response.headers.raw)
        self.url: str = str(response.url)

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status_code < 300

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body as it arrives (content-encoding undone), until it ends.

        Raises:
            OSError: the network failed, or no data came for ``timeout`` seconds.
        """
        try:
            async for chunk in self._response.aiter_bytes():
                yield chunk
        except Exception as exc:
            if self._closed:
                return
            if isinstance(exc, httpx.RequestError):
                raise _translated(exc, self.url) from exc
            raise

    def aiter_lines(self) -> AsyncIterator[str]:
        """The body as lines, decoded and split as the standard says."""
        return aiter_lines(self.aiter_bytes())

    async def aclose(self) -> None:
        """Close the response (and the client, if the transport made it)."""
        if self._closed:
            return
        self._closed = True
        try:
            with contextlib.suppress(httpx.HTTPError, httpx.StreamError):
                await self._response.aclose()
        finally:
            if self._owned is not None:
                await self._owned.aclose()


def _request(client: httpx.Client | httpx.AsyncClient, redirects: Redirects, timeout: float) -> httpx.Request:
    """The GET of ``redirects.target``, with the client's headers and cookies. Off the
    first origin, none of the client's credentials go out (its ``auth`` is not applied
    either); cookies come from its jar alone, which keeps each to its domain."""
    request = client.build_request(
        "GET", redirects.target.url, headers=utf8_headers(redirects.headers), timeout=timeout
    )
    if redirects.left_origin:
        for name in CREDENTIALS:
            request.headers.pop(name, None)
        httpx.Cookies(client.cookies).set_cookie_header(request)
    return request


def _translated(error: httpx.RequestError, url: str) -> OSError | SSERedirectError:
    """httpx's error as what the clients expect: the ``OSError`` they reconnect on. httpx
    parses the Location of every redirect, followed or not; one it cannot parse is the
    redirect error the built-in transport raises."""
    if isinstance(error, httpx.RemoteProtocolError) and "location header" in str(error):
        return SSERedirectError(f"unusable Location: {error}", url)
    return as_os_error(error, timed_out=isinstance(error, httpx.TimeoutException))
