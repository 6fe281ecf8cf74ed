"""Typing cases for the clients, connect() and the transport Protocols. Type-checked, never run."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator, Mapping

from typing_extensions import assert_type

from sse import (
    AsyncSSEClient,
    AsyncTransport,
    SSEClient,
    SSEConnectionError,
    SSEEvent,
    SSEHTTPError,
    SyncTransport,
    VerifyTypes,
    async_connect,
    connect,
)
from sse.transports import AsyncHTTPResponse, AsyncHTTPTransport, HTTPResponse, HTTPTransport


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


def positional_headers(url: str, headers: dict[str, str]) -> MyResponse:
    return MyResponse()


SSEClient("http://127.0.0.1/", transport=bad_transport)  # type: ignore[arg-type]
SSEClient("http://127.0.0.1/", transport=positional_headers)  # type: ignore[arg-type]
AsyncSSEClient("http://127.0.0.1/", transport=MyTransport())  # type: ignore[arg-type]
connect("http://127.0.0.1/", max_retry=3)  # type: ignore[call-arg]
connect("http://127.0.0.1/", timeout="5")  # type: ignore[arg-type]
async_connect("http://127.0.0.1/", retry_interval=1.5)  # type: ignore[arg-type]
SSEClient("http://127.0.0.1/", "headers")  # type: ignore[arg-type, call-arg]  # keyword-only
sync_transport = AsyncHTTPTransport()  # type: ignore[assignment]
