"""Parsing is linear: one huge ``data:`` line fed in 1 KiB chunks.

Feeds single-line events of 4, 16 and 64 MiB to ``SSEParser`` in 1 KiB chunks and
prints the time, the throughput (constant when the cost is proportional to the size)
and the peak memory relative to the event (measured in a separate, untimed pass).

Run::

    python bench/bench_linearity.py
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from sse import SSEParser

MIB = 1024 * 1024


def feed(size: int, chunk_size: int) -> float:
    """Seconds to parse one event whose data is ``size`` bytes, fed in chunks."""
    chunk = b"x" * chunk_size
    parser = SSEParser(max_event_size=size + MIB)
    start = time.perf_counter()
    parser.feed(b"data: ")
    for _ in range(size // chunk_size):
        parser.feed(chunk)
    (event,) = parser.feed(b"\n\n")
    elapsed = time.perf_counter() - start
    assert len(event.data) == size
    return elapsed


def many_lines(size: int, chunk_size: int) -> float:
    """Seconds to parse one event made of ``size`` bytes of empty ``data:`` lines."""
    body = b"data:\n" * (size // 6) + b"\n"
    parser = SSEParser(max_event_size=size + MIB)
    start = time.perf_counter()
    for offset in range(0, len(body), chunk_size):
        parser.feed(body[offset : offset + chunk_size])
    return time.perf_counter() - start


def peak_ratio(size: int, chunk_size: int) -> float:
    tracemalloc.start()
    try:
        feed(size, chunk_size)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunk", type=int, default=1024, help="chunk size in bytes (default 1024)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 16, 64], help="event sizes in MiB")
    arguments = parser.parse_args()
    print(f"one data: line, fed in {arguments.chunk}-byte chunks")
    print(f"{'MiB':>5} {'seconds':>9} {'MiB/s':>8} {'ns/byte':>8} {'peak/event':>11}")
    for mib in arguments.sizes:
        seconds = min(feed(mib * MIB, arguments.chunk) for _ in range(3))
        ratio = peak_ratio(mib * MIB, arguments.chunk)
        print(
            f"{mib:>5} {seconds:>9.3f} {mib / seconds:>8.1f} {seconds * 1e9 / (mib * MIB):>8.2f} {ratio:>10.2f}x"
        )
    print(f"one event of many empty data: lines, in {arguments.chunk}-byte chunks")
    print(f"{'MiB':>5} {'seconds':>9} {'ns/byte':>8}")
    for mib in arguments.sizes:
        seconds = min(many_lines(mib * MIB, arguments.chunk) for _ in range(3))
        print(f"{mib:>5} {seconds:>9.3f} {seconds * 1e9 / (mib * MIB):>8.2f}")


if __name__ == "__main__":
    main()
