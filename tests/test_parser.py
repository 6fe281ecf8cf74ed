"""What the conformance tables cannot express: bounds, misuse, our own additions."""

from __future__ import annotations

import io
import tracemalloc

import pytest

from sse import (
    DEFAULT_MAX_EVENT_SIZE,
    EventSource,
    EventTooLargeError,
    ParserState,
    SSEComment,
    SSEError,
    SSEEvent,
    SSEParser,
)


def test_event_carries_the_retry_of_its_own_block() -> None:
    parser = SSEParser()
    events = parser.feed(b"retry: 5\ndata: a\n\ndata: b\n\nretry: x\ndata: c\n\n")
    assert [e.retry for e in events] == [5, None, None]
    assert parser.reconnection_time == 5


def test_retry_applies_as_soon_as_its_line_is_parsed() -> None:
    parser = SSEParser()
    seen = [parser.reconnection_time]
    parser.feed(b"retry: 2500\n")  # in a block that is never dispatched
    seen.append(parser.reconnection_time)
    parser.end()
    seen.append(parser.reconnection_time)
    assert seen == [None, 2500, 2500]


def test_absurd_retry_values_are_clamped_not_raised() -> None:
    parser = SSEParser()
    parser.feed(b"retry: " + b"9" * 5000 + b"\n")
    assert parser.reconnection_time == int("9" * 640)
    parser.feed(b"retry: " + b"0" * 5000 + b"12\n")
    assert parser.reconnection_time == 12


def test_states_between_chunks() -> None:
    parser = SSEParser()
    seen = [parser.state]
    for chunk in (b"\xef\xbb", b"\xbf", b"data: x", b"\r", b"\n"):  # half a BOM decodes to nothing yet
        parser.feed(chunk)
        seen.append(parser.state)
    parser.end()
    seen.append(parser.state)
    parser.reset()
    seen.append(parser.state)
    S = ParserState
    assert seen == [
        *(S.STREAM_START, S.STREAM_START, S.LINE_START, S.IN_LINE, S.AFTER_CR, S.LINE_START),
        *(S.ENDED, S.STREAM_START),
    ]


def test_a_cr_ending_a_chunk_ends_the_line_at_once() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: x\n\r") == [SSEEvent(data="x")]
    assert parser.feed(b"\ndata: y\r") == []
    assert parser.feed(b"\r") == [SSEEvent(data="y")]


def test_feeding_after_end_raises_until_reset() -> None:
    parser = SSEParser()
    parser.feed(b"id: 1\n\n")
    parser.end()
    with pytest.raises(RuntimeError, match="ended"):
        parser.feed(b"data: x\n\n")
    with pytest.raises(RuntimeError, match="ended"):
        parser.feed(b"")
    with pytest.raises(RuntimeError, match="ended"):
        parser.feed_line("")
    parser.reset()
    assert parser.feed(b"data: x\n\n") == [SSEEvent(data="x", id="1")]


def test_feed_line_cannot_follow_half_a_line() -> None:
    parser = SSEParser()
    parser.feed(b"data: x")
    with pytest.raises(RuntimeError, match="mid-line"):
        parser.feed_line("")


def test_feed_line_strips_one_line_end() -> None:
    parser = SSEParser()
    assert parser.feed_line("data: a\r\n") is None
    assert parser.feed_line("data: b\r") is None
    assert parser.feed_line("data: c\n") is None
    assert parser.feed_line("\r\n") == SSEEvent(data="a\nb\nc")
    assert parser.feed_line("data: d\n\n") is None  # one line end only: "d\n" is the value
    assert parser.feed_line("") == SSEEvent(data="d\n")


def test_line_source_reads_a_file_object() -> None:
    stream = io.StringIO("\ufeffevent: e\r\ndata: 1\r\n\r\n: hi\ndata: 2\n\n", newline="")
    assert list(EventSource(stream, comments=True)) == [
        SSEEvent(event="e", data="1"),
        SSEComment(" hi"),
        SSEEvent(data="2"),
    ]


def test_line_source_strips_the_bom_of_the_first_line_only() -> None:
    assert [e.data for e in EventSource(["\ufeffdata: a", "", "\ufeffdata: b", "", "data: c", ""])] == [
        "a",
        "c",
    ]


