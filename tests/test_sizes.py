"""Modules under 400 lines, functions under 60: small enough to read whole.

A function is counted from its `def` line to its last line (decorators, such as a Click
command's options, are declarations and are not counted). The benchmarks' functions are held
to the same limit; their generator is one file on purpose (a script to copy and run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tools/bubbleup"
MODULE_LINES = 400
FUNCTION_LINES = 60

# Known offenders, each with its size as a ceiling (it may shrink, never grow). The list held
# validate.py, loader.load, edit_front_matter and charts.py while they were split; it is empty
# now, and an entry belongs here only with a reason and while someone is splitting it.
OFFENDERS: dict[str, int] = {}


def _functions(tree: ast.AST, prefix: str = "") -> list[tuple[str, int]]:
    """(qualified name, lines) of every function and method, nested ones included."""
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            found.append((prefix + node.name, node.end_lineno - node.lineno + 1))
            found += _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            found += _functions(node, f"{prefix}{node.name}.")
        else:
            found += _functions(node, prefix)
    return found


def oversized(files: list[Path], root: Path, module_limit: int | None) -> dict[str, int]:
    """What is over the limits, as `path` (a module) or `path::qualified.name` (a function)."""
    over = {}
    for path in files:
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if module_limit is not None and lines > module_limit:
            over[name] = lines
        for function, length in _functions(ast.parse(text)):
            if length > FUNCTION_LINES:
                over[f"{name}::{function}"] = length
    return over


def _found() -> dict[str, int]:
    return {
        **oversized(sorted(PACKAGE.rglob("*.py")), ROOT, MODULE_LINES),
        **oversized(sorted((ROOT / "benchmarks").glob("*.py")), ROOT, None),
    }


@pytest.mark.slow
def test_no_module_or_function_is_over_the_limits() -> None:
    new = {name: lines for name, lines in _found().items() if name not in OFFENDERS}
    assert not new, f"over {MODULE_LINES} lines (a module) or {FUNCTION_LINES} (a function); split them: " + ", ".join(
        f"{name} ({lines})" for name, lines in sorted(new.items())
    )


@pytest.mark.slow
def test_known_offenders_do_not_grow() -> None:
    grown = {name: lines for name, lines in _found().items() if name in OFFENDERS and lines > OFFENDERS[name]}
    assert not grown, "grown past their size in OFFENDERS (tests/test_sizes.py); split them instead: " + ", ".join(
        f"{name} ({lines} > {OFFENDERS[name]})" for name, lines in sorted(grown.items())
    )


def test_the_check_sees_a_long_method_and_a_long_module(tmp_path: Path) -> None:
    body = "".join(f"        x = {i}\n" for i in range(FUNCTION_LINES))
    (tmp_path / "m.py").write_text(f"class C:\n    def long(self):\n{body}\n    def short(self):\n        pass\n")
    assert oversized([tmp_path / "m.py"], tmp_path, FUNCTION_LINES) == {"m.py": FUNCTION_LINES + 5, "m.py::C.long": 61}
