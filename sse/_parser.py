"""The sans-IO parser of ``text/event-stream``: WHATWG HTML 9.2.5 and 9.2.6.

Theory of operation
===================

A stream is bytes. The standard turns them into events in three layers, and so does
:class:`SSEParser`:

1. **Decoding.** The bytes are UTF-8, whatever the Content-Type says. Invalid bytes
   become U+FFFD (an incremental decoder with ``errors="replace"`` does exactly what the
   standard's "UTF-8 decode" does, for any split of the bytes), and one U+FEFF byte
   order mark at the very start of the stream is dropped.
2. **Line splitting.** Lines end at CRLF, a lone LF or a lone CR, and at nothing else.
   A CR that ends a chunk ends its line at once; an LF that then opens the next chunk
   is the rest of that CRLF and is dropped.
3. **Field processing.** Each complete line is a blank line (dispatch), a comment
   (``:`` first), or a field ``name: value`` that updates the buffers; see
   :meth:`SSEParser._process_lines`.

Layers 1 and 2 need to remember something between two chunks: whether a BOM may still
come, whether a CR just ended a line, and the part of a line not yet ended. That memory
is :class:`ParserState`. Within one chunk the parser works on whole strings (``split``,
``partition``), which is what makes it fast; the state machine only answers, at the
edges of a chunk, "what happens to the first character" (the entry action of the
state) and "where are we once the chunk is consumed" (the transition, keyed by how the
chunk ends). Every transition is in :data:`_TRANSITIONS`, below; nothing else assigns
the state.

Layer 3 keeps the standard's buffers (data, event type, last event ID), the last event
ID string of the source, and the reconnection time. They are plain attributes: the
standard describes them as buffers, not states, and the blank line is their only
"transition".

Memory is bounded by ``max_event_size``: neither the partial line carried between
chunks, nor any line, nor the data of one event may grow past it, whatever the
chunking. Reaching the bound raises :class:`~sse.EventTooLargeError` and ends the
parser; nothing else that a server sends makes it raise.
"""

from __future__ import annotations

import codecs
import enum
from collections.abc import Iterable
from typing import Generic, Literal, NoReturn, overload

from typing_extensions import TypeVar, final

from sse._errors import EventTooLargeError
from sse._events import EventSlots, SSEComment, SSEEvent

__all__ = ["DEFAULT_MAX_EVENT_SIZE", "ParserState", "SSEParser"]

DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024
"""Default bound, in characters, on one line and on the data of one event (16 MiB)."""

# int() refuses strings of more digits than sys.int_max_str_digits, which may be set
# as low as 640; longer retry values are clamped rather than let int() raise.
_MAX_RETRY_DIGITS = 640

_BOM = "\ufeff"

T = TypeVar("T", bound="SSEEvent | SSEComment", default=SSEEvent)
"""What a parser yields: events only (the default), or events and comments."""


class ParserState(enum.Enum):
    """Where the parser stands between two chunks (layers 1 and 2 of the theory)."""

    STREAM_START = "stream start"
    """Nothing decoded yet on this stream: a leading U+FEFF is a BOM and is dropped."""

    LINE_START = "line start"
    """At the start of a line: the previous character ended a line (or a BOM was dropped)."""

    IN_LINE = "in line"
    """Inside a line that no line end has closed yet; its text so far is buffered."""

    AFTER_CR = "after CR"
    """A CR just ended a line; an LF right after it belongs to that CRLF and is dropped."""

    ENDED = "ended"
    """The stream ended (:meth:`SSEParser.end`) or a bound was exceeded; only
    :meth:`SSEParser.reset` leaves this state."""


class _Input(enum.Enum):
    """What moves the state machine: how a decoded chunk ends, a whole line, or a call."""

    ENDS_WITH_LF = enum.auto()
    ENDS_WITH_CR = enum.auto()
    ENDS_MID_LINE = enum.auto()
    NOTHING_LEFT = enum.auto()  # the entry action consumed the whole chunk (a BOM, an LF)
    LINE = enum.auto()  # feed_line(): a line already split by the caller
    END = enum.auto()  # end(), or a bound exceeded


