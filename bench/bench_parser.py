"""Benchmark our ``text/event-stream`` parser against the parsers of the peers.

Every implementation is fed the same in-memory corpora, pre-split into chunks of
64 KiB and of 1 KiB, and driven the way the library itself drives its parser when
it reads a streaming HTTP body:

- ``ours``: ``sse.SSEParser().feed(chunk)`` per chunk, then ``end()``.
- ``httpx-sse``: an incremental UTF-8 decoder (what ``httpx.Response.iter_text``
  does), then ``httpx_sse._decoders.SSELineDecoder``, then ``SSEDecoder.decode`` per
  line, as ``EventSource.iter_sse`` does.
- ``launchdarkly``: ``ld_eventsource.reader._SSEReader`` over
  ``_BufferedLineReader.lines_from(chunks)``, as ``SSEClient`` does; comments are
  produced by the reader and not counted.
- ``sseclient-py``: ``sseclient.SSEClient(chunks).events()``.
- ``openai``: ``openai._streaming.SSEDecoder().iter_bytes(chunks)``, as ``Stream``
  does (every event is counted, ``[DONE]`` included; ``Stream`` stops there).
- ``floor``: incremental UTF-8 decoding plus ``split("\\n")`` with a carried partial
  line and no SSE logic; it counts lines, not events (and sees no line at all in a
  lone-CR stream).

Each adapter returns the number of events it produced; it must equal ours (or, when
our package is not installed, the number the corpus was built with). A peer that
disagrees is marked ``MISMATCH`` in the table and listed at the end; it is timed all
the same.

Times are the best of N passes (``time.perf_counter``, a ``gc.collect()`` before each
pass, the garbage collector left on as in real use). Peak memory is measured in one
further pass under ``tracemalloc``, not timed; it counts what the parser allocates
beyond the chunks it is fed. ``ours/x`` is our events/s over x's events/s (for the
floor: our MB/s over its MB/s); above 1 we are faster.

Run (with the peers installed, e.g. ``pip install -e '.[bench]'``)::

    python bench/bench_parser.py            # every corpus, both chunk sizes, 5 passes
    python bench/bench_parser.py --quick    # 1 pass, corpora an eighth of the size
    python bench/bench_parser.py --corpus tokens --chunk 1024 --impl ours --impl openai
"""

from __future__ import annotations

import argparse
import base64
import codecs
import gc
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Adapter = Callable[[list[bytes]], int]
"""Feed every chunk to a fresh parser, end the stream, return the number of events."""

CHUNK_SIZES = (65536, 1024)
DEFAULT_REPS = 5
QUICK_SCALE = 0.125
SEED = 20240517
MB = 1_000_000
MIB = 1024 * 1024

OURS = "ours"
FLOOR = "floor"

# -- corpora ------------------------------------------------------------------------

TOKEN_EVENTS = 200_000
MULTILINE_EVENTS = 60_000
LARGE_EVENTS = 500
LARGE_PAYLOAD = 64 * 1024
HEARTBEAT_EVENTS = 60_000
HEARTBEATS_PER_EVENT = 10

_WORDS = (
    "the",
    " the",
    " of",
    " and",
    " to",
    " in",
    " a",
    " is",
    " that",
    " for",
    " it",
    " as",
    " with",
    " was",
    " on",
    " be",
    " by",
    " this",
    " are",
    " or",
    " from",
    " at",
    " which",
    " an",
    " but",
    " not",
    " have",
    " has",
    " parser",
    " stream",
    " event",
    " server",
    " data",
    ",",
    ".",
    ":",
    ";",
    "!",
    "?",
    "\n",
    "\n\n",
    " (",
    ")",
    ' "',
    '"',
    " '",
    "'s",
    " -",
    " é",
    " café",
    " naïve",
    " —",
    " “quoted”",
    " 日本",
    "語",
    " 中文",
    " 😀",
    " 🚀",
    " Ω",
    " 42",
    " 3",
    ".14",
    " {",
    "}",
    " [",
    "]",
    "```",
    "python",
    " def",
    " return",
    "\t",
)


@dataclass(frozen=True)
class Corpus:
    name: str
    body: bytes
    events: int
    """How many events the corpus was built with, by construction."""
    description: str


