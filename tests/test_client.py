"""The clients against a real HTTP server on 127.0.0.1 (spec_tests/server.py), sync and async."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from pathlib import Path
from typing import ClassVar, Protocol

import pytest
import trustme
from typing_extensions import TypedDict, Unpack, override

from spec_tests.server import (
    BodyPart,
    Framing,
    Pause,
    Response,
    ScriptedServer,
    serving,
    sse_body,
    wait_until,
)
from sse import (
    AsyncSSEClient,
    AsyncTransport,
    EventTooLargeError,
    SSEClient,
    SSEConnectionError,
    SSEContentTypeError,
    SSEEvent,
    SSEHTTPError,
    SSERedirectError,
    SyncTransport,
    VerifyTypes,
    async_connect,
    connect,
)
from sse.transports import AsyncHTTPResponse, AsyncHTTPTransport, HTTPResponse, HTTPTransport
from sse.transports.aiohttp import AiohttpTransport
from sse.transports.httpx import AsyncHTTPXTransport, HTTPXTransport
from sse.transports.requests import RequestsTransport


class Options(TypedDict, total=False):
    """The options both clients take alike."""

    headers: dict[str, str]
    timeout: float
    retry_interval: int
    max_retries: int
    verify: VerifyTypes
    last_event_id: str
    max_event_size: int


class Fast(TypedDict):
    retry_interval: int
    timeout: float


FAST: Fast = {"retry_interval": 0, "timeout": 5.0}


def collect(url: str, **options: Unpack[Options]) -> list[SSEEvent]:
    """Every event of a sync client until it ends (or raises)."""
    with SSEClient(url, **options) as client:
        return list(client)


def acollect(url: str, **options: Unpack[Options]) -> list[SSEEvent]:
    async def run() -> list[SSEEvent]:
        async with AsyncSSEClient(url, **options) as client:
            return [event async for event in client]

    return asyncio.run(run())


class Collect(Protocol):
    def __call__(self, url: str, **options: Unpack[Options]) -> list[SSEEvent]: ...


def collect_with(transport: Callable[[], SyncTransport]) -> Collect:
    def run(url: str, **options: Unpack[Options]) -> list[SSEEvent]:
        with SSEClient(url, transport=transport(), **options) as client:
            return list(client)

    return run


def acollect_with(transport: Callable[[], AsyncTransport]) -> Collect:
    def run(url: str, **options: Unpack[Options]) -> list[SSEEvent]:
        async def consume() -> list[SSEEvent]:
            async with AsyncSSEClient(url, transport=transport(), **options) as client:
                return [event async for event in client]

        return asyncio.run(consume())

    return run


collect_requests = collect_with(RequestsTransport)
acollect_aiohttp = acollect_with(AiohttpTransport)

# Every behaviour of the clients, through the built-in transports and every adapter.
both = pytest.mark.parametrize(
    "run",
    [
        collect,
        acollect,
        collect_with(HTTPXTransport),
        acollect_with(AsyncHTTPXTransport),
        collect_requests,
        acollect_aiohttp,
    ],
    ids=["sync", "async", "sync-httpx", "async-httpx", "sync-requests", "async-aiohttp"],
)


def stream(*texts: str, framing: Framing = "chunked") -> Response:
    return Response(body=sse_body(*texts), framing=framing)


# -- requests ----------------------------------------------------------------------------


@both
def test_requests_carry_the_standard_headers_and_the_users(run: Collect) -> None:
    with serving(stream("data: a\n\n"), Response(204)) as server:
        run(server.url("/events?x=1"), headers={"Authorization": "Bearer t"}, **FAST)
    first = server.requests[0]
    assert (first.method, first.path) == ("GET", "/events?x=1")
    assert first.header("Accept") == "text/event-stream"
    assert first.header("Cache-Control") == "no-cache"
    assert first.header("Authorization") == "Bearer t"
    assert first.header("Last-Event-ID") is None


@both
def test_last_event_id_follows_the_stream(run: Collect) -> None:
    script = (
        stream("id: 1\ndata: a\n\n", "id: 2\ndata: b"),  # id 2 is in an event never dispatched
        stream("id: caf\u00e9\ndata: c\n\n"),
        stream("id\ndata: d\n\n"),  # an empty id resets it
        Response(204),
    )
    with serving(*script) as server:
        events = run(server.url(), last_event_id="0", **FAST)
    assert [(e.data, e.id) for e in events] == [("a", "1"), ("c", "caf\u00e9"), ("d", "")]
    sent = [request.header("Last-Event-ID") for request in server.requests]
    assert sent == ["0", "1", "caf\u00e9", None]


@both
@pytest.mark.parametrize("value", ["a\r\nInjected: yes", "a\rb", "a\nb", "a\x00b"])
def test_header_values_that_could_split_the_request_are_refused(run: Collect, value: str) -> None:
    with serving(stream("data: a\n\n")) as server, pytest.raises(ValueError, match="CR, LF or NUL"):
        run(server.url(), headers={"X-Evil": value}, **FAST)
    assert server.requests == []


# -- responses ---------------------------------------------------------------------------


@both
@pytest.mark.parametrize(
    "content_type", ["text/event-stream", "text/event-stream; charset=utf-8", "TEXT/Event-Stream ;x=y"]
)
def test_event_stream_types_open(run: Collect, content_type: str) -> None:
    response = Response(headers=(("Content-Type", content_type),), body=sse_body("data: a\n\n"))
    with serving(response, Response(204)) as server:
        assert [e.data for e in run(server.url(), **FAST)] == ["a"]


@both
@pytest.mark.parametrize("content_type", ["text/plain", "", "text/event-streams", "application/json"])
def test_other_types_fail_without_reconnecting(run: Collect, content_type: str) -> None:
    headers = (("Content-Type", content_type),) if content_type else ()
    with serving(Response(headers=headers, body=sse_body("data: a\n\n"))) as server:
        with pytest.raises(SSEContentTypeError) as raised:
            run(server.url(), **FAST)
    assert raised.value.content_type == content_type
    assert len(server.requests) == 1


@both
def test_204_ends_without_reconnecting(run: Collect) -> None:
    with serving(Response(204, headers=())) as server:
        assert run(server.url(), **FAST) == []
    assert len(server.requests) == 1


@both
@pytest.mark.parametrize("status", [201, 206, 404, 500, 503])
def test_other_statuses_raise_with_status_headers_and_body(run: Collect, status: int) -> None:
    error = Response(
        status, (("Content-Type", "text/plain"), ("X-Why", "because")), (b"x" * 10000,), "content-length"
    )
    with serving(error) as server, pytest.raises(SSEHTTPError) as raised:
        run(server.url(), **FAST)
    assert raised.value.status_code == status
    assert raised.value.headers["x-why"] == "because"
    assert raised.value.body == b"x" * 4096
    assert len(server.requests) == 1


@both
def test_events_before_a_malformed_chunk_are_delivered(run: Collect) -> None:
    event = b"retry: 0\ndata: one\n\n"
    broken = Response(
        headers=(("Content-Type", "text/event-stream"), ("Transfer-Encoding", "chunked")),
        body=(b"%x\r\n%s\r\nZZ\r\n" % (len(event), event),),  # a good chunk, then a bad size
        framing="close",
    )
    if run is acollect_aiohttp:
        # aiohttp either fails the response with the bytes it buffered ahead of the bad
        # chunk (the event is lost), or delivers them and never reports the failure: the
        # adapter's read deadline ends the wait. Either way, no hang and no stray event.
        with serving(broken, Response(204)) as server:
            assert [e.data for e in run(server.url(), retry_interval=0, timeout=0.5)] in ([], ["one"])
        assert len(server.requests) == 2
        return
    with serving(broken, Response(204)) as server:
        assert [e.data for e in run(server.url(), **FAST)] == ["one"]
    assert len(server.requests) == 2


def collect_until_error(url: str, **options: Unpack[Options]) -> tuple[list[str], BaseException | None]:
    """The data of every event a sync client delivers, and what it raised at the end."""
    delivered: list[str] = []
    with SSEClient(url, **options) as client:
        try:
            delivered.extend(event.data for event in client)
        except Exception as exc:  # the test looks at it
            return delivered, exc
    return delivered, None


def acollect_until_error(url: str, **options: Unpack[Options]) -> tuple[list[str], BaseException | None]:
    async def run() -> tuple[list[str], BaseException | None]:
        delivered: list[str] = []
        async with AsyncSSEClient(url, **options) as client:
            try:
                async for event in client:
                    delivered.append(event.data)
            except Exception as exc:
                return delivered, exc
        return delivered, None

    return asyncio.run(run())


class CollectUntilError(Protocol):
    def __call__(self, url: str, **options: Unpack[Options]) -> tuple[list[str], BaseException | None]: ...


@pytest.mark.parametrize("run", [collect_until_error, acollect_until_error], ids=["sync", "async"])
def test_events_before_an_oversized_one_are_delivered_then_it_raises(run: CollectUntilError) -> None:
    # One write, so (on loopback) one read: the parser completes "a" and then meets
    # the excess in the same chunk, and the client must deliver "a" before raising.
    body = b"data: a\n\ndata: " + b"x" * 500 + b"\n\n"
    with serving(Response(body=(body,), framing="content-length")) as server:
        delivered, error = run(server.url(), max_event_size=100, **FAST)
    assert delivered == ["a"]
    assert isinstance(error, EventTooLargeError)
    assert error.limit == 100
    assert len(server.requests) == 1  # not a network failure: no reconnection


class OneChunk:
    """A transport whose body arrives as one given chunk: the chunking made certain."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> OneChunkResponse:
        return OneChunkResponse(self.body)


