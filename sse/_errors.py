"""The exceptions of :mod:`sse`, rooted at :class:`SSEError`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from typing_extensions import final

if TYPE_CHECKING:
    from sse._events import SSEComment, SSEEvent


class SSEError(Exception):
    """Base exception for SSE errors."""


@final
class EventTooLargeError(SSEError):
    """The stream sent a line or an event larger than the parser's ``max_event_size``.

    Raised instead of buffering without bound, so that a hostile or broken server
    cannot exhaust memory. The parser is left ended; call ``reset()`` to reuse it.

    Attributes:
        limit: The ``max_event_size`` that was exceeded, in characters.
        completed: What the same call completed before the excess, in order, so that
            nothing before it is lost whatever the chunking. The sources deliver these
            before they raise.
    """

    def __init__(self, limit: int, completed: Sequence[SSEEvent | SSEComment] = ()) -> None:
        self.limit: int = limit
        self.completed: tuple[SSEEvent | SSEComment, ...] = tuple(completed)
        super().__init__(
            f"SSE event exceeds max_event_size={limit} characters "
            "(a line or the data of one event is too large)"
        )


class SSEConnectionError(SSEError):
    """Raised when max retries exhausted, or when reconnecting would be futile.

    Attributes:
        url: The URL of the stream.
        retries: How many consecutive attempts failed.
        last_error: The error of the last attempt, if it raised one.
    """

    def __init__(self, url: str, retries: int, last_error: Exception | None = None) -> None:
        self.url: str = url
        self.retries: int = retries
        self.last_error: Exception | None = last_error
        super().__init__(
            f"SSE connection to {url} failed after {retries} retries"
            + (f": {last_error}" if last_error else "")
        )


class SSEHTTPError(SSEError):
    """Raised on a response that the standard says fails the connection: any status but
    200 (and 204, which ends the stream quietly), without reconnecting.

    Attributes:
        status_code: The HTTP status.
        url: The URL of the request.
        headers: The response headers, when the transport exposes them.
        body: The start of the response body (at most 4 KiB, read for at most the
            client's ``timeout``), when the transport exposes it.
    """

    def __init__(
        self, status_code: int, url: str, *, headers: Mapping[str, str] | None = None, body: bytes = b""
    ) -> None:
        self.status_code: int = status_code
        self.url: str = url
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.body: bytes = body
        super().__init__(f"SSE request to {url} returned HTTP {status_code}")


@final
class SSEContentTypeError(SSEError):
    """Raised when a 200 response is not ``text/event-stream``; the stream fails
    without reconnecting, as the standard says.

    Attributes:
        content_type: The Content-Type the server sent (``""`` when none).
        url: The URL of the request.
    """

    def __init__(self, content_type: str, url: str) -> None:
        self.content_type: str = content_type
        self.url: str = url
        shown = repr(content_type) if content_type else "no Content-Type"
        super().__init__(f"SSE response from {url} has {shown}, not text/event-stream")


@final
class SSERedirectError(SSEError):
    """Raised by the built-in transport for a redirect it cannot follow: no
    ``Location``, a loop, too many redirects, or a scheme other than http(s).

    Attributes:
        url: The URL whose response redirected.
    """

    def __init__(self, message: str, url: str) -> None:
        self.url: str = url
        super().__init__(f"{message} (redirected from {url})")
