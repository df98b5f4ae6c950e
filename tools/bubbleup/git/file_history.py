"""What Git history says of one file: its events, oldest first (git/history.py reads them,
git/history_cache.py keeps them)."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class FileHistory:
    """Every commit that changed one file, oldest first, under its latest name."""

    events: list[Event] = field(default_factory=list)

    @property
    def created(self) -> datetime | None:
        return self.events[0].when if self.events else None

    @property
    def updated(self) -> datetime | None:
        return self.events[-1].when if self.events else None

    @property
    def authors(self) -> list[tuple[str, str]]:
        """(name, email) of each commit author, newest first, each once."""
        return list(dict.fromkeys((e.name, e.email) for e in reversed(self.events)))

    @property
    def pull_requests(self) -> list[int]:
        return sorted({e.pull_request for e in self.events if e.pull_request is not None})

    def changes(self) -> list[Event]:
        """The events that changed the value (status or vote), the first one included."""
        if len(self.events) < 2:  # most files: one commit added them
            return list(self.events)
        found, previous = [], object()
        for event in self.events:
            if event.value != previous:
                found.append(event)
                previous = event.value
        return found


Summary = tuple[datetime, datetime, str | None]
"""What dates a file: its first commit's date, and the date and value of its last change of value."""
