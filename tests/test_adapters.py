"""The HTTP-client adapters, on what is theirs alone: the network tables and the client
tests run them too (spec_tests/test_network_tables.py, tests/test_client.py)."""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import Callable

import aiohttp
import httpx
import pytest
import requests

from spec_tests.server import Response, serving, sse_body, wait_until
from sse import AsyncSSEClient, AsyncTransport, SSEClient, SSEEvent, SyncTransport
from sse.transports import AsyncHTTPTransport, HTTPTransport
from sse.transports.aiohttp import AiohttpTransport
from sse.transports.httpx import AsyncHTTPXTransport, HTTPXTransport
from sse.transports.requests import RequestsTransport

SYNC = pytest.mark.parametrize("transport", [HTTPXTransport, RequestsTransport], ids=["httpx", "requests"])


def test_your_httpx_client_is_used_and_left_open() -> None:
    with serving(Response(body=sse_body("data: a\n\n"), framing="chunked"), Response(204)) as server:
        with httpx.Client(headers={"X-From-Client": "yes"}) as http:
            with SSEClient(server.url(), transport=HTTPXTransport(http), retry_interval=0) as client:
                assert [e.data for e in client] == ["a"]
            assert not http.is_closed  # yours: the SSE client does not close it
        request = server.requests[0]
    assert request.header("X-From-Client") == "yes"
    assert request.header("Accept") == "text/event-stream"


def test_your_requests_session_is_used_and_left_open() -> None:
    script = (Response(body=sse_body("data: a\n\n"), framing="chunked"), Response(204), Response(204))
    with serving(*script) as server:
        with requests.Session() as http:
            http.headers["X-From-Client"] = "yes"
            with SSEClient(server.url(), transport=RequestsTransport(http), retry_interval=0) as client:
                assert [e.data for e in client] == ["a"]
            assert http.get(server.url()).status_code == 204  # still usable: yours
        request = server.requests[0]
    assert request.header("X-From-Client") == "yes"
    assert request.header("Accept") == "text/event-stream"


def test_your_aiohttp_session_is_used_and_left_open() -> None:
    async def run(url: str) -> list[str]:
        async with aiohttp.ClientSession(headers={"X-From-Client": "yes"}) as http:
            async with AsyncSSEClient(url, transport=AiohttpTransport(http), retry_interval=0) as client:
                data = [e.data async for e in client]
            assert not http.closed
        return data

    with serving(Response(body=sse_body("data: a\n\n"), framing="chunked"), Response(204)) as server:
        assert asyncio.run(run(server.url())) == ["a"]
    assert server.requests[0].header("X-From-Client") == "yes"


def test_your_async_httpx_client_is_used_and_left_open() -> None:
    async def run(url: str) -> list[str]:
        async with httpx.AsyncClient(headers={"X-From-Client": "yes"}) as http:
            async with AsyncSSEClient(url, transport=AsyncHTTPXTransport(http), retry_interval=0) as client:
                data = [e.data async for e in client]
            assert not http.is_closed
        return data

    with serving(Response(body=sse_body("data: a\n\n"), framing="chunked"), Response(204)) as server:
        assert asyncio.run(run(server.url())) == ["a"]
    assert server.requests[0].header("X-From-Client") == "yes"


@SYNC
def test_a_compressed_stream_is_decoded(transport: type[SyncTransport]) -> None:
    compressed = Response(
        headers=(("Content-Type", "text/event-stream"), ("Content-Encoding", "gzip")),
        body=(gzip.compress(b"data: squeezed\n\n"),),
        framing="content-length",
    )
    with serving(compressed, Response(204)) as server:
        with SSEClient(server.url(), transport=transport(), retry_interval=0) as client:
            assert [e.data for e in client] == ["squeezed"]


@SYNC
def test_close_from_another_thread_wakes_a_blocked_read(transport: type[SyncTransport]) -> None:
    held = Response(body=sse_body("data: a\n\n"), framing="chunked", then="hold")
    with serving(held) as server:
        client = SSEClient(server.url(), transport=transport(), timeout=60)
        seen: list[SSEEvent] = []
        failures: list[BaseException] = []

        def consume() -> None:
            try:
                seen.extend(client)
            except Exception as exc:  # the test looks at it
                failures.append(exc)

        worker = threading.Thread(target=consume)
        worker.start()
        wait_until(lambda: len(seen) == 1)
        client.close()
        worker.join(5)  # a hang guard: without the wake-up, the 60 s read timeout
        assert not worker.is_alive()
    assert failures == []


