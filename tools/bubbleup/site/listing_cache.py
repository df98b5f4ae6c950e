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
from bubbleup.core.resident import RACY, Status, status

LISTING = "listing.pickle"
FORMAT = b"bubbleup pages listing 1\n"

Entry = tuple[Status, tuple[str, ...], tuple[str, ...]]
"""A folder's status when listed, the names of its folders and of its other entries."""


class _Unpickler(caches.Restricted):
    """Builds no class at all: the file holds text, numbers, tuples and a dict."""

    what = "the pages listing cache"


class Listings:
    """The entries of each folder under `top` (by path relative to it, "" for the top) as
    the last build listed them, and those of this build, for the next."""

    def __init__(self, path: Path | None, top: Path) -> None:
        self.path, self.top = path, str(top)
        self.kept = self._read()
        self.seen: dict[str, Entry] = {}
        self.trusted_before = time.time_ns() - RACY

    def recall(self, folder: str, where: str) -> tuple[Status | None, Entry | None]:
        """The folder's status now, and what it held if that is the status it was listed under."""
        found = status(where)
        kept = self.kept.get(folder)
        if kept is not None and found is not None and kept[0] == found:
            self.seen[folder] = kept
            return found, kept
        return found, None

    def keep(self, folder: str, found: Status | None, subfolders: set[str], names: set[str]) -> None:
        """A folder just listed, under the status taken before (`recall`), if it is not too recent."""
        if found is not None and found[1] < self.trusted_before and found[2] < self.trusted_before:
            self.seen[folder] = (found, tuple(subfolders), tuple(names))

    def save(self) -> None:
        """Write what this build listed or recalled, if it differs from what was read."""
        if self.path is None or self.seen == self.kept:
            return
        caches.write_pickle(self.path, FORMAT + _code() + b"\n", (self.top, self.seen))

    def _read(self) -> dict[str, Entry]:
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
        if folder.__class__ is not str or entry.__class__ is not tuple or len(entry) != 3:
            return False
        found, subfolders, others = entry
        if found.__class__ is not tuple or len(found) != 5 or subfolders.__class__ is not tuple:
            return False
        if others.__class__ is not tuple:
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
