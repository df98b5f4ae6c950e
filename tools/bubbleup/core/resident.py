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
options, the roster, the images beside ideas: `file_check.context`) is never used.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from bubbleup.core.file_check import Checked, Memo, NoMemo

RACY = 2_000_000_000
"""Nanoseconds: a file changed this close to a load is read again by the next one."""
Status = tuple[int, int, int, int, int]


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
        self.kept: dict[str, tuple[Status, Checked]] = {}
        """By path (relative to the root): a file's status when it was read, and its result."""
        self.seen: dict[str, tuple[Status, Checked]] = {}
        self.statuses: dict[str, Status | None] = {}
        """The status of each file this load is reading, taken before it was read."""
        self.inner: Memo = NoMemo()
        self.trusted_before = 0
        self.recalled = 0
        """How many results the last load took from memory."""
        self.folders = Folders()

    def begin(self, inner: Callable[[], Memo]) -> Resident:
        """Start a load. On the first one, the memo that `inner` makes answers for the
        files (made after the load's clock is read, so that whatever it knows is older)."""
        self.trusted_before = time.time_ns() - RACY
        self.inner = inner() if not self.kept else NoMemo()
        self.seen, self.statuses, self.recalled = {}, {}, 0
        self.folders.begin(self.trusted_before)
        return self

    def start(self, context: str) -> None:
        self.inner.start(context)
        if context != self.context:
            self.kept, self.context = {}, context

    def recall(self, path: str) -> Checked | None:
        found = status(self.root + path)
        kept = self.kept.get(path)
        if kept is not None and found is not None and kept[0] == found:
            self.seen[path] = kept
            self.recalled += 1
            return kept[1]
        checked = self.inner.recall(path)
        if checked is None:
            self.statuses[path] = found
        else:
            self._note(path, found, checked)
        return checked

    def keep(self, path: str, checked: Checked) -> None:
        self.inner.keep(path, checked)
        self._note(path, self.statuses.pop(path, None), checked)

    def _note(self, path: str, found: Status | None, checked: Checked) -> None:
        if found is not None and found[1] < self.trusted_before and found[2] < self.trusted_before:
            self.seen[path] = (found, checked)

    def save(self) -> None:
        """End a load of the whole folder: what it did not see is gone."""
        self.kept, self.statuses = self.seen, {}
        self.folders.save()
        save = getattr(self.inner, "save", None)
        if save is not None:
            save()
        self.inner = NoMemo()


class Folders:
    """A `loader.Listings`: the vote files an idea's folder held, under the folder's status
    (taken before it is listed). Adding, removing or renaming a file changes its folder's
    times; a folder changed within `RACY` of a load is listed again by the next."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[Status, list]] = {}
        self.seen: dict[str, tuple[Status, list]] = {}
        self.statuses: dict[str, Status | None] = {}
        self.trusted_before = 0
        self.recalled = 0

    def begin(self, trusted_before: int) -> None:
        self.trusted_before, self.seen, self.statuses, self.recalled = trusted_before, {}, {}, 0

    def recall(self, folder: str) -> list | None:
        found = status(folder)
        kept = self.kept.get(folder)
        if kept is not None and found is not None and kept[0] == found:
            self.seen[folder] = kept
            self.recalled += 1
            return kept[1]
        self.statuses[folder] = found
        return None

    def keep(self, folder: str, found: list) -> None:
        known = self.statuses.pop(folder, None)
        if known is not None and known[1] < self.trusted_before and known[2] < self.trusted_before:
            self.seen[folder] = (known, found)

    def save(self) -> None:
        self.kept, self.statuses = self.seen, {}
