"""The seed's documented examples, run as written against a local server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from spec_tests.server import Response, serving, sse_body
from sse import AsyncEventSource, AsyncSSEClient, EventSource, SSEClient, SSEEvent, async_connect, connect


def script() -> tuple[Response, ...]:
    # retry: 10 keeps the examples' default 3 s wait before the closing 204 short.
    body = sse_body("retry: 10\nevent: greeting\ndata: hello\n\n", "data: world\n\n")
    return (Response(body=body, framing="chunked"), Response(204))


def test_connect(capsys: pytest.CaptureFixture[str]) -> None:
    with serving(*script()) as server:
        with connect(server.url("/events")) as events:
            for event in events:
                print(event.event, event.data)
    assert capsys.readouterr().out == "greeting hello\nmessage world\n"


def test_async_connect(capsys: pytest.CaptureFixture[str]) -> None:
    async def main(url: str) -> None:
        async with async_connect(url) as events:
            async for event in events:
                print(event.data)

    with serving(*script()) as server:
        asyncio.run(main(server.url("/events")))
    assert capsys.readouterr().out == "hello\nworld\n"


def test_sse_client(capsys: pytest.CaptureFixture[str]) -> None:
    with serving(*script()) as server:
        with SSEClient(server.url("/events")) as client:
            for event in client:
                print(event.data)
    assert capsys.readouterr().out == "hello\nworld\n"


def test_async_sse_client(capsys: pytest.CaptureFixture[str]) -> None:
    async def main(url: str) -> None:
        async with AsyncSSEClient(url) as client:
            async for event in client:
                print(event.data)

    with serving(*script()) as server:
        asyncio.run(main(server.url("/events")))
    assert capsys.readouterr().out == "hello\nworld\n"


def test_event_source_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for event in EventSource(["data: hello", "", "data: world", ""]):
        print(event.data)  # "hello", then "world"
    lines = ["event: greeting", "data: hello", "", "data: world", ""]
    for event in EventSource(lines):
        print(event.event, event.data)
    assert capsys.readouterr().out == "hello\nworld\ngreeting hello\nmessage world\n"


def test_async_event_source_example() -> None:
    async def async_line_source() -> AsyncIterator[str]:
        for line in ["data: hello", ""]:
            yield line

    async def main() -> list[SSEEvent]:
        return [event async for event in AsyncEventSource(async_line_source())]

    assert [e.data for e in asyncio.run(main())] == ["hello"]
