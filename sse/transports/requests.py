"""A transport over `requests <https://requests.readthedocs.io>`_: the sync SSE client
sends with a ``requests.Session``, yours or one of its own.

Install with ``pip install 'sse[requests]'``. Give the session you already configured,
and its proxies, authentication, cookies, mounted adapters and ``verify`` apply::

    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token}"
        with SSEClient(url, transport=RequestsTransport(http)) as events:
            for event in events:
                print(event.data)

The responses have the full shape (headers and raw bytes), so ``sse`` checks the
Content-Type and decodes the body itself, exactly as the built-in transport does.
Redirects are followed by the same rules as the built-in transport (requests' own
``allow_redirects`` is not used), and once one leaves the first origin,
none of your client's credentials (default headers, auth) go out. Header values go
out as UTF-8.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Iterator

import requests
import requests.adapters
from typing_extensions import final, override
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import HTTPError as URLLib3Error
from urllib3.exceptions import ReadTimeoutError

from sse._attempt import shut_down
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
from sse._lines import iter_lines
from sse._transport import VerifyTypes
from sse.transports._adapt import as_os_error

__all__ = ["RequestsResponse", "RequestsTransport"]

# Reads return what has arrived, up to this much.
_READ_SIZE = 65536


@final
class RequestsTransport:
    """A sync transport over a ``requests.Session``.

    Args:
        session: The session to send with; its settings apply, and the SSE client's
            ``verify`` does not. It stays open: it is yours. ``None``: each connection
            gets a session of its own, with the SSE client's ``verify``, closed with the
            response.
        max_redirects: How many redirects one request may follow.
    """

    __slots__ = ("_contexts", "_session", "max_redirects")

    def __init__(
        self, session: requests.Session | None = None, *, max_redirects: int = DEFAULT_MAX_REDIRECTS
    ) -> None:
        self._session = session
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
    ) -> RequestsResponse:
        """GET ``url`` and return the response once its head has arrived.

        Raises:
            ValueError: the URL is not http(s), a header value holds CR, LF or NUL, or
                the CA bundle named by ``verify`` cannot be loaded.
            SSERedirectError: a redirect without Location, a loop, or too many.
            OSError: the connection failed or timed out; requests' errors are turned
                into the ``OSError`` under them (``ssl.SSLError`` for TLS).
        """
        redirects = Redirects(url, headers, self.max_redirects)
        if self._session is None:
            owned, adapter = _session_with(self._contexts.get(verify))
            session, verifies = owned, adapter.verifies
        else:  # the session's own adapters and verify
            owned, adapter, session, verifies = None, None, self._session, None
        try:
            while True:
                response = _send(session, redirects, verifies, timeout)
                if response.status_code not in REDIRECT_STATUSES:
                    return RequestsResponse(response, owned)
                response.close()
                redirects.follow(response.status_code, _headers(response))
                if adapter is not None:
                    # urllib3 pooled the redirect's connection for reuse; a server may
                    # close it at any time, and the next hop would then fail on it.
                    adapter.poolmanager.clear()
        except BaseException:
            if owned is not None:
                owned.close()
            raise


def _send(
    session: requests.Session, redirects: Redirects, verify: bool | None, timeout: float
) -> requests.Response:
    """One GET of ``redirects.target``, as ``Session.request`` would send it (the
    session's headers, auth, cookies, proxies and environment), but through the
    transport adapter itself: ``Session.send`` reads the whole body of a redirect it is
    told not to follow, and parses its Location by rules of its own."""
    values = {name: value.encode() for name, value in checked_headers(redirects.headers)}
    try:
        prepared = session.prepare_request(requests.Request("GET", redirects.target.url, headers=values))
        if redirects.left_origin:
            # Off the first origin, none of the session's credentials go out; cookies
            # come from its jar alone, which keeps each to its domain.
            for name in CREDENTIALS:
                prepared.headers.pop(name, None)
            prepared.prepare_cookies(session.cookies)  # pyright: ignore[reportUnknownMemberType]
        url = prepared.url or redirects.target.url
        settings = session.merge_environment_settings(url, {}, True, verify, None)
        verifies: bool | str = True if settings["verify"] is None else settings["verify"]
        response = session.get_adapter(url).send(
            prepared,
            stream=True,
            timeout=(timeout, timeout),
            verify=verifies,
            cert=settings["cert"],
            proxies=settings["proxies"],
        )
    except requests.RequestException as exc:
        raise as_os_error(exc, timed_out=isinstance(exc, requests.Timeout)) from exc
    # What the response set, kept as Session.send keeps it (the stubs leave these untyped).
    session.cookies.update(response.cookies)  # pyright: ignore[reportUnknownMemberType]
    return response


@final
class RequestsResponse:
    """A streaming response of :class:`RequestsTransport`.

    ``close()`` may be called from any thread: it wakes a read blocked in another.
    """

    __slots__ = ("_closed", "_lock", "_owned", "_response", "headers", "status_code", "url")

    def __init__(self, response: requests.Response, owned: requests.Session | None) -> None:
        self._response = response
        self._owned = owned
        self._closed = False
        self._lock = threading.Lock()
        self.status_code: int = response.status_code
        self.headers: Headers = _headers(response)
        self.url: str = response.url

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status_code < 300

    def iter_bytes(self) -> Iterator[bytes]:
        """The body as it arrives (content-encoding undone), until it ends.

        Raises:
            OSError: the network failed, or no data came for ``timeout`` seconds.
        """
        raw = self._response.raw
        try:
            # read1: what has arrived, up to the size, whatever the framing (stream()
            # would wait for a whole HTTP chunk, however large the server declares it).
            while chunk := raw.read1(_READ_SIZE, decode_content=True):
                yield chunk
        except Exception as exc:
            if self._closed:
                # close() from another thread: the read it woke may fail in any way
                # (http.client drops its file under it).
                return
            if isinstance(exc, (URLLib3Error, OSError)):
                raise as_os_error(exc, timed_out=isinstance(exc, ReadTimeoutError)) from exc
            raise

    def iter_lines(self) -> Iterator[str]:
        """The body as lines, decoded and split as the standard says."""
        return iter_lines(self.iter_bytes())

    def close(self) -> None:
        """Close the response (and the session, if the transport made it)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        connection: object = getattr(self._response.raw, "_connection", None)
        shut_down(getattr(connection, "sock", None))
        try:
            with contextlib.suppress(URLLib3Error, OSError):
                self._response.close()
        finally:
            if self._owned is not None:
                self._owned.close()


def _headers(response: requests.Response) -> Headers:
    """The response headers as received (http.client decodes them as latin-1, as the
    built-in transport does), repeated ones kept apart."""
    return Headers(list(response.raw.headers.items()))


def _session_with(context: ssl.SSLContext) -> tuple[requests.Session, _ContextAdapter]:
    """A session whose https connections use ``context`` as it is."""
    session = requests.Session()
    adapter = _ContextAdapter(context)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session, adapter


class _ContextAdapter(requests.adapters.HTTPAdapter):
    """https connections with one SSL context, used as it is. Sent ``verify=True`` or
    ``False`` to match the context, requests would still load certifi's bundle into it
    (``cert_verify``); this adapter keeps it out."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        super().__init__()

    @property
    def verifies(self) -> bool:
        return self.context.verify_mode != ssl.CERT_NONE

    @override
    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: object
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, ssl_context=self.context, **pool_kwargs)

    @override
    def cert_verify(self, conn: object, url: object, verify: object, cert: object) -> None:
        if isinstance(conn, HTTPSConnectionPool):
            conn.cert_reqs = "CERT_REQUIRED" if self.verifies else "CERT_NONE"
            conn.ca_certs = None
            conn.ca_cert_dir = None
