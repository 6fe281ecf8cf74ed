"""Server-Sent Events for Python, as the WHATWG HTML standard defines them.

- :class:`SSEParser`: the sans-IO parser; bytes or lines in, :class:`SSEEvent` out.
- :class:`EventSource` / :class:`AsyncEventSource`: iterate the events of any line
  source, or of a raw body with ``from_bytes``.
"""

from sse._errors import EventTooLargeError, SSEError
from sse._events import SSEComment, SSEEvent
from sse._json import JSONValue
from sse._parser import DEFAULT_MAX_EVENT_SIZE, ParserState, SSEParser
from sse._sources import AsyncEventSource, EventSource

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "AsyncEventSource",
    "EventSource",
    "EventTooLargeError",
    "JSONValue",
    "ParserState",
    "SSEComment",
    "SSEError",
    "SSEEvent",
    "SSEParser",
]
