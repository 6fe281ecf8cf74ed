"""Iterate events from a line source or a byte source, sync or async.

Both classes only drive :class:`~sse._parser.SSEParser`; they do no parsing of their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Generic, Literal, cast, overload

from typing_extensions import final

from sse._errors import EventTooLargeError
from sse._events import SSEComment, SSEEvent
from sse._parser import DEFAULT_MAX_EVENT_SIZE, SSEParser, T


@final
class EventSource(Generic[T]):
    """Sync SSE parser wrapping any line iterable.

    ``EventSource(lines)`` takes lines already split (one trailing line end is
    removed from each, so a file object works too); :meth:`from_bytes` takes the raw
    body, in chunks of any size, and does the decoding and line splitting the standard
    asks for. Each iteration parses the source from its start with a fresh parser.

    Args:
        lines: The lines of the stream.
        comments: Also yield comment lines (heartbeats) as :class:`SSEComment`.
        max_event_size: Bound on one line and on the data of one event, in characters;
            see :class:`SSEParser`.

    Example::

        lines = ["event: greeting", "data: hello", "", "data: world", ""]
        for event in EventSource(lines):
            print(event.event, event.data)
    """

    __slots__ = ("_chunks", "_comments", "_lines", "_max_event_size", "_parser")

    @overload
    def __init__(
        self: EventSource[SSEEvent],
        lines: Iterable[str],
        *,
        comments: Literal[False] = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None: ...
    @overload
    def __init__(
        self: EventSource[SSEEvent | SSEComment],
        lines: Iterable[str],
        *,
        comments: Literal[True],
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None: ...
    @overload
    def __init__(
        self: EventSource[SSEEvent | SSEComment],
        lines: Iterable[str],
        *,
        comments: bool,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None: ...
    def __init__(
        self, lines: Iterable[str], *, comments: bool = False, max_event_size: int = DEFAULT_MAX_EVENT_SIZE
    ) -> None:
        self._lines: Iterable[str] | None = lines
        self._chunks: Iterable[bytes] | None = None
        self._comments = comments
        self._max_event_size = max_event_size
        self._parser: SSEParser[T] = _new_parser(comments, max_event_size)

    @overload
    @classmethod
    def from_bytes(
        cls,
        chunks: Iterable[bytes],
        *,
        comments: Literal[False] = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> EventSource[SSEEvent]: ...
    @overload
    @classmethod
    def from_bytes(
        cls,
        chunks: Iterable[bytes],
        *,
        comments: Literal[True],
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> EventSource[SSEEvent | SSEComment]: ...
    @overload
    @classmethod
    def from_bytes(
        cls,
        chunks: Iterable[bytes],
        *,
        comments: bool,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> EventSource[SSEEvent | SSEComment]: ...
    @classmethod
    def from_bytes(
        cls, chunks: Iterable[bytes], *, comments: bool = False, max_event_size: int = DEFAULT_MAX_EVENT_SIZE
    ) -> EventSource[SSEEvent] | EventSource[SSEEvent | SSEComment]:
        """Parse a raw ``text/event-stream`` body given as ``bytes`` chunks of any size.

        The bytes are decoded as UTF-8 (invalid sequences become U+FFFD, one leading
        BOM is dropped) and split at CRLF, LF and CR, wherever the chunks break.

        Example::

            with open(path, "rb") as body:
                for event in EventSource.from_bytes(iter(lambda: body.read(65536), b"")):
                    print(event.data)
        """
        source = EventSource((), comments=comments, max_event_size=max_event_size)
        source._lines = None
        source._chunks = chunks
        return source

    @property
    def last_event_id(self) -> str:
        """The last event ID string of the latest iteration, so far."""
        return self._parser.last_event_id

    @property
    def reconnection_time(self) -> int | None:
        """The reconnection time (ms) the stream set with ``retry``, or ``None``."""
        return self._parser.reconnection_time

    def __iter__(self) -> Iterator[T]:
        parser: SSEParser[T] = _new_parser(self._comments, self._max_event_size)
        self._parser = parser
        if self._chunks is not None:
            feed = parser.feed
            for chunk in self._chunks:
                try:
                    completed = feed(chunk)
                except EventTooLargeError as exc:
                    yield from cast("tuple[T, ...]", exc.completed)
                    raise
                if completed:
                    yield from completed
        else:
            assert self._lines is not None
            feed_line = parser.feed_line
            for line in self._lines:
                item = feed_line(line)
                if item is not None:
                    yield item
        parser.end()


@final
class AsyncEventSource(Generic[T]):
    """Async SSE parser wrapping any async line iterable.

    The async twin of :class:`EventSource`: ``AsyncEventSource(lines)`` takes an async
    iterable of lines already split, :meth:`from_bytes` an async iterable of raw body
    chunks.

    Example::

        async for event in AsyncEventSource(async_line_source):
            print(event.data)
    """

    __slots__ = ("_chunks", "_comments", "_lines", "_max_event_size", "_parser")

    @overload
    def __init__(
        self: AsyncEventSource[SSEEvent],
        lines: AsyncIterable[str],
        *,
        comments: Literal[False] = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None: ...
    @overload
    def __init__(
        self: AsyncEventSource[SSEEvent | SSEComment],
        lines: AsyncIterable[str],
        *,
        comments: Literal[True],
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None: ...
    @overload
    def __init__(
        self: AsyncEventSource[SSEEvent | SSEComment],
        lines: AsyncIterable[str],
        *,
        comments: bool,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None: ...
    def __init__(
        self,
        lines: AsyncIterable[str],
        *,
        comments: bool = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None:
        self._lines: AsyncIterable[str] | None = lines
        self._chunks: AsyncIterable[bytes] | None = None
        self._comments = comments
        self._max_event_size = max_event_size
        self._parser: SSEParser[T] = _new_parser(comments, max_event_size)

    @overload
    @classmethod
    def from_bytes(
        cls,
        chunks: AsyncIterable[bytes],
        *,
        comments: Literal[False] = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> AsyncEventSource[SSEEvent]: ...
    @overload
    @classmethod
    def from_bytes(
        cls,
        chunks: AsyncIterable[bytes],
        *,
        comments: Literal[True],
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> AsyncEventSource[SSEEvent | SSEComment]: ...
    @overload
    @classmethod
    def from_bytes(
        cls,
        chunks: AsyncIterable[bytes],
        *,
        comments: bool,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> AsyncEventSource[SSEEvent | SSEComment]: ...
    @classmethod
    def from_bytes(
        cls,
        chunks: AsyncIterable[bytes],
        *,
        comments: bool = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> AsyncEventSource[SSEEvent] | AsyncEventSource[SSEEvent | SSEComment]:
        """Parse a raw ``text/event-stream`` body given as an async iterable of ``bytes``.

        Decoding and line splitting are those of :meth:`EventSource.from_bytes`.

        Example::

            async for event in AsyncEventSource.from_bytes(response.aiter_bytes()):
                print(event.data)
        """
        source = AsyncEventSource(_NO_LINES, comments=comments, max_event_size=max_event_size)
        source._lines = None
        source._chunks = chunks
        return source

    @property
    def last_event_id(self) -> str:
        """The last event ID string of the latest iteration, so far."""
        return self._parser.last_event_id

    @property
    def reconnection_time(self) -> int | None:
        """The reconnection time (ms) the stream set with ``retry``, or ``None``."""
        return self._parser.reconnection_time

    async def __aiter__(self) -> AsyncIterator[T]:
        parser: SSEParser[T] = _new_parser(self._comments, self._max_event_size)
        self._parser = parser
        if self._chunks is not None:
            feed = parser.feed
            async for chunk in self._chunks:
                try:
                    completed = feed(chunk)
                except EventTooLargeError as exc:
                    for before in cast("tuple[T, ...]", exc.completed):
                        yield before
                    raise
                for item in completed:
                    yield item
        else:
            assert self._lines is not None
            feed_line = parser.feed_line
            async for line in self._lines:
                completed_by_line = feed_line(line)
                if completed_by_line is not None:
                    yield completed_by_line
        parser.end()


class _NoLines:
    """An empty async iterable, the placeholder line source of from_bytes()."""

    def __aiter__(self) -> AsyncIterator[str]:
        return self

    async def __anext__(self) -> str:
        raise StopAsyncIteration


_NO_LINES = _NoLines()


def _new_parser(comments: bool, max_event_size: int) -> SSEParser[T]:
    return cast("SSEParser[T]", SSEParser(comments=comments, max_event_size=max_event_size))
