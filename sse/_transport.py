"""The transport Protocols: what a client needs from an HTTP GET, sync and async.

Anything with the right shape is a transport; nobody has to inherit from ``sse``.

The seed's shape, which keeps working: a callable taking
``(url, *, headers, stream, timeout, verify)`` and returning a response with
``status_code``, ``ok``, ``close()`` and ``iter_lines()`` (async: ``aclose()`` and
``aiter_lines()``). Lines come split and decoded by the HTTP client, as it sees fit.

The full shape adds ``headers`` and the raw body, ``iter_bytes()`` (async:
``aiter_bytes()``). Then ``sse`` checks the Content-Type and does the decoding and line
splitting itself, exactly as the standard says. The built-in transport has it.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Protocol, TypeAlias

VerifyTypes: TypeAlias = bool | str | ssl.SSLContext
"""TLS verification: ``True`` (the system's trust store), ``False`` (none), the path of
a CA bundle, or an ``ssl.SSLContext`` used as it is."""


class SyncResponse(Protocol):
    """A streaming response, as the seed's transports return it."""

    @property
    def status_code(self) -> int: ...
    @property
    def ok(self) -> bool: ...
    def close(self) -> None: ...
    def iter_lines(self) -> Iterator[str]: ...


class SyncRawResponse(SyncResponse, Protocol):
    """A streaming response that also exposes its headers and raw body: full conformance."""

    @property
    def headers(self) -> Mapping[str, str]: ...
    def iter_bytes(self) -> Iterator[bytes]: ...


class SyncTransport(Protocol):
    """A blocking HTTP GET, the seed's contract."""

    def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> SyncResponse: ...


class AsyncResponse(Protocol):
    """A streaming response, as the seed's async transports return it."""

    @property
    def status_code(self) -> int: ...
    @property
    def ok(self) -> bool: ...
    async def aclose(self) -> None: ...
    def aiter_lines(self) -> AsyncIterator[str]: ...


class AsyncRawResponse(AsyncResponse, Protocol):
    """An async streaming response that also exposes its headers and raw body."""

    @property
    def headers(self) -> Mapping[str, str]: ...
    def aiter_bytes(self) -> AsyncIterator[bytes]: ...


class AsyncTransport(Protocol):
    """An async HTTP GET, the seed's async contract."""

    async def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> AsyncResponse: ...
