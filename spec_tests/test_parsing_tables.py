"""Replay every row of the parsing tables through every parsing entry point of ``sse``.

Each row runs: against the bytes parser under every chunking of ``replay.CHUNKINGS`` and
under Hypothesis-chosen splits; against ``EventSource.from_bytes`` and its async twin;
against the line sources, fed the row's complete lines; and against the literal
reference transcription of the standard, which checks the table as much as the code.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spec_tests import replay
from spec_tests.reference import interpret
from spec_tests.tables import PARSING, ParsingRow, load_parsing_rows

ROWS = load_parsing_rows()
BY_NAME = {row.name: row for row in ROWS}
row_names = pytest.mark.parametrize("name", sorted(BY_NAME))


def check(row: ParsingRow, observed: replay.Observed, *, comments_seen: bool = True) -> None:
    expected = tuple((e.type, e.data, e.lastEventId) for e in row.events)
    assert observed.events == expected, f"{row.name} ({row.source}): {row.description}"
    if row.last_event_id is not None:
        assert observed.last_event_id == row.last_event_id
    if row.checks_reconnection_time:
        assert observed.reconnection_time == row.reconnection_time
    if row.comments is not None and comments_seen:
        assert observed.comments == row.comments


def test_every_table_has_rows() -> None:
    assert len(ROWS) >= 100
    assert {row.table for row in ROWS} == {path.name for path in PARSING.glob("*.json")}


@row_names
def test_reference_transcription(name: str) -> None:
    row = BY_NAME[name]
    outcome = interpret(row.body)
    observed = replay.Observed(
        tuple((e.type, e.data, e.last_event_id) for e in outcome.events),
        outcome.comments,
        outcome.last_event_id,
        outcome.reconnection_time,
        tuple(kind for kind, _ in outcome.order),
    )
    check(row, observed)


@row_names
@pytest.mark.parametrize("chunking", sorted(replay.CHUNKINGS))
def test_parser(name: str, chunking: str) -> None:
    row = BY_NAME[name]
    check(row, replay.parse_chunks(replay.CHUNKINGS[chunking](row.body)))


@row_names
def test_parser_without_comments(name: str) -> None:
    row = BY_NAME[name]
    observed = replay.parse_chunks(replay.bytewise(row.body), comments=False)
    assert observed.comments == ()
    check(row, observed, comments_seen=False)


@row_names
def test_parser_hypothesis_splits(name: str) -> None:
    row = BY_NAME[name]

    @settings(max_examples=15, deadline=None, database=None)
    @given(cuts=st.lists(st.integers(0, len(row.body)), max_size=12))
    def replay_split(cuts: list[int]) -> None:
        check(row, replay.parse_chunks(replay.at(row.body, cuts)))

    replay_split()


SOURCES: dict[str, Callable[[ParsingRow], replay.Observed]] = {
    "EventSource": lambda row: replay.source_lines(replay.body_lines(row.body)),
    "AsyncEventSource": lambda row: replay.async_source_lines(replay.body_lines(row.body)),
    "EventSource.from_bytes": lambda row: replay.source_bytes(replay.bytewise(row.body)),
    "AsyncEventSource.from_bytes": lambda row: replay.async_source_bytes(replay.with_empty_chunks(row.body)),
}


@row_names
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_sources(name: str, source: str) -> None:
    row = BY_NAME[name]
    check(row, SOURCES[source](row))