class OneChunkResponse:
    status_code = 200
    ok = True
    headers: ClassVar[dict[str, str]] = {"Content-Type": "text/event-stream"}

    def __init__(self, body: bytes) -> None:
        self.body = body

    def iter_bytes(self) -> Iterator[bytes]:
        yield self.body

    def iter_lines(self) -> Iterator[str]:
        raise AssertionError("the client reads bytes when a response offers them")

    def close(self) -> None:
        pass


def test_events_before_an_oversized_one_in_the_same_chunk() -> None:
    body = b"data: a\n\ndata: b\n\ndata: " + b"x" * 500 + b"\n\n"
    delivered: list[str] = []
    with (
        SSEClient("http://127.0.0.1:9/", transport=OneChunk(body), max_event_size=100) as client,
        pytest.raises(EventTooLargeError),
    ):
        delivered.extend(event.data for event in client)
    assert delivered == ["a", "b"]


def test_an_error_page_is_read_for_at_most_the_timeout() -> None:
    # 80 bytes, a quarter second apart: each read well within the 1 s timeout, 20 s in
    # all. The client reads the page for about 1 s, then raises with what it has; the
    # guards below are 8 s.
    trickle: list[BodyPart] = []
    for _ in range(80):
        trickle += [b"x", Pause(0.25)]
    slow_error = Response(500, (("Content-Type", "text/plain"),), tuple(trickle), framing="close")

    async def consume(url: str) -> None:
        async with AsyncSSEClient(url, timeout=1.0) as client:
            async for _ in client:
                pass

    async def guarded(url: str) -> BaseException | None:
        try:
            await asyncio.wait_for(consume(url), 8)
        except SSEHTTPError as exc:
            return exc
        return None

    with serving(slow_error, slow_error) as server:
        raised: list[BaseException] = []

        def run_sync() -> None:
            try:
                collect(server.url(), timeout=1.0)
            except SSEHTTPError as exc:
                raised.append(exc)

        worker = threading.Thread(target=run_sync)
        worker.start()
        worker.join(8)
        assert not worker.is_alive()
        async_raised = asyncio.run(guarded(server.url()))
        for error in (*raised, async_raised):
            assert isinstance(error, SSEHTTPError)
            assert error.status_code == 500
            assert error.body.startswith(b"x")
            assert len(error.body) < 80  # cut short, not read to the end


