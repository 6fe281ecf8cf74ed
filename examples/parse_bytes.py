"""Parsing a raw body from any HTTP client, here the standard library's http.client."""

import http.client
from urllib.parse import urlsplit

from sse import EventSource


def read(url: str) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc)
    connection.request("GET", parts.path or "/", headers={"Accept": "text/event-stream"})
    response = connection.getresponse()
    try:
        # UTF-8 decoding, one BOM dropped, CR/LF/CRLF split wherever the chunks break.
        for event in EventSource.from_bytes(iter(lambda: response.read1(65536), b"")):
            print(event.id, event.data)
    finally:
        connection.close()
