"""The sans-IO HTTP/1.1 core of the built-in transport: requests out, responses in.

Requests are built here, with their headers checked before anything is sent;
responses are parsed by ``httptools`` (llhttp, the parser of Node.js and uvicorn),
which handles chunked, content-length and close-delimited bodies; redirects are
decided here. The sync and async transports only move these bytes.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator, Mapping
from urllib.parse import quote, urljoin, urlsplit

import attrs
import httptools
from typing_extensions import final, override

from sse._errors import SSERedirectError
from sse._transport import VerifyTypes

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_HEAD_SIZE = 256 * 1024
"""Bytes a response may send before its head is complete (status line and headers)."""
DEFAULT_MAX_REDIRECTS = 20
READ_SIZE = 65536

# RFC 9110 token characters, for header names.
_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
CREDENTIALS = ("authorization", "cookie", "proxy-authorization")
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


@final
@attrs.frozen()
class Target:
    """Where a request goes: the parts of an http(s) URL."""

    url: str
    scheme: str
    host: str
    port: int
    path: str

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host.lower(), self.port)

    @property
    def request_url(self) -> str:
        """The URL as a request sends it: percent-encoded, without userinfo or fragment."""
        return f"{self.scheme}://{self.host_header}{self.path}"

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def parse_target(url: str) -> Target:
    """Split an http or https URL; ``ValueError`` for anything else."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"only http and https URLs can be streamed, not {url!r}")
    if not parts.hostname:
        raise ValueError(f"no host in URL {url!r}")
    port = parts.port or (443 if scheme == "https" else 80)
    # The request target must be ASCII without spaces: percent-encode the rest, and
    # keep what is already encoded (as browsers do with a Location they follow).
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_QUERY_SAFE)
    return Target(url, scheme, parts.hostname, port, path)


