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
