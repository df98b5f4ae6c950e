"""Fit the site builder's configuration to what this build publishes.

The public audience gets no page about people, teams, insights or the review queue (the
generator does not write them), so the navigation must not lead to them either: entries
for generated pages that were not written are dropped, and a section left empty goes
with them (a missing hand-written page stays, for mkdocs to report). The pages about Bubbleup itself (its command line, file format, architecture and
performance) sit in one navigation section, ABOUT; with the option `tool_pages: false`
that section leaves the navigation and its pages leave the site and its search index.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ABOUT = "About Bubbleup"
"""The title of the navigation section that holds the pages about Bubbleup itself."""


def _target(entry: Any) -> tuple[str | None, Any]:
    """An entry's title and its value (a path, a URL, or a list of entries)."""
    if isinstance(entry, dict) and len(entry) == 1:
        return next(iter(entry.items()))
    return None, entry


def _pages(entries: list[Any]) -> list[str]:
    found = []
    for entry in entries:
        _, value = _target(entry)
        if isinstance(value, list):
            found += _pages(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.append(value)
    return found


def prune(
    entries: list[Any], docs_dir: Path, leave_out: frozenset[str] = frozenset(), pages_path: str = "ideas"
) -> list[Any]:
    """The navigation without generated pages (under `pages_path`) missing from `docs_dir`,
    without the sections titled in `leave_out`, and without sections left empty."""
    kept = []
    for entry in entries:
        title, value = _target(entry)
        if title in leave_out:
            continue
        if isinstance(value, list):
            inner = prune(value, docs_dir, leave_out, pages_path)
            if inner:
                kept.append({title: inner} if title is not None else inner)
        elif isinstance(value, str) and value.startswith(f"{pages_path}/") and value.endswith(".md"):
            if (docs_dir / value).is_file():
                kept.append(entry)
        else:
            kept.append(entry)
    return kept


def anchor_snippets(config: Any) -> None:
    """Resolve pymdownx.snippets' relative base paths against mkdocs.yml's folder, not the
    folder the build was started from: the home page pulls in docs/ideas/.board.md that
    way. (mkdocs' `!relative` tag would do it, but zensical cannot read that tag.)"""
    options = config.get("mdx_configs", {}).get("pymdownx.snippets")
    if "pymdownx.snippets" not in config.get("markdown_extensions", []) or not config.get("config_file_path"):
        return
    options = options if options is not None else {}
    root = Path(config["config_file_path"]).parent
    given = options.get("base_path", ["."])
    paths = [given] if isinstance(given, str) else list(given)
    options["base_path"] = [str(root / path) for path in paths]
    config["mdx_configs"]["pymdownx.snippets"] = options


def fit(config: Any, tool_pages: bool = True, pages_path: str = "ideas") -> None:
    """Prune mkdocs' loaded configuration in place (see the module's docstring)."""
    anchor_snippets(config)
    nav = config.get("nav")
    if not nav:
        return
    docs_dir = Path(config["docs_dir"])
    leave_out = frozenset() if tool_pages else frozenset({ABOUT})
    if not tool_pages:
        import pathspec

        about = [value for title, value in map(_target, nav) if title == ABOUT and isinstance(value, list)]
        hidden = [f"/{page}" for section in about for page in _pages(section)]
        if hidden:
            spec = pathspec.gitignore.GitIgnoreSpec.from_lines(hidden)
            existing = config.get("exclude_docs")
            config["exclude_docs"] = existing + spec if existing else spec
    config["nav"] = prune(nav, docs_dir, leave_out, pages_path)
