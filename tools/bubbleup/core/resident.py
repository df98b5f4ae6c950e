"""What a process that loads the ideas folder again and again (the preview server) keeps
of each file between its loads: the checked result, under the file's size, times and inode.

Under `serve`, every saved vote loads the catalog again, and reading the parse cache,
asking Git which files are unchanged, and looking each of 55,000 results up cost over a
second at 5,000 ideas, for one file that changed. A file whose size, modification and
change times, inode and device are those it had when it was last read has the same
bytes, as Git trusts its index: so its result is taken from memory, as the very same
object, which lets the snapshot and the pages tell what did not change by identity.

The status of a file is taken before the file is read, so a change made while it is read
leaves a status that differs next time. Timestamps have a granularity (a clock tick, a
second or two on some file systems), so a file changed within `RACY` of a load may change
again without its status changing: like Git's "racily clean" entries, such a file is not
trusted, and is read again by the next load. A result kept for another context (the
options, whether there is a roster, the images beside ideas: `file_check.context`) is
never used, and the loader uses one only while the roster answers what its check asked.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from bubbleup.core.file_check import Checked, Memo, NoMemo

RACY = 2_000_000_000
"""Nanoseconds: a file changed this close to a load is read again by the next one."""
Status = tuple[int, int, int, int, int]
Calm = Callable[[str], bool]
"""Whether nothing changed at a path (a file, or the list of a folder's files) since the
previous load began, as a watcher that saw every change since then vouches (under
`serve`, site/watching.py `Changes`): what was kept for such a path is taken without
asking its status, which was half of a preview's load (60,000 files at 5,000 ideas)."""
T = TypeVar("T")


def status(path: str) -> Status | None:
    """What tells a changed file: size, modification and change times, inode, device."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)


class Resident:
    """A `file_check.Memo` for the loads of one process, over a memo that answers for the
    files it has not seen (the parse cache, on its first load).

    Each load starts with `begin` and ends with `save`; what the load did not see (a file
    deleted, or a load limited to a few folders) is forgotten then or ignored.
    """

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/") + "/"
        self.context: str | None = None
        self.files: ByStatus[Checked] = ByStatus()
        """By path (relative to the root): a file's result."""
        self.folders: ByStatus[list] = ByStatus()
        """A `loader.Listings`: the vote files an idea's folder held. Adding, removing or
        renaming a file changes its folder's times."""
        self.inner: Memo = NoMemo()

    @property
    def kept(self) -> dict[str, tuple[Status, Checked]]:
        return self.files.kept

    @property
    def recalled(self) -> int:
        """How many results the last load found in memory (the loader checks one again if
        the roster no longer answers what its check asked)."""
        return self.files.recalled

    def begin(self, inner: Callable[[], Memo], calm: Calm | None = None) -> Resident:
        """Start a load. On the first one, the memo that `inner` makes answers for the
        files (made after the load's clock is read, so that whatever it knows is older).
        With `calm`, the paths it vouches for are taken as they were, unasked."""
        trusted_before = time.time_ns() - RACY
        self.inner = inner() if not self.files.kept else NoMemo()
        self.files.begin(trusted_before, calm)
        self.folders.begin(trusted_before, calm)
        return self

    def start(self, context: str) -> None:
        self.inner.start(context)
        if context != self.context:
            self.files.kept, self.context = {}, context

    def recall(self, path: str) -> Checked | None:
        checked = self.files.recall(path, self.root + path)
        if checked is None:
            checked = self.inner.recall(path)
            if checked is not None:
                self.files.keep(path, checked)
        return checked

    def keep(self, path: str, checked: Checked) -> None:
        self.inner.keep(path, checked)
        self.files.keep(path, checked)

    def moved(self) -> set[str]:
        """The paths (files and folders) whose status is no longer the one kept for them: what
        changed since the load that kept them began. Asked once, from another thread, when
        the preview's watcher starts (site/watching.py `Changes.confirm`); it reads only the
        kept dictionaries, which a load replaces whole and never changes in place."""
        files = [(self.root + key, known) for key, (known, _) in list(self.files.kept.items())]
        folders = [(key, known) for key, (known, _) in list(self.folders.kept.items())]
        return {path for path, known in files + folders if status(path) != known}

    def save(self) -> None:
        """End a load of the whole folder: what it did not see is gone."""
        self.files.save()
        self.folders.save()
        save = getattr(self.inner, "save", None)
        if save is not None:
            save()
        self.inner = NoMemo()


class ByStatus(Generic[T]):
    """What was found at each path (a file's result, a folder's files) under the path's
    status, taken before it was read; one load's worth at a time. A path changed within
    `RACY` of a load is not kept, and is read again by the next load."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[Status, T]] = {}
        self.seen: dict[str, tuple[Status, T]] = {}
        self.statuses: dict[str, Status | None] = {}
        """The status of each path this load is reading, taken before it was read."""
        self.trusted_before = 0
        self.recalled = 0
        self.calm: Calm | None = None

    def begin(self, trusted_before: int, calm: Calm | None = None) -> None:
        self.trusted_before, self.seen, self.statuses, self.recalled = trusted_before, {}, {}, 0
        self.calm = calm

    def recall(self, key: str, path: str | None = None) -> T | None:
        """What was found at `key` (at `path`, if the key is not the path itself), if its
        status is the one it had then, or if the load's `calm` vouches for the path."""
        where = key if path is None else path
        kept = self.kept.get(key)
        if kept is not None and self.calm is not None and self.calm(where):
            self.seen[key] = kept
            self.recalled += 1
            return kept[1]
        found = status(where)
        if kept is not None and found is not None and kept[0] == found:
            self.seen[key] = kept
            self.recalled += 1
            return kept[1]
        self.statuses[key] = found
        return None

    def keep(self, key: str, value: T) -> None:
        """Keep what was just read at `key`, under the status taken when `recall` was asked
        (or the one it was recalled under, if what was kept no longer served: a result
        whose roster answers changed, core/loader.py)."""
        known = self.statuses.pop(key, None)
        if known is None and key in self.seen:
            self.seen[key] = (self.seen[key][0], value)
        elif known is not None and known[1] < self.trusted_before and known[2] < self.trusted_before:
            self.seen[key] = (known, value)

    def save(self) -> None:
        self.kept, self.statuses = self.seen, {}
