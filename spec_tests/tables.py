"""Load and validate the JSON conformance tables (format: spec_tests/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast, final

import attrs

DATA = Path(__file__).parent / "data"
PARSING = DATA / "parsing"


@final
@attrs.frozen
class ExpectedEvent:
    type: str
    data: str
    lastEventId: str  # the name the standard and the tables use


@final
@attrs.frozen
class ParsingRow:
    name: str
    source: str
    description: str
    body: bytes
    events: tuple[ExpectedEvent, ...]
    last_event_id: str | None
    reconnection_time: int | None
    checks_reconnection_time: bool
    comments: tuple[str, ...] | None
    table: str


class TableError(ValueError):
    """A table does not follow the documented format."""


def object_of(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TableError(f"{where}: expected an object")
    return cast("dict[str, object]", value)


def array_of(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise TableError(f"{where}: expected an array")
    return cast("list[object]", value)


def _string(row: dict[str, object], key: str, where: str) -> str:
    value = row.get(key)
    if not isinstance(value, str):
        raise TableError(f"{where}: {key!r} must be a string")
    return value


def _event(value: object, where: str) -> ExpectedEvent:
    fields = object_of(value, where)
    if set(fields) != {"type", "data", "lastEventId"}:
        raise TableError(f"{where}: an event has exactly the keys type, data, lastEventId")
    return ExpectedEvent(
        _string(fields, "type", where), _string(fields, "data", where), _string(fields, "lastEventId", where)
    )


_KEYS = {
    "name",
    "source",
    "description",
    "input",
    "input_hex",
    "events",
    "lastEventId",
    "reconnectionTime",
    "comments",
}


def _row(raw: object, table: str) -> ParsingRow:
    row = object_of(raw, table)
    where = f"{table}: row {row.get('name')!r}"
    if unknown := set(row) - _KEYS:
        raise TableError(f"{where}: unknown keys {sorted(unknown)}")
    if ("input" in row) == ("input_hex" in row):
        raise TableError(f"{where}: exactly one of input and input_hex")
    body = (
        _string(row, "input", where).encode("utf-8")
        if "input" in row
        else bytes.fromhex(_string(row, "input_hex", where))
    )
    events = array_of(row.get("events"), f"{where}: events")
    last_event_id = row.get("lastEventId")
    if last_event_id is not None and not isinstance(last_event_id, str):
        raise TableError(f"{where}: lastEventId must be a string")
    reconnection_time = row.get("reconnectionTime")
    if reconnection_time is not None and (
        not isinstance(reconnection_time, int) or isinstance(reconnection_time, bool)
    ):
        raise TableError(f"{where}: reconnectionTime must be an integer or null")
    comments = None if row.get("comments") is None else array_of(row.get("comments"), f"{where}: comments")
    if comments is not None and not all(isinstance(c, str) for c in comments):
        raise TableError(f"{where}: comments must be an array of strings")
    return ParsingRow(
        name=_string(row, "name", where),
        source=_string(row, "source", where),
        description=_string(row, "description", where),
        body=body,
        events=tuple(_event(e, where) for e in events),
        last_event_id=last_event_id,
        reconnection_time=reconnection_time,
        checks_reconnection_time="reconnectionTime" in row,
        comments=None if comments is None else tuple(str(c) for c in comments),
        table=table,
    )


def load_parsing_rows(folder: Path = PARSING) -> list[ParsingRow]:
    """Every row of every parsing table, validated; names are unique."""
    rows: list[ParsingRow] = []
    for path in sorted(folder.glob("*.json")):
        document = object_of(json.loads(path.read_text(encoding="utf-8")), path.name)
        _string(document, "title", path.name)
        rows.extend(_row(raw, path.name) for raw in array_of(document.get("rows"), f"{path.name}: rows"))
    names = [row.name for row in rows]
    if duplicated := sorted({n for n in names if names.count(n) > 1}):
        raise TableError(f"duplicate row names: {duplicated}")
    return rows
