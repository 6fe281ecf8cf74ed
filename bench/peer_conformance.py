"""Replay the parsing tables through the peers' parsers; record where they differ.

Each row's body is fed whole and one byte per chunk to httpx-sse, launchdarkly-eventsource,
sseclient-py and the openai SDK, driven as in ``bench_parser.py``. A row fails for a peer
when the (type, data) of its events differ from the table's, or when it raises.
``lastEventId`` is not compared: the peers give their ``id`` attributes different meanings.

The result goes to ``docs/peer-conformance.json``, which the documentation renders.

Run (with the peers installed: ``pip install -e '.[bench]'``)::

    python bench/peer_conformance.py
"""

from __future__ import annotations

import codecs
import importlib.metadata
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spec_tests.tables import ParsingRow, load_parsing_rows  # noqa: E402

Events = list[tuple[str, str]]
Parser = Callable[[list[bytes]], Events]


def httpx_sse(chunks: list[bytes]) -> Events:
    from httpx_sse._decoders import SSEDecoder, SSELineDecoder

    text_decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
    lines = SSELineDecoder()
    decoder = SSEDecoder()
    events: Events = []
    pending = [line for chunk in chunks if (text := text_decode(chunk)) for line in lines.decode(text)]
    pending += lines.flush()
    for line in pending:
        event = decoder.decode(line.rstrip("\n"))
        if event is not None:
            events.append((event.event, event.data))
    return events


def launchdarkly(chunks: list[bytes]) -> Events:
    from ld_eventsource.actions import Event
    from ld_eventsource.reader import _BufferedLineReader, _SSEReader

    reader = _SSEReader(_BufferedLineReader.lines_from(chunks), None, None)
    return [(item.event, item.data) for item in reader.events_and_comments() if type(item) is Event]


def sseclient_py(chunks: list[bytes]) -> Events:
    from sseclient import SSEClient

    return [(event.event, event.data) for event in SSEClient(chunks).events()]


def openai(chunks: list[bytes]) -> Events:
    from openai._streaming import SSEDecoder

    return [(event.event or "message", event.data) for event in SSEDecoder().iter_bytes(iter(chunks))]


PEERS: dict[str, tuple[str, Parser]] = {
    "httpx-sse": ("httpx-sse", httpx_sse),
    "launchdarkly-eventsource": ("launchdarkly-eventsource", launchdarkly),
    "sseclient-py": ("sseclient-py", sseclient_py),
    "openai": ("openai", openai),
}


def verdict(parse: Parser, row: ParsingRow) -> str | None:
    """``None`` when the peer agrees with the row under both chunkings, else why not."""
    expected = [(event.type, event.data) for event in row.events]
    for label, chunks in (
        ("whole", [row.body]),
        ("byte by byte", [row.body[i : i + 1] for i in range(len(row.body))]),
    ):
        try:
            got = parse(chunks)
        except Exception as exc:
            return f"raises {type(exc).__name__} ({label})"
        if got != expected:
            return f"events {got!r} instead of {expected!r} ({label})"[:300]
    return None


def main() -> int:
    rows = load_parsing_rows()
    report: dict[str, object] = {"generated_by": "bench/peer_conformance.py", "rows": len(rows), "peers": {}}
    peers: dict[str, object] = {}
    for name, (distribution, parse) in PEERS.items():
        try:
            version = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            print(f"{name}: not installed, skipped")
            continue
        failed = []
        for row in rows:
            why = verdict(parse, row)
            if why is not None:
                failed.append({"name": row.name, "table": row.table, "source": row.source, "why": why})
        peers[name] = {"version": version, "failed": failed}
        print(f"{name} {version}: {len(rows) - len(failed)}/{len(rows)} rows agree")
    report["peers"] = peers
    out = ROOT / "docs" / "peer-conformance.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
