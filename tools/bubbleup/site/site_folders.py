"""What each folder of a site held when a build last read it, so that the next build's
listings of the live site and of its spare (site/spare.py) look at each folder rather
than read it.

A one-vote rebuild at 5,000 ideas listed the previous site (to plan) and its spare (to
publish): 6,070 folders each, a directory read per folder. On the loaded machine the
folders' contents were out of the cache after a minute, and each listing took 1 to 4 s
of wall time (0.1 s of CPU); a `stat` of each folder, whose inode stays cached, 0.02 s.
Adding, removing or renaming an entry of a folder changes its modification and change
times, and nothing but the system clock sets a change time. So a folder whose inode,
device and both times are those it had when it was read holds the same names, each the
same inode (an inode's kind never changes): its entries are taken from here, and only a
folder that changed is read again. Folders are known by inode, not by path, because the
site and its spare trade places on every build.

Timestamps have a granularity (a clock tick, or a second or two on some file systems), so
a folder changed within `RACY` of the build that read it could change again without its
times changing: like Git's "racily clean" entries, it is not kept, and is read again next
time. The file is the build's own, as the other caches are: a damaged, truncated or
foreign one is set aside whole, and every folder is read (only a slower build); each
entry is checked when read (names that could leave the folder are refused).
"""

from __future__ import annotations

import os
import time
from itertools import chain
from pathlib import Path
from typing import Any

from bubbleup.core import caches

NAME = "site-folders.pickle"
FORMAT = b"bubbleup site folders 3\n"
"""The first line of the file: a change to what `read` keeps of a folder changes it."""
RACY = 2_000_000_000
"""Nanoseconds: a folder changed this close to the build that read it is read again next time."""

Entries = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[str, ...]]
"""What a folder holds: the names of its folders; the names of its other entries
(symbolic links included) with their inodes; those of them that are not plain files."""
Record = tuple[int, int, tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[str, ...]]
"""A folder's change and modification times (nanoseconds), then its entries."""


class _Unpickler(caches.Restricted):
    """Builds no class at all: the file holds numbers, text, tuples and a dict."""

    what = "the site folders cache"


class SiteFolders:
    """The entries of the site folders read by earlier builds, by (device, inode), and
    those this build read or took from here (`seen`), which it saves for the next."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.trusted_before = time.time_ns() - RACY
        self.kept: dict[tuple[int, int], Record] = self._read()
        self.seen: dict[tuple[int, int], Record] = {}
        self.recalled = 0
        self.shared: dict[tuple, tuple] = {}
        """One tuple for equal lists of names (each idea's folder holds the same two
        files): the file then holds each once, and is read and written in half the time."""

    def entries(self, folder: str, details: os.stat_result) -> Entries:
        """What `folder` holds, `details` being its status taken before this call: from
        here when its times are those it was read with, else read now (and kept, unless
        it changed within `RACY` of this build)."""
        key = (details.st_dev, details.st_ino)
        found = self.kept.get(key)
        if found is not None and found[0] == details.st_ctime_ns and found[1] == details.st_mtime_ns:
            self.seen[key] = found
            self.recalled += 1
            return found[2:]
        folders, names, inodes, odd = read(folder)
        if max(details.st_ctime_ns, details.st_mtime_ns) < self.trusted_before:
            shared = self.shared
            folders, names, odd = (
                shared.setdefault(folders, folders),
                shared.setdefault(names, names),
                shared.setdefault(odd, odd),
            )
            self.seen[key] = (details.st_ctime_ns, details.st_mtime_ns, folders, names, inodes, odd)
        return folders, names, inodes, odd

    def save(self) -> None:
        """Write what this build read or recalled, when it differs from what was read."""
        if self.path is None:
            return
        kept = self.kept
        if self.seen.keys() == kept.keys() and all(kept[key] is found for key, found in self.seen.items()):
            return
        caches.write_pickle(self.path, FORMAT, self.seen)
        self.kept = self.seen

    def _read(self) -> dict[tuple[int, int], Record]:
        kept = caches.read_pickle(self.path, FORMAT, _Unpickler)
        return kept if _well_formed(kept) else {}


def read(folder: str) -> Entries:
    """One directory read of `folder`; its entries' inodes and kinds come with it
    (`d_ino`, `d_type`), so no entry is asked about on its own."""
    folders: list[str] = []
    names: list[str] = []
    inodes: list[int] = []
    odd: list[str] = []
    with os.scandir(folder) as found:
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
            else:
                names.append(entry.name)
                inodes.append(entry.inode())
                if not entry.is_file(follow_symlinks=False):
                    odd.append(entry.name)
    return tuple(folders), tuple(names), tuple(inodes), tuple(odd)


def _well_formed(kept: Any) -> bool:
    """A dict of (device, inode) to two times and a folder's entries, as `read` makes
    them: checked all at once, at the speed of C (12,000 folders at 5,000 ideas)."""
    if kept.__class__ is not dict:
        return False
    if not kept:
        return True
    keys, records = list(kept), list(kept.values())
    if set(map(type, keys)) != {tuple} or set(map(len, keys)) != {2} or set(map(type, records)) != {tuple}:
        return False
    if set(map(len, records)) != {6}:
        return False
    ctimes, mtimes, folders, names, inodes, odd = zip(*records, strict=True)
    if not set(map(type, chain(chain.from_iterable(keys), ctimes, mtimes))) <= {int}:
        return False
    if not set(map(type, chain(folders, names, inodes, odd))) <= {tuple}:
        return False
    if list(map(len, names)) != list(map(len, inodes)) or not set(map(type, chain.from_iterable(inodes))) <= {int}:
        return False
    try:
        every = list(chain.from_iterable(set(chain(folders, names, odd))))  # equal lists of names once
    except TypeError:  # a name that cannot be hashed
        return False
    if not set(map(type, every)) <= {str}:
        return False
    joined = "".join(every)
    return "/" not in joined and "\0" not in joined and {"", ".", ".."}.isdisjoint(every)
