"""Typing cases for the clients, connect() and the transport Protocols. Type-checked, never run."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator, Mapping

from typing_extensions import assert_type

from sse import (
    AsyncClientOptions,
    AsyncRawResponse,
    AsyncResponse,
    AsyncSSEClient,
    AsyncTransport,
    ClientOptions,
    SSEClient,
    SSEConnectionError,
    SSEContentTypeError,
    SSEError,
    SSEEvent,
    SSEHTTPError,
    SSERedirectError,
    SyncRawResponse,
    SyncResponse,
    SyncTransport,
    VerifyTypes,
    async_connect,
    connect,
)
from sse.transports import AsyncHTTPResponse, AsyncHTTPTransport, Headers, HTTPResponse, HTTPTransport


def sync_client() -> None:
    with connect("http://127.0.0.1/", headers={"A": "b"}, timeout=5.0, max_retries=3) as client:
        assert_type(client, SSEClient)
        for event in client:
            assert_type(event, SSEEvent)
        assert_type(client.last_event_id, str)
        assert_type(client.reconnection_time, int)
    SSEClient("http://127.0.0.1/", verify=ssl.create_default_context(), transport=HTTPTransport())


async def async_client() -> None:
    async with async_connect("http://127.0.0.1/", verify="/etc/ca.pem") as client:
        assert_type(client, AsyncSSEClient)
        async for event in client:
            assert_type(event, SSEEvent)
    AsyncSSEClient("http://127.0.0.1/", transport=AsyncHTTPTransport(max_redirects=3))


def errors(error: SSEHTTPError, lost: SSEConnectionError) -> None:
    assert_type(error.status_code, int)
    assert_type(error.headers, Mapping[str, str])
    assert_type(error.body, bytes)
    assert_type(lost.last_error, Exception | None)


def built_in() -> None:
    response = HTTPTransport()("http://127.0.0.1/", headers={})
    assert_type(response, HTTPResponse)
    assert_type(response.iter_bytes(), Iterator[bytes])


async def built_in_async() -> None:
    response = await AsyncHTTPTransport()("http://127.0.0.1/", headers={})
    assert_type(response, AsyncHTTPResponse)
    assert_type(response.aiter_bytes(), AsyncIterator[bytes])


sync_transport: SyncTransport = HTTPTransport()
async_transport: AsyncTransport = AsyncHTTPTransport()


# -- a transport written by a user, conforming by shape alone ---------------------------
class MyResponse:
    status_code: int = 200
    ok: bool = True

    def close(self) -> None: ...
    def iter_lines(self) -> Iterator[str]:
        yield "data: x"


class MyTransport:
    def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> MyResponse:
        return MyResponse()


def my_function_transport(
    url: str, *, headers: Mapping[str, str], stream: bool, timeout: float, verify: VerifyTypes
) -> MyResponse:
    return MyResponse()


SSEClient("http://127.0.0.1/", transport=MyTransport())
SSEClient("http://127.0.0.1/", transport=my_function_transport)


# -- must be rejected ------------------------------------------------------------------
class NoIterLines:
    status_code: int = 200
    ok: bool = True

    def close(self) -> None: ...


def bad_transport(
    url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
) -> NoIterLines:
    return NoIterLines()


def headers_as_a_list(
    url: str, *, headers: list[str], stream: bool, timeout: float, verify: VerifyTypes
) -> MyResponse:
    return MyResponse()


SSEClient("http://127.0.0.1/", transport=bad_transport)  # type: ignore[arg-type]
SSEClient("http://127.0.0.1/", transport=headers_as_a_list)  # type: ignore[arg-type]
AsyncSSEClient("http://127.0.0.1/", transport=MyTransport())  # type: ignore[arg-type]
connect("http://127.0.0.1/", max_retry=3)  # type: ignore[call-arg]
connect("http://127.0.0.1/", timeout="5")  # type: ignore[arg-type]
async_connect("http://127.0.0.1/", retry_interval=1.5)  # type: ignore[arg-type]
SSEClient("http://127.0.0.1/", "headers")  # type: ignore[arg-type, call-arg]  # keyword-only
sync_transport = AsyncHTTPTransport()  # type: ignore[assignment]


# -- an async transport written by a user ------------------------------------------------
class MyAsyncResponse:
    status_code: int = 200
    ok: bool = True

    async def aclose(self) -> None: ...
    async def aiter_lines(self) -> AsyncIterator[str]:
        yield "data: x"


class MyAsyncTransport:
    async def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> MyAsyncResponse:
        return MyAsyncResponse()


AsyncSSEClient("http://127.0.0.1/", transport=MyAsyncTransport())


class SyncCallInAsyncClothes:
    def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> MyAsyncResponse:
        return MyAsyncResponse()


AsyncSSEClient("http://127.0.0.1/", transport=SyncCallInAsyncClothes())  # type: ignore[arg-type]


# -- the response Protocols and the rest of the public surface ---------------------------
def shapes(
    plain: SyncResponse, raw: SyncRawResponse, async_plain: AsyncResponse, async_raw: AsyncRawResponse
) -> None:
    assert_type(plain.iter_lines(), Iterator[str])
    assert_type(raw.iter_bytes(), Iterator[bytes])
    assert_type(raw.headers, Mapping[str, str])
    assert_type(async_plain.aiter_lines(), AsyncIterator[str])
    assert_type(async_raw.aiter_bytes(), AsyncIterator[bytes])
    _lines_only: SyncResponse = raw
    wider: SyncRawResponse = plain  # type: ignore[assignment]


options: ClientOptions = {"timeout": 1.0, "max_retries": 2}
async_options: AsyncClientOptions = {"transport": AsyncHTTPTransport()}
bad_options: ClientOptions = {"transport": AsyncHTTPTransport()}  # type: ignore[typeddict-item]
connect("http://127.0.0.1/", **options)
async_connect("http://127.0.0.1/", **async_options)


def more_errors(base: SSEError, content: SSEContentTypeError, redirect: SSERedirectError) -> None:
    assert_type(content.content_type, str)
    assert_type(content.url, str)
    assert_type(redirect.url, str)
    _caught: SSEError = content


def headers(response: HTTPResponse) -> None:
    assert_type(response.headers, Headers)
    assert_type(response.headers["content-type"], str)
    _mapping: Mapping[str, str] = response.headers


async def async_members(client: AsyncSSEClient) -> None:
    assert_type(client.url, str)
    assert_type(client.last_event_id, str)
    assert_type(client.reconnection_time, int)
    assert_type(await client.close(), None)
    client.close()  # type: ignore[unused-coroutine]
