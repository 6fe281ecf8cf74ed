"""MkDocs hook: pages generated from the conformance tables, so that the docs cannot
drift from the data the tests replay; and private bases kept off the API page."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "spec_tests" / "data"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _tables(kind: str) -> str:
    out: list[str] = []
    for path in sorted((DATA / kind).glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        rows = document["rows"]
        out += [f"### {document['title']} (`{kind}/{path.name}`, {len(rows)} rows)", ""]
        out += ["| row | source | what it checks |", "| --- | --- | --- |"]
        out += [f"| `{row['name']}` | {_cell(row['source'])} | {_cell(row['description'])} |" for row in rows]
        out.append("")
    return "\n".join(out)


def _peers() -> str:
    report = json.loads((ROOT / "docs" / "peer-conformance.json").read_text(encoding="utf-8"))
    total = report["rows"]
    out = [
        "| parser | version | rows that agree |",
        "| --- | --- | ---: |",
        f"| `sse` | this one | {total} of {total} |",
    ]
    for name, peer in report["peers"].items():
        out.append(f"| {name} | {peer['version']} | {total - len(peer['failed'])} of {total} |")
    out.append("")
    for name, peer in report["peers"].items():
        out += [
            f"### {name} {peer['version']}",
            "",
            "| row | table | source | what it does |",
            "| --- | --- | --- | --- |",
        ]
        out += [
            f"| `{row['name']}` | {row['table']} | {_cell(row['source'])} | {_cell(row['why'])} |"
            for row in peer["failed"]
        ]
        out.append("")
    return "\n".join(out)


def on_page_markdown(markdown: str, page: object, config: object, files: object) -> str:
    if "<!-- parsing-tables -->" in markdown:
        markdown = markdown.replace("<!-- parsing-tables -->", _tables("parsing"))
    if "<!-- network-tables -->" in markdown:
        markdown = markdown.replace("<!-- network-tables -->", _tables("network"))
    if "<!-- peer-conformance -->" in markdown:
        markdown = markdown.replace("<!-- peer-conformance -->", _peers())
    if "<!-- table-format -->" in markdown:
        readme = (ROOT / "spec_tests" / "README.md").read_text(encoding="utf-8")
        markdown = markdown.replace("<!-- table-format -->", readme.split("\n", 1)[1])
    return markdown


# Bases that are private storage, not part of the API: the page does not show them.
# After autorefs has resolved the links, hence on_post_page.
_PRIVATE_BASES = re.compile(
    r'<p class="doc doc-class-bases">\s*Bases: <code>(?:(?!</p>).)*sse\._events\.EventSlots(?:(?!</p>).)*</p>',
    re.DOTALL,
)


def on_post_page(output: str, page: object, config: object) -> str:
    return _PRIVATE_BASES.sub("", output)
