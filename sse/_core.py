"""The processing model of HTML 9.2.3 and 9.2.4, written once for both clients.

:class:`StreamCore` holds everything a client decides that is not IO: which headers a
request carries, what a response means (open, end, fail), the parser, the count of
consecutive failures and the wait before the next attempt. :class:`~sse.SSEClient`
and :class:`~sse.AsyncSSEClient` only move bytes and sleep, and ask it at each step.

:class:`ReconnectPolicy` is the pure part of that wait: a value, tested with fixed
random numbers.
"""

from __future__ import annotations

import logging
import random
import re
import ssl
import threading
from collections.abc import Mapping

import attrs
from typing_extensions import final

from sse._errors import EventTooLargeError, SSEConnectionError, SSEContentTypeError, SSEHTTPError
from sse._events import SSEEvent
from sse._parser import DEFAULT_MAX_EVENT_SIZE, SSEParser

DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for a connection, and for data on an open stream, before trying again."""

DEFAULT_RETRY_INTERVAL = 3000
"""Milliseconds to wait before reconnecting, until the server sends ``retry:``."""

ERROR_BODY_LIMIT = 4096
"""How much of an error response's body :class:`~sse.SSEHTTPError` keeps."""

logger = logging.getLogger("sse")
"""The clients' log: INFO for each connection and reconnection (the CLI's status lines)."""

# threading.Event.wait() and time.sleep() refuse longer waits.
_LONGEST_WAIT = threading.TIMEOUT_MAX / 2


@final
@attrs.frozen()
class ReconnectPolicy:
    """How long to wait before the next attempt, and whether to make one.

    After a connection that ends (the body ends, the network fails, a read times out)
    the client waits the reconnection time: the server's last ``retry:``, else the
    client's ``retry_interval``. When attempts keep failing, each further one waits
    longer: the reconnection time plus a back-off that doubles from ``backoff_base``
    up to ``backoff_cap`` seconds, less a random part of up to ``jitter`` of it, so that
    many clients do not come back in step. An attempt that delivers an event ends the
    run of failures.

    Attributes:
        max_retries: How many consecutive failed attempts may be retried; ``-1`` for
            no limit. When one more fails, the client raises
            :class:`~sse.SSEConnectionError`.
        backoff_base: The back-off of the second consecutive failure, in seconds.
        backoff_cap: The longest back-off, in seconds.
        jitter: The part of the back-off that is random, from 0 to 1.
    """

    max_retries: int = -1
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    jitter: float = 0.5

    def may_retry(self, failures: int) -> bool:
        """Whether another attempt may follow ``failures`` consecutive failed ones."""
        return self.max_retries < 0 or failures <= self.max_retries

    def delay(self, reconnection_time: int, failures: int, chance: float) -> float:
        """Seconds to wait after ``failures`` consecutive failed attempts (at least 1).

        Args:
            reconnection_time: The reconnection time in milliseconds.
            failures: How many attempts in a row have failed, this one included.
            chance: A random number in [0, 1).
        """
        wait = reconnection_time / 1000 if reconnection_time < 2**53 else float(2**53)
        if failures >= 2:
            backoff = min(self.backoff_cap, self.backoff_base * 2.0 ** min(failures - 2, 64))
            wait += backoff * (1.0 - self.jitter * chance)
        return min(wait, _LONGEST_WAIT)


def events_before(error: EventTooLargeError) -> list[SSEEvent]:
    """The events a chunk completed before it went over the size bound: a client
    delivers them, then raises ``error``. (A client's parser returns no comments.)"""
    return [item for item in error.completed if isinstance(item, SSEEvent)]


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HTTP_WHITESPACE = " \t\r\n"


def media_type(content_type: str) -> str:
    """The essence (``type/subtype``, lowercased) of the MIME type that Fetch extracts
    from a Content-Type value, or ``""`` when there is none.

    A repeated header arrives joined by commas: each value is parsed, invalid ones and
    ``*/*`` are skipped, and the last one left wins, as Fetch's "extract a MIME type"
    says. Commas inside quoted parameter values do not split.
    """
    essence = ""
    for value in _split_values(content_type):
        type_, slash, rest = value.strip(_HTTP_WHITESPACE).partition("/")
        subtype = rest.partition(";")[0].rstrip(_HTTP_WHITESPACE)
        if slash and _TOKEN.fullmatch(type_) and _TOKEN.fullmatch(subtype):
            candidate = f"{type_}/{subtype}".lower()
            if candidate != "*/*":
                essence = candidate
    return essence


