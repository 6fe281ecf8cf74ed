"""Typing cases for the parser. Type-checked, never run."""

from __future__ import annotations

from typing_extensions import assert_type

from sse import EventTooLargeError, ParserState, SSEComment, SSEEvent, SSEParser

parser = SSEParser()
assert_type(parser, SSEParser[SSEEvent])
assert_type(parser.feed(b"data: x\n\n"), list[SSEEvent])
assert_type(parser.feed_line("data: x"), SSEEvent | None)
assert_type(parser.last_event_id, str)
assert_type(parser.reconnection_time, int | None)
assert_type(parser.state, ParserState)
assert_type(parser.end(), None)
assert_type(parser.reset(), None)
assert_type(parser.max_event_size, int)

with_comments = SSEParser(comments=True, max_event_size=1024)
assert_type(with_comments, SSEParser[SSEEvent | SSEComment])
assert_type(with_comments.feed(b": ping\n"), list[SSEEvent | SSEComment])
assert_type(with_comments.feed_line(": ping"), SSEEvent | SSEComment | None)


def decide(flag: bool) -> None:
    assert_type(SSEParser(comments=flag), SSEParser[SSEEvent | SSEComment])


def annotate(bare: SSEParser) -> None:
    # A bare annotation means the default: events only.
    assert_type(bare.feed(b""), list[SSEEvent])


error = EventTooLargeError(10)
assert_type(error.limit, int)
assert_type(error.completed, tuple[SSEEvent | SSEComment, ...])

# -- must be rejected --------------------------------------------------------------
parser.feed("data: x\n\n")  # type: ignore[arg-type]
parser.feed_line(b"data: x")  # type: ignore[arg-type]
SSEParser(max_event_size="big")  # type: ignore[call-overload]
SSEParser(True)  # type: ignore[call-overload]
events_only: list[SSEEvent] = with_comments.feed(b"")  # type: ignore[assignment]
parser.state = ParserState.ENDED  # type: ignore[misc]
