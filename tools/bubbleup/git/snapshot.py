"""One repository's ideas, loaded, dated from Git and tallied: what every output starts from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from bubbleup.core import loader, rules, thresholds
from bubbleup.core.adoption import Adoption
from bubbleup.core.config import Settings
from bubbleup.core.model import Catalog
from bubbleup.core.tally import Tally, tally
from bubbleup.git import history
from bubbleup.git.history import History
from bubbleup.git.parse_cache import ParseCache


@dataclass(frozen=True)
class Timeline:
    """What Git says about one idea, ready for a page or a report."""

    created: datetime | None = None
    updated: datetime | None = None
    contributors: tuple[str, ...] = ()
    """Names of the people whose commits changed the idea, roster names where known."""
    pull_requests: tuple[int, ...] = ()
    status_changes: tuple[tuple[datetime, str], ...] = ()
    label: str | None = None
    """Why the dates are missing or uncertain, in words for the reader."""


@dataclass(frozen=True)
class Snapshot:
    """The state of the ideas at one moment, ready for any output."""

    settings: Settings
    catalog: Catalog
    tallies: dict[str, Tally]
    history_warning: str | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    history: History = field(default_factory=lambda: History({}))
    timelines: dict[str, Timeline] = field(default_factory=dict)
    threshold: thresholds.Threshold = field(default_factory=thresholds.Threshold)
    crossed: dict[str, list[datetime]] = field(default_factory=dict)
    """When each idea crossed the support threshold (every upward crossing, in order)."""
    queue: list[thresholds.Waiting] = field(default_factory=list)

    @property
    def roster_warning(self) -> str | None:
        """Said by check, audit and review when there is no roster: deleting people.yml
        switches every identity check off, which must not happen silently."""
        roster = self.settings.ideas_dir / loader.ROSTER_NAME
        if self.catalog.roster is not None or roster.exists():
            return None  # present (an unreadable roster is reported as a problem of its own)
        where = roster.relative_to(self.settings.root).as_posix()
        return (
            f"there is no roster ({where}), so identities are not checked: any handle may propose or vote, "
            "and votes are not tied to the people who committed them"
        )


def load_catalog(settings: Settings, visits: loader.Visits | None = None, memo: ParseCache | None = None) -> Catalog:
    """The catalog, with each unchanged file's result taken from the parse cache
    (git/parse_cache.py) when the settings have a cache folder. A load limited by `visits`
    reads the cache but never writes it: what it saw is not the whole folder."""
    options = settings.options
    memo = memo or ParseCache(settings.root, settings.ideas_dir, settings.cache_dir)
    catalog = loader.load(
        settings.root,
        settings.ideas_dir,
        options.max_file_size,
        options.criteria,
        options.score_scale,
        options.max_attachment_size,
        Adoption(options.status_map, options.key_map, options.extra_keys),
        visits,
        memo,
    )
    if visits is None:
        memo.save()
    return catalog


def _name(catalog: Catalog, name: str, email: str) -> str:
    person = catalog.person_with_email(email)
    return person.name if person else name


def timelines(catalog: Catalog, past: History) -> dict[str, Timeline]:
    """Each idea's dates, contributors, pull requests and status changes."""
    found: dict[str, Timeline] = {}
    for slug, idea in catalog.ideas.items():
        entry = past.of(idea.path)
        if entry is None:
            label = (
                "date unknown: not committed yet" if not past.warning else f"date unknown: {past.warning.split(':')[0]}"
            )
            found[slug] = Timeline(label=label)
            continue
        contributors = tuple(dict.fromkeys(_name(catalog, name, email) for name, email in reversed(entry.authors)))
        pull_requests = set(entry.pull_requests)
        for item in catalog.feedback_by_idea.get(slug, ()):  # a pull request that only voted discussed it too
            feedback = past.files.get(item.path)
            for event in feedback.events if feedback else ():
                if event.pull_request is not None:
                    pull_requests.add(event.pull_request)
        changes = tuple((event.when, event.value or "proposed") for event in entry.changes())
        shallow = "shallow clone: the first date may be later than the real one" if past.shallow else None
        found[slug] = Timeline(
            entry.created, entry.updated, contributors, tuple(sorted(pull_requests)), changes, shallow
        )
    return found


def snapshot(settings: Settings, now: datetime | None = None) -> Snapshot:
    """Load the catalog, read Git history once, apply the rules that need dates, and tally.

    Args:
        now: the moment of files not yet committed and of trending (default: now).
    """
    catalog = load_catalog(settings)
    past = history.read(settings.root, settings.ideas_dir, settings.options.pull_request_patterns, settings.cache_dir)
    return assemble(settings, catalog, past, now)


def assemble(settings: Settings, catalog: Catalog, past: History, now: datetime | None = None) -> Snapshot:
    """Apply the rules that need dates and tally: one code for the full snapshot and the
    scoped one of a pull request's check (git/scoped.py), so that both judge alike."""
    now = now or datetime.now(UTC)
    today = now.date()

    def committed(path: str) -> date:
        moment = past.created(path)
        return moment.date() if moment else today

    extra = rules.campaign_windows(catalog, committed)
    extra += rules.vote_budget(catalog, settings.options.vote_budget, committed)
    if extra:
        catalog = replace(catalog, problems=tuple(sorted(set(catalog.problems) | set(extra))))
    created = {
        slug: committed(idea.path) for slug, idea in catalog.ideas.items() if past.created(idea.path) is not None
    }
    cast = {}
    for item in catalog.feedback:
        entry = past.files.get(item.path)
        votes = entry.changes() if entry else []
        # _value_ is the member's value as Enum keeps it: `.value` costs a descriptor call, 100,000 times
        cast[item.path] = votes[-1].when if votes and votes[-1].value == item.vote._value_ else now
    tallies = tally(catalog, created, cast)
    lines = timelines(catalog, past)
    options = settings.options
    threshold = thresholds.Threshold(options.threshold_votes, options.threshold_teams)
    crossed = thresholds.crossings(catalog, tallies, past.value_changes, threshold, now)
    changes = {slug: line.status_changes for slug, line in lines.items()}
    waiting = thresholds.queue(catalog, tallies, crossed, changes, threshold, options.response_days, now)
    if options.overdue_warnings:
        overdue = [
            rules.overdue(w.item.idea.path, w.since, w.days, options.response_days)
            for w in waiting
            if w.overdue and w.days is not None
        ]
        catalog = replace(catalog, problems=tuple(sorted(set(catalog.problems) | set(overdue))))
    return Snapshot(settings, catalog, tallies, past.warning, now, past, lines, threshold, crossed, waiting)