_S = ParserState
_TEXT_ENDINGS = {_Input.ENDS_WITH_LF: _S.LINE_START, _Input.ENDS_WITH_CR: _S.AFTER_CR}
_TRANSITIONS: dict[ParserState, dict[_Input, ParserState]] = {
    _S.STREAM_START: {
        **_TEXT_ENDINGS,
        _Input.ENDS_MID_LINE: _S.IN_LINE,
        _Input.NOTHING_LEFT: _S.LINE_START,
        _Input.LINE: _S.LINE_START,
        _Input.END: _S.ENDED,
    },
    _S.LINE_START: {
        **_TEXT_ENDINGS,
        _Input.ENDS_MID_LINE: _S.IN_LINE,
        _Input.LINE: _S.LINE_START,
        _Input.END: _S.ENDED,
    },
    # No LINE here: a caller's line cannot follow half a line of ours.
    _S.IN_LINE: {**_TEXT_ENDINGS, _Input.ENDS_MID_LINE: _S.IN_LINE, _Input.END: _S.ENDED},
    _S.AFTER_CR: {
        **_TEXT_ENDINGS,
        _Input.ENDS_MID_LINE: _S.IN_LINE,
        _Input.NOTHING_LEFT: _S.LINE_START,
        _Input.LINE: _S.LINE_START,
        _Input.END: _S.ENDED,
    },
    _S.ENDED: {_Input.END: _S.ENDED},
}
"""Every transition. A pair missing here is a misuse of the parser, not bad input.

reset() is not an input: it starts a new stream from any state."""

# The hot path reads these instead of the table: an Enum attribute costs more than a
# module constant. They are derived from _TRANSITIONS, and checked against it.
_STREAM_START, _LINE_START, _IN_LINE, _AFTER_CR, _ENDED = ParserState
_AFTER_CHUNK_BY_LAST_CHARACTER = {"\n": _LINE_START, "\r": _AFTER_CR}
_AFTER_CHUNK_MID_LINE = _IN_LINE
for _state in (_STREAM_START, _LINE_START, _IN_LINE, _AFTER_CR):
    assert _TRANSITIONS[_state][_Input.ENDS_WITH_LF] is _LINE_START
    assert _TRANSITIONS[_state][_Input.ENDS_WITH_CR] is _AFTER_CR
    assert _TRANSITIONS[_state][_Input.ENDS_MID_LINE] is _IN_LINE
_AFTER_ENTRY_CONSUMED_ALL = {s: _TRANSITIONS[s][_Input.NOTHING_LEFT] for s in (_STREAM_START, _AFTER_CR)}


def _parse_retry(value: str) -> int:
    """The integer of a string of ASCII digits, clamped to 640 significant digits."""
    if len(value) > _MAX_RETRY_DIGITS:
        value = value.lstrip("0")
        if len(value) > _MAX_RETRY_DIGITS:
            return int("9" * _MAX_RETRY_DIGITS)
    return int(value or "0")