def _split_values(header: str) -> list[str]:
    """Split a header value at the commas outside double-quoted strings (Fetch's
    "get, decode, and split")."""
    values: list[str] = []
    start = 0
    quoted = escaped = False
    for index, character in enumerate(header):
        if escaped:
            escaped = False
        elif quoted:
            if character == "\\":
                escaped = True
            elif character == '"':
                quoted = False
        elif character == '"':
            quoted = True
        elif character == ",":
            values.append(header[start:index])
            start = index + 1
    values.append(header[start:])
    return values


@final
class StreamCore:
    """The processing model of one client: every decision, no IO.

    A client asks, in this order: :meth:`request_headers` for each attempt;
    :meth:`check_response` once the status is known; :meth:`feed` or
    :meth:`feed_line` for the body; :meth:`connection_lost` when the attempt ends,
    which answers with the wait before the next one or raises.
    """

    __slots__ = ("failures", "parser", "policy", "retry_interval", "url", "user_headers")

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None,
        retry_interval: int,
        last_event_id: str,
        policy: ReconnectPolicy,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None:
        self.url = url
        self.user_headers = dict(headers or {})
        self.retry_interval = retry_interval
        self.policy = policy
        self.parser = SSEParser(last_event_id=last_event_id, max_event_size=max_event_size)
        self.failures = 0

    @property
    def reconnection_time(self) -> int:
        """Milliseconds: the server's last ``retry:``, else the client's interval."""
        server = self.parser.reconnection_time
        return self.retry_interval if server is None else server

    def request_headers(self) -> dict[str, str]:
        """The headers of the next request (HTML 9.2.3 and 9.2.4).

        The user's headers override the defaults whatever their case. ``Last-Event-ID``
        is the stream's own: a user's header of that name is never sent in its place.
        """
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        for name, value in self.user_headers.items():
            for default in [key for key in headers if key.lower() == name.lower()]:
                del headers[default]
            if name.lower() != "last-event-id":
                headers[name] = value
        last_event_id = self.parser.last_event_id
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        return headers

    def check_response(self, status: int, headers: Mapping[str, str] | None, error_body: bytes = b"") -> bool:
        """Judge a response: ``True`` opens the stream, ``False`` ends it (204).

        Raises:
            SSEHTTPError: any status but 200 and 204; no reconnection follows.
            SSEContentTypeError: a 200 that is not ``text/event-stream``.
        """
        if status == 204:
            logger.info("%s answered 204 No Content: the stream is over", self.url)
            return False
        if status != 200:
            raise SSEHTTPError(status, self.url, headers=headers, body=error_body[:ERROR_BODY_LIMIT])
        if headers is not None:
            content_type = _header(headers, "content-type")
            if media_type(content_type) != "text/event-stream":
                raise SSEContentTypeError(content_type, self.url)
        self.parser.reset()  # a new connection: fresh buffers, the last event ID kept
        logger.info("connected to %s", self.url)
        return True

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Parse body bytes; delivering an event ends a run of failures."""
        events = self.parser.feed(chunk)
        if events:
            self.failures = 0
        return events

    def feed_line(self, line: str) -> SSEEvent | None:
        """Parse one line of a transport that splits lines itself."""
        event = self.parser.feed_line(line)
        if event is not None:
            self.failures = 0
        return event

    def connection_lost(self, error: Exception | None) -> float:
        """The attempt ended, by the end of its body (``error`` is ``None``) or by a
        network error; return the seconds to wait before the next one.

        Raises:
            SSEConnectionError: ``max_retries`` consecutive attempts have failed, or the
                error makes reconnecting futile (a TLS certificate that does not verify).
        """
        self.parser.end()
        self.failures += 1
        if isinstance(error, ssl.SSLCertVerificationError) or not self.policy.may_retry(self.failures):
            raise SSEConnectionError(self.url, self.failures, error)
        delay = self.policy.delay(self.reconnection_time, self.failures, random.random())
        if logger.isEnabledFor(logging.INFO):
            why = "the stream ended" if error is None else f"{type(error).__name__}: {error}"
            resume = self.parser.last_event_id
            logger.info(
                "%s; reconnecting in %.3g s%s",
                why,
                delay,
                f" with Last-Event-ID: {resume}" if resume else "",
            )
        return delay


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header's value, looked up without regard to case."""
    value = headers.get(name)
    if value is not None:
        return value
    for key, candidate in headers.items():
        if key.lower() == name:
            return candidate
    return ""
