"""What Bubbleup's caches share (history, parse and render caches, the build manifest):
the library versions their keys name, and how a cache file is written."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from bubbleup.core.atomic import write_atomic_bytes

IGNORE = "# The caches of bubbleup: safe to delete, never to commit.\n*\n"


def versions(names: Iterable[str]) -> str:
    """One `name=version` line per library (`none` when it is not installed): what was
    remembered from a library's output is stale once its version changes."""
    lines = []
    for name in names:
        try:
            lines.append(f"{name}={metadata.version(name)}\n")
        except metadata.PackageNotFoundError:
            lines.append(f"{name}=none\n")
    return "".join(lines)


def write(path: Path, content: bytes) -> None:
    """Write a cache file all or nothing, with a .gitignore that keeps its folder out of
    commits. A cache that cannot be written (a read-only checkout, a full disk) only makes
    the next run slower, so the error is not raised."""
    try:
        write_atomic_bytes(path, content)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text(IGNORE)
    except OSError:
        pass
