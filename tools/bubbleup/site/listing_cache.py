"""What each folder of the generated pages held when the last build listed it, kept in the
cache folder for the next build (site/walk.py `survey`).

A build lists the pages folder once (site/walk.py), one directory read for each of its
5,000 idea folders at 5,000 ideas (0.08 to 0.1 CPU s), though after one vote a single
idea folder changed (its feed). Adding, removing or renaming an entry changes its folder's
modification and change times; so a folder whose size, times, inode and device are those
it had when it was listed holds the same entries, and one `stat` (a quarter of the cost)
replaces its listing, as core/folder_cache.py does for the ideas' folders. As there, a
folder changed within `RACY` of the build's start is not kept (a timestamp's granularity
could hide a second change), nor is a folder holding a symbolic link (what a link is, a
folder or a file, can change without its folder changing) or one that could not be read.

The names are checked when read (a plain name: no separator, not `.` or `..`), as the
writer removes the stale files among them; a damaged, truncated or foreign file is set
aside whole, and every folder is listed: only a slower build.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from bubbleup.core import caches
from bubbleup.core.resident import RACY, ByStatus, Status

LISTING = "listing.pickle"
FORMAT = b"bubbleup pages listing 2\n"

Entries = tuple[tuple[str, ...], tuple[str, ...]]
"""The names of a folder's folders and of its other entries."""


class _Unpickler(caches.Restricted):
    """Builds no class at all: the file holds text, numbers, tuples and a dict."""

    what = "the pages listing cache"


class Listings(ByStatus[Entries]):
    """The entries of each folder under `top` (by path relative to it, "" for the top) as
    the last build listed them, under the folder's status then (core/resident.py's
    `ByStatus`, as core/folder_cache.py keeps the ideas' folders), and those of this
    build, for the next."""

    def __init__(self, path: Path | None, top: Path) -> None:
        super().__init__()
        self.path, self.top = path, str(top)
        self.kept = self._read()
        self.begin(time.time_ns() - RACY)

    def save(self) -> None:
        """Write what this build listed or recalled, if it differs from what was read."""
        if self.path is not None and self.seen != self.kept:
            caches.write_pickle(self.path, FORMAT + _code() + b"\n", (self.top, self.seen))
        super().save()

    def _read(self) -> dict[str, tuple[Status, Entries]]:
        kept = caches.read_pickle(self.path, FORMAT + _code() + b"\n", _Unpickler)
        if kept.__class__ is not tuple or len(kept) != 2 or kept[0] != self.top or kept[1].__class__ is not dict:
            return {}
        return kept[1] if _well_formed(kept[1]) else {}


def _well_formed(kept: dict) -> bool:
    """Each entry's shape, and each name a plain one (no separator, not `.` or `..`): the
    writer removes the stale files among them. Checked all together, at C speed."""
    numbers: list[Any] = []
    names: list[Any] = []
    for folder, entry in kept.items():
        if folder.__class__ is not str or entry.__class__ is not tuple or len(entry) != 2:
            return False
        found, entries = entry
        if found.__class__ is not tuple or len(found) != 5 or entries.__class__ is not tuple or len(entries) != 2:
            return False
        subfolders, others = entries
        if subfolders.__class__ is not tuple or others.__class__ is not tuple:
            return False
        numbers += found
        names += subfolders
        names += others
    if not all(number.__class__ is int for number in numbers) or not all(name.__class__ is str for name in names):
        return False
    text = "\n".join(names)
    return "/" not in text and "\0" not in text and not {"", ".", ".."}.intersection(names)


def _code() -> bytes:
    """The version of the code that lists a folder (site/walk.py, read beside this file
    rather than imported: it imports this) and keeps its listing (this)."""
    digest = hashlib.sha256()
    here = Path(__file__)
    for source in (here.with_name("walk.py"), here):
        digest.update(source.read_bytes())
    digest.update(os.fsencode(os.sep))
    return digest.hexdigest().encode()
