"""The built-in transports: HTTP/1.1 parsed by llhttp (``httptools``), over the standard
library's ``socket``/``ssl`` (sync) and ``asyncio`` (async).

Both are callables with the seed's transport signature; :class:`~sse.SSEClient` and
:class:`~sse.AsyncSSEClient` use them when no ``transport=`` is given.
"""

from sse._http import Headers
from sse.transports._async import AsyncHTTPResponse, AsyncHTTPTransport
from sse.transports._sync import HTTPResponse, HTTPTransport

__all__ = ["AsyncHTTPResponse", "AsyncHTTPTransport", "HTTPResponse", "HTTPTransport", "Headers"]
