"""End-to-end benchmark of SSE clients against a local HTTP/1.1 server.

A server in a child process (this file run with ``--serve``) listens on 127.0.0.1 on
an ephemeral port and answers any GET with ``200``, ``Content-Type:
text/event-stream``, ``Cache-Control: no-cache`` and ``Connection: close``, then
streams the OpenAI-style token corpus of ``bench_parser.py`` (``--events`` events,
200,000 by default) as fast as it can, chunked, in one of two framings chosen by the
request path:

- ``/bulk``: 64 KiB chunks, one ``sendall`` each (events cut anywhere);
- ``/per-event``: one chunk per event, one ``sendall`` each, as LLM APIs flush.

It then sends the last chunk and closes. Every chunk is framed before the first
request, and ``TCP_NODELAY`` is set, so the server does no work per request but
``sendall``.

Each client connects, iterates until the stream ends or it has the N events, sums
``len(event.data)`` (so that no client can skip decoding its events) and counts:

- ``sse-sync``: ``sse.SSEClient(url, max_retries=0, retry_interval=0)`` as a context
  manager, iterated, then ``close()``; an ``sse.SSEError`` at the end of the stream is
  its normal end.
- ``sse-async``: ``sse.AsyncSSEClient`` likewise, with ``async with``/``async for``.
- ``launchdarkly``: ``ld_eventsource.SSEClient(url)`` (its default urllib3 connect
  strategy, ``ErrorStrategy.always_fail()`` so that it stops at the end of the
  stream), iterating ``client.events``.
- ``httpx-sse`` / ``httpx-sse-async``: ``httpx_sse.connect_sse(client, "GET", url)``
  and ``iter_sse()`` on an ``httpx.Client``; ``aconnect_sse`` and ``aiter_sse()`` on an
  ``httpx.AsyncClient``.
- ``sseclient-py``: ``sseclient.SSEClient(requests.get(url, stream=True)).events()``,
  as its README does (passed ``iter(response)``, which is what it iterates:
  ``iter_content(128)``, so requests reads 128 bytes at a time).
- ``aiohttp-sse-client2``: ``aiohttp_sse_client2.client.EventSource(url,
  session=...)`` with ``async for``; its ``on_error`` callback, called when the stream
  ends and before it would sleep and reconnect, raises to stop it.
- ``floor``: a raw socket: connect, send the GET, ``recv(65536)`` until the server
  closes, skip the header block and count ``b"\\n\\n"`` in the body bytes, carrying
  the last byte of each read so that a pair cut by a read is counted once. It does
  not decode the chunked framing: a chunk-size line sits between CRLFs, so it adds no
  pair, and a pair cut by a chunk boundary (``\\n`` CRLF size CRLF ``\\n``) still
  reads as one ``\\r\\n\\n``. That count is exact because the corpus holds an LF only
  in the ``\\n\\n`` that ends each event (its JSON escapes newlines). It decodes
  nothing, so it has no character count. It sets ``SO_RCVLOWAT`` to 64 KiB where the
  platform has it, so that a read waits for 64 KiB or the close: a reader that takes
  each segment as it lands has the kernel acknowledge and wake it per segment, and
  that slows a server sending one small segment per event to about half its rate.
  The floor is thus how fast this server delivers the bytes; in ``per-event``
  framing that is the server's own rate (one ``sendall`` per event), which bounds
  every client, so there the fastest clients' ratios are within run-to-run noise.

Timing (``time.perf_counter``): from before the request (connection included) to the
N-th event, best of R runs, with a ``gc.collect()`` before each. A session the library
lets an application keep (``httpx.Client``, ``httpx.AsyncClient``,
``aiohttp.ClientSession``) is created before the clock starts, as a long-lived
application would; the async clients run under one ``asyncio.run`` per run, also
outside the clock. Each count and character total is checked against the corpus;
``MISMATCH`` marks a client that disagrees (it is timed all the same). ``ours-sync/x``
is our sync client's events/s over x's: above 1 we are faster.

Run (with the peers installed: ``pip install httpx httpx-sse launchdarkly-eventsource
sseclient-py requests aiohttp aiohttp-sse-client2``)::

    python bench/bench_e2e.py                 # both framings, every client, best of 3
    python bench/bench_e2e.py --quick         # 1 run, 20,000 events
    python bench/bench_e2e.py --framing per-event --client floor --client httpx-sse
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from bench_parser import TOKEN_EVENTS, _token_text

FRAMINGS = ("bulk", "per-event")
BULK_CHUNK = 64 * 1024
RECV_SIZE = 65536
DEFAULT_REPS = 3
QUICK_EVENTS = 20_000
MIN_EVENTS = 10
TIMEOUT = 60.0
"""Seconds any socket may wait for the other end, so that a broken client cannot hang the run."""

SYNC = "sse-sync"
ASYNC = "sse-async"
FLOOR = "floor"
OURS = (SYNC, ASYNC)

RESPONSE_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: text/event-stream\r\n"
    b"Cache-Control: no-cache\r\n"
    b"Transfer-Encoding: chunked\r\n"
    b"Connection: close\r\n"
    b"\r\n"
)
LAST_CHUNK = b"0\r\n\r\n"
DATA_PREFIX = "data: "
EVENT_END = "\n\n"


# -- corpus -------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    events: list[bytes]
    """Each event's bytes, ``data: ...\\n\\n``."""
    body: bytes
    chars: int
    """The total length of the events' data, in characters."""


