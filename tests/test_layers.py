"""The package's layers, checked: imports point down only, and no module imports itself back.

core (files, model, rules) <- git (history, audit, review) <- write / site <- cli.
write and site sit side by side and never import each other: a renderer must not
depend on the code that changes files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "bubbleup"
LAYERS = {"core": 0, "git": 1, "write": 2, "site": 2, "cli": 3}
SIDE_BY_SIDE = {("write", "site"), ("site", "write")}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("bubbleup", *parts))] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every bubbleup module that `path` imports, at the top or inside a function."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bubbleup"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                targets.add(candidate if candidate in modules else node.module)
        elif isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names if alias.name.startswith("bubbleup"))
    return {target for target in targets if target in modules}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def test_every_module_sits_in_a_layer():
    stray = [name for name in _modules() if name.count(".") >= 1 and _layer(name) is None and name.count(".") > 1]
    top = [name for name in _modules() if name.count(".") == 1 and name.split(".")[1] not in LAYERS]
    assert not stray and not top, f"modules outside the layers: {stray + top}"


@pytest.mark.slow
def test_imports_point_down():
    upward = []
    for module, targets in _graph().items():
        source = _layer(module)
        for target in targets:
            goal = _layer(target)
            if source is None or goal is None:
                continue
            if LAYERS[goal] > LAYERS[source] or (source, goal) in SIDE_BY_SIDE:
                upward.append(f"{module} -> {target}")
    assert not upward, "imports that point up or sideways:\n" + "\n".join(sorted(upward))


@pytest.mark.slow
def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(trail[trail.index(target) :] + [target]) if target in trail else target)
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_check_sees_a_planted_upward_import(tmp_path):
    """The checker itself can fail: an import from core into site is found."""
    modules = {"bubbleup.core.model": tmp_path / "m.py", "bubbleup.site.build": tmp_path / "b.py"}
    modules["bubbleup.core.model"].write_text("from bubbleup.site.build import generate\n")
    found = _imports(modules["bubbleup.core.model"], modules)
    assert found == {"bubbleup.site.build"}
    assert LAYERS[_layer("bubbleup.site.build")] > LAYERS[_layer("bubbleup.core.model")]
