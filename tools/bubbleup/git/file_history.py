"""What Git history says of one file: its events, oldest first (git/history.py reads them,
git/history_cache.py keeps them)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter


@dataclass(slots=True)
class Event:
    """One commit's change to one file."""

    commit: str
    when: datetime
    name: str
    email: str
    blob: str | None
    """The file's content after the commit (None once deleted)."""
    value: str | None = None
    """The idea's status or the feedback's vote after the commit."""
    pull_request: int | None = None
    position: int = 0
    """The commit's place in the log, parents before children: what orders the events of
    different files (author dates are whatever the author typed, backdated or not)."""

    def as_list(self) -> list:
        return [
            self.commit,
            self.when.isoformat(),
            self.name,
            self.email,
            self.blob,
            self.value,
            self.pull_request,
            self.position,
        ]

    @classmethod
    def from_list(cls, raw: list) -> Event:
        return cls(raw[0], datetime.fromisoformat(raw[1]), raw[2], raw[3], raw[4], raw[5], raw[6], raw[7])


Shared = tuple[str, datetime, str, str, int | None, int]
"""What the events of one commit share, as the history cache keeps it once per commit:
its id, date, author's name and email, pull request, and place in the log."""


@dataclass(frozen=True, slots=True)
class Columns:
    """The events of every file as the history cache keeps them, in columns: each event's
    commit (an index among `commits`), blob and value, file after file."""

    commits: list[Shared]
    commit: list[int]
    blob: list[str | None]
    value: list[str | None]


