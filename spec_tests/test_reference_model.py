"""The fast parser against the literal transcription of the standard, on generated streams.

The streams are built from fragments that hit every rule: each field name (and near
misses), comments, every line end and the characters that are not line ends, BOMs in
and out of place, NUL, valid and invalid UTF-8 (including sequences cut in half), and
digits for ``retry``. Then they are cut at arbitrary offsets.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spec_tests import replay
from spec_tests.reference import Outcome, interpret
from sse import SSEEvent, SSEParser

FRAGMENTS = [
    *(b"data", b"data:", b"data: ", b"Data:", b"data :", b"event:", b"event: ", b"id:", b"id: "),
    *(b"retry:", b"retry: ", b"foo:", b":", b": ping", b":x", b" ", b"  ", b"\t"),
    *(b"\n", b"\r", b"\r\n", b"\n\n", b"\r\n\r\n", b"\r\r"),
    *(b"\xef\xbb\xbf", b"\xef\xbb", b"\xbf", b"\x00", b"\xff", b"\xc3", b"\xa9", b"\xc3\xa9"),
    *(b"\xe2\x82", b"\xac", b"\xf0\x9f\x98", b"\x80", b"\xed\xa0\x80", b"\xc0\xaf"),
    *("😀".encode(), "\u2028".encode(), "\u2029".encode(), "\u0085".encode(), b"\x0b", b"\x0c"),
    *(b"x", b"hello", b"0", b"1", b"42", b"1000", "\u0661".encode(), "\u00b2".encode(), b"-1", b"1.5"),
]

NAMES = [b"data", b"event", b"id", b"retry", b"", b"Data", b"data ", b"foo", b"\xef\xbb\xbfdata"]
SEPARATORS = [b"", b":", b": ", b":  ", b":\t", b"::"]
LINE_ENDS = [b"\n", b"\r", b"\r\n"]
raw = st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=3))
SPECIAL_VALUES = [
    *(b"0", b"7", b"1000", "\u0661\u0662".encode(), "\u00b2".encode(), b"-1", b"1e3", b"+1", b"5 "),
    *(b"a\x00b", b"\x00", b"", b" x", b"\tx", b"x\xffy"),
]
values = st.one_of(st.sampled_from(SPECIAL_VALUES), st.lists(raw, max_size=4).map(b"".join))
field_lines = st.tuples(st.sampled_from(NAMES), st.sampled_from(SEPARATORS), values).map(b"".join)
lines = st.one_of(field_lines, field_lines, st.just(b""), st.lists(raw, max_size=3).map(b"".join))
bodies = st.tuples(
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf"]),
    st.lists(st.tuples(lines, st.sampled_from(LINE_ENDS)).map(b"".join), max_size=25).map(b"".join),
    st.one_of(st.just(b""), values),  # an unterminated tail
).map(b"".join)


def as_observed(outcome: Outcome) -> replay.Observed:
    return replay.Observed(
        tuple((e.type, e.data, e.last_event_id) for e in outcome.events),
        outcome.comments,
        outcome.last_event_id,
        outcome.reconnection_time,
        tuple(kind for kind, _ in outcome.order),
    )


@settings(max_examples=1500, deadline=None)
@given(body=bodies, cuts=st.lists(st.integers(0, 400), max_size=20))
def test_parser_matches_reference(body: bytes, cuts: list[int]) -> None:
    expected = as_observed(interpret(body))
    chunks = replay.at(body, [cut % (len(body) + 1) for cut in cuts])
    assert replay.parse_chunks(chunks) == expected


@settings(max_examples=300, deadline=None)
@given(body=bodies)
def test_sources_match_reference(body: bytes) -> None:
    expected = as_observed(interpret(body))
    assert replay.source_lines(replay.body_lines(body)) == expected
    assert replay.source_bytes(replay.bytewise(body)) == expected
    assert replay.async_source_lines(replay.body_lines(body)) == expected
    assert replay.async_source_bytes(replay.with_empty_chunks(body)) == expected


@settings(max_examples=500, deadline=None)
@given(first=bodies, second=bodies, cut=st.integers(0, 400))
def test_reset_starts_a_new_stream_keeping_the_last_event_id(first: bytes, second: bytes, cut: int) -> None:
    """A second connection: fresh buffers and decoder, the last event ID carried over."""
    parser = SSEParser(comments=True)
    parser.feed(first[: cut % (len(first) + 1)])
    parser.reset()  # a connection dropped mid-stream, without end()
    head = first[: cut % (len(first) + 1)]
    carried = interpret(head).last_event_id
    assert parser.last_event_id == carried
    items = parser.feed(second)
    parser.end()
    expected = interpret(second, initial_last_event_id=carried)
    observed = [(i.event, i.data, i.id) for i in items if isinstance(i, SSEEvent)]
    assert observed == [(e.type, e.data, e.last_event_id) for e in expected.events]
    assert parser.last_event_id == expected.last_event_id