def checked_headers(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """The request headers, each name once (the first of any case wins), checked.

    Raises:
        ValueError: a name that is not an HTTP token, or a value with CR, LF or NUL,
            which could split the request.
    """
    checked: list[tuple[str, str]] = []
    names: set[str] = set()
    for name, value in headers.items():
        if not name or not _TOKEN.issuperset(name):
            raise ValueError(f"invalid header name {name!r}")
        if "\r" in value or "\n" in value or "\x00" in value:
            raise ValueError(f"header {name!r} has a CR, LF or NUL in its value")
        if name.lower() not in names:
            names.add(name.lower())
            checked.append((name, value))
    return checked


def build_request(target: Target, headers: Mapping[str, str]) -> bytes:
    """The bytes of a GET; ``ValueError`` for a header that could split the request."""
    lines = [f"GET {target.path} HTTP/1.1", f"Host: {target.host_header}"]
    names = {"host"}
    for name, value in checked_headers(headers):
        if name.lower() not in names:
            names.add(name.lower())
            lines.append(f"{name}: {value}")
    if "accept-encoding" not in names:
        lines.append("Accept-Encoding: identity")  # the stream is parsed as it comes
    # Header values go out as UTF-8: Last-Event-ID is any string a server sent.
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


@final
class Redirects:
    """Redirect following for one request, sans IO: where to go next, and with which
    headers. Every transport drives it, so that all follow the same rules: http(s)
    only, no loop, at most ``max_redirects``, credentials dropped off their origin."""

    __slots__ = ("_left", "_seen", "headers", "left_origin", "max_redirects", "target")

    def __init__(self, url: str, headers: dict[str, str], max_redirects: int) -> None:
        self.target: Target = parse_target(url)  # ValueError: not http(s)
        self.headers: dict[str, str] = headers
        # Whether a redirect has led off the first origin.
        self.left_origin = False
        self.max_redirects = max_redirects
        self._left = max_redirects
        self._seen = {url}

    def follow(self, status: int, response_headers: Mapping[str, str]) -> None:
        """The response to :attr:`target` is a redirect (a status in ``REDIRECT_STATUSES``):
        move :attr:`target` and :attr:`headers` to the request it asks for.

        Raises:
            SSERedirectError: no usable Location, a loop, or too many redirects.
        """
        if self._left == 0:
            raise SSERedirectError(f"more than {self.max_redirects} redirects", self.target.url)
        self._left -= 1
        following = next_target(self.target, status, response_headers, self._seen)
        self._seen.add(following.url)
        if following.origin != self.target.origin:
            # Credentials are for the origin they were given to: from here on none goes
            # out, ours or (the adapters read left_origin) the HTTP client's.
            self.left_origin = True
            self.headers = {k: v for k, v in self.headers.items() if k.lower() not in CREDENTIALS}
        self.target = following


def next_target(target: Target, status: int, headers: Mapping[str, str], seen: set[str]) -> Target:
    """Where a redirect leads.

    Raises:
        SSERedirectError: no Location, a loop, or a scheme other than http(s).
    """
    location = headers.get("location", "")
    if not location:
        raise SSERedirectError(f"HTTP {status} redirect without a Location header", target.url)
    # Header values arrive as latin-1; a Location's bytes are UTF-8, as browsers read them.
    location = location.encode("latin-1").decode("utf-8", "replace")
    try:
        following = parse_target(urljoin(target.url, location.strip()))
    except ValueError as exc:  # the server's Location is not a URL we can follow
        raise SSERedirectError(f"unusable Location {location!r}: {exc}", target.url) from None
    if following.url in seen:
        raise SSERedirectError(f"redirect loop at {following.url}", target.url)
    return following


def tls_context(verify: VerifyTypes) -> ssl.SSLContext:
    """The SSL context for ``verify``: the system's trust store, none, a CA bundle, or as given.

    Raises:
        ValueError: the CA bundle cannot be read or holds no certificate. That is a
            mistake in the arguments, not a network failure: no retry would mend it.
    """
    if not isinstance(verify, (bool, str)):
        return verify  # an SSLContext
    if verify is True:
        return ssl.create_default_context()
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    try:
        return ssl.create_default_context(cafile=verify)
    except OSError as exc:  # ssl.SSLError included: a file that is not PEM
        raise ValueError(f"cannot load the CA bundle {verify!r}: {exc}") from exc


@final
class TLSContexts:
    """The SSL contexts a transport has made, one per ``verify`` value: building one
    loads the trust store, which costs milliseconds."""

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[bool | str, ssl.SSLContext] = {}

    def get(self, verify: VerifyTypes) -> ssl.SSLContext:
        if not isinstance(verify, (bool, str)):
            return verify  # an SSLContext, used as it is
        context = self._made.get(verify)
        if context is None:
            context = self._made[verify] = tls_context(verify)
        return context


@final
class Headers(Mapping[str, str]):
    """Response headers: looked up without regard to case; repeated ones joined by ``", "``."""

    __slots__ = ("_items",)

    def __init__(self, items: list[tuple[str, str]]) -> None:
        merged: dict[str, tuple[str, str]] = {}
        for name, value in items:
            key = name.lower()
            if key in merged:
                merged[key] = (merged[key][0], f"{merged[key][1]}, {value}")
            else:
                merged[key] = (name, value)
        self._items = merged

    @override
    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    @override
    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    @override
    def __len__(self) -> int:
        return len(self._items)

    @override
    def __repr__(self) -> str:
        return f"Headers({[item for item in self._items.values()]!r})"


@final
class ResponseReader:
    """Feeds response bytes to llhttp; collects the head, the body chunks, the end."""

    __slots__ = (
        "_body",
        "_deferred",
        "_head_size",
        "_header_items",
        "_interim",
        "_parser",
        "complete",
        "headers",
        "status",
    )

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._header_items: list[tuple[str, str]] = []
        self._body: list[bytes] = []
        self._deferred: ConnectionError | None = None
        self._head_size = 0
        self._interim = False
        self.status: int = 0
        self.headers: Headers | None = None
        self.complete: bool = False

    def feed(self, data: bytes) -> list[bytes]:
        """Parse ``data``; return the body bytes it carried.

        Body bytes that came before a malformed part are returned first, so that no
        event they complete is lost; the error is then in :attr:`error`, for the caller
        to raise at once rather than after another read, and the next call raises it.

        Raises:
            ConnectionError: the bytes are not an HTTP/1.x response.
        """
        if self._deferred is not None:
            raise self._deferred
        if self.headers is None:  # bounded: at most MAX_HEAD_SIZE and one read of head
            if self._head_size > MAX_HEAD_SIZE:
                raise ConnectionError(f"the response head exceeds {MAX_HEAD_SIZE} bytes")
            self._head_size += len(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            if not self.complete:  # bytes after a complete response are not ours to judge
                self._deferred = ConnectionError(f"malformed HTTP response: {exc}")
                if not self._body:
                    raise self._deferred from None
        body = self._body
        if body:
            self._body = []
        return body

    @property
    def error(self) -> ConnectionError | None:
        """The malformed part found after body bytes that :meth:`feed` returned, if any."""
        return self._deferred

    # llhttp's callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_items.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # an interim response (103 Early Hints, ...): the real one follows
            self._interim = True
            self._header_items = []
            return
        self.status = status
        self.headers = Headers(self._header_items)

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        self.complete = True
