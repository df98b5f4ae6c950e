"""The history cache's journal: the commits read since the cache was last written whole.

Writing `history.pickle` again after every new commit costs as much as reading it (a
second at 5,000 ideas), though one vote added one event. So a run that finds the cache
at an ancestor of the head writes only what it read: the new commits, each change with
the value (vote or status) Git gave it, in `journal.json` beside the cache. The next run
reads the cache, replays the journal on it, and reads from Git only what is newer still.
Once the journal holds `FOLD_AFTER` changes, the whole cache is written again at the head
and the journal starts afresh, so that replaying it stays cheap.

The journal names the key and the commit the cache was written at (`base`) and the one it
reaches (`head`); a journal for another key or base, one whose head is not an ancestor of
the repository's head (history rewritten), or one damaged in any way is set aside whole:
the history is then read from Git since the cache's own head, only more slowly. It is
written all or nothing (a temporary file and a rename), and a half-written one that a
crash might leave behind is refused like any damaged file.

The summary of dates (`dates.pickle`, written with the cache at `base`) is brought to the
journal's head by the same replay, so `tally` after a vote needs no whole history either;
a journal with a rename in it is not replayed on the summary (a renamed file's values may
be read again), and the whole histories are read instead.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bubbleup.core import caches
from bubbleup.git.file_history import Summary
from bubbleup.git.history_cache import DAMAGE, checked_commit

_NAME = "journal.json"
FOLD_AFTER = 2_000
"""How many changes the journal holds before the whole cache is written again."""

Change = tuple[str, str, list[str], str | None]
"""(status letter, blob after the commit, paths, value after the commit)."""


@dataclass(slots=True)
class Entry:
    """One commit as the journal keeps it."""

    sha: str
    when: datetime
    name: str
    email: str
    pull_request: int | None
    changes: list[Change]


Batch = tuple[int, list[Entry]]
"""The commits of one run, parents first, and the place in the log of the first of them."""


@dataclass
class Journal:
    base: str
    head: str
    batches: list[Batch]

    @property
    def next(self) -> int | None:
        """The place in the log of the commit after the journal's last (None for an empty one)."""
        if not self.batches:
            return None
        first, entries = self.batches[-1]
        return first + len(entries)

    @property
    def size(self) -> int:
        return sum(len(entry.changes) for _, entries in self.batches for entry in entries)


def load(cache_dir: Path | None, key: dict, base: str) -> Journal | None:
    """The journal written after the cache at `base`, or None (none, another key or base, damaged)."""
    if cache_dir is None:
        return None
    path = cache_dir / _NAME
    try:
        if not path.is_file():
            return None
        raw = json.loads(path.read_bytes())
        if not isinstance(raw, dict) or raw.get("key") != key or raw.get("base") != base:
            return None
        head = raw["head"]
        if head.__class__ is not str:
            return None
        batches = [(_position(first), [_entry(*row) for row in rows]) for first, rows in raw["batches"]]
        return Journal(base, head, batches)
    except (*DAMAGE, OSError):
        return None


def _position(value: int) -> int:
    if value.__class__ is not int or value < 0:
        raise TypeError("a position of the journal is damaged")
    return value


def _entry(sha: str, when: str, name: str, email: str, number: int | None, changes: list) -> Entry:
    """One commit of the journal, each field checked for its kind."""
    commit = checked_commit(sha, when, name, email, number)
    checked: list[Change] = []
    for status, blob, paths, value in changes:
        if not (status.__class__ is blob.__class__ is str and status and paths.__class__ is list):
            raise TypeError("a change of the journal is damaged")
        if not (1 <= len(paths) <= 2 and all(p.__class__ is str and p for p in paths)):
            raise TypeError("the paths of a change of the journal are damaged")
        if value is not None and value.__class__ is not str:
            raise TypeError("a value of the journal is damaged")
        checked.append((status, blob, paths, value))
    return Entry(*commit, checked)


def save(cache_dir: Path, key: dict, journal: Journal) -> None:
    """Write the journal whole (it is small: it is folded into the cache before it grows)."""
    batches = [
        [
            first,
            [
                [e.sha, e.when.isoformat(), e.name, e.email, e.pull_request, [list(change) for change in e.changes]]
                for e in entries
            ],
        ]
        for first, entries in journal.batches
    ]
    raw = {"key": key, "base": journal.base, "head": journal.head, "batches": batches}
    caches.write(cache_dir / _NAME, json.dumps(raw, separators=(",", ":")).encode("utf-8"))


def drop(cache_dir: Path) -> None:
    """Remove the journal once the cache it was written after is replaced."""
    with contextlib.suppress(OSError):
        (cache_dir / _NAME).unlink(missing_ok=True)


def summarise(summary: dict[str, Summary], journal: Journal, prefix: str) -> dict[str, Summary] | None:
    """The summary at `base` brought to the journal's head, as `history_cache.save_summary`
    would make it from the replayed histories; None when a rename or copy is in the journal."""
    found = dict(summary)
    for _, entries in journal.batches:
        for entry in entries:
            for status, _blob, paths, value in entry.changes:
                if status in ("R", "C") or len(paths) != 1:
                    return None
                path = prefix + paths[0]
                if status == "D":
                    found.pop(path, None)
                    continue
                known = found.get(path)
                if known is None:
                    found[path] = (entry.when, entry.when, value)
                elif known[2] != value:
                    found[path] = (known[0], entry.when, value)
    return found
