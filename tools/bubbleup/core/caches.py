"""What Bubbleup's caches share (history, parse and render caches, the build manifest):
the library versions their keys name, and how a cache file is written."""

from __future__ import annotations

import gc
import json
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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


def read_json(path: Path, **expected: object) -> dict | None:
    """A JSON cache file's object, if it can be read and holds each `expected` key with
    that value (its format, the code that wrote it); None for a missing, damaged or
    foreign file, which the caller sets aside."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or any(raw.get(key) != value for key, value in expected.items()):
        return None
    return raw


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


@contextmanager
def uncollected() -> Iterator[None]:
    """Hold the garbage collector while a cache is read: reading one makes hundreds of
    thousands of objects that all stay, and each collection on the way would walk all
    those made before it again (a third of the parse cache's load at 5,000 ideas)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Restricted(pickle.Unpickler):
    """An unpickler that builds only the classes named in `allowed` (module, name):
    anything else makes the file a foreign one (the parse and parts caches)."""

    allowed: frozenset[tuple[str, str]] = frozenset()
    what = "this cache"

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of {self.what}")
        return super().find_class(module, name)
