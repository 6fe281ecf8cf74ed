"""Load and validate the network conformance tables (format: spec_tests/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, final

import attrs

from spec_tests.server import BodyPart, Framing, Pause, Response, Then
from spec_tests.tables import DATA, ExpectedEvent, TableError, array_of, object_of

NETWORK = DATA / "network"

Outcome = Literal["end", "http-error", "content-type-error", "retries-exhausted", "redirect-error", "stopped"]
_OUTCOMES: dict[str, Outcome] = {
    "end": "end",
    "http-error": "http-error",
    "content-type-error": "content-type-error",
    "retries-exhausted": "retries-exhausted",
    "redirect-error": "redirect-error",
    "stopped": "stopped",
}
_FRAMINGS: dict[str, Framing] = {"content-length": "content-length", "chunked": "chunked", "close": "close"}
_THENS: dict[str, Then] = {"close": "close", "reset": "reset", "hold": "hold"}


@final
@attrs.frozen
class ExpectedRequest:
    path: str
    headers: tuple[tuple[str, str], ...]
    absent: tuple[str, ...]


@final
@attrs.frozen
class Exchange:
    request: ExpectedRequest
    response: Response


@final
@attrs.frozen
class ClientSetup:
    last_event_id: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    max_retries: int = -1
    retry_interval: int = 3000


@final
@attrs.frozen
class NetworkRow:
    name: str
    source: str
    description: str
    client: ClientSetup
    exchanges: tuple[Exchange, ...]
    events: tuple[ExpectedEvent, ...]
    outcome: Outcome
    status: int | None
    table: str

    @property
    def uses_other_origin(self) -> bool:
        return any(
            "{other_origin}" in value for exchange in self.exchanges for _, value in exchange.response.headers
        )


def _str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise TableError(f"{where}: expected a string")
    return value


def _int(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TableError(f"{where}: expected an integer")
    return value


def _pairs(value: object, where: str) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for item in array_of(value, where):
        pair = array_of(item, where)
        if len(pair) != 2:
            raise TableError(f"{where}: a header is [name, value]")
        pairs.append((_str(pair[0], where), _str(pair[1], where)))
    return tuple(pairs)


def _body(value: object, where: str) -> tuple[BodyPart, ...]:
    parts: list[BodyPart] = []
    for item in array_of(value, where):
        part = object_of(item, where)
        if set(part) == {"text"}:
            parts.append(_str(part["text"], where).encode("utf-8"))
        elif set(part) == {"hex"}:
            parts.append(bytes.fromhex(_str(part["hex"], where)))
        elif set(part) == {"delay_ms"}:
            parts.append(Pause(_int(part["delay_ms"], where) / 1000))
        else:
            raise TableError(f"{where}: a body part is text, hex or delay_ms")
    return tuple(parts)


def _exchange(value: object, where: str) -> Exchange:
    exchange = object_of(value, where)
    request = object_of(exchange.get("request"), f"{where}: request")
    response = object_of(exchange.get("response"), f"{where}: response")
    headers = object_of(request.get("headers", {}), f"{where}: request headers")
    framing = _FRAMINGS.get(_str(response.get("framing", "close"), where))
    then = _THENS.get(_str(response.get("then", "close"), where))
    if framing is None or then is None:
        raise TableError(f"{where}: unknown framing or then")
    return Exchange(
        ExpectedRequest(
            _str(request.get("path"), f"{where}: path"),
            tuple((name, _str(v, where)) for name, v in headers.items()),
            tuple(_str(name, where) for name in array_of(request.get("absent", []), where)),
        ),
        Response(
            status=_int(response.get("status"), f"{where}: status"),
            headers=_pairs(response.get("headers", []), f"{where}: headers"),
            body=_body(response.get("body", []), f"{where}: body"),
            framing=framing,
            then=then,
            reason=_str(response.get("reason", ""), where),
        ),
    )


def _event(value: object, where: str) -> ExpectedEvent:
    event = object_of(value, where)
    return ExpectedEvent(
        _str(event.get("type"), where), _str(event.get("data"), where), _str(event.get("lastEventId"), where)
    )


def _row(value: object, table: str) -> NetworkRow:
    row = object_of(value, table)
    where = f"{table}: row {row.get('name')!r}"
    client = object_of(row.get("client", {}), f"{where}: client")
    expect = object_of(row.get("expect"), f"{where}: expect")
    outcome = _OUTCOMES.get(_str(expect.get("outcome"), where))
    if outcome is None:
        raise TableError(f"{where}: unknown outcome {expect.get('outcome')!r}")
    status = expect.get("status")
    if (status is not None) != (outcome == "http-error"):
        raise TableError(f"{where}: status goes with http-error, and only with it")
    return NetworkRow(
        name=_str(row.get("name"), where),
        source=_str(row.get("source"), where),
        description=_str(row.get("description"), where),
        client=ClientSetup(
            last_event_id=_str(client.get("last_event_id", ""), where),
            headers=tuple(
                (name, _str(v, where))
                for name, v in object_of(client.get("headers", {}), f"{where}: client headers").items()
            ),
            max_retries=_int(client.get("max_retries", -1), where),
            retry_interval=_int(client.get("retry_interval", 3000), where),
        ),
        exchanges=tuple(
            _exchange(item, f"{where}: exchange {n}")
            for n, item in enumerate(array_of(row.get("exchanges"), where))
        ),
        events=tuple(_event(item, where) for item in array_of(expect.get("events"), where)),
        outcome=outcome,
        status=None if status is None else _int(status, where),
        table=table,
    )


def load_network_rows(folder: Path = NETWORK) -> list[NetworkRow]:
    """Every row of every network table, validated; names are unique."""
    rows: list[NetworkRow] = []
    for path in sorted(folder.glob("*.json")):
        document = object_of(json.loads(path.read_text(encoding="utf-8")), path.name)
        _str(document.get("title"), path.name)
        rows.extend(_row(raw, path.name) for raw in array_of(document.get("rows"), f"{path.name}: rows"))
    names = [row.name for row in rows]
    if duplicated := sorted({n for n in names if names.count(n) > 1}):
        raise TableError(f"duplicate row names: {duplicated}")
    return rows
