"""The README's first example: the clients. Run against a local server by tests/test_examples.py."""

from sse import async_connect, connect


def stream(url: str) -> None:
    # Reconnects with Last-Event-ID after a drop, honours retry:, stops on 204, raises on errors.
    with connect(url, headers={"Authorization": "Bearer token"}) as events:
        for event in events:
            print(event.event, event.data)


async def astream(url: str) -> None:
    async with async_connect(url) as events:
        async for event in events:
            print(event.id, event.json())