def test_sources_can_be_iterated_again() -> None:
    source = EventSource(["id: 3", "data: a", ""])
    assert list(source) == list(source) == [SSEEvent(data="a", id="3")]
    assert source.last_event_id == "3"


def test_comments_are_off_by_default() -> None:
    assert SSEParser().feed(b": ping\n\n") == []
    assert SSEParser(comments=True).feed(b": ping\n\n") == [SSEComment(" ping")]


def test_last_event_id_can_be_seeded() -> None:
    parser = SSEParser(last_event_id="41")
    assert parser.feed(b"data: x\n\n") == [SSEEvent(data="x", id="41")]


def test_bad_max_event_size() -> None:
    with pytest.raises(ValueError, match="max_event_size"):
        SSEParser(max_event_size=0)


# -- the bound on memory -----------------------------------------------------------------


def test_default_bound() -> None:
    assert SSEParser().max_event_size == DEFAULT_MAX_EVENT_SIZE == 16 * 1024 * 1024


def test_a_line_longer_than_the_bound_raises_whatever_the_chunking() -> None:
    body = b"data: ok\n\n: " + b"x" * 200 + b"\ndata: never\n\n"
    for size in (1, 7, 64, 1000):
        parser = SSEParser(max_event_size=100)
        delivered: list[SSEEvent] = []
        with pytest.raises(EventTooLargeError) as raised:
            for i in range(0, len(body), size):
                delivered += parser.feed(body[i : i + size])
        delivered += [e for e in raised.value.completed if isinstance(e, SSEEvent)]
        assert delivered == [SSEEvent(data="ok")], size
        assert raised.value.limit == 100
        assert parser.state is ParserState.ENDED


def test_an_unterminated_line_longer_than_the_bound_raises() -> None:
    parser = SSEParser(max_event_size=10)
    parser.feed(b"data: 1234")
    with pytest.raises(EventTooLargeError, match="max_event_size=10"):
        parser.feed(b"5")


def test_data_spread_over_lines_is_bounded_too() -> None:
    parser = SSEParser(max_event_size=10)
    assert parser.feed(b"data: 1234\n\n") == [SSEEvent(data="1234")]
    parser.feed(b"data: 1234\n")  # 5 of the 10, counting its line feed
    with pytest.raises(EventTooLargeError) as raised:
        parser.feed(b"data: 12345\n")
    assert isinstance(raised.value, SSEError)


def test_line_source_bound() -> None:
    with pytest.raises(EventTooLargeError):
        list(EventSource(["data: " + "x" * 20, ""], max_event_size=10))


def test_source_delivers_what_came_before_the_excess() -> None:
    source = EventSource.from_bytes([b"data: a\n\ndata: b\n\n: " + b"x" * 50 + b"\n"], max_event_size=20)
    delivered: list[SSEEvent] = []
    with pytest.raises(EventTooLargeError):
        for event in source:
            delivered.append(event)
    assert [e.data for e in delivered] == ["a", "b"]


def test_peak_memory_is_the_event_plus_a_chunk() -> None:
    size = 8 * 1024 * 1024
    chunk = b"x" * 1024
    parser = SSEParser(max_event_size=2 * size)
    tracemalloc.start()
    try:
        parser.feed(b"data: ")
        for _ in range(size // len(chunk)):
            parser.feed(chunk)
        events = parser.feed(b"\n\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert events[0].data == "x" * size
    # Two copies at most: the line's parts and the joined line, then the line and its value.
    assert peak < 2.1 * size + 64 * 1024, peak / size


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 4096])
@pytest.mark.parametrize(("lines", "too_large"), [(50, False), (51, True)])
def test_data_accounting_across_chunks_is_exact(chunk: int, lines: int, too_large: bool) -> None:
    """Each "data: x" line counts 2 (its value and its line feed); the bound is 100."""
    body = b"data: 0\n\n" + b"data: x\n" * lines + b"\n"
    parser = SSEParser(max_event_size=100)
    events: list[SSEEvent] = []
    try:
        for i in range(0, len(body), chunk):
            events += parser.feed(body[i : i + chunk])
    except EventTooLargeError:
        assert too_large
    else:
        assert not too_large
        assert [len(e.data) for e in events] == [1, 2 * lines - 1]