def build_corpus(count: int) -> Corpus:
    text, events = _token_text(count)
    body = text.encode()
    parts = body.split(EVENT_END.encode())
    if parts[-1] or len(parts) - 1 != events:
        raise RuntimeError(f"corpus split into {len(parts) - 1} events, built with {events}")
    chars = len(text) - events * (len(DATA_PREFIX) + len(EVENT_END))  # one data: line per event
    return Corpus([part + EVENT_END.encode() for part in parts[:-1]], body, chars)


def frame_chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


# -- server (child process) ---------------------------------------------------------


def read_request_path(conn: socket.socket) -> str | None:
    """The path of the request on ``conn``, or None if it closes before its header ends."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(RECV_SIZE)
        if not data or len(buffer) > RECV_SIZE:
            return None
        buffer += data
    request_line = buffer.split(b"\r\n", 1)[0].decode("latin-1").split()
    return request_line[1] if len(request_line) >= 2 else "/"


def handle(conn: socket.socket, framings: dict[str, list[bytes]]) -> None:
    """Answer one request with the framing its path names (``/bulk`` for any other path)."""
    try:
        with conn:
            conn.settimeout(TIMEOUT)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            path = read_request_path(conn)
            if path is None:
                return
            chunks = framings.get(urlsplit(path).path.strip("/"), framings["bulk"])
            send = conn.sendall
            send(RESPONSE_HEAD)
            for chunk in chunks:
                send(chunk)
            send(LAST_CHUNK)
            conn.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the client closed first: it had what it wanted


def serve(events: int) -> int:
    """Serve until stdin closes; print the port on stdout once listening."""
    corpus = build_corpus(events)
    framings = {
        "bulk": [
            frame_chunk(corpus.body[start : start + BULK_CHUNK])
            for start in range(0, len(corpus.body), BULK_CHUNK)
        ],
        "per-event": [frame_chunk(event) for event in corpus.events],
    }
    stop = threading.Event()

    def wait_for_eof() -> None:
        sys.stdin.buffer.read()
        stop.set()

    watcher = threading.Thread(target=wait_for_eof, name="stdin-eof")
    watcher.start()
    handlers: list[threading.Thread] = []
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.1)
        print(listener.getsockname()[1], flush=True)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            handler = threading.Thread(target=handle, args=(conn, framings), daemon=False)
            handler.start()
            handlers = [thread for thread in handlers if thread.is_alive()]
            handlers.append(handler)
    for handler in handlers:
        handler.join()
    watcher.join()
    return 0


@contextmanager
def running_server(events: int) -> Iterator[tuple[str, int]]:
    """Start the server process; yield its base URL and PID; stop it by closing its stdin."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", "--events", str(events)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.strip():
            raise RuntimeError(f"the server exited with {process.wait()} before listening")
        yield f"http://127.0.0.1:{int(line)}", process.pid
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


