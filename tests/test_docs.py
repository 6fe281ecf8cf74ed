"""The documentation site builds with ``mkdocs build --strict``: a broken link, a page
missing from the nav, or an API reference that does not resolve fails the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sse
import sse.transports

ROOT = Path(__file__).resolve().parent.parent


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    api = (tmp_path / "site" / "api" / "index.html").read_text()
    for module in (sse, sse.transports):
        for name in module.__all__:
            assert f'id="{module.__name__}.{name}"' in api, (
                f"{module.__name__}.{name} is not in the API reference"
            )
    assert "EventSlots" not in api  # private storage, not a documented base
    assert "Bases: <code>" in api  # while the public bases (the errors') still show
    tables = (tmp_path / "site" / "conformance-tables" / "index.html").read_text()
    assert "wpt-format-bom" in tables
    assert not (tmp_path / "site" / "hooks.py").exists()


def test_the_conformance_page_counts_the_rows_there_are() -> None:
    import json
    import re
    from typing import cast

    page = (ROOT / "docs" / "conformance.md").read_text()
    for kind in ("parsing", "network"):
        counts: dict[str, int] = {}
        for path in sorted((ROOT / "spec_tests" / "data" / kind).glob("*.json")):
            table = cast("dict[str, list[object]]", json.loads(path.read_text()))
            counts[path.name] = len(table["rows"])
        section = page.split(f"rows in `spec_tests/data/{kind}/`")[1].split("\n## ")[0]
        listed = {name: int(n) for name, n in re.findall(r"^\| `([\w-]+\.json)` \| (\d+) \|", section, re.M)}
        assert listed == counts
        assert (
            f"{sum(counts.values())} {kind} rows" in page
            or f"{sum(counts.values())} rows in `spec_tests/data/{kind}/`" in page
        )
