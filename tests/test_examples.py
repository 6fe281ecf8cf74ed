"""Every example in the README and docs/ is code: it stands, verbatim, in a file of
examples/, which the type checkers check and these tests run against a local server."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import runpy
from pathlib import Path
from types import ModuleType

import pytest

from spec_tests.server import Response, serving, sse_body

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def code_blocks() -> list[tuple[str, str]]:
    return [(path.name, match.group(1)) for path in DOCUMENTS for match in BLOCK.finditer(path.read_text())]


def test_there_are_examples_in_the_docs() -> None:
    assert len(code_blocks()) >= 7


@pytest.mark.parametrize(("document", "code"), code_blocks(), ids=lambda value: str(value)[:40])
def test_every_python_block_is_an_example_file(document: str, code: str) -> None:
    sources = [path.read_text() for path in EXAMPLES.glob("*.py")]
    assert any(code in source for source in sources), f"a block of {document} is in no file of examples/"


STREAM = 'retry: 10\nid: 1\nevent: greeting\ndata: {"hello": "world"}\n\n'


def test_quickstart(capsys: pytest.CaptureFixture[str]) -> None:
    quickstart = example("quickstart")
    with serving(Response(body=sse_body(STREAM), framing="chunked"), Response(204)) as server:
        quickstart.stream(server.url())
    assert server.requests[0].header("Authorization") == "Bearer token"
    with serving(Response(body=sse_body(STREAM), framing="chunked"), Response(204)) as server:
        asyncio.run(quickstart.astream(server.url()))
    assert capsys.readouterr().out == 'greeting {"hello": "world"}\n' + "1 {'hello': 'world'}\n"


def test_parse_lines(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "parse_lines.py"))
    assert capsys.readouterr().out == "greeting hello\nmessage world\n"


def test_parse_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    with serving(Response(body=sse_body("\ufeffid: 7\r\ndata: a\r\n\r\n"), framing="chunked")) as server:
        example("parse_bytes").read(server.url())
    assert capsys.readouterr().out == "7 a\n"


def test_sans_io(capsys: pytest.CaptureFixture[str]) -> None:
    example("sans_io").parse([b"data: a\n", b"\ndata: never ended"])
    assert capsys.readouterr().out == "message a\n"


def test_heartbeats(capsys: pytest.CaptureFixture[str]) -> None:
    assert example("heartbeats").watch([b": ping\n", b"data: a\n\n"]) > 0
    assert capsys.readouterr().out == "a\n"


def test_custom_transport(capsys: pytest.CaptureFixture[str]) -> None:
    with serving(Response(body=sse_body(STREAM), framing="chunked"), Response(204)) as server:
        example("custom_transport").stream(server.url("/events?x=1"))
    assert server.requests[0].path == "/events?x=1"
    assert server.requests[1].header("Last-Event-ID") == "1"
    assert capsys.readouterr().out == '1 {"hello": "world"}\n'
