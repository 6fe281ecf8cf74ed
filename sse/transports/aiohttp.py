"""A transport over `aiohttp <https://docs.aiohttp.org>`_: the async SSE client sends
with an ``aiohttp.ClientSession``, yours or one of its own.

Install with ``pip install 'sse[aiohttp]'``. Give the session you already configured,
and its connector (TLS, limits), authentication, cookies and default headers apply::

    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
        async with AsyncSSEClient(url, transport=AiohttpTransport(http)) as events:
            async for event in events:
                print(event.data)

The responses have the full shape (headers and raw bytes), so ``sse`` checks the
Content-Type and decodes the body itself, exactly as the built-in transport does.
Redirects are followed by the same rules as the built-in transport (aiohttp's own
``allow_redirects`` is not used), and once one leaves the first origin,
none of your client's credentials (default headers, auth) go out. Header values go
out as UTF-8.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Coroutine

import aiohttp
import yarl
from typing_extensions import final

from sse._core import DEFAULT_TIMEOUT
from sse._http import (
    CREDENTIALS,
    DEFAULT_MAX_REDIRECTS,
    REDIRECT_STATUSES,
    Headers,
    Redirects,
    TLSContexts,
    checked_headers,
)
from sse._lines import aiter_lines
from sse._transport import VerifyTypes
from sse.transports._adapt import as_os_error, latin1_headers

__all__ = ["AiohttpResponse", "AiohttpTransport"]


@final
class AiohttpTransport:
    """An async transport over an ``aiohttp.ClientSession``.

    Args:
        session: The session to send with; its settings apply, and the SSE client's
            ``verify`` does not. It stays open: it is yours. ``None``: each connection
            gets a session of its own, with the SSE client's ``verify``, closed with the
            response.
        max_redirects: How many redirects one request may follow.
    """

    __slots__ = ("_contexts", "_session", "max_redirects")

    def __init__(
        self, session: aiohttp.ClientSession | None = None, *, max_redirects: int = DEFAULT_MAX_REDIRECTS
    ) -> None:
        self._session = session
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
    ) -> AiohttpResponse:
        """GET ``url`` and return the response once its head has arrived.

        Raises:
            ValueError: the URL is not http(s), a header value holds CR, LF or NUL, or
                the CA bundle named by ``verify`` cannot be loaded.
            SSERedirectError: a redirect without Location, a loop, or too many.
            OSError: the connection failed or timed out; aiohttp's errors are turned
                into the ``OSError`` under them (``ssl.SSLError`` for TLS).
        """
        redirects = Redirects(url, headers, self.max_redirects)
        owned: list[aiohttp.ClientSession] = []  # closed with the response
        if self._session is None:
            context = self._contexts.get(verify)
            owned.append(aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)))
        session = self._session or owned[0]
        # Per read, as the other transports have it; no limit on the whole (a stream).
        limits = aiohttp.ClientTimeout(total=None, connect=timeout, sock_read=timeout)
        try:
            while True:
                if redirects.left_origin and session is self._session:
                    # aiohttp cannot leave out a session's default headers or auth from
                    # one request: off the first origin, a twin session without them
                    # sends, over the same connector and cookie jar.
                    session = _without_credentials(session)
                    owned.append(session)
                request_headers = dict(checked_headers(redirects.headers))
                try:
                    response = await session.get(
                        # As the built-in transport sends it: yarl would re-encode it.
                        yarl.URL(redirects.target.request_url, encoded=True),
                        headers=request_headers,
                        allow_redirects=False,
                        timeout=limits,
                    )
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    raise as_os_error(exc, timed_out=isinstance(exc, asyncio.TimeoutError)) from exc
                if response.status not in REDIRECT_STATUSES:
                    return AiohttpResponse(response, owned, timeout)
                response.close()
                redirects.follow(response.status, latin1_headers(response.raw_headers))
        except BaseException:
            for made in owned:
                await made.close()
            raise


def _without_credentials(session: aiohttp.ClientSession) -> aiohttp.ClientSession:
    """A session like ``session``, sharing its connector and cookie jar (which keeps each
    cookie to its domain), without its default credential headers or auth."""
    return aiohttp.ClientSession(
        connector=session.connector,
        connector_owner=False,
        cookie_jar=session.cookie_jar,
        headers={name: value for name, value in session.headers.items() if name.lower() not in CREDENTIALS},
        skip_auto_headers=session.skip_auto_headers,
        auto_decompress=session.auto_decompress,
        trust_env=session.trust_env,
        timeout=session.timeout,
    )


@final
class AiohttpResponse:
    """A streaming response of :class:`AiohttpTransport`."""

    __slots__ = ("_closed", "_owned", "_response", "_timeout", "headers", "status_code", "url")

    def __init__(
        self, response: aiohttp.ClientResponse, owned: list[aiohttp.ClientSession], timeout: float
    ) -> None:
        self._response = response
        self._owned = owned
        self._timeout = timeout
        self._closed = False
        self.status_code: int = response.status
        self.headers: Headers = latin1_headers(response.raw_headers)
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
        content = self._response.content
        try:
            while True:
                # Our own deadline besides aiohttp's sock_read: when its parser fails in
                # the middle of a body, aiohttp drops that timer and may never wake the
                # reader (3.14), which would wait forever.
                chunk = await _within(self._timeout, content.readany())
                if not chunk:
                    return
                yield chunk
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            if not self._closed:
                raise as_os_error(exc, timed_out=isinstance(exc, asyncio.TimeoutError)) from exc
        except RuntimeError as exc:
            # What aiohttp raises for a read on a connection it closed without ending
            # the body (as after a malformed chunk): a network failure like any other.
            if str(exc) != "Connection closed.":
                raise
            if not self._closed:
                raise ConnectionError("aiohttp closed the connection before the body ended") from exc

    def aiter_lines(self) -> AsyncIterator[str]:
        """The body as lines, decoded and split as the standard says."""
        return aiter_lines(self.aiter_bytes())

    async def aclose(self) -> None:
        """Close the response (and the session, if the transport made it)."""
        if self._closed:
            return
        self._closed = True
        try:
            with contextlib.suppress(aiohttp.ClientError, OSError):
                self._response.close()
        finally:
            for made in self._owned:
                await made.close()


async def _within(seconds: float, read: Coroutine[object, object, bytes]) -> bytes:
    """``await read``, or ``TimeoutError`` after ``seconds``."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(seconds):  # no task per read, unlike wait_for
            return await read
    return await asyncio.wait_for(read, seconds)
