"""The reconnect policy is a pure value: tested with fixed random numbers, no clock."""

from __future__ import annotations

import threading

import pytest

from sse._core import ReconnectPolicy, StreamCore
from sse._errors import SSEConnectionError


def test_the_first_reconnection_waits_the_reconnection_time_exactly() -> None:
    policy = ReconnectPolicy()
    assert policy.delay(3000, 1, 0.0) == 3.0
    assert policy.delay(3000, 1, 0.99) == 3.0


def test_retry_zero_reconnects_at_once() -> None:
    assert ReconnectPolicy().delay(0, 1, 0.5) == 0.0


def test_consecutive_failures_back_off_exponentially_with_jitter_up_to_the_cap() -> None:
    policy = ReconnectPolicy(backoff_base=1.0, backoff_cap=30.0, jitter=0.5)
    no_jitter = [policy.delay(1000, n, 0.0) for n in range(1, 9)]
    assert no_jitter == [1.0, 2.0, 3.0, 5.0, 9.0, 17.0, 31.0, 31.0]
    most_jitter = [policy.delay(1000, n, 1.0) for n in range(2, 5)]
    assert most_jitter == [1.5, 2.0, 3.0]
    assert policy.delay(1000, 10**6, 0.0) == 31.0  # no overflow, however many


def test_absurd_reconnection_times_are_clamped_to_what_can_be_waited() -> None:
    wait = ReconnectPolicy().delay(int("9" * 640), 1, 0.0)
    assert 0 < wait <= threading.TIMEOUT_MAX


@pytest.mark.parametrize(("max_retries", "allowed"), [(-1, [1, 2, 3, 100]), (0, []), (2, [1, 2])])
def test_max_retries_bounds_consecutive_failures(max_retries: int, allowed: list[int]) -> None:
    policy = ReconnectPolicy(max_retries=max_retries)
    assert [n for n in (1, 2, 3, 100) if policy.may_retry(n)] == allowed


def core(max_retries: int = -1) -> StreamCore:
    return StreamCore(
        "http://x/",
        headers={"X": "1"},
        retry_interval=500,
        last_event_id="",
        policy=ReconnectPolicy(max_retries=max_retries),
    )


def test_the_core_uses_the_servers_retry_as_soon_as_it_is_parsed() -> None:
    stream = core()
    assert stream.check_response(200, {"content-type": "text/event-stream"})
    stream.feed(b"retry: 50\n")  # no blank line: never dispatched, still applied
    assert stream.reconnection_time == 50
    assert stream.connection_lost(None) == 0.05


def test_the_core_counts_failures_and_an_event_resets_them() -> None:
    stream = core(max_retries=1)
    stream.connection_lost(OSError("refused"))
    assert stream.failures == 1
    stream.check_response(200, None)
    stream.feed(b"data: a\n\n")
    assert stream.failures == 0
    stream.connection_lost(None)
    with pytest.raises(SSEConnectionError) as raised:
        stream.connection_lost(ConnectionResetError())
    assert raised.value.retries == 2
    assert isinstance(raised.value.last_error, ConnectionResetError)


def test_the_core_never_sends_an_empty_last_event_id() -> None:
    stream = StreamCore(
        "http://x/",
        headers={"last-event-id": "stale"},
        retry_interval=0,
        last_event_id="",
        policy=ReconnectPolicy(),
    )
    assert "last-event-id" not in {k.lower() for k in stream.request_headers()}


def test_the_streams_last_event_id_wins_over_a_users_header_of_any_case() -> None:
    stream = StreamCore(
        "http://x/",
        headers={"last-event-id": "stale", "ACCEPT": "text/event-stream; q=1", "X-Mine": "1"},
        retry_interval=0,
        last_event_id="",
        policy=ReconnectPolicy(),
    )
    stream.check_response(200, None)
    stream.feed(b"id: 5\ndata: a\n\n")
    headers = stream.request_headers()
    assert headers == {
        "Cache-Control": "no-cache",
        "ACCEPT": "text/event-stream; q=1",
        "X-Mine": "1",
        "Last-Event-ID": "5",
    }
