"""Make ideas reach the people who decide: the support threshold, the review queue and
the response time.

An idea is *ready for review* once it has enough net votes from enough teams of the
roster (so that one team cannot push an idea alone). From that moment the people who
decide owe it an answer within the response time; an idea waiting longer is *overdue*.
When each idea crossed the threshold is replayed from the vote files' Git history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
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
    kept: Mapping[str, list[datetime]] | None = None,
) -> dict[str, list[datetime]]:
    """Every moment each idea went from below the threshold to at or above it.

    Each vote change is replayed in the order Git recorded it (a vote not yet committed
    counts from `now`), and after each one the idea's standing is updated by the same rule
    as the tally (`votes.counted`: each person counts once, by their first file with a vote,
    the original's before its duplicates'), so a duplicate's voters count for its original
    here exactly as they do in the score. The standing is kept up to date one change at a
    time, not recounted, because a popular idea has thousands of changes. An idea that
    could not reach the threshold even if every one of its files voted up (fewer people
    than the votes needed, or in fewer teams) is not replayed at all: most ideas have a
    handful of votes, and their history need not be read.

    Args:
        vote_changes: for a feedback file's path, when its vote took each value (from Git).
        kept: the crossings of ideas known unchanged (git/carry.py), which are not replayed.
    """
    kept = kept or {}
    merged = duplicates(catalog)
    original = {duplicate: slug for slug, slugs in merged.items() for duplicate in slugs}
    team_of = {handle: person.team for handle, person in (catalog.roster or {}).items() if person.team}
    teams = threshold.teams if catalog.roster else 0
    replays: dict[str, _Replay | None] = {}
    for item in catalog.feedback:
        if item.customer or item.idea not in tallies:
            continue
        target = original.get(item.idea, item.idea)
        if target not in replays:
            if target in kept:
                replays[target] = None
                continue
            files = [
                feedback
                for source in (target, *merged.get(target, ()))
                for feedback in catalog.feedback_by_idea.get(source, ())
                if not feedback.customer
            ]
            replays[target] = _Replay.of(files, team_of, threshold.votes, teams)
        replay = replays[target]
        if replay is None:
            continue
        changes = vote_changes(item.path)
        replay.events.extend((moment, item.path, value) for moment, value in changes)
        value = item.vote._value_  # what `.value` gives, without its descriptor call (80,000 files)
        if not changes or changes[-1][1] != value:
            replay.events.append((now, item.path, value))
    return _found(replays, kept, threshold.votes, teams)


def _found(
    replays: dict[str, _Replay | None], kept: Mapping[str, list[datetime]], votes: int, teams: int
) -> dict[str, list[datetime]]:
    """The crossings of each idea with any, in the order the ideas were met."""
    found: dict[str, list[datetime]] = {}
    for slug, replay in replays.items():
        if slug in kept:
            replayed = kept[slug]
        elif replay is not None:
            replayed = replay.crossings(votes, teams)
        else:
            continue
        if replayed:
            found[slug] = replayed
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
        self.events: list[tuple[datetime, str, str | None]] = []
        """(moment, path, value) of each change, in the order the feedback was loaded."""

    @classmethod
    def of(cls, files: list[Feedback], team_of: dict[str, str], votes: int, teams: int) -> _Replay | None:
        """The replay of an idea with these files, or None if it can never reach the threshold:
        the net counts each person at most once, and the teams are those of its people."""
        if len(files) < votes:  # the common case, told without a look at who voted
            return None
        replay = cls(files, team_of)
        people = replay.files_of
        if len(people) < votes or len({team_of[h] for h in people if h in team_of}) < teams:
            return None
        return replay

    def crossings(self, votes: int, teams: int) -> list[datetime]:
        """The moments the standing went from below (`votes` net, `teams` teams) to at or above."""
        self.events.sort(key=_moment)  # stable: changes at the same moment keep their order
        handle_of, files_of, team_of = self.handle_of, self.files_of, self.team_of
        values: dict[str, Vote] = {}
        counted: dict[str, Vote] = {}
        up_by_team: dict[str, int] = {}
        net = teams_up = 0
        above, found = False, []
        for moment, path, value in self.events:
            vote = values[path] = vote_named(value)
            handle = handle_of.get(path)
            if handle is not None:
                mine = files_of[handle]
                new = vote if len(mine) == 1 else _first_vote(mine, values)
                old = counted.get(handle, Vote.NONE)
                if new is not old:
                    counted[handle] = new
                    net += _WEIGHT[new] - _WEIGHT[old]
                    team = team_of.get(handle)
                    if team is not None and Vote.UP in (old, new):
                        before = up_by_team.get(team, 0)
                        after = up_by_team[team] = before + (1 if new is Vote.UP else -1)
                        teams_up += (after > 0) - (before > 0)
            reached = net >= votes and teams_up >= teams
            if reached and not above:
                found.append(moment)
            above = reached
        return found


def _first_vote(paths: list[str], values: dict[str, Vote]) -> Vote:
    """A person's counted vote: that of their first file with one."""
    return next((v for p in paths if (v := values.get(p, Vote.NONE)) is not Vote.NONE), Vote.NONE)


def _moment(event: tuple[datetime, str, str | None]) -> datetime:
    return event[0]


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