def test_a_malformed_chunk_ends_the_body_at_once_even_if_the_server_then_waits() -> None:
    # The server sends a good chunk and a bad one, then keeps the connection open and
    # silent. The client must deliver "one" and reconnect now, not after its 60 s
    # read timeout: the guard below is 10 s.
    event = b"retry: 0\ndata: one\n\n"
    broken = Response(
        headers=(("Content-Type", "text/event-stream"), ("Transfer-Encoding", "chunked")),
        body=(b"%x\r\n%s\r\nZZ\r\n" % (len(event), event),),
        framing="close",
        then="hold",
    )

    async def consume(url: str) -> list[str]:
        async with AsyncSSEClient(url, timeout=60, retry_interval=0) as client:
            return [e.data async for e in client]

    async def guarded(url: str) -> list[str]:
        return await asyncio.wait_for(consume(url), 10)

    with serving(broken, Response(204), broken, Response(204)) as server:
        seen: list[SSEEvent] = []
        worker = threading.Thread(target=lambda: seen.extend(SSEClient(server.url(), timeout=60)))
        worker.start()
        worker.join(10)
        assert not worker.is_alive()
        assert [e.data for e in seen] == ["one"]
        assert asyncio.run(guarded(server.url())) == ["one"]
    assert len(server.requests) == 4


