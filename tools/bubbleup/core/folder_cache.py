"""The vote files each idea's folder held when a command last listed it, kept in the cache
folder for the next command (`loader.Listings`; the preview keeps them in memory instead,
core/resident.py).

A rebuild lists 5,000 idea folders and 55,000 files at 5,000 ideas (0.08 CPU s and often
several times that in wall time on a loaded machine, before the walk's own work on each
entry), though almost no folder changed. Adding, removing or renaming a file changes its
folder's modification and change times (a file's content does not, and is not what is kept
here: the parse cache knows contents by Git's blob ids). So a folder whose size, times,
inode and device are those it had when it was listed holds the same files, and one `stat`
replaces its listing. As in core/resident.py, a folder changed within `RACY` of its listing
is not kept (a timestamp's granularity could hide a second change), and only folders of
plain vote files are kept (no customers' folder, image, symbolic link or stray file).

Only file names are kept, each checked when read as the walk would have taken it (a name
of a Markdown file, not hidden, in that folder). A recalled folder is one `gather.Folder`,
whose results the loader takes whole while the parse cache holds them all unchanged, and
otherwise takes apart into each file's entry exactly as the walk makes it (core/gather.py);
a damaged, truncated or foreign file is set aside whole, and every folder is listed: only
a slower run.
"""

from __future__ import annotations

import hashlib
import os
import time
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from bubbleup.core import caches, loader
from bubbleup.core.gather import Folder
from bubbleup.core.loader import IGNORED_NAMES
from bubbleup.core.resident import RACY, ByStatus

FORMAT = b"bubbleup folders 1\n"
NAME = "folders.pickle"


class _Unpickler(caches.Restricted):
    """Builds no class at all: the file holds text, numbers, tuples, lists and a dict."""

    what = "the folders cache"


class FolderCache(ByStatus[list]):
    """A `loader.Listings` kept in `cache_dir` between commands, for the folders under
    `folder`, whose entries the loader names `prefix` + slug + "/" + file (`loader.prefix`)."""

    def __init__(self, cache_dir: Path, root: Path, ideas_dir: Path) -> None:
        super().__init__()
        self.path = cache_dir / NAME
        self.folder, self.prefix = str(ideas_dir), loader.prefix(root, ideas_dir)
        self.kept = self._read()
        self.begin(time.time_ns() - RACY)

    def recall(self, key: str, path: str | None = None) -> Folder | None:  # type: ignore[override]
        """The files `key` held when listed, if its status is the same: one `loader.Folder`,
        whose files the loader takes together while the parse cache holds them all."""
        files = super().recall(key, path)
        if files is None:
            return None
        slug = os.path.basename(key)
        return Folder(key, f"{self.prefix}{slug}", "feedback", slug, files)

    def keep(self, key: str, value: list) -> None:
        super().keep(key, [os.path.basename(entry.path) for entry in value])

    def save(self) -> None:
        """Write what this load listed or recalled, if it differs from what was read."""
        if self.seen.keys() == self.kept.keys() and all(self.kept[key] is found for key, found in self.seen.items()):
            return
        caches.write_pickle(self.path, FORMAT + _code() + b"\n", (self.folder, self.prefix, self.seen))
        super().save()

    def _read(self) -> dict[str, tuple[Any, list[str]]]:
        kept = caches.read_pickle(self.path, FORMAT + _code() + b"\n", _Unpickler)
        if kept.__class__ is not tuple or len(kept) != 3 or kept[:2] != (self.folder, self.prefix):
            return {}
        return kept[2] if _well_formed(kept[2], self.folder) else {}


def _code() -> bytes:
    """The version of the code that decides which files a folder's walk takes (the loader's, and this)."""
    digest = hashlib.sha256()
    for module in (loader, caches):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest().encode()


def _well_formed(kept: Any, folder: str) -> bool:
    """Folders directly under `folder`, each with a status of five whole numbers and the
    names of the Markdown files the walk takes without a second look (checked all at once,
    at the speed of C: 55,000 names at 5,000 ideas)."""
    if kept.__class__ is not dict or not set(map(type, kept)) <= {str} or not set(map(type, kept.values())) <= {tuple}:
        return False
    if kept and (not _directly_under(list(kept), folder) or set(map(len, kept.values())) != {2}):
        return False
    statuses, lists = zip(*kept.values(), strict=True) if kept else ((), ())
    if not (set(map(type, statuses)) <= {tuple} and set(map(len, statuses)) <= {5} and set(map(type, lists)) <= {list}):
        return False
    if not set(map(type, chain.from_iterable(statuses))) <= {int}:
        return False
    names = list(chain.from_iterable(lists))
    joined = "".join(names) if set(map(type, names)) <= {str} else "/"
    if "/" in joined or "\0" in joined:
        return False
    # Each name between NULs, which no name holds: one search of the whole text says what a
    # call per name said (ends in .md, starts with neither . nor _, is not an ignored name),
    # 0.37 billion instructions at 10,000 ideas in calls, a tenth of that so.
    marked = "\0" + "\0".join(names) + "\0"
    lowered = marked.lower()
    return (
        marked.count(".md\0") == len(names)
        and "\0." not in marked
        and "\0_" not in marked
        and not any(f"\0{name}\0" in lowered for name in IGNORED_NAMES)
    )


def _directly_under(paths: list[str], folder: str) -> bool:
    """Whether each path is `folder`, a slash and a name without one (what `os.path.dirname`
    of each would say, but for a doubled slash, refused: the walk never makes one)."""
    prefix = folder + "/"
    slashes = len(paths) * prefix.count("/")  # the prefixes' own: any more is in a name
    return all(map(str.startswith, paths, repeat(prefix))) and "".join(paths).count("/") == slashes
