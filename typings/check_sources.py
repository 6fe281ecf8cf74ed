"""Typing cases for the sync and async sources. Type-checked, never run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from typing_extensions import assert_type

from sse import AsyncEventSource, EventSource, SSEComment, SSEEvent


def sync_sources(lines: list[str], chunks: Iterator[bytes]) -> None:
    for event in EventSource(lines):
        assert_type(event, SSEEvent)
    for item in EventSource(lines, comments=True):
        assert_type(item, SSEEvent | SSEComment)
    assert_type(EventSource.from_bytes(chunks), EventSource[SSEEvent])
    assert_type(EventSource.from_bytes(chunks, comments=True), EventSource[SSEEvent | SSEComment])
    assert_type(iter(EventSource(lines)), Iterator[SSEEvent])
    assert_type(EventSource(lines).last_event_id, str)
    assert_type(EventSource(lines).reconnection_time, int | None)


async def async_sources(lines: AsyncIterator[str], chunks: AsyncIterator[bytes]) -> None:
    async for event in AsyncEventSource(lines):
        assert_type(event, SSEEvent)
    async for item in AsyncEventSource.from_bytes(chunks, comments=True):
        assert_type(item, SSEEvent | SSEComment)
    assert_type(AsyncEventSource.from_bytes(chunks), AsyncEventSource[SSEEvent])


def bare(source: EventSource, async_source: AsyncEventSource) -> None:
    assert_type(next(iter(source)), SSEEvent)
    assert_type(async_source.__aiter__(), AsyncIterator[SSEEvent])


# -- must be rejected --------------------------------------------------------------
def rejected(async_lines: AsyncIterator[str], chunks: list[bytes], lines: list[str]) -> None:
    EventSource(async_lines)  # type: ignore[call-overload]
    AsyncEventSource(lines)  # type: ignore[call-overload]
    EventSource(chunks)  # type: ignore[arg-type]
    EventSource.from_bytes(lines)  # type: ignore[arg-type]
    AsyncEventSource.from_bytes(chunks)  # type: ignore[call-overload]
    only_events: EventSource[SSEEvent] = EventSource(lines, comments=True)  # type: ignore[assignment]