@both
def test_an_interim_response_is_skipped(run: Collect, request: pytest.FixtureRequest) -> None:
    """A 103 Early Hints before the real response (written raw: the scripted server
    sends one response per connection)."""
    if run is collect_requests:
        reason = "http.client, under requests, skips 100 Continue only: a 103 is the response"
        request.applymarker(pytest.mark.xfail(raises=SSEHTTPError, strict=True, reason=reason))
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        listener.settimeout(2)  # a client that never comes back does not hold the thread

        def answer() -> None:
            for final in (True, False):
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    return
                with connection:
                    connection.recv(65536)
                    if not final:
                        connection.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
                        continue
                    connection.sendall(b"HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n")
                    time.sleep(0.1)  # the hints arrive on their own, before the response
                    connection.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nretry: 0\ndata: hi\n\n"
                    )

        worker = threading.Thread(target=answer)
        worker.start()
        try:
            assert [e.data for e in run(f"http://127.0.0.1:{port}/", **FAST)] == ["hi"]
        finally:
            worker.join(10)


@both
def test_a_response_head_without_end_is_bounded(run: Collect) -> None:
    endless = Response(200, (("X-Junk", "a" * (512 * 1024)),), framing="close")
    with serving(endless) as server:
        with pytest.raises(
            SSEConnectionError, match=r"(?i)head exceeds|Receive buffer too long|got more than"
        ):  # ours, h11's, http.client's
            run(server.url(), max_retries=0, **FAST)


@both
@pytest.mark.parametrize("framing", ["content-length", "chunked", "close"])
def test_every_body_framing(run: Collect, framing: Framing) -> None:
    with serving(stream("data: a\n\n", "data: b\n\n", framing=framing), Response(204)) as server:
        assert [e.data for e in run(server.url(), **FAST)] == ["a", "b"]


# -- reconnection ------------------------------------------------------------------------

BODY = b"".join(f"id: {n}\ndata: event {n}\n\n".encode() for n in range(1, 6))


def resume_from(last_id: str | None) -> Response:
    """The server's side of a resume: the events after the one the client names."""
    start = int(last_id or 0)
    rest = b"".join(f"id: {n}\ndata: event {n}\n\n".encode() for n in range(start + 1, 6))
    return Response(body=(rest,), framing="chunked")


@pytest.mark.parametrize("offset", range(len(BODY) + 1))
@pytest.mark.parametrize("run", [collect, acollect], ids=["sync", "async"])
def test_a_drop_at_any_offset_resumes_exactly_once(run: Collect, offset: int) -> None:
    expected_id = ""
    for block in BODY[:offset].split(b"\n\n")[:-1]:
        expected_id = block.split(b"\n")[0].removeprefix(b"id: ").decode()
    dropped = Response(body=(BODY[:offset],), framing="close", then="reset")
    with serving(dropped, resume_from(expected_id), Response(204)) as server:
        events = run(server.url(), **FAST)
    assert [e.data for e in events] == [f"event {n}" for n in range(1, 6)]
    assert server.requests[1].header("Last-Event-ID") == (expected_id or None)


@both
def test_retry_sets_the_reconnection_time(run: Collect) -> None:
    # retry: 0 in a block that never dispatches still applies: the reconnect is at once
    with serving(stream("retry: 0\n"), stream("data: a\n\n"), Response(204)) as server:
        events = run(server.url(), retry_interval=600_000, timeout=5.0)
    assert [e.data for e in events] == ["a"]
    assert len(server.requests) == 3


@both
def test_max_retries_then_connection_error(run: Collect) -> None:
    with serving(stream(""), stream(""), stream("")) as server:
        with pytest.raises(SSEConnectionError) as raised:
            run(server.url(), max_retries=2, **FAST)
    assert raised.value.retries == 3
    assert len(server.requests) == 3
    assert server.unexpected == 0


@both
def test_an_event_resets_the_count_of_failures(run: Collect) -> None:
    # Failures in a row: 1, then 0 at the event and 1 at the end of that body, 2, 0/1, 2, 3.
    script = (stream(""), stream("data: a\n\n"), stream(""), stream("data: b\n\n"), stream(""), stream(""))
    with serving(*script) as server, pytest.raises(SSEConnectionError) as raised:
        run(server.url(), max_retries=2, **FAST)
    assert raised.value.retries == 3
    assert len(server.requests) == 6


@both
def test_connection_refused_is_retried_then_raised(run: Collect) -> None:
    with ScriptedServer() as server:
        url = server.url()
    with pytest.raises(SSEConnectionError) as raised:  # nothing listens there any more
        run(url, max_retries=1, **FAST)
    assert isinstance(raised.value.last_error, OSError)


