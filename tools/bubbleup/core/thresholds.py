"""Make ideas reach the people who decide: the support threshold, the review queue and
the response time.

An idea is *ready for review* once it has enough net votes from enough teams of the
roster (so that one team cannot push an idea alone). From that moment the people who
decide owe it an answer within the response time; an idea waiting longer is *overdue*.
When each idea crossed the threshold is replayed from the vote files' Git history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from bubbleup.core.config import DEFAULTS
from bubbleup.core.model import Catalog, Feedback, Person, Status, Vote
from bubbleup.core.tally import Tally
from bubbleup.core.votes import duplicates, vote_named


@dataclass(frozen=True)
class Threshold:
    votes: int = DEFAULTS.threshold_votes
    teams: int = DEFAULTS.threshold_teams


@dataclass(frozen=True)
class Progress:
    """Where an idea stands against the threshold."""

    net: int
    teams: int
    votes_needed: int
    teams_needed: int

    @property
    def reached(self) -> bool:
        return self.votes_needed == 0 and self.teams_needed == 0


def _teams(voters, roster: dict[str, Person] | None) -> set[str]:
    return {team for h in voters if roster and h in roster and (team := roster[h].team)}


def measure(net: int, up_voters: Iterable[str], roster: dict[str, Person] | None, threshold: Threshold) -> Progress:
    """Net votes and distinct teams of the up voters, and how many more of each are needed.

    Without a roster there are no teams, and the team rule does not apply.
    """
    return _standing(net, len(_teams(up_voters, roster)), roster, threshold)


def _standing(net: int, teams: int, roster: dict[str, Person] | None, threshold: Threshold) -> Progress:
    needed_teams = max(threshold.teams - teams, 0) if roster else 0
    return Progress(net, teams, max(threshold.votes - net, 0), needed_teams)


def progress(item: Tally, roster: dict[str, Person] | None, threshold: Threshold) -> Progress:
    """Where a tallied idea stands against the threshold."""
    return measure(item.score, item.up_voters, roster, threshold)


def crossings(
    catalog: Catalog,
    tallies: dict[str, Tally],
    vote_changes: Callable[[str], list[tuple[datetime, str | None]]],
    threshold: Threshold,
    now: datetime,
) -> dict[str, list[datetime]]:
    """Every moment each idea went from below the threshold to at or above it.

    Each vote change is replayed in the order Git recorded it (a vote not yet committed
    counts from `now`), and after each one the idea's standing is updated by the same rule
    as the tally (`votes.counted`: each person counts once, by their first file with a vote,
    the original's before its duplicates'), so a duplicate's voters count for its original
    here exactly as they do in the score. The standing is kept up to date one change at a
    time, not recounted, because a popular idea has thousands of changes.

    Args:
        vote_changes: for a feedback file's path, when its vote took each value (from Git).
    """
    merged = duplicates(catalog)
    original = {duplicate: slug for slug, slugs in merged.items() for duplicate in slugs}
    events: dict[str, list[tuple[datetime, str, str | None]]] = {}
    for item in catalog.feedback:
        if item.customer or item.idea not in tallies:
            continue
        changes = list(vote_changes(item.path))
        if not changes or changes[-1][1] != item.vote.value:
            changes.append((now, item.vote.value))
        target = original.get(item.idea, item.idea)
        events.setdefault(target, []).extend((moment, item.path, value) for moment, value in changes)
    found: dict[str, list[datetime]] = {}
    team_of = {handle: person.team for handle, person in (catalog.roster or {}).items() if person.team}
    for slug, replay in events.items():
        replay.sort(key=lambda event: event[0])
        files = [
            item
            for source in (slug, *merged.get(slug, ()))
            for item in catalog.feedback_by_idea.get(source, ())
            if not item.customer
        ]
        standing = _Replay(files, team_of)
        above = False
        for moment, path, value in replay:
            standing.change(path, vote_named(value))
            now_above = _standing(standing.net, standing.teams, catalog.roster, threshold).reached
            if now_above and not above:
                found.setdefault(slug, []).append(moment)
            above = now_above
    return found


class _Replay:
    """One idea's votes as they change: each person's counted vote, the net and the teams."""

    def __init__(self, files: list[Feedback], team_of: dict[str, str]):
        self.handle_of: dict[str, str] = {}
        self.files_of: dict[str, list[str]] = {}
        """Each person's files, in the order `votes.counted` reads them (the first with a vote counts)."""
        for item in files:
            self.handle_of.setdefault(item.path, item.handle)
            self.files_of.setdefault(item.handle, []).append(item.path)
        self.team_of = team_of
        self.values: dict[str, Vote] = {}
        self.counted: dict[str, Vote] = {}
        self.net = 0
        self.up_by_team: dict[str, int] = {}
        self.teams = 0
        """How many teams have an up voter."""

    def change(self, path: str, vote: Vote) -> None:
        self.values[path] = vote
        handle = self.handle_of.get(path)
        if handle is None:  # not a file that counts for this idea
            return
        new = next(
            (v for p in self.files_of[handle] if (v := self.values.get(p, Vote.NONE)) is not Vote.NONE), Vote.NONE
        )
        old = self.counted.get(handle, Vote.NONE)
        if new is old:
            return
        self.counted[handle] = new
        self.net += _WEIGHT[new] - _WEIGHT[old]
        team = self.team_of.get(handle)
        if team is not None and Vote.UP in (old, new):
            before = self.up_by_team.get(team, 0)
            after = before + (1 if new is Vote.UP else -1)
            self.up_by_team[team] = after
            self.teams += (after > 0) - (before > 0)


_WEIGHT = {Vote.UP: 1, Vote.DOWN: -1, Vote.NONE: 0}


@dataclass(frozen=True)
class Waiting:
    """An idea that needs a decision."""

    item: Tally
    state: str  # "ready for review" or "under review"
    since: datetime | None
    days: int | None
    overdue: bool


def queue(
    catalog: Catalog,
    tallies: dict[str, Tally],
    crossed: dict[str, list[datetime]],
    status_changes: dict[str, tuple[tuple[datetime, str], ...]],
    threshold: Threshold,
    response_days: int,
    now: datetime,
) -> list[Waiting]:
    """Ideas ready for review and ideas under review, the longest waiting first."""
    waiting = []
    for slug, item in tallies.items():
        status = item.idea.status
        if status is Status.PROPOSED and progress(item, catalog.roster, threshold).reached:
            state = "ready for review"
        elif status is Status.UNDER_REVIEW:
            state = "under review"
        else:
            continue
        since = crossed[slug][-1] if crossed.get(slug) else None
        if since is None and status is Status.UNDER_REVIEW:
            moved = [moment for moment, value in status_changes.get(slug, ()) if value == Status.UNDER_REVIEW.value]
            since = moved[-1] if moved else None
        days = (now - since).days if since else None
        waiting.append(Waiting(item, state, since, days, days is not None and days > response_days))
    waiting.sort(key=lambda w: (w.since is None, w.since or now, w.item.idea.slug))
    return waiting
