"""The ``sse`` command, driven as a subprocess against real local servers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typing_extensions import override

from spec_tests.server import Response, ScriptedServer, serving, sse_body
from sse import SSEEvent, SSEParser
from sse._cli import render

GUARD = 30.0  # a hang fails the test; nothing here measures time
# As a user runs it: with PYTHONUNBUFFERED set, a missing flush would go unnoticed.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def sse(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sse", *arguments],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=GUARD,
        check=False,
        env=ENVIRONMENT,
    )


def json_events(stdout: str) -> list[SSEEvent]:
    events: list[SSEEvent] = []
    for line in stdout.splitlines():
        record = json.loads(line)
        events.append(SSEEvent(record["event"], record["data"], record["id"], record["retry"]))
    return events


def test_demo_shows_the_events_and_the_resume() -> None:
    result = sse("demo", "--json")
    assert result.returncode == 0, result.stderr
    events = json_events(result.stdout)
    assert [e.id for e in events] == ["1", "2", "3", "4", "5", "6"]
    assert all(e.event == "tick" for e in events)
    assert "reconnecting" in result.stderr
    assert "Last-Event-ID: 3" in result.stderr
    assert "204" in result.stderr


BODY = (
    "retry: 10\n"
    "event: update\nid: 1\ndata: line one\ndata: line two\n\n"
    ": a comment\n"
    'data: {"k": "caf\u00e9"}\n\n'
    "id\ndata: \n\n"
)
EXPECTED = list(SSEParser().feed(BODY.encode()))


def test_json_round_trips_every_field() -> None:
    with serving(Response(body=sse_body(BODY), framing="chunked"), Response(204)) as server:
        result = sse(server.url(), "--json")
    assert result.returncode == 0, result.stderr
    assert json_events(result.stdout) == EXPECTED
    assert "connected to" in result.stderr  # status lines go to stderr only


def test_piped_output_is_json_by_default() -> None:
    with serving(Response(body=sse_body(BODY), framing="chunked"), Response(204)) as server:
        result = sse(server.url())
    assert json_events(result.stdout) == EXPECTED


def test_data_only_and_pretty() -> None:
    with serving(Response(body=sse_body(BODY), framing="chunked"), Response(204)) as server:
        data = sse(server.url(), "--data-only")
    assert data.stdout == "line one\nline two\n" + '{"k": "caf\u00e9"}\n' + "\n"
    assert (
        render(EXPECTED[0], "pretty") == "event: update\nid: 1\nretry: 10\ndata: line one\ndata: line two\n\n"
    )
    assert render(EXPECTED[2], "pretty") == "data: \n\n"


def test_headers_last_event_id_and_max_events() -> None:
    with serving(Response(body=sse_body(BODY), framing="chunked"), Response(204)) as server:
        result = sse(
            server.url("/x"), "-H", "Authorization: Bearer t", "--last-event-id", "41", "--max-events", "1"
        )
    assert result.returncode == 0
    assert len(json_events(result.stdout)) == 1
    request = server.requests[0]
    assert request.header("Authorization") == "Bearer t"
    assert request.header("Last-Event-ID") == "41"


def test_parse_a_file_and_stdin(tmp_path: Path) -> None:
    saved = tmp_path / "stream.txt"
    saved.write_bytes(b"\xef\xbb\xbf" + BODY.encode().replace(b"\n", b"\r\n"))
    from_file = sse("parse", str(saved), "--json")
    from_stdin = sse("parse", "-", "--json", stdin=BODY.encode())
    assert from_file.returncode == from_stdin.returncode == 0
    assert json_events(from_file.stdout) == json_events(from_stdin.stdout) == EXPECTED


@pytest.mark.parametrize(
    ("response", "code"),
    [
        (Response(404, (("Content-Type", "text/plain"),), (b"nope",), "content-length"), 1),
        (Response(200, (("Content-Type", "text/html"),), (b"<p>",), "content-length"), 1),
        (Response(302, (), (), "content-length"), 1),
    ],
    ids=["http-error", "content-type", "redirect-without-location"],
)
def test_exit_codes_for_a_failed_stream(response: Response, code: int) -> None:
    with serving(response) as server:
        result = sse(server.url())
    assert result.returncode == code
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith("sse: error:")


def test_exit_code_for_exhausted_retries() -> None:
    with serving(Response(body=(), framing="chunked"), Response(body=(), framing="chunked")) as server:
        result = sse(server.url(), "--max-retries", "1")
    assert result.returncode == 3
    assert "failed after 2 retries" in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["http://x/", "-H", "no colon"],
        ["parse"],
        ["http://x/", "--json", "--data-only"],
        ["http://x/", "--max-events", "-1"],
        ["http://x/", "--max-events", "two"],
    ],
)
def test_exit_code_for_bad_usage(arguments: list[str]) -> None:
    assert sse(*arguments).returncode == 2


def test_max_events_0_reads_nothing() -> None:
    # A server that would hold the client forever: --max-events 0 must not even ask it.
    with serving(Response(body=(), framing="close", then="hold")) as server:
        result = sse(server.url(), "--max-events", "0")
        requests = list(server.requests)
    assert (result.returncode, result.stdout, requests) == (0, "", [])


@pytest.fixture
def held_stream() -> Iterator[ScriptedServer]:
    held = Response(body=sse_body("data: first\n\n"), framing="chunked", then="hold")
    with serving(held) as server:
        yield server


def first_line(process: subprocess.Popen[str]) -> str:
    """The first line of stdout, read while the server still holds the stream open."""
    assert process.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.append(process.stdout.readline()) if process.stdout else None
    )
    reader.start()
    reader.join(GUARD)
    assert lines, "no event was printed while the stream was open: output is being buffered"
    return lines[0]


def test_each_event_is_printed_when_its_blank_line_arrives(held_stream: ScriptedServer) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sse", held_stream.url(), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENVIRONMENT,
    )
    try:
        assert json.loads(first_line(process))["data"] == "first"
    finally:
        process.kill()
        process.communicate(timeout=GUARD)


def test_ctrl_c_ends_cleanly(held_stream: ScriptedServer) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sse", held_stream.url(), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENVIRONMENT,
    )
    first_line(process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=GUARD)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert "interrupted" in stderr


def test_tls_options(tmp_path: Path) -> None:
    import ssl

    import trustme

    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.tempfile() as pem:
        context.load_cert_chain(pem)
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    script = [Response(body=sse_body("retry: 10\ndata: secure\n\n"), framing="chunked"), Response(204)] * 2
    with ScriptedServer(script, tls=context) as server:
        refused = sse(server.url())
        trusted = sse(server.url(), "--cacert", str(bundle), "--data-only")
        insecure = sse(server.url(), "--insecure", "--data-only")
        missing = sse(server.url(), "--cacert", str(tmp_path / "missing.pem"), "--max-retries", "1")
    assert refused.returncode == 3
    assert "certificate verify failed" in refused.stderr
    assert missing.returncode == 2  # a usage error, not a network failure retried
    assert "cannot load the CA bundle" in missing.stderr
    assert trusted.stdout == insecure.stdout == "secure\n"
    assert trusted.returncode == insecure.returncode == 0


def test_timeout_reconnects_a_silent_stream() -> None:
    silent = Response(body=(), framing="close", then="hold")
    with serving(silent) as server:
        result = sse(server.url(), "--timeout", "0.2", "--max-retries", "0")
    assert result.returncode == 3
    assert "TimeoutError" in result.stderr or "timed out" in result.stderr


def test_every_header_is_sent() -> None:
    with serving(Response(body=sse_body(BODY), framing="chunked"), Response(204)) as server:
        sse(server.url(), "-H", "X-One: 1", "-H", "X-Two: two words", "--max-events", "1")
    assert server.requests[0].header("X-One") == "1"
    assert server.requests[0].header("X-Two") == "two words"


def test_readable_blocks_on_a_terminal_json_otherwise() -> None:
    import argparse
    import io

    from sse._cli import output_format

    class Terminal(io.StringIO):
        @override
        def isatty(self) -> bool:
            return True

    plain = argparse.Namespace(json=False, data_only=False, pretty=False)
    assert output_format(plain, Terminal()) == "pretty"
    assert output_format(plain, io.StringIO()) == "json"
    assert output_format(argparse.Namespace(json=True, data_only=False, pretty=False), Terminal()) == "json"


def test_the_reconnect_line_says_the_delay() -> None:
    result = sse("demo", "--data-only")
    assert "reconnecting in 0.5 s with Last-Event-ID: 3" in result.stderr


def test_the_installed_command() -> None:
    import shutil

    command = shutil.which("sse", path=os.path.dirname(sys.executable))
    assert command is not None, "the console script is not installed"
    result = subprocess.run(
        [command, "demo", "--json"],
        capture_output=True,
        text=True,
        timeout=GUARD,
        check=False,
        env=ENVIRONMENT,
    )
    assert result.returncode == 0
    assert len(json_events(result.stdout)) == 6


@pytest.mark.parametrize("arguments", [["parse", "/nonexistent/stream.txt"], ["ftp://127.0.0.1/x"]])
def test_exit_code_2_for_an_unreadable_file_or_a_bad_url(arguments: list[str]) -> None:
    result = sse(*arguments)
    assert result.returncode == 2
    assert result.stderr.startswith("sse: error:") or "sse: error:" in result.stderr