class FileHistory:
    """Every commit that changed one file, oldest first, under its latest name.

    Read from the history cache, a file's events are made only when first asked for
    (`events`): what a rebuild asks of every file (its first date, its last change of value,
    the digest of its events that the parts cache's keys hold) is answered from the rows the
    cache file holds, and only the files of the ideas whose parts are made again get events.
    At 5,000 ideas that is 60,000 events a build did not need.
    """

    __slots__ = ("_events", "_kept", "_start", "_end", "_digest")

    def __init__(self, events: list[Event] | None = None):
        self._events: list[Event] | None = events if events is not None else []
        self._kept: Columns | None = None
        self._start = self._end = 0
        self._digest: str | None = None

    @classmethod
    def all_kept(
        cls, columns: Columns, names: list[str], ends: list[int], digests: list[str]
    ) -> dict[str, FileHistory]:
        """Each file's history as the cache holds it, checked by the caller: the events of
        the file `names[i]` are those before `ends[i]` in the columns and after the previous
        file's, and `digests[i]` was written with them. Made in one loop, with no __init__
        to run first, rather than one call per file: 55,000 files at 5,000 ideas, and the
        calls were a quarter of loading the cache."""
        files: dict[str, FileHistory] = {}
        make, start = object.__new__, 0
        for name, end, digest in zip(names, ends, digests, strict=True):
            entry = files[name] = make(cls)
            entry._events, entry._kept, entry._start, entry._end, entry._digest = None, columns, start, end, digest
            start = end
        return files

    @property
    def events(self) -> list[Event]:
        """The events, made from the cache's columns on first use; a caller may change them
        (git/history.py adds a commit's), so from then on everything is read from them."""
        if self._events is None:
            kept, made = self._kept, []
            assert kept is not None
            commits, blobs, values = kept.commits, kept.blob, kept.value
            for at in range(self._start, self._end):
                sha, when, name, email, number, position = commits[kept.commit[at]]
                made.append(Event(sha, when, name, email, blobs[at], values[at], number, position))
            self._events, self._kept, self._digest = made, None, None
        return self._events

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileHistory) and self.events == other.events

    def __repr__(self) -> str:
        return f"FileHistory({self.events!r})"

    def _when(self, kept: Columns, at: int) -> datetime:
        return kept.commits[kept.commit[at]][1]

    @property
    def created(self) -> datetime | None:
        kept = self._kept
        if self._events is None and kept is not None:
            return self._when(kept, self._start) if self._end > self._start else None
        return self.events[0].when if self.events else None

    @property
    def updated(self) -> datetime | None:
        kept = self._kept
        if self._events is None and kept is not None:
            return self._when(kept, self._end - 1) if self._end > self._start else None
        return self.events[-1].when if self.events else None

    @property
    def last_value(self) -> str | None:
        """The value (status or vote) after the file's last commit (None without commits)."""
        kept = self._kept
        if self._events is None and kept is not None:
            return kept.value[self._end - 1] if self._end > self._start else None
        return self.events[-1].value if self.events else None

    def last_change(self) -> tuple[datetime, str | None] | None:
        """When the value last changed, and to what: the first event of the last run of
        events with one value (`changes()[-1]`); None without commits."""
        kept, events = self._kept, self._events
        if events is None and kept is not None:
            values, at = kept.value, self._end - 1
            while at > self._start and values[at - 1] == values[at]:
                at -= 1
            return (self._when(kept, at), values[at]) if self._end > self._start else None
        if not events:
            return None
        at = len(events) - 1
        while at > 0 and events[at - 1].value == events[at].value:
            at -= 1
        return events[at].when, events[at].value

    @property
    def last_position(self) -> int:
        """The latest place in the log of the file's commits (-1 without any)."""
        kept = self._kept
        if self._events is None and kept is not None:
            commits, commit = kept.commits, kept.commit
            return max((commits[commit[at]][5] for at in range(self._start, self._end)), default=-1)
        return max((event.position for event in self.events), default=-1)

    @property
    def digest(self) -> str:
        """A digest of what the parts of an idea read of the file's history: each event's
        commit, pull request credited and value, in order (git/parts_cache.py). Kept in the
        history cache beside the rows; made from the events once they were asked for."""
        if self._events is None and self._digest is not None:
            return self._digest
        return digest(self.events)

    def digest_if_last(self, value: str) -> str | None:
        """The `digest`, if the value after the file's last commit is `value`; else None
        (what the parts cache's key asks of each of 50,000 vote files at 5,000 ideas, in
        one call rather than two)."""
        kept = self._kept
        if self._events is None and kept is not None and self._digest is not None:
            end = self._end
            return self._digest if end > self._start and kept.value[end - 1] == value else None
        return self.digest if self.last_value == value else None

    @property
    def emails(self) -> list[str]:
        """The email of each commit's author, oldest first, from the cache's columns when
        the events were not made: what the parts cache's key asks of each idea's own file
        (whose names the roster gives its timeline's contributors), 5,000 files a rebuild."""
        kept = self._kept
        if self._events is None and kept is not None:
            commits, commit = kept.commits, kept.commit
            return [commits[commit[at]][3] for at in range(self._start, self._end)]
        return [event.email for event in self.events]

    @property
    def authors(self) -> list[tuple[str, str]]:
        """(name, email) of each commit author, newest first, each once."""
        return list(dict.fromkeys((e.name, e.email) for e in reversed(self.events)))

    @property
    def pull_requests(self) -> list[int]:
        return sorted({e.pull_request for e in self.events if e.pull_request is not None})

    def changes(self) -> list[Event]:
        """The events that changed the value (status or vote), the first one included."""
        events = self.events
        if len(events) < 2:  # most files: one commit added them
            return list(events)
        found, previous = [], object()
        for event in events:
            if event.value != previous:
                found.append(event)
                previous = event.value
        return found


def next_position(files: Iterable[FileHistory]) -> int:
    """The place in the log after every event of `files`; for the files read from the cache
    whose events were not made, after every commit the cache holds (one `max` over its
    commits rather than one per file: 55,000 at 5,000 ideas)."""
    latest, kept_columns = -1, {}
    for entry in files:
        kept = entry._kept
        if entry._events is None and kept is not None:
            kept_columns[id(kept)] = kept
        elif entry._events:
            latest = max(latest, entry.last_position)
    for kept in kept_columns.values():
        latest = max(latest, max(map(itemgetter(5), kept.commits), default=-1))
    return latest + 1


def digest(events: list[Event]) -> str:
    """See `FileHistory.digest`."""
    text = "".join(f"{e.commit} {e.pull_request} {e.value!r}\n" for e in events)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


Summary = tuple[datetime, datetime, str | None]
"""What dates a file: its first commit's date, and the date and value of its last change of value."""
