"""The ``sse`` command: to Server-Sent Events what ``curl -N`` is to HTTP.

Events go to stdout, one as soon as its blank line arrives; connections, reconnections
and errors go to stderr as short status lines, never mixed into stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal, TextIO

from sse._client import SSEClient
from sse._core import DEFAULT_TIMEOUT, logger
from sse._errors import (
    EventTooLargeError,
    SSEConnectionError,
    SSEError,
)
from sse._events import SSEEvent
from sse._sources import EventSource

EXIT_OK = 0
"""The stream ended (204, ``--max-events`` reached, the end of a parsed file)."""
EXIT_SERVER = 1
"""The server failed the stream: an HTTP error status, a wrong Content-Type, a bad
redirect, an event over the size bound."""
EXIT_USAGE = 2
"""The command line is wrong."""
EXIT_RETRIES = 3
"""No connection could be made: ``--max-retries`` consecutive attempts failed, or the
TLS certificate does not verify."""
EXIT_INTERRUPTED = 130
"""Ctrl-C."""

Format = Literal["pretty", "json", "data"]

_EXIT_CODES = f"""exit codes:
  {EXIT_OK}    the stream ended (a 204, --max-events reached, the end of a parsed file)
  {EXIT_SERVER}    the server failed the stream (HTTP error, wrong Content-Type, bad redirect, event too large)
  {EXIT_USAGE}    bad usage
  {EXIT_RETRIES}    no connection: --max-retries attempts failed in a row, or TLS verification failed
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C)
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["parse"]:
            return _parse_command(arguments[1:])
        if arguments[:1] == ["demo"]:
            return _demo_command(arguments[1:])
        return _stream_command(arguments)
    except KeyboardInterrupt:
        print("sse: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `sse URL | head -1`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


# -- sse URL ------------------------------------------------------------------------------


def _stream_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sse",
        description=(
            "Stream the Server-Sent Events of URL, reconnecting as the WHATWG standard says. "
            "Also: 'sse parse FILE' parses a saved stream; 'sse demo' runs a local demonstration."
        ),
        epilog=_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("url", help="the http(s) URL of the stream")
    parser.add_argument(
        "-H",
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="an extra request header (repeatable)",
    )
    parser.add_argument("--last-event-id", default="", metavar="ID", help="resume after this event ID")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="connect and read timeout"
    )
    parser.add_argument(
        "--max-retries",
        type=int,
        default=-1,
        metavar="N",
        help="give up after N consecutive failed attempts (default: never)",
    )
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    tls.add_argument("--cacert", metavar="FILE", help="verify TLS certificates against this CA bundle")
    _add_output_options(parser)
    return parser


def _stream_command(arguments: list[str]) -> int:
    options = _stream_parser().parse_args(arguments)
    headers: dict[str, str] = {}
    for header in options.header:
        name, colon, value = str(header).partition(":")
        if not colon or not name.strip():
            _stream_parser().error(f"a header is 'Name: value', not {header!r}")
        headers[name.strip()] = value.strip()
    verify: bool | str = False if options.insecure else (str(options.cacert) if options.cacert else True)
    _log_to_stderr()
    client = SSEClient(
        str(options.url),
        headers=headers or None,
        timeout=float(options.timeout),
        max_retries=int(options.max_retries),
        verify=verify,
        last_event_id=str(options.last_event_id),
    )
    with client:
        return _deliver(client, options)


# -- sse parse FILE -------------------------------------------------------------------------


def _parse_command(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="sse parse",
        description="Parse a saved text/event-stream body, offline.",
        epilog=_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="the file to parse, or - for standard input")
    _add_output_options(parser)
    options = parser.parse_args(arguments)
    name = str(options.file)
    if name == "-":
        return _deliver(EventSource.from_bytes(_chunks(sys.stdin.fileno())), options)
    try:
        with open(name, "rb") as body:
            return _deliver(EventSource.from_bytes(_chunks(body.fileno())), options)
    except OSError as exc:
        print(f"sse: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _chunks(descriptor: int) -> Iterator[bytes]:
    """What the file or pipe holds, as it comes (a live pipe is parsed as it flows)."""
    while chunk := os.read(descriptor, 65536):
        yield chunk


# -- sse demo -------------------------------------------------------------------------------


def _demo_command(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="sse demo",
        description=(
            "Start an SSE server on 127.0.0.1 whose stream drops the connection in the middle of an event "
            "and resumes from Last-Event-ID, and stream it as 'sse URL' would. No network needed; it ends "
            "by itself in a few seconds."
        ),
    )
    _add_output_options(parser)
    options = parser.parse_args(arguments)
    from sse._demo import DemoServer

    _log_to_stderr()
    with DemoServer() as server:
        print(f"sse: demo server at {server.url}", file=sys.stderr)
        with SSEClient(server.url, timeout=5.0, max_retries=3) as client:
            return _deliver(client, options)


# -- output ---------------------------------------------------------------------------------


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per event and line (the default when stdout is not a terminal)",
    )
    output.add_argument("--data-only", action="store_true", help="print only each event's data")
    output.add_argument("--pretty", action="store_true", help="readable blocks (the default on a terminal)")
    parser.add_argument(
        "--max-events", type=_count, default=None, metavar="N", help="stop after N events (0: read none)"
    )


def _count(text: str) -> int:
    number = int(text)  # argparse reports a ValueError as an invalid value
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def output_format(options: argparse.Namespace, stdout: TextIO) -> Format:
    if options.json:
        return "json"
    if options.data_only:
        return "data"
    if options.pretty:
        return "pretty"
    return "pretty" if stdout.isatty() else "json"


def render(event: SSEEvent, style: Format) -> str:
    """How the command prints one event."""
    if style == "json":
        record = {"event": event.event, "data": event.data, "id": event.id, "retry": event.retry}
        return json.dumps(record, ensure_ascii=False) + "\n"
    if style == "data":
        return event.data + "\n"
    lines = [] if event.event == "message" else [f"event: {event.event}"]
    if event.id:
        lines.append(f"id: {event.id}")
    if event.retry is not None:
        lines.append(f"retry: {event.retry}")
    lines += [f"data: {line}" for line in event.data.split("\n")]
    return "\n".join(lines) + "\n\n"


def _deliver(events: Iterable[SSEEvent], options: argparse.Namespace) -> int:
    style = output_format(options, sys.stdout)
    limit: int | None = options.max_events
    count = 0
    if limit == 0:
        return EXIT_OK  # before iterating: nothing is connected or read
    try:
        for event in events:
            sys.stdout.write(render(event, style))
            sys.stdout.flush()  # each event as soon as it is complete, not when a buffer fills
            count += 1
            if limit is not None and count >= limit:
                break
    except SSEConnectionError as exc:
        print(f"sse: error: {exc}", file=sys.stderr)
        return EXIT_RETRIES
    except (SSEError, EventTooLargeError) as exc:
        print(f"sse: error: {exc}", file=sys.stderr)
        return EXIT_SERVER
    except ValueError as exc:  # a bad URL or header, found before anything was sent
        print(f"sse: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("sse: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