# -- clients ------------------------------------------------------------------------


class Run(NamedTuple):
    events: int
    chars: int
    """The total length of the events' data; -1 when the client does not decode (the floor)."""
    seconds: float


Client = Callable[[str, int], Run]
"""Read at most ``limit`` events from the URL; time from the request to the last event."""


def make_sse_sync() -> Client:
    import sse

    client_class = getattr(sse, "SSEClient", None)  # being written: not there in every checkout
    if client_class is None:
        raise ImportError("sse has no SSEClient yet")
    end_error = sse.SSEError

    def run(url: str, limit: int) -> Run:
        count = chars = 0
        start = time.perf_counter()
        with client_class(url, max_retries=0, retry_interval=0) as client:
            try:
                for event in client:
                    chars += len(event.data)
                    count += 1
                    if count >= limit:
                        break
            except end_error:
                pass  # the server closed after the body: the normal end with no retries
            seconds = time.perf_counter() - start
            client.close()
        return Run(count, chars, seconds)

    return run


def make_sse_async() -> Client:
    import sse

    client_class = getattr(sse, "AsyncSSEClient", None)
    if client_class is None:
        raise ImportError("sse has no AsyncSSEClient yet")
    end_error = sse.SSEError

    async def read(url: str, limit: int) -> Run:
        count = chars = 0
        start = time.perf_counter()
        async with client_class(url, max_retries=0, retry_interval=0) as client:
            try:
                async for event in client:
                    chars += len(event.data)
                    count += 1
                    if count >= limit:
                        break
            except end_error:
                pass
            seconds = time.perf_counter() - start
        return Run(count, chars, seconds)

    return lambda url, limit: asyncio.run(read(url, limit))


def make_launchdarkly() -> Client:
    from ld_eventsource import SSEClient
    from ld_eventsource.config import ErrorStrategy

    def run(url: str, limit: int) -> Run:
        count = chars = 0
        start = time.perf_counter()
        with SSEClient(url, error_strategy=ErrorStrategy.always_fail()) as client:
            for event in client.events:
                chars += len(event.data)
                count += 1
                if count >= limit:
                    break
            seconds = time.perf_counter() - start
        return Run(count, chars, seconds)

    return run


def make_httpx_sse() -> Client:
    import httpx
    from httpx_sse import connect_sse

    def run(url: str, limit: int) -> Run:
        count = chars = 0
        with httpx.Client(timeout=TIMEOUT) as http:
            start = time.perf_counter()
            with connect_sse(http, "GET", url) as source:
                for event in source.iter_sse():
                    chars += len(event.data)
                    count += 1
                    if count >= limit:
                        break
                seconds = time.perf_counter() - start
        return Run(count, chars, seconds)

    return run


def make_httpx_sse_async() -> Client:
    import httpx
    from httpx_sse import aconnect_sse

    async def read(url: str, limit: int) -> Run:
        count = chars = 0
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            start = time.perf_counter()
            async with aconnect_sse(http, "GET", url) as source:
                async for event in source.aiter_sse():
                    chars += len(event.data)
                    count += 1
                    if count >= limit:
                        break
                seconds = time.perf_counter() - start
        return Run(count, chars, seconds)

    return lambda url, limit: asyncio.run(read(url, limit))


def make_sseclient() -> Client:
    import requests
    from sseclient import SSEClient

    def run(url: str, limit: int) -> Run:
        count = chars = 0
        start = time.perf_counter()
        with requests.get(url, stream=True, timeout=TIMEOUT) as response:
            for event in SSEClient(iter(response)).events():  # iter(response): iter_content(128)
                chars += len(event.data)
                count += 1
                if count >= limit:
                    break
            seconds = time.perf_counter() - start
        return Run(count, chars, seconds)

    return run


