"""What the HTTP-client adapters share: headers out and in, and errors turned into the
``OSError`` the clients reconnect on."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable, Mapping

from sse._http import Headers, checked_headers


def utf8_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    """Checked request headers with their values in UTF-8: the HTTP clients refuse or
    mangle non-ASCII text, and Last-Event-ID is whatever string the server sent."""
    return [(name.encode("ascii"), value.encode("utf-8")) for name, value in checked_headers(headers)]


def latin1_headers(raw: Iterable[tuple[bytes, bytes]]) -> Headers:
    """Response headers as the built-in transport gives them: values decoded as latin-1,
    whatever the HTTP client guessed, so that a Location's UTF-8 is read the same way."""
    return Headers([(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw])


def as_os_error(error: BaseException, timed_out: bool = False) -> OSError:
    """``error`` as an ``OSError``: a copy of the first one found among its causes, so
    that an untrusted certificate stays an ``ssl.SSLCertVerificationError`` (which the
    clients do not retry); else a ``TimeoutError`` or ``ConnectionError`` with its text.
    """
    cause = _os_error_under(error)
    if cause is not None:
        # A copy (args and attributes, no traceback or chain): raising the original
        # from ``error`` would make its chain a loop.
        with contextlib.suppress(Exception):
            return copy.copy(cause)
        return ConnectionError(str(cause))
    text = str(error) or type(error).__name__
    return TimeoutError(text) if timed_out else ConnectionError(text)


def _os_error_under(error: BaseException) -> OSError | None:
    """The nearest ``OSError`` in ``error``'s chain: its cause and context, and the
    places the HTTP clients keep the original (urllib3's ``reason``, aiohttp's
    ``certificate_error``, exception arguments), searched breadth first."""
    queue: list[BaseException] = [error]
    seen: set[int] = set()
    while queue:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        # The HTTP clients' own OSError subclasses say less than what they wrap.
        if isinstance(current, OSError) and type(current).__module__ in ("builtins", "ssl", "socket"):
            return current
        linked: list[object] = [
            current.__cause__,
            current.__context__,
            getattr(current, "reason", None),
            getattr(current, "certificate_error", None),
            *current.args,
        ]
        queue.extend(item for item in linked if isinstance(item, BaseException))
    return None