@SYNC
def test_a_non_ascii_last_event_id_goes_out_as_utf8(transport: type[SyncTransport]) -> None:
    first = Response(body=sse_body("id: caf\u00e9 \u2603\ndata: a\n\n"), framing="chunked")
    with serving(first, Response(204)) as server:
        with SSEClient(server.url(), transport=transport(), retry_interval=0) as client:
            assert [e.id for e in client] == ["caf\u00e9 \u2603"]
    # The test server reads header bytes as UTF-8: anything else would not round-trip.
    assert server.requests[1].header("Last-Event-ID") == "caf\u00e9 \u2603"


@pytest.mark.parametrize("transport", [AsyncHTTPXTransport, AiohttpTransport], ids=["httpx", "aiohttp"])
def test_async_adapters_decode_and_send_utf8(transport: type[AsyncTransport]) -> None:
    compressed = Response(
        headers=(("Content-Type", "text/event-stream"), ("Content-Encoding", "gzip")),
        body=(gzip.compress("id: caf\u00e9\ndata: squeezed\n\n".encode()),),
        framing="content-length",
    )

    async def run(url: str) -> list[SSEEvent]:
        async with AsyncSSEClient(url, transport=transport(), retry_interval=0) as client:
            return [event async for event in client]

    with serving(compressed, Response(204)) as server:
        events = asyncio.run(run(server.url()))
    assert [(e.id, e.data) for e in events] == [("caf\u00e9", "squeezed")]
    assert server.requests[1].header("Last-Event-ID") == "caf\u00e9"


CREDENTIAL_HEADERS = {"Authorization": "Bearer SECRET", "Cookie": "session=1"}


def run_httpx(url: str) -> None:
    with httpx.Client(headers=CREDENTIAL_HEADERS) as http:
        with SSEClient(url, transport=HTTPXTransport(http)) as client:
            list(client)


def run_async_httpx(url: str) -> None:
    async def run() -> None:
        async with httpx.AsyncClient(headers=CREDENTIAL_HEADERS) as http:
            async with AsyncSSEClient(url, transport=AsyncHTTPXTransport(http)) as client:
                [event async for event in client]

    asyncio.run(run())


def run_requests(url: str) -> None:
    with requests.Session() as http:
        http.headers.update(CREDENTIAL_HEADERS)
        with SSEClient(url, transport=RequestsTransport(http)) as client:
            list(client)


def run_aiohttp(url: str) -> None:
    async def run() -> None:
        async with aiohttp.ClientSession(headers=CREDENTIAL_HEADERS) as http:
            async with AsyncSSEClient(url, transport=AiohttpTransport(http)) as client:
                [event async for event in client]

    asyncio.run(run())


@pytest.mark.parametrize(
    "run",
    [run_httpx, run_async_httpx, run_requests, run_aiohttp],
    ids=["httpx", "async-httpx", "requests", "aiohttp"],
)
def test_your_clients_credentials_stay_on_their_origin(run: Callable[[str], None]) -> None:
    with serving(Response(204)) as other:
        same_origin = Response(307, (("Location", "/again"),), framing="content-length")
        away = Response(307, (("Location", other.url("/there")),), framing="content-length")
        with serving(same_origin, away) as server:
            run(server.url())
    for request in server.requests:  # the first origin, before and after a redirect
        assert request.header("Authorization") == "Bearer SECRET"
        assert request.header("Cookie") == "session=1"
    assert other.requests[0].path == "/there"
    assert other.requests[0].header("Authorization") is None
    assert other.requests[0].header("Cookie") is None


@pytest.mark.parametrize(
    "transport", [HTTPTransport, HTTPXTransport, RequestsTransport], ids=["built-in", "httpx", "requests"]
)
def test_an_event_is_delivered_before_the_rest_of_its_http_chunk(
    transport: Callable[[], SyncTransport],
) -> None:
    with serving(partly_sent_chunk()) as server:
        with SSEClient(server.url(), transport=transport(), timeout=2.0, max_retries=0) as client:
            assert next(iter(client)).data == "first"


@pytest.mark.parametrize(
    "transport",
    [AsyncHTTPTransport, AsyncHTTPXTransport, AiohttpTransport],
    ids=["built-in", "httpx", "aiohttp"],
)
def test_an_event_is_delivered_before_the_rest_of_its_http_chunk_async(
    transport: Callable[[], AsyncTransport],
) -> None:
    async def first(url: str) -> str:
        async with AsyncSSEClient(url, transport=transport(), timeout=2.0, max_retries=0) as client:
            async for event in client:
                return event.data
        return ""

    with serving(partly_sent_chunk()) as server:
        assert asyncio.run(first(server.url())) == "first"


def partly_sent_chunk() -> Response:
    """A 4 KiB chunk of which only the first event is sent, the rest held back: a server
    that puts several events into one chunk."""
    return Response(
        headers=(("Content-Type", "text/event-stream"), ("Transfer-Encoding", "chunked")),
        body=(b"1000\r\ndata: first\n\n",),
        framing="close",  # the bytes as they are: the chunk framing is written above
        then="hold",
    )
