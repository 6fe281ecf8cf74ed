"""Every example in the README and docs/ is code: it stands, verbatim, in a file of
examples/, which the type checkers check and these tests run against a local server."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import runpy
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import pytest

from spec_tests.server import Response, serving, sse_body
from sse.transports import AsyncHTTPTransport

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


def docstring_blocks() -> list[tuple[str, str]]:
    """The literal blocks (after ``::``) of every public docstring: what the API page shows."""
    import inspect

    import sse
    import sse.transports
    import sse.transports.aiohttp
    import sse.transports.httpx
    import sse.transports.requests

    adapters = (sse.transports.aiohttp, sse.transports.httpx, sse.transports.requests)
    found: list[tuple[str, str]] = []
    for adapter in adapters:
        for block in re.findall(r"::\n\n((?:(?: {4}.*)?\n?)+)", (adapter.__doc__ or "") + "\n"):
            found.append((adapter.__name__, textwrap.dedent(block).strip()))
    for module in (sse, sse.transports, *adapters):
        for name in module.__all__:
            value: object = getattr(module, name)
            members = [value, *vars(value).values()] if inspect.isclass(value) else [value]
            for member in members:
                target: object = getattr(member, "__func__", member)  # a classmethod's function
                doc = inspect.getdoc(target) if callable(target) or isinstance(target, property) else None
                for block in re.findall(r"::\n\n((?:(?: {4}.*)?\n?)+)", (doc or "") + "\n"):
                    found.append((f"{module.__name__}.{name}", textwrap.dedent(block).strip()))
    return found


def lines_of(code: str) -> list[str]:
    return [line.strip() for line in code.strip().splitlines() if line.strip()]


def contains(source: list[str], block: list[str]) -> bool:
    return any(source[i : i + len(block)] == block for i in range(len(source) - len(block) + 1))


@pytest.mark.parametrize(("owner", "code"), docstring_blocks(), ids=lambda value: str(value)[:40])
def test_every_docstring_example_is_an_example_file(owner: str, code: str) -> None:
    sources = [lines_of(path.read_text()) for path in EXAMPLES.glob("*.py")]
    assert any(contains(source, lines_of(code)) for source in sources), (
        f"{owner}'s example is in no file of examples/"
    )


def test_docstrings_have_examples() -> None:
    assert len(docstring_blocks()) >= 12


def test_docstring_examples_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    docs = example("docstrings")
    body = "retry: 10\nevent: greeting\ndata: hello\n\ndata: world\n\n"
    for runner in (docs.sse_client, docs.connect_example):
        with serving(Response(body=sse_body(body), framing="chunked"), Response(204)) as server:
            runner(server.url())
    for coroutine in (docs.async_sse_client, docs.async_connect_example):
        with serving(Response(body=sse_body(body), framing="chunked"), Response(204)) as server:
            asyncio.run(coroutine(server.url()))
    assert capsys.readouterr().out == "hello\nworld\n" * 4
    docs.sse_parser([body.encode()[:20], body.encode()[20:]])
    docs.event_source()
    saved = tmp_path / "stream.txt"
    saved.write_bytes(body.encode())
    docs.event_source_from_bytes(saved)
    assert capsys.readouterr().out == "greeting hello\nmessage world\n" * 2 + "hello\nworld\n"

    async def lines() -> AsyncIterator[str]:
        for line in ("data: a", ""):
            yield line

    async def from_bytes(url: str) -> None:
        response = await AsyncHTTPTransport()(url, headers={})
        try:
            await docs.async_event_source_from_bytes(response)
        finally:
            await response.aclose()

    asyncio.run(docs.async_event_source(lines()))
    with serving(Response(body=sse_body("data: b\n\n"), framing="content-length")) as server:
        asyncio.run(from_bytes(server.url()))
    assert capsys.readouterr().out == "a\nb\n"


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


@pytest.mark.parametrize("name", ["with_httpx", "with_async_httpx", "with_requests", "with_aiohttp"])
def test_adapters(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    run: object = getattr(example("adapters"), name)
    assert callable(run)
    body = sse_body("retry: 0\ndata: a\n\n")  # reconnect at once, to the 204 that ends it
    with serving(Response(body=body, framing="chunked"), Response(204)) as server:
        result: object = run(server.url(), "token")
        if asyncio.iscoroutine(result):
            asyncio.run(result)
    assert server.requests[0].header("Authorization") == "Bearer token"
    assert capsys.readouterr().out == "a\n"
