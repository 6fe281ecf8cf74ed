"""The type checkers, as tests: mypy (mypy.ini) and basedpyright (pyproject.toml), both
strict, over sse/, spec_tests/, tests/, typings/ (and bench/ for mypy); and pyright's
--verifytypes, which must find every public symbol fully typed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH: pyright reads the interpreter's sys.path, and cannot follow the
    # import hook that an editable install of a flat layout uses.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def basedpyright() -> str:
    found = shutil.which("basedpyright", path=os.path.dirname(sys.executable)) or shutil.which("basedpyright")
    if found is None:
        pytest.fail("basedpyright is not installed: pip install -e '.[dev]'")
    return found


def test_mypy_strict() -> None:
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_strict() -> None:
    result = run(basedpyright())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_public_api_is_fully_typed() -> None:
    result = run(basedpyright(), "--verifytypes", "sse", "--ignoreexternal", "--outputjson")
    report = json.loads(result.stdout)["typeCompleteness"]
    problems = [s["name"] for s in report["symbols"] if s["isExported"] and not s["isTypeKnown"]]
    assert problems == []
    assert report["completenessScore"] == 1