@both
def test_a_silent_stream_times_out_and_reconnects(run: Collect) -> None:
    held = Response(body=sse_body("data: a\n\n"), framing="chunked", then="hold")
    with serving(held, Response(204)) as server:
        events = run(server.url(), retry_interval=0, timeout=0.2)
    assert [e.data for e in events] == ["a"]
    assert len(server.requests) == 2


# -- closing -----------------------------------------------------------------------------


def test_close_from_another_thread_ends_a_blocked_iteration() -> None:
    held = Response(body=sse_body("data: a\n\n"), framing="chunked", then="hold")
    with serving(held) as server:
        client = SSEClient(server.url(), timeout=60)
        seen: list[SSEEvent] = []
        worker = threading.Thread(target=lambda: seen.extend(client))
        worker.start()
        wait_until(lambda: len(seen) == 1)
        client.close()
        worker.join(5)
        assert not worker.is_alive()
    assert [e.data for e in seen] == ["a"]


def test_no_event_is_delivered_after_close() -> None:
    with (
        serving(stream("data: a\n\ndata: b\n\n"), Response(204)) as server,
        connect(server.url(), **FAST) as client,
    ):
        delivered: list[str] = []
        for event in client:
            delivered.append(event.data)
            client.close()
    assert delivered == ["a"]


class AsyncLinesOnly:
    """An async transport of the seed's shape: lines, no headers, no bytes."""

    def __init__(self) -> None:
        self.inner = AsyncHTTPTransport()

    async def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> AsyncLinesOnlyResponse:
        return AsyncLinesOnlyResponse(await self.inner(url, headers=headers, timeout=timeout))


class AsyncLinesOnlyResponse:
    def __init__(self, response: AsyncHTTPResponse) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    def aiter_lines(self) -> AsyncIterator[str]:
        return self._response.aiter_lines()

    async def aclose(self) -> None:
        await self._response.aclose()


@pytest.mark.parametrize("shape", ["bytes", "lines"])
def test_no_event_is_delivered_after_close_async(shape: str) -> None:
    async def run(url: str) -> list[str]:
        transport = AsyncLinesOnly() if shape == "lines" else None
        delivered: list[str] = []
        async with AsyncSSEClient(url, transport=transport, **FAST) as client:
            async for event in client:
                delivered.append(event.data)
                await client.close()
        return delivered

    with serving(stream("data: a\n\ndata: b\n\n"), Response(204)) as server:
        assert asyncio.run(run(server.url())) == ["a"]


def test_no_event_is_delivered_after_close_lines() -> None:
    with serving(stream("data: a\n\ndata: b\n\n"), Response(204)) as server:
        with SSEClient(server.url(), transport=LinesOnly(), **FAST) as client:
            delivered: list[str] = []
            for event in client:
                delivered.append(event.data)
                client.close()
    assert delivered == ["a"]


LONG_WAIT = Response(body=(b"retry: 600000\ndata: a\n\n",), framing="close")  # then a 10-minute wait


def test_close_ends_a_wait_to_reconnect() -> None:
    with serving(LONG_WAIT) as server:
        client = SSEClient(server.url(), timeout=5.0)
        seen: list[SSEEvent] = []
        worker = threading.Thread(target=lambda: seen.extend(client))
        worker.start()
        wait_until(lambda: len(seen) == 1)
        wait_until(lambda: client.reconnection_time == 600000)
        client.close()
        worker.join(10)  # a hang guard: without close() ending the wait, ten minutes
        assert not worker.is_alive()


def test_close_ends_a_wait_to_reconnect_async() -> None:
    async def run(url: str) -> None:
        client = AsyncSSEClient(url, timeout=5.0)
        seen = asyncio.Event()

        async def consume() -> None:
            async for _ in client:
                seen.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(seen.wait(), 10)
        await asyncio.sleep(0.05)  # let the stream end and the wait begin
        await client.close()
        await asyncio.wait_for(task, 10)  # a hang guard, as above

    with serving(LONG_WAIT) as server:
        asyncio.run(run(server.url()))


