"""What Git history says of one file: its events, oldest first (git/history.py reads them,
git/history_cache.py keeps them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


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
Row = tuple[int, str | None, str | None]
"""One event as the history cache keeps it: its commit's index among the `Shared`, its blob, its value."""


class FileHistory:
    """Every commit that changed one file, oldest first, under its latest name.

    Read from the history cache, a file's events are made only when first asked for
    (`events`): what a rebuild asks of every file (its first date, its last change of value,
    the digest of its events that the parts cache's keys hold) is answered from the rows the
    cache file holds, and only the files of the ideas whose parts are made again get events.
    At 5,000 ideas that is 60,000 events a build did not need.
    """

    __slots__ = ("_events", "_rows", "_commits", "_digest")

    def __init__(self, events: list[Event] | None = None):
        self._events: list[Event] | None = events if events is not None else []
        self._rows: list[Row] = []
        self._commits: list[Shared] = []
        self._digest: str | None = None

    @classmethod
    def kept(cls, rows: list[Row], commits: list[Shared], digest: str) -> FileHistory:
        """A file's history as the cache holds it, checked by the caller: its rows, the
        commits they point at and the digest of its events written with them."""
        entry = cls()
        entry._events, entry._rows, entry._commits, entry._digest = None, rows, commits, digest
        return entry

    @property
    def events(self) -> list[Event]:
        """The events, made from the cache's rows on first use; a caller may change them
        (git/history.py adds a commit's), so from then on everything is read from them."""
        if self._events is None:
            commits, made = self._commits, []
            for index, blob, value in self._rows:
                sha, when, name, email, number, position = commits[index]
                made.append(Event(sha, when, name, email, blob, value, number, position))
            self._events, self._rows, self._commits, self._digest = made, [], [], None
        return self._events

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileHistory) and self.events == other.events

    def __repr__(self) -> str:
        return f"FileHistory({self.events!r})"

    def _when(self, row: Row) -> datetime:
        return self._commits[row[0]][1]

    @property
    def created(self) -> datetime | None:
        if self._events is None:
            return self._when(self._rows[0]) if self._rows else None
        return self._events[0].when if self._events else None

    @property
    def updated(self) -> datetime | None:
        if self._events is None:
            return self._when(self._rows[-1]) if self._rows else None
        return self._events[-1].when if self._events else None

    @property
    def last_value(self) -> str | None:
        """The value (status or vote) after the file's last commit (None without commits)."""
        if self._events is None:
            return self._rows[-1][2] if self._rows else None
        return self._events[-1].value if self._events else None

    def last_change(self) -> tuple[datetime, str | None] | None:
        """When the value last changed, and to what: the first event of the last run of
        events with one value (`changes()[-1]`); None without commits."""
        rows, events = self._rows, self._events
        if events is None:
            at = len(rows) - 1
            while at > 0 and rows[at - 1][2] == rows[at][2]:
                at -= 1
            return (self._when(rows[at]), rows[at][2]) if rows else None
        if not events:
            return None
        at = len(events) - 1
        while at > 0 and events[at - 1].value == events[at].value:
            at -= 1
        return events[at].when, events[at].value

    @property
    def last_position(self) -> int:
        """The latest place in the log of the file's commits (-1 without any)."""
        if self._events is None:
            commits = self._commits
            return max((commits[row[0]][5] for row in self._rows), default=-1)
        return max((event.position for event in self._events), default=-1)

    @property
    def digest(self) -> str:
        """A digest of what the parts of an idea read of the file's history: each event's
        commit, pull request credited and value, in order (git/parts_cache.py). Kept in the
        history cache beside the rows; made from the events once they were asked for."""
        if self._events is None and self._digest is not None:
            return self._digest
        return digest(self.events)

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


def digest(events: list[Event]) -> str:
    """See `FileHistory.digest`."""
    text = "".join(f"{e.commit} {e.pull_request} {e.value!r}\n" for e in events)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


Summary = tuple[datetime, datetime, str | None]
"""What dates a file: its first commit's date, and the date and value of its last change of value."""
