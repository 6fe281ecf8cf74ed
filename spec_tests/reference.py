"""A literal, slow transcription of WHATWG HTML 9.2.5-9.2.6, for checking the fast parser.

It is deliberately naive: the whole body at once, one character at a time, the spec's
steps in the spec's order and with the spec's names. It shares no code with ``sse``.
It is the oracle of the property tests, and every table row is checked against it too.
"""

from __future__ import annotations

from typing import final

import attrs

CR, LF, NULL = "\r", "\n", "\x00"


@final
@attrs.frozen
class Dispatched:
    type: str
    data: str
    last_event_id: str


@final
@attrs.frozen
class Outcome:
    events: tuple[Dispatched, ...]
    comments: tuple[str, ...]
    last_event_id: str
    reconnection_time: int | None
    # What the stream did, in order: ("event", index) or ("comment", index).
    order: tuple[tuple[str, int], ...]


def utf8_decode(body: bytes) -> str:
    """The Encoding standard's "UTF-8 decode": one leading BOM removed, errors replaced."""
    text = body.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def split_lines(text: str) -> list[str]:
    """The complete lines of the stream; an unterminated last line is not one."""
    lines: list[str] = []
    current: list[str] = []
    position = 0
    while position < len(text):
        character = text[position]
        if character == CR:
            lines.append("".join(current))
            current = []
            # CRLF is one line end.
            if position + 1 < len(text) and text[position + 1] == LF:
                position += 1
        elif character == LF:
            lines.append("".join(current))
            current = []
        else:
            current.append(character)
        position += 1
    return lines


def interpret(body: bytes, *, initial_last_event_id: str = "") -> Outcome:
    """Run 9.2.6 "Interpreting an event stream" over the whole body."""
    data_buffer = ""
    event_type_buffer = ""
    last_event_id_buffer = initial_last_event_id
    last_event_id_string = initial_last_event_id
    reconnection_time: int | None = None
    events: list[Dispatched] = []
    comments: list[str] = []
    order: list[tuple[str, int]] = []

    for line in split_lines(utf8_decode(body)):
        if line == "":
            # Dispatch the event.
            last_event_id_string = last_event_id_buffer
            if data_buffer == "":
                data_buffer = ""
                event_type_buffer = ""
                continue
            if data_buffer.endswith(LF):
                data_buffer = data_buffer[:-1]
            event_type = event_type_buffer if event_type_buffer != "" else "message"
            order.append(("event", len(events)))
            events.append(Dispatched(event_type, data_buffer, last_event_id_string))
            data_buffer = ""
            event_type_buffer = ""
            continue
        if line[0] == ":":
            order.append(("comment", len(comments)))
            comments.append(line[1:])
            continue
        if ":" in line:
            colon = line.index(":")
            field = line[:colon]
            value = line[colon + 1 :]
            if value.startswith(" "):
                value = value[1:]
        else:
            field = line
            value = ""
        # Process the field.
        if field == "event":
            event_type_buffer = value
        elif field == "data":
            data_buffer += value
            data_buffer += LF
        elif field == "id":
            if NULL not in value:
                last_event_id_buffer = value
        elif field == "retry":
            if value != "" and all(c in "0123456789" for c in value):
                reconnection_time = int(value)
        # Otherwise the field is ignored.

    # End of file: whatever is pending is discarded.
    return Outcome(tuple(events), tuple(comments), last_event_id_string, reconnection_time, tuple(order))