class StreamEnded(Exception):
    """Raised from aiohttp-sse-client2's ``on_error`` to stop it reconnecting."""


def make_aiohttp_sse_client2() -> Client:
    import aiohttp
    from aiohttp_sse_client2.client import EventSource

    def stop() -> None:
        raise StreamEnded

    async def read(url: str, limit: int) -> Run:
        count = chars = 0
        timeout = aiohttp.ClientTimeout(total=None, sock_read=TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            start = time.perf_counter()
            try:
                async with EventSource(
                    url, session=session, reconnection_time=timedelta(0), max_connect_retry=0, on_error=stop
                ) as source:
                    async for event in source:
                        chars += len(event.data)
                        count += 1
                        if count >= limit:
                            break
            except StreamEnded:
                pass
            seconds = time.perf_counter() - start
        return Run(count, chars, seconds)

    return lambda url, limit: asyncio.run(read(url, limit))


def make_floor() -> Client:
    def run(url: str, limit: int) -> Run:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        request = f"GET {parts.path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n"
        start = time.perf_counter()
        with socket.create_connection((host, port), timeout=TIMEOUT) as sock:
            if hasattr(socket, "SO_RCVLOWAT"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, RECV_SIZE)
            sock.sendall(request.encode())
            recv = sock.recv
            head = b""
            while b"\r\n\r\n" not in head:
                data = recv(RECV_SIZE)
                if not data:
                    break
                head += data
            body = head.partition(b"\r\n\r\n")[2]
            count = body.count(b"\n\n")
            last = body[-1:]
            while data := recv(RECV_SIZE):
                count += data.count(b"\n\n")
                if last == b"\n" and data[0] == 0x0A:  # a pair cut by the read
                    count += 1
                last = data[-1:]
            seconds = time.perf_counter() - start
        return Run(count, -1, seconds)

    return run


CLIENTS: dict[str, Callable[[], Client]] = {
    SYNC: make_sse_sync,
    ASYNC: make_sse_async,
    "launchdarkly": make_launchdarkly,
    "httpx-sse": make_httpx_sse,
    "httpx-sse-async": make_httpx_sse_async,
    "sseclient-py": make_sseclient,
    "aiohttp-sse-client2": make_aiohttp_sse_client2,
    FLOOR: make_floor,
}


def load_clients(names: list[str]) -> dict[str, Client]:
    clients: dict[str, Client] = {}
    for name in names:
        try:
            clients[name] = CLIENTS[name]()
        except ImportError as error:
            print(f"note: skipping {name}: {error}")
    return clients


# -- measuring ----------------------------------------------------------------------


@dataclass
class Result:
    client: str
    events: int
    chars: int
    seconds: float
    error: str | None = None

    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Report:
    mismatches: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def measure(name: str, client: Client, url: str, limit: int, reps: int) -> Result:
    best: Run | None = None
    for _ in range(reps):
        gc.collect()
        try:
            run = client(url, limit)
        except Exception as error:
            return Result(name, 0, 0, 0.0, f"{type(error).__name__}: {error}")
        if best is None or run.seconds < best.seconds:
            best = run
    assert best is not None
    return Result(name, best.events, best.chars, best.seconds)


def problem(result: Result, corpus: Corpus) -> str | None:
    if result.error is not None:
        return f"ERROR {result.error}"
    if result.events != len(corpus.events):
        return f"MISMATCH: {result.events} events, {len(corpus.events)} sent"
    if result.chars not in (-1, corpus.chars):
        return f"MISMATCH: {result.chars} characters of data, {corpus.chars} sent"
    return None


def ratio(ours: Result | None, other: Result) -> str:
    if ours is None or ours.error is not None or other.error is not None or other is ours:
        return "-"
    return f"{ours.events_per_second() / other.events_per_second():.2f}x"


def print_table(framing: str, corpus: Corpus, results: list[Result], report: Report) -> None:
    by_name = {result.client: result for result in results}
    ours_sync, ours_async = by_name.get(SYNC), by_name.get(ASYNC)
    chunks = len(corpus.events) if framing == "per-event" else -(-len(corpus.body) // BULK_CHUNK)
    print()
    print(
        f"== {framing}: {len(corpus.events):,} events, {len(corpus.body) / 1e6:.1f} MB "
        f"in {chunks:,} HTTP chunks"
    )
    header = f"{'client':<20} {'events':>8} {'best s':>8} {'events/s':>10} {'ours-sync/x':>11} {'ours-async/x':>12}  check"
    print(header)
    print("-" * len(header))
    for result in results:
        issue = problem(result, corpus)
        if issue is not None:
            report.mismatches.append(f"{framing} / {result.client}: {issue}")
        rate = "-" if result.error else f"{result.events_per_second():,.0f}"
        print(
            f"{result.client:<20} {result.events:>8} {result.seconds:>8.3f} {rate:>10} "
            f"{ratio(ours_sync, result):>11} {ratio(ours_async, result):>12}  {issue or 'ok'}"
        )
    summarize(framing, results, report)


def summarize(framing: str, results: list[Result], report: Report) -> None:
    ok = [result for result in results if result.error is None]
    peers = [result for result in ok if result.client not in (*OURS, FLOOR)]
    best = max(peers, key=Result.events_per_second, default=None)
    floor = next((result for result in ok if result.client == FLOOR), None)
    notes = [f"best peer {best.client} {best.events_per_second():,.0f} ev/s" if best else "no peer ran"]
    for ours in (result for result in ok if result.client in OURS):
        against = [f"{ours.client}/{best.client} {ratio(ours, best)}"] if best else []
        against += [f"{ours.client}/floor {ratio(ours, floor)}"] if floor else []
        notes.append(", ".join(against) or f"{ours.client} alone")
    if not any(result.client in OURS for result in ok):
        notes.append("ours not measured")
    report.summary.append(f"{framing:<10} " + "; ".join(notes))


# -- main -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--framing", action="append", choices=FRAMINGS, help="framing to run (repeatable; default: both)"
    )
    parser.add_argument(
        "--client", action="append", choices=list(CLIENTS), help="client to run (repeatable; default: all)"
    )
    parser.add_argument(
        "--events", type=int, default=None, help=f"events per stream (default {TOKEN_EVENTS:,})"
    )
    parser.add_argument("--reps", type=int, default=None, help=f"runs, best kept (default {DEFAULT_REPS})")
    parser.add_argument(
        "--quick", action="store_true", help=f"1 run and {QUICK_EVENTS:,} events unless given"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    events: int = args.events if args.events is not None else (QUICK_EVENTS if args.quick else TOKEN_EVENTS)
    reps: int = args.reps if args.reps is not None else (1 if args.quick else DEFAULT_REPS)
    if events < MIN_EVENTS or reps < 1:
        print(f"--events must be at least {MIN_EVENTS} and --reps at least 1", file=sys.stderr)
        return 2
    if args.serve:
        return serve(events)
    framings: list[str] = list(dict.fromkeys(args.framing or FRAMINGS))
    clients = load_clients(list(dict.fromkeys(args.client or CLIENTS)))
    if not clients:
        print("nothing to run: no client is importable", file=sys.stderr)
        return 1
    corpus = build_corpus(events)
    report = Report()
    with running_server(events) as (base_url, pid):
        print(
            f"Python {sys.version.split()[0]}, server pid {pid} at {base_url}, {events:,} events, "
            f"best of {reps} run(s); clients: {', '.join(clients)}"
        )
        for framing in framings:
            url = f"{base_url}/{framing}"
            results = [measure(name, client, url, events, reps) for name, client in clients.items()]
            print_table(framing, corpus, results, report)
    print()
    print("Summary (events/s ratios; above 1: ours is faster):")
    for line in report.summary:
        print(f"  {line}")
    if report.mismatches:
        print()
        print("Problems:")
        for line in report.mismatches:
            print(f"  ! {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
