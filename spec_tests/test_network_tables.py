"""Replay every row of the network tables against a real server on 127.0.0.1, through
both clients and the built-in transports.

The server (spec_tests/server.py) writes exactly the scripted bytes; a second one on
another port stands for ``{other_origin}``. A row passes when the client delivers the
expected events, ends as expected, and made exactly the expected requests.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable, Generator
from contextlib import contextmanager

import pytest

import sse._client
from spec_tests.network import NetworkRow, load_network_rows
from spec_tests.server import Script, ScriptedServer
from sse import (
    AsyncSSEClient,
    SSEClient,
    SSEConnectionError,
    SSEContentTypeError,
    SSEEvent,
    SSEHTTPError,
    SSERedirectError,
)
from sse._core import ReconnectPolicy
from sse._transport import AsyncTransport, SyncTransport
from sse.transports.aiohttp import AiohttpTransport
from sse.transports.httpx import AsyncHTTPXTransport, HTTPXTransport
from sse.transports.requests import RequestsTransport

ROWS = load_network_rows()
BY_NAME = {row.name: row for row in ROWS}
TIMEOUT = 20.0  # a hung client fails its row instead of the whole run

OUTCOME_ERRORS: dict[str, type[BaseException] | None] = {
    "end": None,
    "stopped": None,
    "http-error": SSEHTTPError,
    "content-type-error": SSEContentTypeError,
    "retries-exhausted": SSEConnectionError,
    "redirect-error": SSERedirectError,
}


@pytest.fixture(autouse=True)
def short_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The back-off after repeated failures is timing, not behaviour: keep it short here."""
    monkeypatch.setattr(
        sse._client, "ReconnectPolicy", functools.partial(ReconnectPolicy, backoff_base=0.005)
    )


@contextmanager
def servers(row: NetworkRow) -> Generator[ScriptedServer, None, None]:
    script = Script([exchange.response for exchange in row.exchanges])
    with ScriptedServer(script) as main:
        if not row.uses_other_origin:
            yield main
            return
        with ScriptedServer(script) as other:
            main.other_origin, other.other_origin = other.origin, main.origin
            yield main


def run_sync(
    row: NetworkRow, url: str, transport: SyncTransport | None
) -> tuple[list[SSEEvent], BaseException | None]:
    client = SSEClient(
        url,
        transport=transport,
        headers=dict(row.client.headers) or None,
        last_event_id=row.client.last_event_id,
        max_retries=row.client.max_retries,
        retry_interval=row.client.retry_interval,
        timeout=5.0,
    )
    events: list[SSEEvent] = []
    errors: list[BaseException] = []

    def consume() -> None:
        try:
            with client:
                for event in client:
                    events.append(event)
                    if row.outcome == "stopped" and len(events) >= len(row.events):
                        return
        except Exception as exc:
            errors.append(exc)

    worker = threading.Thread(target=consume)
    worker.start()
    worker.join(TIMEOUT)
    if worker.is_alive():
        client.close()
        worker.join(5)
        pytest.fail(f"the client hung; it had {len(events)} events")
    return events, errors[0] if errors else None


def run_async(
    row: NetworkRow, url: str, transport: AsyncTransport | None
) -> tuple[list[SSEEvent], BaseException | None]:
    events: list[SSEEvent] = []

    async def consume() -> None:
        async with AsyncSSEClient(
            url,
            transport=transport,
            headers=dict(row.client.headers) or None,
            last_event_id=row.client.last_event_id,
            max_retries=row.client.max_retries,
            retry_interval=row.client.retry_interval,
            timeout=5.0,
        ) as client:
            async for event in client:
                events.append(event)
                if row.outcome == "stopped" and len(events) >= len(row.events):
                    return

    async def main() -> BaseException | None:
        try:
            await asyncio.wait_for(consume(), TIMEOUT)
        except asyncio.TimeoutError:
            pytest.fail(f"the client hung; it had {len(events)} events")
        except Exception as exc:
            return exc
        return None

    error = asyncio.run(main())
    return events, error


SYNC_TRANSPORTS: dict[str, Callable[[], SyncTransport | None]] = {
    "sync": lambda: None,  # the built-in transport
    "sync-httpx": HTTPXTransport,
    "sync-requests": RequestsTransport,
}
ASYNC_TRANSPORTS: dict[str, Callable[[], AsyncTransport | None]] = {
    "async": lambda: None,
    "async-httpx": AsyncHTTPXTransport,
    "async-aiohttp": AiohttpTransport,
}


@pytest.mark.parametrize("name", sorted(BY_NAME))
@pytest.mark.parametrize("client", [*SYNC_TRANSPORTS, *ASYNC_TRANSPORTS])
def test_network_row(name: str, client: str) -> None:
    row = BY_NAME[name]
    with servers(row) as server:
        url = server.url(row.exchanges[0].request.path)
        if client in SYNC_TRANSPORTS:
            events, error = run_sync(row, url, SYNC_TRANSPORTS[client]())
        else:
            events, error = run_async(row, url, ASYNC_TRANSPORTS[client]())
        requests = list(server.requests)
        unexpected = server.unexpected

    context = f"{row.name} ({row.source}): {row.description}"
    expected_error = OUTCOME_ERRORS[row.outcome]
    if expected_error is None:
        assert error is None, f"{context}: raised {error!r}"
    else:
        assert isinstance(error, expected_error), f"{context}: raised {error!r}"
    if row.status is not None:
        assert isinstance(error, SSEHTTPError)
        assert error.status_code == row.status
    assert [(e.event, e.data, e.id) for e in events] == [
        (e.type, e.data, e.lastEventId) for e in row.events
    ], context
    assert unexpected == 0, f"{context}: {unexpected} request(s) more than the script"
    assert len(requests) == len(row.exchanges), f"{context}: {len(requests)} requests"
    for number, (request, exchange) in enumerate(zip(requests, row.exchanges, strict=True)):
        where = f"{context}: request {number}"
        assert request.path == exchange.request.path, where
        for header, value in exchange.request.headers:
            assert request.header(header) == value, f"{where}: {header}"
        for header in exchange.request.absent:
            assert request.header(header) is None, f"{where}: {header} should be absent"


def test_every_network_table_has_rows() -> None:
    assert len(ROWS) >= 90
