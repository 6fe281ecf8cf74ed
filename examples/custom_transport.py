"""A transport written by a user: the full shape, on the standard library's http.client."""

import http.client
from collections.abc import Iterator
from urllib.parse import urlsplit

from sse import SSEClient, VerifyTypes


class StdlibResponse:
    """Status, headers and the raw body: sse checks the Content-Type and parses the bytes."""

    def __init__(self, connection: http.client.HTTPConnection, response: http.client.HTTPResponse) -> None:
        self._connection = connection
        self._response = response
        self.status_code = response.status
        self.headers = dict(response.getheaders())  # sse looks names up without regard to case

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    def iter_bytes(self) -> Iterator[bytes]:
        return iter(lambda: self._response.read1(65536), b"")

    def iter_lines(self) -> Iterator[str]:  # the seed's shape; sse prefers iter_bytes
        for line in self._response:
            yield line.decode("utf-8", "replace").rstrip("\r\n")

    def close(self) -> None:
        self._connection.close()


def stdlib_transport(
    url: str, *, headers: dict[str, str], stream: bool, timeout: float, verify: VerifyTypes
) -> StdlibResponse:
    parts = urlsplit(url)  # plain http only, for brevity
    connection = http.client.HTTPConnection(parts.netloc, timeout=timeout)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
    return StdlibResponse(connection, connection.getresponse())


def stream(url: str) -> None:
    with SSEClient(url, transport=stdlib_transport) as client:
        for event in client:
            print(event.id, event.data)