def _completion_id(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "chatcmpl-" + "".join(rng.choice(alphabet) for _ in range(29))


def _token_text(count: int) -> tuple[str, int]:
    """An OpenAI chat completion stream with LF line ends, and its number of events."""
    rng = random.Random(SEED)
    completion_id = _completion_id(rng)
    created = 1_732_456_789
    prefix = (
        'data: {"id":"'
        + completion_id
        + '","object":"chat.completion.chunk","created":'
        + str(created)
        + ',"model":"gpt-4o","choices":[{"index":0,"delta":'
    )
    encoded = [json.dumps(word, ensure_ascii=False) for word in _WORDS]
    parts = [prefix + '{"role":"assistant","content":""},"finish_reason":null}]}\n\n']
    middle = '},"finish_reason":null}]}\n\n'
    for _ in range(count - 3):
        parts.append(prefix + '{"content":' + rng.choice(encoded) + middle)
    parts.append(prefix + '{},"finish_reason":"stop"}]}\n\n')
    parts.append("data: [DONE]\n\n")
    return "".join(parts), count


def _tokens(scale: float, line_end: str) -> Corpus:
    text, events = _token_text(max(10, int(TOKEN_EVENTS * scale)))
    if line_end != "\n":
        text = text.replace("\n", line_end)  # JSON strings hold no raw LF: only line ends change
    names = {"\n": "tokens", "\r\n": "tokens-crlf", "\r": "tokens-cr"}
    labels = {"\n": "LF", "\r\n": "CRLF", "\r": "lone CR"}
    description = f"OpenAI chat completion token stream, {labels[line_end]} line ends, ends with [DONE]"
    return Corpus(names[line_end], text.encode(), events, description)


def _multiline(scale: float) -> Corpus:
    rng = random.Random(SEED + 1)
    count = max(10, int(MULTILINE_EVENTS * scale))
    types = ("update", "patch", "status", "delta", "notice")
    parts: list[str] = []
    for index in range(count):
        parts.append(f"event: {rng.choice(types)}\nid: {index + 1}\n")
        for line in range(rng.randint(3, 6)):
            words = " ".join(rng.choice(_WORDS).strip() or "x" for _ in range(rng.randint(4, 14)))
            parts.append(f'data: {{"line":{line},"text":{json.dumps(words, ensure_ascii=False)}}}\n')
        parts.append("\n")
    return Corpus(
        "multiline", "".join(parts).encode(), count, "event: and id: fields, 3-6 data: lines per event"
    )


def _large(scale: float) -> Corpus:
    rng = random.Random(SEED + 2)
    count = max(4, int(LARGE_EVENTS * scale))
    raw_size = LARGE_PAYLOAD * 3 // 4  # base64 of this is LARGE_PAYLOAD characters
    parts = [b"data: " + base64.b64encode(rng.randbytes(raw_size)) + b"\n\n" for _ in range(count)]
    return Corpus("large", b"".join(parts), count, "64 KiB payload per event, one data: line each")


def _heartbeat(scale: float) -> Corpus:
    count = max(10, int(HEARTBEAT_EVENTS * scale))
    pings = ": ping\n" * HEARTBEATS_PER_EVENT
    parts = [f'{pings}data: {{"seq":{index},"status":"ok"}}\n\n' for index in range(count)]
    return Corpus(
        "heartbeat",
        "".join(parts).encode(),
        count,
        f"{HEARTBEATS_PER_EVENT} ': ping' comment lines per small event",
    )


CORPORA: dict[str, Callable[[float], Corpus]] = {
    "tokens": lambda scale: _tokens(scale, "\n"),
    "multiline": _multiline,
    "large": _large,
    "tokens-crlf": lambda scale: _tokens(scale, "\r\n"),
    "tokens-cr": lambda scale: _tokens(scale, "\r"),
    "heartbeat": _heartbeat,
}


def split_chunks(body: bytes, size: int) -> list[bytes]:
    return [body[start : start + size] for start in range(0, len(body), size)]


# -- adapters -----------------------------------------------------------------------
# Each make_* imports its library and returns the adapter; ImportError means "skip".


def make_ours() -> Adapter:
    from sse import SSEParser

    def run(chunks: list[bytes]) -> int:
        parser = SSEParser()
        feed = parser.feed
        count = 0
        for chunk in chunks:
            count += len(feed(chunk))
        parser.end()
        return count

    return run


def make_httpx_sse() -> Adapter:
    from httpx_sse._decoders import SSEDecoder, SSELineDecoder

    def run(chunks: list[bytes]) -> int:
        # httpx.Response.iter_text: an incremental decoder (errors="replace"), empty text skipped.
        text_decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        lines = SSELineDecoder()
        decode = SSEDecoder().decode
        count = 0
        for chunk in chunks:
            text = text_decode(chunk)
            if text:
                for line in lines.decode(text):
                    if decode(line.rstrip("\n")) is not None:
                        count += 1
        tail = text_decode(b"", True)
        rest = lines.decode(tail) if tail else []
        for line in [*rest, *lines.flush()]:
            if decode(line.rstrip("\n")) is not None:
                count += 1
        return count

    return run


def make_launchdarkly() -> Adapter:
    from ld_eventsource.actions import Event
    from ld_eventsource.reader import _BufferedLineReader, _SSEReader

    def run(chunks: list[bytes]) -> int:
        reader = _SSEReader(_BufferedLineReader.lines_from(chunks), None, None)
        count = 0
        for item in reader.events_and_comments():
            if type(item) is Event:
                count += 1
        return count

    return run


def make_sseclient() -> Adapter:
    from sseclient import SSEClient

    def run(chunks: list[bytes]) -> int:
        count = 0
        for _event in SSEClient(chunks).events():
            count += 1
        return count

    return run


def make_openai() -> Adapter:
    from openai._streaming import SSEDecoder

    def run(chunks: list[bytes]) -> int:
        count = 0
        for _event in SSEDecoder().iter_bytes(iter(chunks)):
            count += 1
        return count

    return run


def make_floor() -> Adapter:
    def run(chunks: list[bytes]) -> int:
        decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        pending: list[str] = []
        count = 0
        for chunk in chunks:
            text = decode(chunk)
            lines = text.split("\n")
            if len(lines) == 1:
                pending.append(text)
                continue
            if pending:
                pending.append(lines[0])
                lines[0] = "".join(pending)
                pending = []
            tail = lines.pop()
            if tail:
                pending.append(tail)
            count += len(lines)
        tail = decode(b"", True)
        if tail or pending:
            count += 1
        return count

    return run


IMPLEMENTATIONS: dict[str, Callable[[], Adapter]] = {
    OURS: make_ours,
    "httpx-sse": make_httpx_sse,
    "launchdarkly": make_launchdarkly,
    "sseclient-py": make_sseclient,
    "openai": make_openai,
    FLOOR: make_floor,
}


# -- measuring ----------------------------------------------------------------------


@dataclass
class Result:
    impl: str
    count: int
    seconds: float
    peak_bytes: int | None
    matches: bool | None = None  # None: nothing to compare with (the floor)

    def events_per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class Report:
    mismatches: list[str] = field(default_factory=list)
    summary: dict[str, list[str]] = field(default_factory=dict)


def best_time(adapter: Adapter, chunks: list[bytes], reps: int) -> tuple[int, float]:
    best = float("inf")
    count = 0
    for _ in range(reps):
        gc.collect()
        start = time.perf_counter()
        count = adapter(chunks)
        best = min(best, time.perf_counter() - start)
    return count, best


def peak_memory(adapter: Adapter, chunks: list[bytes]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        adapter(chunks)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return max(0, peak - base)


def _ratio(ours: Result | None, other: Result, size: int) -> str:
    if ours is None or other.impl == OURS:
        return "-"
    if other.impl == FLOOR:  # lines are not events: compare throughput in bytes
        value = other.seconds / ours.seconds
    else:
        value = ours.events_per_second() / other.events_per_second()
    return f"{value:.2f}x"


def print_table(corpus: Corpus, chunk_size: int, n_chunks: int, results: list[Result]) -> None:
    size = len(corpus.body)
    by_name = {result.impl: result for result in results}
    ours = by_name.get(OURS)
    print()
    print(
        f"== {corpus.name} | {chunk_size // 1024} KiB chunks ({n_chunks} chunks) | "
        f"{size / MB:.1f} MB, {corpus.events} events | {corpus.description}"
    )
    header = f"{'impl':<13} {'events':>9} {'check':<9} {'best s':>8} {'events/s':>11} {'MB/s':>8} {'peak MiB':>9} {'ours/x':>7}"
    print(header)
    print("-" * len(header))
    for result in results:
        check = {None: "(lines)", True: "ok", False: "MISMATCH"}[result.matches]
        peak = "-" if result.peak_bytes is None else f"{result.peak_bytes / MIB:.2f}"
        rate = "-" if result.impl == FLOOR else f"{result.events_per_second():,.0f}"
        print(
            f"{result.impl:<13} {result.count:>9} {check:<9} {result.seconds:>8.3f} {rate:>11} "
            f"{size / MB / result.seconds:>8.1f} {peak:>9} {_ratio(ours, result, size):>7}"
        )


def summarize(corpus: Corpus, chunk_size: int, results: list[Result], report: Report) -> None:
    ours = next((result for result in results if result.impl == OURS), None)
    peers = [result for result in results if result.impl not in (OURS, FLOOR)]
    label = f"{chunk_size // 1024} KiB"
    if ours is None or not peers:
        note = f"{label}: ours not run" if ours is None else f"{label}: no peer run"
    else:
        fastest = max(peers, key=Result.events_per_second)
        value = ours.events_per_second() / fastest.events_per_second()
        note = f"{label}: {value:.2f}x vs {fastest.impl}"
    report.summary.setdefault(corpus.name, []).append(note)


def bench_one(
    corpus: Corpus, chunk_size: int, adapters: dict[str, Adapter], reps: int, memory: bool, report: Report
) -> None:
    chunks = split_chunks(corpus.body, chunk_size)
    results: list[Result] = []
    for name, adapter in adapters.items():
        count, seconds = best_time(adapter, chunks, reps)
        peak = peak_memory(adapter, chunks) if memory else None
        results.append(Result(name, count, seconds, peak))
    reference = next((result.count for result in results if result.impl == OURS), corpus.events)
    for result in results:
        if result.impl == FLOOR:
            continue
        result.matches = result.count == reference
        if result.impl == OURS and result.count != corpus.events:
            result.matches = False
            report.mismatches.append(
                f"{corpus.name} / {chunk_size} B chunks: ours produced {result.count} events, "
                f"the corpus holds {corpus.events}"
            )
        elif not result.matches:
            report.mismatches.append(
                f"{corpus.name} / {chunk_size} B chunks: {result.impl} produced {result.count} events, "
                f"expected {reference}"
            )
    print_table(corpus, chunk_size, len(chunks), results)
    summarize(corpus, chunk_size, results, report)


def load_adapters(names: Iterable[str]) -> dict[str, Adapter]:
    adapters: dict[str, Adapter] = {}
    for name in names:
        try:
            adapters[name] = IMPLEMENTATIONS[name]()
        except ImportError as error:
            print(f"note: skipping {name}: {error}")
    return adapters


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--corpus", action="append", choices=list(CORPORA), help="corpus to run (repeatable; default: all)"
    )
    parser.add_argument(
        "--chunk",
        action="append",
        type=int,
        choices=CHUNK_SIZES,
        help="chunk size in bytes (repeatable; default: both)",
    )
    parser.add_argument(
        "--impl",
        action="append",
        choices=list(IMPLEMENTATIONS),
        help="implementation (repeatable; default: all)",
    )
    parser.add_argument(
        "--reps", type=int, default=None, help=f"timed passes, best kept (default {DEFAULT_REPS})"
    )
    parser.add_argument("--quick", action="store_true", help=f"1 pass, corpora scaled by {QUICK_SCALE}")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reps: int = args.reps if args.reps is not None else (1 if args.quick else DEFAULT_REPS)
    if reps < 1:
        print("--reps must be at least 1", file=sys.stderr)
        return 2
    scale = QUICK_SCALE if args.quick else 1.0
    corpus_names: list[str] = args.corpus or list(CORPORA)
    chunk_sizes: list[int] = args.chunk or list(CHUNK_SIZES)
    impl_names: list[str] = list(dict.fromkeys(args.impl or IMPLEMENTATIONS))

    adapters = load_adapters(impl_names)
    if not adapters:
        print("nothing to run: no implementation is importable", file=sys.stderr)
        return 1
    print(
        f"Python {sys.version.split()[0]}, best of {reps} pass(es), scale {scale}, "
        f"implementations: {', '.join(adapters)}"
    )

    report = Report()
    for corpus_name in corpus_names:
        corpus = CORPORA[corpus_name](scale)
        for chunk_size in chunk_sizes:
            bench_one(corpus, chunk_size, adapters, reps, not args.no_memory, report)

    print()
    print("Summary: ours/fastest peer, events/s (>1: we are faster)")
    for corpus_name, notes in report.summary.items():
        print(f"  {corpus_name:<12} " + "; ".join(notes))
    if report.mismatches:
        print()
        print("Event count disagreements:")
        for line in report.mismatches:
            print(f"  ! {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
