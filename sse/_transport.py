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
    def status_code(self) -> int:
        """The HTTP status."""
        ...

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        ...

    def close(self) -> None:
        """Close the connection; may be called from another thread."""
        ...

    def iter_lines(self) -> Iterator[str]:
        """The body as lines, without their line ends."""
        ...


class SyncRawResponse(SyncResponse, Protocol):
    """A streaming response that also exposes its headers and raw body: full conformance."""

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers; names looked up without regard to case."""
        ...

    def iter_bytes(self) -> Iterator[bytes]:
        """The raw body, as it arrives."""
        ...


class SyncTransport(Protocol):
    """A blocking HTTP GET, the seed's contract."""

    def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> SyncResponse:
        """GET ``url`` with ``headers``; return once the response head has arrived."""
        ...


class AsyncResponse(Protocol):
    """A streaming response, as the seed's async transports return it."""

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        ...

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        ...

    async def aclose(self) -> None:
        """Close the connection."""
        ...

    def aiter_lines(self) -> AsyncIterator[str]:
        """The body as lines, without their line ends."""
        ...


class AsyncRawResponse(AsyncResponse, Protocol):
    """An async streaming response that also exposes its headers and raw body."""

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers; names looked up without regard to case."""
        ...

    def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The raw body, as it arrives."""
        ...


class AsyncTransport(Protocol):
    """An async HTTP GET, the seed's async contract."""

    async def __call__(
        self, url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
    ) -> AsyncResponse:
        """GET ``url`` with ``headers``; return once the response head has arrived."""
        ...
