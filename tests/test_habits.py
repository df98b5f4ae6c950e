"""The habits CI checks: ruff's lint and format, and mypy over tools/, as configured in pyproject.toml.

They run here, as subprocesses of the test run, so that the README's one test command is also
the one CI runs; a failure shows the tool's own output. The tools come from the `test` extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def _run(*command: str) -> None:
    tool = BIN / command[0]
    if not tool.exists():
        pytest.fail(f"{command[0]} is not installed next to {sys.executable}; run: pip install -e '.[test]'")
    result = subprocess.run([str(tool), *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"


def test_ruff_lint_passes():
    _run("ruff", "check", "--no-cache", ".")


def test_ruff_format_leaves_every_file_as_it_is():
    _run("ruff", "format", "--no-cache", "--check", ".")


def test_mypy_finds_no_type_errors():
    _run("mypy", "--no-incremental", "--cache-dir", "/dev/null")