@final
class SSEParser(Generic[T]):
    """A sans-IO ``text/event-stream`` parser that follows WHATWG HTML 9.2.5 and 9.2.6.

    Feed it the body of a response, in chunks of any size, with :meth:`feed`; each call
    returns the events those bytes completed. Or feed it lines already split by
    someone else with :meth:`feed_line`. Call :meth:`end` when the body ends (an event
    not yet terminated by a blank line is then discarded, as the standard says), and
    :meth:`reset` before the body of a new connection: the buffers start fresh, while
    :attr:`last_event_id` and :attr:`reconnection_time` carry over.

    Args:
        comments: Also return comment lines, as :class:`SSEComment`, in stream order
            with the events. They are how servers send heartbeats.
        max_event_size: Bound, in characters, on any line (terminated or not) and on
            the data of one event (its data lines, each counted with its line feed).
            Exceeding it raises :class:`~sse.EventTooLargeError` and ends the parser.
        last_event_id: The last event ID to start from, e.g. one saved from an
            earlier connection.

    Example::

        parser = SSEParser()
        for chunk in body_chunks:
            for event in parser.feed(chunk):  # the events this chunk completed, in order
                print(event.event, event.data)
        parser.end()  # the stream ended: an event without its blank line is discarded
    """

    __slots__ = (
        "_comments",
        "_data",
        "_data_size",
        "_decode",
        "_decoder_idle",
        "_decoder_state",
        "_event_type",
        "_id_buffer",
        "_last_event_id",
        "_max_event_size",
        "_pending",
        "_pending_size",
        "_reconnection_time",
        "_retry",
        "_state",
    )

    @overload
    def __init__(
        self: SSEParser[SSEEvent],
        *,
        comments: Literal[False] = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        last_event_id: str = "",
    ) -> None: ...
    @overload
    def __init__(
        self: SSEParser[SSEEvent | SSEComment],
        *,
        comments: Literal[True],
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        last_event_id: str = "",
    ) -> None: ...
    @overload
    def __init__(
        self: SSEParser[SSEEvent | SSEComment],
        *,
        comments: bool,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        last_event_id: str = "",
    ) -> None: ...
    def __init__(
        self,
        *,
        comments: bool = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        last_event_id: str = "",
    ) -> None:
        if max_event_size < 1:
            raise ValueError(f"max_event_size must be at least 1, not {max_event_size}")
        self._comments = comments
        self._max_event_size = max_event_size
        self._last_event_id = last_event_id
        self._reconnection_time: int | None = None
        self.reset()

    # -- what callers may read -----------------------------------------------------

    @property
    def state(self) -> ParserState:
        """Where the parser stands between two chunks."""
        return self._state

    @property
    def last_event_id(self) -> str:
        """The last event ID string: the ``id`` in force at the last dispatch.

        An ``id`` field takes effect at the blank line that ends its block (even a
        block without data); one in a block the stream never ended does not.
        """
        return self._last_event_id

    @property
    def reconnection_time(self) -> int | None:
        """The reconnection time in milliseconds from the last valid ``retry`` field,
        or ``None`` if the server never sent one. It takes effect as soon as its line
        is parsed."""
        return self._reconnection_time

    @property
    def max_event_size(self) -> int:
        """The bound on one line and on the data of one event, in characters."""
        return self._max_event_size

    # -- stream boundaries ---------------------------------------------------------

    def reset(self) -> None:
        """Start a new stream (a new connection), from any state.

        The decoder, the partial line and the data and event type buffers start fresh;
        :attr:`last_event_id` and :attr:`reconnection_time` are kept, and the last
        event ID buffer starts from :attr:`last_event_id`, as browsers do.
        """
        self._state = ParserState.STREAM_START
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._decode = decoder.decode
        self._decoder_state = decoder.getstate
        self._decoder_idle = True
        self._pending: list[str] = []
        self._pending_size = 0
        self._data: list[str] = []
        self._data_size = 0
        self._event_type = ""
        self._id_buffer = self._last_event_id
        self._retry: int | None = None

    def end(self) -> None:
        """Tell the parser the stream has ended.

        What was not yet dispatched (a partial line, an event without its blank line)
        is discarded; :attr:`last_event_id` and :attr:`reconnection_time` stay
        readable. Feeding more raises :class:`RuntimeError` until :meth:`reset`.
        """
        self._move(_Input.END)
        self._pending = []
        self._pending_size = 0
        self._data = []
        self._data_size = 0
        self._event_type = ""
        self._retry = None

    # -- feeding -------------------------------------------------------------------

    def feed(self, data: bytes) -> list[T]:
        """Parse the next chunk of the body; return what it completed, in order.

        Raises:
            EventTooLargeError: a line or an event exceeds ``max_event_size``.
            RuntimeError: the parser has ended (see :meth:`end`).
        """
        state = self._state
        if state is _ENDED:
            self._move(_Input.ENDS_MID_LINE)  # raises: no text input leaves ENDED
        if self._decoder_idle and data and data[-1] < 0x80:
            # Nothing buffered in the decoder and no character cut at the end: a strict
            # decode gives what the incremental one would, at a third of the cost. It
            # fails only on invalid bytes, which the incremental decoder then replaces.
            try:
                text = data.decode()
            except UnicodeDecodeError:
                text = self._decode_incrementally(data)
        else:
            text = self._decode_incrementally(data)
        if not text:  # an empty chunk, or the first bytes of a character
            return []
        if state is not _LINE_START and state is not _IN_LINE:
            # The entry actions: what the first character of a chunk means here.
            if state is _STREAM_START:
                if text[0] == _BOM:
                    text = text[1:]
            elif text[0] == "\n":  # AFTER_CR: the rest of a CRLF
                text = text[1:]
            if not text:
                self._state = _AFTER_ENTRY_CONSUMED_ALL[state]
                return []
        last = text[-1]
        self._state = _AFTER_CHUNK_BY_LAST_CHARACTER.get(last, _AFTER_CHUNK_MID_LINE)

        pending = self._pending
        if "\r" in text:
            if "\n" not in text:  # lone CRs only
                lines = text.split("\r")
            elif (
                # splitlines() also splits at VT, FF, FS, GS, RS, NEL, LS and PS, which
                # are not line ends here. Scanning for them costs far less than the
                # two replace() passes below, which splitlines() saves.
                "\x0b" not in text
                and "\x0c" not in text
                and "\x1c" not in text
                and "\x1d" not in text
                and "\x1e" not in text
                and (text.isascii() or not ("\x85" in text or "\u2028" in text or "\u2029" in text))
            ):
                lines = text.splitlines()  # one pass for CR, LF and CRLF alike
                if last == "\n" or last == "\r":
                    lines.append("")  # as split() would: the empty text after the last line end
            else:
                lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        elif "\n" in text:
            lines = text.split("\n")
        else:  # no line ends here: all of it continues the partial line
            pending.append(text)
            self._pending_size += len(text)
            if self._pending_size > self._max_event_size:
                self._too_large([])
            return []
        # No line of this chunk, nor the data of an event, can outgrow the bound
        # unless the chunk and what is carried over from earlier chunks can.
        within_bound = self._pending_size + self._data_size + len(text) <= self._max_event_size
        if pending:
            if len(pending) == 1:  # the usual carry: one line cut by one chunk boundary
                lines[0] = pending[0] + lines[0]
            else:
                pending.append(lines[0])
                lines[0] = "".join(pending)
            pending.clear()  # frees the parts now: two copies of a long line at most
        tail = lines.pop()
        if within_bound:
            before, parts_before = self._data, len(self._data)
            completed = self._process_lines(lines)
            carried = self._data
            if not carried:
                self._data_size = 0
            elif carried is before:  # the same event goes on: count only this chunk's parts
                added = carried[parts_before:]
                self._data_size += sum(map(len, added)) + len(added)
            else:  # a dispatch started a new list: every part in it is from this chunk
                self._data_size = sum(map(len, carried)) + len(carried)
        else:
            completed = self._process_lines_bounded(lines, tail)
        if tail:
            pending.append(tail)
        self._pending_size = len(tail)
        return completed

    def feed_line(self, line: str) -> T | None:
        """Parse one line that the caller has already split; return what it completed.

        One trailing line end (CRLF, LF or CR) is removed, so lines read from a file
        object work as they are. A blank line returns the event it dispatches, a
        comment returns its :class:`SSEComment` when comments were asked for, any
        other line returns ``None``. Do not mix with :meth:`feed` in mid-line.

        Raises:
            EventTooLargeError: the line or the event exceeds ``max_event_size``.
            RuntimeError: the parser has ended, or :meth:`feed` left half a line.
        """
        if line[-1:] == "\n":
            line = line[:-1]
        if line[-1:] == "\r":
            line = line[:-1]
        if self._state is _STREAM_START and line[:1] == _BOM:
            line = line[1:]
        self._move(_Input.LINE)
        completed = self._process_lines_bounded((line,), "")
        return completed[0] if completed else None

    # -- internals -----------------------------------------------------------------

    def _decode_incrementally(self, data: bytes) -> str:
        text = self._decode(data)
        self._decoder_idle = not self._decoder_state()[0]
        return text

    def _move(self, received: _Input) -> None:
        try:
            self._state = _TRANSITIONS[self._state][received]
        except KeyError:
            if self._state is _ENDED:
                raise RuntimeError("the SSE stream has ended; call reset() to parse a new one") from None
            raise RuntimeError(
                "feed_line() cannot follow a chunk that ended mid-line; feed the rest of the line first"
            ) from None

    def _too_large(self, completed: list[T]) -> NoReturn:
        """End the parser and raise, handing over what the chunk completed before the excess."""
        self.end()
        raise EventTooLargeError(self._max_event_size, completed)

    def _process_lines_bounded(self, lines: Iterable[str], tail: str) -> list[T]:
        """:meth:`_process_lines`, one line at a time, keeping count of the size of the
        data buffer: the rare path, for chunks that might reach the bound."""
        limit = self._max_event_size
        completed: list[T] = []
        for line in lines:
            if len(line) > limit:
                self._too_large(completed)
            values_before = len(self._data)
            completed += self._process_lines((line,))
            data = self._data
            if not data:  # dispatched, or no data yet
                self._data_size = 0
            elif len(data) > values_before:  # that line was a data field
                self._data_size += len(data[-1]) + 1
                if self._data_size > limit:
                    self._too_large(completed)
        if len(tail) > limit:
            self._too_large(completed)
        return completed

    def _process_lines(self, lines: Iterable[str]) -> list[T]:
        """Layer 3: HTML 9.2.6 for complete lines. The buffers live in locals here
        because this loop is where the time goes."""
        out: list[EventSlots | SSEComment] = []  # each EventSlots an SSEEvent by the time it is returned
        append = out.append
        data = self._data
        event_type = self._event_type
        id_buffer = self._id_buffer
        last_event_id = self._last_event_id
        retry = self._retry
        for line in lines:
            if not line:  # a blank line: dispatch
                last_event_id = id_buffer
                if data:
                    # An SSEEvent built through its mutable twin (see EventSlots): the
                    # same frozen instance as SSEEvent(...) gives, in a third of the time.
                    event = EventSlots()
                    event.event = event_type or "message"
                    event.data = "\n".join(data)  # one line: the line itself, no copy
                    event.id = id_buffer
                    event.retry = retry
                    event.__class__ = SSEEvent
                    append(event)
                    data = []
                event_type = ""
                retry = None
                continue
            # Split at the first colon, dropping one space after it: partition(": ")
            # does both in one copy, unless the first colon has no space after it.
            name, separator, value = line.partition(": ")
            if name != "data" and (not separator or ":" in name):  # "data" holds no colon
                name, _, value = line.partition(":")
            if name == "data":
                data.append(value)
            elif not name:  # the line starts with a colon
                if self._comments:
                    append(SSEComment(line[1:]))
            elif name == "event":
                event_type = value
            elif name == "id":
                if "\x00" not in value:
                    id_buffer = value
            elif name == "retry":
                if value.isascii() and value.isdigit():
                    retry = self._reconnection_time = _parse_retry(value)
            # Any other field name is ignored, as the standard says.
        self._data = data
        self._event_type = event_type
        self._id_buffer = id_buffer
        self._last_event_id = last_event_id
        self._retry = retry
        return out  # type: ignore[return-value]  # T is what the comments flag chose
