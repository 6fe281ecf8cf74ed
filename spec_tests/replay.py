"""Replay a body through each of ``sse``'s parsing entry points, under many chunkings.

Every entry point reduces to an :class:`Observed`, so that the table runner and the
property tests compare like with like.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import TypeVar, final

import attrs

from spec_tests.reference import split_lines
from sse import AsyncEventSource, EventSource, SSEComment, SSEEvent, SSEParser


@final
@attrs.frozen
class Observed:
    events: tuple[tuple[str, str, str], ...]  # (type, data, lastEventId)
    comments: tuple[str, ...]
    last_event_id: str
    reconnection_time: int | None
    order: tuple[str, ...]  # "event" / "comment", in delivery order


def _observe(items: Iterable[SSEEvent | SSEComment], last_event_id: str, retry: int | None) -> Observed:
    events: list[tuple[str, str, str]] = []
    comments: list[str] = []
    order: list[str] = []
    for item in items:
        if isinstance(item, SSEEvent):
            events.append((item.event, item.data, item.id))
            order.append("event")
        else:
            comments.append(item.text)
            order.append("comment")
    return Observed(tuple(events), tuple(comments), last_event_id, retry, tuple(order))


_X = TypeVar("_X")


# -- chunkings -------------------------------------------------------------------------


def whole(body: bytes) -> list[bytes]:
    return [body]


def bytewise(body: bytes) -> list[bytes]:
    return [body[i : i + 1] for i in range(len(body))]


def after_every_cr(body: bytes) -> list[bytes]:
    pieces = body.split(b"\r")
    return [piece + b"\r" for piece in pieces[:-1]] + [pieces[-1]]


def with_empty_chunks(body: bytes) -> list[bytes]:
    chunks: list[bytes] = [b""]
    for i in range(0, len(body), 3):
        chunks += [body[i : i + 3], b""]
    return chunks


def at(body: bytes, cuts: Sequence[int]) -> list[bytes]:
    """Split ``body`` at the given offsets (any order, repeats give empty chunks)."""
    points = [0, *sorted(cuts), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(points)]


CHUNKINGS: dict[str, Callable[[bytes], list[bytes]]] = {
    "whole": whole,
    "bytewise": bytewise,
    "after-every-cr": after_every_cr,
    "empty-chunks": with_empty_chunks,
}


# -- entry points ----------------------------------------------------------------------


def parse_chunks(chunks: Iterable[bytes], *, comments: bool = True) -> Observed:
    """SSEParser.feed over the chunks, then end()."""
    parser = SSEParser(comments=comments)
    items: list[SSEEvent | SSEComment] = []
    for chunk in chunks:
        items += parser.feed(chunk)
    parser.end()
    return _observe(items, parser.last_event_id, parser.reconnection_time)


def body_lines(body: bytes) -> list[str]:
    """What a line-splitting transport hands over: the complete lines, decoded with
    replacement, the BOM left in place for the line source to remove."""
    return split_lines(body.decode("utf-8", errors="replace"))


def source_lines(lines: Iterable[str]) -> Observed:
    source = EventSource(lines, comments=True)
    return _observe(list(source), source.last_event_id, source.reconnection_time)


def source_bytes(chunks: Iterable[bytes]) -> Observed:
    source = EventSource.from_bytes(chunks, comments=True)
    return _observe(list(source), source.last_event_id, source.reconnection_time)


async def _aiter(items: Iterable[_X]) -> AsyncIterator[_X]:
    for item in items:
        await asyncio.sleep(0)
        yield item


def async_source_lines(lines: Iterable[str]) -> Observed:
    async def run() -> Observed:
        source = AsyncEventSource(_aiter(lines), comments=True)
        items = [item async for item in source]
        return _observe(items, source.last_event_id, source.reconnection_time)

    return asyncio.run(run())


def async_source_bytes(chunks: Iterable[bytes]) -> Observed:
    async def run() -> Observed:
        source = AsyncEventSource.from_bytes(_aiter(chunks), comments=True)
        items = [item async for item in source]
        return _observe(items, source.last_event_id, source.reconnection_time)

    return asyncio.run(run())