def test_cancelling_an_async_iteration_closes_the_connection() -> None:
    async def run(server: ScriptedServer) -> None:
        client = async_connect(server.url(), timeout=60)
        started = asyncio.Event()

        async def consume() -> None:
            async for _ in client:
                started.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(started.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    held = Response(body=sse_body("data: a\n\n"), framing="chunked", then="hold")
    with serving(held) as server:
        asyncio.run(run(server))
        # The server sees the client go away; a leaked socket would fail the test
        # with a ResourceWarning.


# -- redirects ---------------------------------------------------------------------------


@both
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_followed(run: Collect, status: int) -> None:
    redirect = Response(status, (("Location", "/moved"),), framing="content-length")
    with serving(redirect, stream("data: a\n\n"), Response(204)) as server:
        assert [e.data for e in run(server.url("/start"), **FAST)] == ["a"]
    assert [r.path for r in server.requests] == ["/start", "/moved", "/start"]


@both
def test_a_redirect_to_another_origin_drops_credentials(run: Collect) -> None:
    with serving(stream("data: a\n\n")) as other:
        away = Response(302, (("Location", other.url("/there")),), framing="content-length")
        with serving(away, Response(204)) as server:  # the reconnection goes to the stream's own URL
            credentials = {"Authorization": "Bearer t", "Cookie": "c=1", "X-Keep": "k"}
            assert [e.data for e in run(server.url(), headers=credentials, **FAST)] == ["a"]
    arrived = other.requests[0]
    assert arrived.header("Authorization") is None
    assert arrived.header("Cookie") is None
    assert arrived.header("X-Keep") == "k"


@both
def test_a_redirect_to_another_scheme_fails(run: Collect) -> None:
    with serving(Response(302, (("Location", "ftp://127.0.0.1/x"),), framing="content-length")) as server:
        with pytest.raises(SSERedirectError, match="http and https"):
            run(server.url(), **FAST)


@both
def test_a_redirect_to_another_origin_drops_proxy_credentials(run: Collect) -> None:
    with serving(stream("data: a\n\n")) as other:
        away = Response(302, (("Location", other.url("/there")),), framing="content-length")
        with serving(away, Response(204)) as server:
            run(server.url(), headers={"Proxy-Authorization": "Basic eA=="}, **FAST)
    assert server.requests[0].header("Proxy-Authorization") == "Basic eA=="
    assert other.requests[0].header("Proxy-Authorization") is None


@both
def test_a_redirect_is_followed_without_reading_its_body(run: Collect) -> None:
    endless = Response(302, (("Location", "/there"),), (b"moved",), framing="chunked", then="hold")
    with serving(endless, stream("retry: 0\ndata: a\n\n"), Response(204)) as server:
        assert [e.data for e in run(server.url(), timeout=1.0, max_retries=1)] == ["a"]
    # Not a read timeout on the redirect's body, then a reconnection to "/".
    assert [request.path for request in server.requests] == ["/", "/there", "/"]


@both
def test_an_unusable_location_fails_as_a_redirect_error(run: Collect) -> None:
    with serving(Response(302, (("Location", "http://[::1/x"),), framing="content-length")) as server:
        with pytest.raises(SSERedirectError, match="unusable Location"):
            run(server.url(), **FAST)


@both
def test_a_location_with_spaces_and_utf8_is_percent_encoded(run: Collect) -> None:
    location = "/a b/\u00e9?q=x y".encode().decode("latin-1")  # as the header's bytes arrive
    with serving(Response(302, (("Location", location),), framing="content-length"), Response(204)) as server:
        run(server.url(), **FAST)
    assert server.requests[1].path == "/a%20b/%C3%A9?q=x%20y"


@both
def test_a_redirect_without_location_fails(run: Collect) -> None:
    with serving(Response(302, (), framing="content-length")) as server:
        with pytest.raises(SSERedirectError, match="without a Location"):
            run(server.url(), **FAST)


@both
def test_a_redirect_loop_fails(run: Collect) -> None:
    loop = [Response(302, (("Location", path),), framing="content-length") for path in ("/b", "/a")]
    with serving(*loop) as server, pytest.raises(SSERedirectError, match="loop"):
        run(server.url("/a"), **FAST)


# -- TLS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(authority: trustme.CA) -> Iterator[ScriptedServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate = authority.issue_cert("127.0.0.1")
    with certificate.private_key_and_cert_chain_pem.tempfile() as pem:
        context.load_cert_chain(pem)
    with ScriptedServer([stream("data: secure\n\n"), Response(204)], tls=context) as server:
        yield server


@both
def test_tls_rejects_an_unknown_authority(run: Collect, tls_server: ScriptedServer) -> None:
    with pytest.raises(SSEConnectionError) as raised:
        run(tls_server.url(), **FAST)
    assert isinstance(raised.value.last_error, ssl.SSLCertVerificationError)
    assert "certificate verify failed" in str(raised.value)


@both
def test_tls_accepts_the_right_authority(
    run: Collect, tls_server: ScriptedServer, authority: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    assert [e.data for e in run(tls_server.url(), verify=str(bundle), **FAST)] == ["secure"]


@both
@pytest.mark.parametrize("bundle", ["missing", "not-pem"])
def test_a_ca_bundle_that_cannot_be_loaded_is_a_usage_error(
    run: Collect, tls_server: ScriptedServer, tmp_path: Path, bundle: str
) -> None:
    path = tmp_path / "ca.pem"
    if bundle == "not-pem":
        path.write_text("not a certificate\n")
    # max_retries=1: were it taken for a network failure, SSEConnectionError, not a hang.
    with pytest.raises(ValueError, match="cannot load the CA bundle"):
        run(tls_server.url(), verify=str(path), max_retries=1, **FAST)
    assert tls_server.requests == []


@both
def test_tls_with_a_context_used_as_it_is(
    run: Collect, tls_server: ScriptedServer, authority: trustme.CA
) -> None:
    context = ssl.create_default_context(cadata=authority.cert_pem.bytes().decode("ascii"))
    assert [e.data for e in run(tls_server.url(), verify=context, **FAST)] == ["secure"]
    # Nothing was loaded into it, nor changed (requests, for one, would add certifi's bundle).
    assert context.cert_store_stats()["x509_ca"] == 1
    assert context.verify_mode == ssl.CERT_REQUIRED


@both
# urllib3, under requests, warns of every unverified request, as its users expect.
@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_tls_without_verification(run: Collect, tls_server: ScriptedServer) -> None:
    assert [e.data for e in run(tls_server.url(), verify=False, **FAST)] == ["secure"]


@both
def test_a_server_that_never_answers_the_tls_handshake_times_out(run: Collect) -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts (in the kernel), says nothing
        url = f"https://127.0.0.1:{silent.getsockname()[1]}/"
        with pytest.raises(SSEConnectionError) as raised:
            run(url, retry_interval=0, timeout=0.2, max_retries=1)
    assert isinstance(raised.value.last_error, TimeoutError)
    assert raised.value.retries == 2


# -- close() while the connection is being opened ------------------------------------------


@contextlib.contextmanager
def unresponsive(phase: str) -> Generator[tuple[str, Callable[[], None]], None, None]:
    """A URL at which a client blocks in ``phase``, and a callable that returns once it
    is blocked there. "connect": a port whose listen queue is full, so that Linux drops
    the SYN; "tls": a server that accepts and never speaks TLS; "head": an HTTP server
    that reads the request and never answers."""
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(socket.create_server(("127.0.0.1", 0), backlog=0))
        server.settimeout(10)
        port = server.getsockname()[1]
        if phase == "connect":
            for _ in range(4):  # fill the queue, without accepting
                filler = stack.enter_context(socket.socket())
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", port))

            def blocked() -> None:
                time.sleep(0.3)  # nothing to observe: a dropped SYN is silent

        else:

            def blocked() -> None:
                conn = stack.enter_context(server.accept()[0])
                if phase == "head":
                    conn.settimeout(10)
                    assert conn.recv(65536).startswith(b"GET ")

        scheme = "https" if phase == "tls" else "http"
        yield f"{scheme}://127.0.0.1:{port}/", blocked


PHASES = pytest.mark.parametrize("phase", ["connect", "tls", "head"])


@PHASES
def test_close_interrupts_a_connection_being_opened(phase: str) -> None:
    with unresponsive(phase) as (url, blocked):
        client = SSEClient(url, timeout=60)
        outcome: list[object] = []

        def consume() -> None:
            try:
                outcome.extend(client)
            except Exception as exc:  # the test looks at it
                outcome.append(exc)

        worker = threading.Thread(target=consume)
        worker.start()
        blocked()
        client.close()
        worker.join(10)  # a hang guard: without the interruption, the 60 s timeout
        assert not worker.is_alive()
    assert outcome == []  # no event, no error: closing is not a failure


@PHASES
def test_close_interrupts_a_connection_being_opened_async(phase: str) -> None:
    async def run(url: str, blocked: Callable[[], None]) -> list[object]:
        client = AsyncSSEClient(url, timeout=60)
        outcome: list[object] = []

        async def consume() -> None:
            try:
                outcome.extend([event async for event in client])
            except Exception as exc:  # the test looks at it
                outcome.append(exc)

        task = asyncio.create_task(consume())
        await asyncio.to_thread(blocked)
        await client.close()
        await asyncio.wait_for(task, 10)  # a hang guard, as above
        return outcome

    with unresponsive(phase) as (url, blocked):
        assert asyncio.run(run(url, blocked)) == []


class NeverReturns:
    """An async transport that never answers: close() must cancel it."""

    def __init__(self) -> None:
        self.cancelled = False

    async def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> AsyncLinesOnlyResponse:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        raise AssertionError("unreachable")


def test_close_cancels_any_async_transport_still_connecting() -> None:
    async def run() -> NeverReturns:
        transport = NeverReturns()
        client = AsyncSSEClient("http://127.0.0.1:9/", transport=transport)
        task = asyncio.create_task(consume_all(client))
        await asyncio.sleep(0.05)
        await client.close()
        assert await asyncio.wait_for(task, 10) == []
        return transport

    assert asyncio.run(run()).cancelled


def test_cancelling_the_iteration_while_connecting_cancels_the_transport() -> None:
    async def run() -> NeverReturns:
        transport = NeverReturns()
        task = asyncio.create_task(consume_all(AsyncSSEClient("http://127.0.0.1:9/", transport=transport)))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return transport

    assert asyncio.run(run()).cancelled


class ClosedTracked(AsyncLinesOnlyResponse):
    """A real response that says whether it was closed."""

    closed = False

    @override
    async def aclose(self) -> None:
        self.closed = True
        await super().aclose()


class ReturnsAsItsCallerIsCancelled:
    """An async transport whose call returns a real response in the very loop turn in
    which the iterating task is cancelled: that response has no other owner."""

    def __init__(self) -> None:
        self.inner = AsyncHTTPTransport()
        self.responses: list[ClosedTracked] = []
        self.called = asyncio.Event()
        self.gate: asyncio.Future[None] | None = None

    async def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> ClosedTracked:
        response = ClosedTracked(await self.inner(url, headers=headers, timeout=timeout))
        self.responses.append(response)
        self.gate = asyncio.get_running_loop().create_future()
        self.called.set()
        await self.gate
        return response


def test_a_response_returned_as_the_iteration_is_cancelled_is_closed() -> None:
    async def run(url: str) -> ReturnsAsItsCallerIsCancelled:
        transport = ReturnsAsItsCallerIsCancelled()
        task = asyncio.create_task(consume_all(AsyncSSEClient(url, transport=transport)))
        await transport.called.wait()
        assert transport.gate is not None
        transport.gate.set_result(None)  # the call returns first in the next turn...
        task.cancel()  # ...then the iterating task sees its cancellation
        with pytest.raises(asyncio.CancelledError):
            await task
        return transport

    with serving(Response(body=sse_body("data: a\n\n"), framing="chunked", then="hold")) as server:
        transport = asyncio.run(run(server.url()))
    assert [response.closed for response in transport.responses] == [True]


async def consume_all(client: AsyncSSEClient) -> list[SSEEvent]:
    return [event async for event in client]


# -- the seed's transport shape -----------------------------------------------------------


class LinesOnly:
    """A transport of the seed's shape: lines, no headers, no bytes."""

    def __init__(self) -> None:
        self.inner = HTTPTransport()

    def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> LinesOnlyResponse:
        return LinesOnlyResponse(self.inner(url, headers=headers, timeout=timeout))


class LinesOnlyResponse:
    def __init__(self, response: HTTPResponse) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    def iter_lines(self) -> Iterator[str]:
        return self._response.iter_lines()

    def close(self) -> None:
        self._response.close()


def test_a_transport_of_the_seeds_shape() -> None:
    with serving(stream("id: 7\ndata: a\n\n", "data: b\n\n"), Response(204)) as server:
        with SSEClient(server.url(), transport=LinesOnly(), **FAST) as client:
            events = list(client)
    assert [(e.data, e.id) for e in events] == [("a", "7"), ("b", "7")]
    assert server.requests[1].header("Last-Event-ID") == "7"


def test_each_event_is_delivered_while_the_stream_is_still_open() -> None:
    """The server sends one event and then nothing: a client that waited for more
    bytes (or for the end of the body) before yielding would never deliver it."""
    held = Response(body=(b"data: first\n\n",), framing="close", then="hold")
    with serving(held) as server, SSEClient(server.url(), **FAST) as client:
        delivered: list[str] = []

        def first() -> None:
            delivered.append(next(iter(client)).data)

        worker = threading.Thread(target=first)
        worker.start()
        worker.join(10)  # a hang guard, not a time measurement
        client.close()
        worker.join(10)
    assert delivered == ["first"]
