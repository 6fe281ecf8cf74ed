"""The examples in the API reference's docstrings, as code that runs."""

from collections.abc import AsyncIterable, Iterable
from pathlib import Path

from sse import AsyncEventSource, AsyncSSEClient, EventSource, SSEClient, SSEParser, async_connect, connect
from sse.transports import AsyncHTTPResponse


def sse_client(url: str) -> None:
    with SSEClient(url) as client:
        for event in client:
            print(event.data)


async def async_sse_client(url: str) -> None:
    async with AsyncSSEClient(url) as client:
        async for event in client:
            print(event.data)


def connect_example(url: str) -> None:
    with connect(url) as events:
        for event in events:
            print(event.data)


async def async_connect_example(url: str) -> None:
    async with async_connect(url) as events:
        async for event in events:
            print(event.data)


def sse_parser(body_chunks: Iterable[bytes]) -> None:
    parser = SSEParser()
    for chunk in body_chunks:
        for event in parser.feed(chunk):  # the events this chunk completed, in order
            print(event.event, event.data)
    parser.end()  # the stream ended: an event without its blank line is discarded


def event_source() -> None:
    lines = ["event: greeting", "data: hello", "", "data: world", ""]
    for event in EventSource(lines):
        print(event.event, event.data)


def event_source_from_bytes(path: Path) -> None:
    with open(path, "rb") as body:
        for event in EventSource.from_bytes(iter(lambda: body.read(65536), b"")):
            print(event.data)


async def async_event_source(async_line_source: AsyncIterable[str]) -> None:
    async for event in AsyncEventSource(async_line_source):
        print(event.data)


async def async_event_source_from_bytes(response: AsyncHTTPResponse) -> None:
    async for event in AsyncEventSource.from_bytes(response.aiter_bytes()):
        print(event.data)
