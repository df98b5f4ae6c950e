"""The per-idea records that tools read: `bubbleup history --format json` and the site's
ideas.json (docs/cli.md and docs/data.md describe every field).

Both come from here, so that what they share (when the idea was last changed, its pull
requests and its status changes, as Git tells them) is written once and reads the same
in both.

ideas.json is written on every build (it says when), but after one vote only one idea's
record differs: `Records` remembers each record's text between builds, keyed by the
digest of the idea's inputs that its page is made from (site/recipes.py), all but its
trending value, which moves with time and is written in anew. The cache file is the
build's own, as the render cache is: a damaged or foreign one, or a record whose key
differs, is not used, and a build without it writes the same text (tests/test_ideas_json.py).
The records that differ from the file are written to a journal beside it (`caches.Journaled`).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from bubbleup.core import caches
from bubbleup.git.snapshot import Snapshot, Timeline
from bubbleup.site.context import Site

RECORDS = "records.pickle"
"""The remembered texts of ideas.json's records, in the cache folder (`caches.Journaled`)."""

PUBLIC_LEAVES_OUT = ("authors", "voters", "up_voters", "down_voters")
"""Fields of the tally that name people, left out of a public site's record."""


def _iso(moment: date | datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def idea_url(site_url: str | None, slug: str) -> str:
    """An idea page's address: absolute with mkdocs' site_url, else relative to ideas/."""
    return f"{site_url.rstrip('/')}/ideas/{slug}/" if site_url else f"{slug}/"


def history_fields(timeline: Timeline) -> dict[str, Any]:
    """What Git says about an idea, in the shape both records share."""
    return {
        "updated": _iso(timeline.updated),
        "pull_requests": list(timeline.pull_requests),
        "status_changes": [{"date": _iso(moment), "status": status} for moment, status in timeline.status_changes],
    }


def site_record(site: Site, slug: str, site_url: str | None = None) -> dict[str, Any]:
    """One idea in ideas.json: its tally, its link, what Git says and its decision."""
    item = site.tallies[slug]
    record = item.as_dict(site.now, site.half_life)
    if site.public:
        for key in PUBLIC_LEAVES_OUT:
            record.pop(key, None)
    decision = item.idea.decision
    record["url"] = idea_url(site_url, slug)
    record["visibility"] = item.idea.visibility.value
    record.update(history_fields(site.timelines.get(slug, Timeline())))
    record["decision"] = (
        None
        if decision is None
        else {
            "date": decision.date.isoformat(),
            "reason": decision.reason,
            **({} if site.public else {"by": decision.by}),
        }
    )
    return record


def history_record(state: Snapshot, slug: str) -> dict[str, Any]:
    """One idea in `bubbleup history --format json`: its dates, authors, pull requests,
    status changes, and each vote file's changes with who made them in which commit."""
    idea = state.catalog.ideas[slug]
    entry = state.history.of(idea.path)
    timeline = state.timelines.get(slug, Timeline())
    votes = []
    for item in state.catalog.feedback_by_idea.get(slug, ()):
        events = state.history.of(item.path)
        changes = [
            {"date": _iso(e.when), "vote": e.value, "by": {"name": e.name, "email": e.email}, "commit": e.commit}
            for e in (events.changes() if events else [])
        ]
        votes.append(
            {
                "voter": item.voter,
                "customer": item.customer is not None,
                "path": item.path,
                "vote": item.vote.value,
                "changes": changes,
            }
        )
    shared = history_fields(timeline)  # the same fields as in ideas.json, here in this order
    return {
        "slug": slug,
        "path": idea.path,
        "title": idea.title,
        "created": _iso(entry.created) if entry else None,
        "updated": shared["updated"],
        "authors": [{"name": name, "email": email} for name, email in (entry.authors if entry else [])],
        "pull_requests": shared["pull_requests"],
        "status_changes": shared["status_changes"],
        "votes": votes,
        "note": timeline.label,
    }


def left_out_record(state: Snapshot, path: str) -> dict[str, Any]:
    """The same shape for an idea file that has errors: it is left out of the site, but
    Git still knows its dates, authors and pull requests (its votes are not read)."""
    entry = state.history.of(path)
    return {
        "slug": path.rsplit("/", 1)[-1].removesuffix(".md"),
        "path": path,
        "title": None,
        "created": _iso(entry.created) if entry else None,
        "updated": _iso(entry.updated) if entry else None,
        "authors": [{"name": name, "email": email} for name, email in (entry.authors if entry else [])],
        "pull_requests": sorted(set(entry.pull_requests)) if entry else [],
        "status_changes": [
            {"date": _iso(event.when), "status": event.value or "proposed"}
            for event in (entry.changes() if entry else [])
        ],
        "votes": [],
        "note": "left out of the site: the file has errors (see bubbleup check)",
    }


class Records:
    """The text of each idea's record in ideas.json as an earlier build wrote it, split
    where its trending value goes, by slug with the key of what it was made from."""

    FORMAT = 2
    JOURNAL_LIMIT = 500
    """How many ideas' records may differ from the file, in its journal, before it is written whole."""

    def __init__(self, path: Path | None, code: str = "") -> None:
        self.path, self.code = path, code
        self.journaled = caches.Journaled(path, "records", self.JOURNAL_LIMIT, format=self.FORMAT, code=code)
        self.known: dict[str, Any] = self.journaled.read()
        self.kept: dict[str, list[str]] = {}
        self.builds = 1

    def text(self, slug: str, key: str) -> tuple[str, str] | None:
        """The record's text before and after its trending value, if written from `key`."""
        found = self.known.get(slug)
        if not (isinstance(found, list) and len(found) == 3 and found[0] == key):
            return None
        if not (isinstance(found[1], str) and isinstance(found[2], str)):
            return None
        self.kept[slug] = found
        return found[1], found[2]

    def keep(self, slug: str, key: str, before: str, after: str) -> None:
        self.kept[slug] = [key, before, after]

    def again(self) -> Records:
        """Start another build of the same process (the preview server, site/preview.py):
        the records the last build wrote are what this one may take, and the file is not
        read again; only the first build writes it (the next process writes again the
        records of the ideas changed since)."""
        self.known, self.kept = self.kept, {}
        self.builds += 1
        return self

    def save(self) -> None:
        """Write the records of this build, when they are not those read: a cache that
        cannot be written only makes the next build slower."""
        if self.path is None or self.builds > 1 or self.kept == self.known:
            return
        self.journaled.save(self.kept)
