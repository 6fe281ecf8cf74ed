"""The HTTP-client adapters: the SSE clients send with the client you configured, its
proxies, authentication, cookies and TLS settings included."""

import aiohttp
import httpx
import requests

from sse import AsyncSSEClient, SSEClient
from sse.transports.aiohttp import AiohttpTransport
from sse.transports.httpx import AsyncHTTPXTransport, HTTPXTransport
from sse.transports.requests import RequestsTransport


def with_httpx(url: str, token: str) -> None:
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}) as http:
        with SSEClient(url, transport=HTTPXTransport(http)) as events:
            for event in events:
                print(event.data)


async def with_async_httpx(url: str, token: str) -> None:
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
        async with AsyncSSEClient(url, transport=AsyncHTTPXTransport(http)) as events:
            async for event in events:
                print(event.data)


def with_requests(url: str, token: str) -> None:
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token}"
        with SSEClient(url, transport=RequestsTransport(http)) as events:
            for event in events:
                print(event.data)


async def with_aiohttp(url: str, token: str) -> None:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
        async with AsyncSSEClient(url, transport=AiohttpTransport(http)) as events:
            async for event in events:
                print(event.data)
