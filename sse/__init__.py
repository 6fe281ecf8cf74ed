"""Server-Sent Events for Python, as the WHATWG HTML standard defines them.

- :class:`SSEParser`: the sans-IO parser; bytes or lines in, :class:`SSEEvent` out.
- :class:`EventSource` / :class:`AsyncEventSource`: iterate the events of any line
  source, or of a raw body with ``from_bytes``.
- :class:`SSEClient` / :class:`AsyncSSEClient`, :func:`connect` / :func:`async_connect`:
  reconnecting clients over any transport (the built-in one: :mod:`sse.transports`).
"""

from sse._client import AsyncClientOptions, AsyncSSEClient, ClientOptions, SSEClient, async_connect, connect
from sse._core import DEFAULT_RETRY_INTERVAL, DEFAULT_TIMEOUT
from sse._errors import (
    EventTooLargeError,
    SSEConnectionError,
    SSEContentTypeError,
    SSEError,
    SSEHTTPError,
    SSERedirectError,
)
from sse._events import SSEComment, SSEEvent
from sse._json import JSONValue
from sse._parser import DEFAULT_MAX_EVENT_SIZE, ParserState, SSEParser
from sse._sources import AsyncEventSource, EventSource
from sse._transport import (
    AsyncRawResponse,
    AsyncResponse,
    AsyncTransport,
    SyncRawResponse,
    SyncResponse,
    SyncTransport,
    VerifyTypes,
)

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "DEFAULT_RETRY_INTERVAL",
    "DEFAULT_TIMEOUT",
    "AsyncClientOptions",
    "AsyncEventSource",
    "AsyncRawResponse",
    "AsyncResponse",
    "AsyncSSEClient",
    "AsyncTransport",
    "ClientOptions",
    "EventSource",
    "EventTooLargeError",
    "JSONValue",
    "ParserState",
    "SSEClient",
    "SSEComment",
    "SSEConnectionError",
    "SSEContentTypeError",
    "SSEError",
    "SSEEvent",
    "SSEHTTPError",
    "SSEParser",
    "SSERedirectError",
    "SyncRawResponse",
    "SyncResponse",
    "SyncTransport",
    "VerifyTypes",
    "async_connect",
    "connect",
]
