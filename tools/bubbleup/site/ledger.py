"""Which generated pages are on disk as made from which inputs (site/recipes.py), so that
a build makes, compares and writes again only the pages whose inputs changed.

The ledger (`pages.pickle` in the cache folder: `caches.Journaled` gives `LEDGER` that
suffix) holds, for each page with a digest, that digest, a digest of the text written,
and the size, modification time and inode of the file. A page is taken as it is when its
inputs are the same and the file's size, time and inode still match (as git trusts its
index); when they do not (a folder restored from a CI cache has new inodes), the file is
read and taken only if its text is the text written. A file edited, replaced or removed
since (by hand, or by a build that was killed before it wrote the ledger) is made again.
A damaged, foreign or missing ledger makes every page again, and a build without a cache
folder has no ledger at all.

After one vote a build makes a dozen of 11,000 pages at 5,000 ideas: the entries that
differ from the ledger file go to a journal beside it (`caches.Journaled`), and a
damaged journal, or one that follows another ledger, is set aside.

The plan of the same build (site/incremental.py `Digests`) looked at each of those
11,000 files again, a second or two later, to learn whether its source changed. The
ledger hands the status it took of each page it kept on to the plan (`hand_on`), which
takes it (once) only within the same turn of the project's lock (site/publish.py
`held_turn`): no build can have written the pages in between, and the pages kept are
not written by this one. A page changed by hand between the two looks is seen by the
next build, as one changed while mkdocs reads it is: its status then differs from the
one recorded.
"""

from __future__ import annotations

import hashlib
import os
import time
from array import array
from pathlib import Path
from typing import NamedTuple

from bubbleup.core import caches
from bubbleup.site.publish import held_turn

LEDGER = "pages.pickle"
FORMAT = 3
JOURNAL_LIMIT = 1_000
"""How many pages' entries may differ from the ledger file, in its journal, before it is written whole."""


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def stamp(path: Path | str) -> list[int] | None:
    """The size, modification time and inode of a file, as the ledger knows a page: a
    page written again has others (site/tables.py knows its pages the same way)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return stamp_of(found)


def stamp_of(found: os.stat_result) -> list[int]:
    return [found.st_size, found.st_mtime_ns, found.st_ino]


_handed: list[tuple[int, int, dict[str, os.stat_result] | dict[str, Looked]]] = []


def hand_on(since: int, statuses: dict[str, os.stat_result] | dict[str, Looked]) -> None:
    """Leave the statuses of the pages kept (by path, taken after `since`, nanoseconds)
    for the plan of this build, if it holds the project's lock."""
    turn = held_turn()
    _handed.clear()
    if turn is not None:
        _handed.append((turn, since, statuses))


class Looked(NamedTuple):
    """What the plan uses of a page's status (`os.stat_result`'s names), as `unpack` gives it."""

    st_size: int
    st_mtime_ns: int
    st_ctime_ns: int
    st_ino: int


def pack(handed: tuple[int, dict[str, os.stat_result] | dict[str, Looked]]) -> tuple[int, str, bytes, bytes]:
    """The statuses handed on, to cross a pipe (`bubbleup build` makes its pages in a forked
    child): their paths as one text and their numbers as two arrays, since pickling 11,000
    status objects and reading them back took a fifth of a second at 5,000 ideas."""
    since, statuses = handed
    times = array("q", [value for found in statuses.values() for value in (found.st_mtime_ns, found.st_ctime_ns)])
    sizes = array("Q", [value for found in statuses.values() for value in (found.st_size, found.st_ino)])
    return since, "\0".join(statuses), times.tobytes(), sizes.tobytes()


def unpack(packed: tuple[int, str, bytes, bytes]) -> tuple[int, dict[str, Looked]]:
    since, names, times_bytes, sizes_bytes = packed
    times, sizes = array("q"), array("Q")
    if len(times_bytes) % times.itemsize or len(sizes_bytes) % sizes.itemsize:
        return since, {}
    times.frombytes(times_bytes)
    sizes.frombytes(sizes_bytes)
    paths = names.split("\0") if names else []
    if len(times) != 2 * len(paths) or len(sizes) != 2 * len(paths):
        return since, {}
    return since, {
        path: Looked(sizes[2 * n], times[2 * n], times[2 * n + 1], sizes[2 * n + 1]) for n, path in enumerate(paths)
    }


def taken_over() -> tuple[int, dict[str, os.stat_result] | dict[str, Looked]] | None:
    """What the ledger handed on in the turn of the lock held now (once): when its looks
    began, and the statuses."""
    handed = _handed.pop() if _handed else None
    if handed is None or handed[0] != held_turn():
        return None
    return handed[1], handed[2]


class Ledger:
    """The digests the pages on disk were made from, read from and written back to the cache."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.journaled = caches.Journaled(path, "pages", JOURNAL_LIMIT, format=FORMAT)
        self.entries: dict[str, list] = {
            name: entry
            for name, entry in self.journaled.read().items()
            if isinstance(entry, list) and len(entry) == 5 and isinstance(entry[0], str)
        }
        self.since = time.time_ns()
        self.looked: dict[str, os.stat_result] = {}
        """The status of each page this ledger holds as it is (`hand_on`)."""

    def holds(self, folder: Path, name: str, inputs: str) -> bool:
        """Whether the page on disk was made from these inputs and has not changed since."""
        entry = self.entries.get(name)
        if entry is None or entry[0] != inputs:
            return False
        path = f"{folder}/{name}"  # not a Path: making 11,000 of them was a third of this
        try:
            found = os.stat(path)
        except OSError:
            return False
        now = stamp_of(found)
        if now == entry[2:]:
            self.looked[path] = found
            return True
        try:
            same = text_digest((folder / name).read_text(encoding="utf-8")) == entry[1]
        except (OSError, UnicodeDecodeError):
            return False
        if same:  # a new list: the one read is what the ledger file holds (`save`)
            self.entries[name] = [*entry[:2], *now]
            self.looked[path] = found
        return same

    def text(self, name: str) -> None:
        """A page the ledger holds is on disk, where it stays."""
        return None

    def save(self, folder: Path, made: dict[str, tuple[str, str]], kept: set[str]) -> None:
        """Record the pages just made (name: their inputs and the text written) and those
        kept as they were; a ledger that cannot be written only makes the next build slower.
        The statuses of the pages kept are handed on to the plan (`hand_on`)."""
        hand_on(self.since, self.looked)
        if self.path is None:
            return
        entries = {name: self.entries[name] for name in kept if name in self.entries}
        for name, (inputs, text) in made.items():
            written = stamp(folder / name)
            if written is not None:
                entries[name] = [inputs, text_digest(text), *written]
        self.journaled.save(entries)


class Recall:
    """Pages kept in memory between the builds of one process (name: the digest of their
    inputs and their text), as the preview server keeps them."""

    def __init__(self, memory: dict[str, tuple[str, str]]) -> None:
        self.memory = memory

    def holds(self, folder: Path, name: str, inputs: str) -> bool:
        found = self.memory.get(name)
        return found is not None and found[0] == inputs

    def text(self, name: str) -> str:
        return self.memory[name][1]
