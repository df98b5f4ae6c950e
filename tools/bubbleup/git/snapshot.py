"""One repository's ideas, loaded, dated from Git and tallied: what every output starts from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cached_property

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


class Snapshot:
    """The state of the ideas at one moment, ready for any output.

    Each part is worked out when an output first asks for it, and once: `check` with the
    default settings asks for the catalog only, so it reads no Git history unless a rule
    needs a date (a campaign idea without `created:`, a vote budget, overdue warnings),
    and `tally` counts votes but replays no threshold crossings. At 10,000 ideas and
    100,000 votes those are most of what the two cost once their files are cached.
    """

    def __init__(self, settings: Settings, catalog: Catalog, past: History | Callable[[], History], now: datetime):
        self.settings = settings
        self.now = now
        self._loaded = catalog
        self._past = past
        options = settings.options
        self.threshold = thresholds.Threshold(options.threshold_votes, options.threshold_teams)

    @cached_property
    def history(self) -> History:
        return self._past if isinstance(self._past, History) else self._past()

    @property
    def history_warning(self) -> str | None:
        return self.history.warning

    def _committed(self, path: str) -> date:
        """The day a file was first committed (today if it was not)."""
        moment = self.history.created(path)
        return moment.date() if moment else self.now.date()

    @cached_property
    def _dated(self) -> Catalog:
        """The catalog with the problems of the rules that need dates (campaigns, vote budget)."""
        catalog = self._loaded
        extra = rules.campaign_windows(catalog, self._committed)
        extra += rules.vote_budget(catalog, self.settings.options.vote_budget, self._committed)
        if extra:
            catalog = replace(catalog, problems=tuple(sorted(set(catalog.problems) | set(extra))))
        return catalog

    @cached_property
    def catalog(self) -> Catalog:
        """Everything loaded, with every problem: those of the dates and, when the settings
        ask for them, the overdue warnings."""
        catalog, options = self._dated, self.settings.options
        if not options.overdue_warnings:
            return catalog
        overdue = [
            rules.overdue(w.item.idea.path, w.since, w.days, options.response_days)
            for w in self.queue
            if w.overdue and w.days is not None
        ]
        return replace(catalog, problems=tuple(sorted(set(catalog.problems) | set(overdue))))

    @cached_property
    def _votes(self) -> _VoteHistory:
        return _VoteHistory(self._dated, self.history)

    @cached_property
    def tallies(self) -> dict[str, Tally]:
        catalog, past = self._dated, self.history
        created = {
            slug: self._committed(idea.path)
            for slug, idea in catalog.ideas.items()
            if past.created(idea.path) is not None
        }
        cast = {}
        last_change = past.last_change  # from the cache's summary: no event is made for this
        for item in catalog.feedback:
            last = last_change(item.path)
            # _value_ is the member's value as Enum keeps it: `.value` costs a descriptor call, 100,000 times
            cast[item.path] = last[0] if last is not None and last[1] == item.vote._value_ else self.now
        return tally(catalog, created, cast)

    @cached_property
    def timelines(self) -> dict[str, Timeline]:
        return timelines(self._dated, self.history, self._votes)

    @cached_property
    def crossed(self) -> dict[str, list[datetime]]:
        """When each idea crossed the support threshold (every upward crossing, in order)."""
        return thresholds.crossings(self._dated, self.tallies, self._votes.of, self.threshold, self.now)

    @cached_property
    def queue(self) -> list[thresholds.Waiting]:
        changes = {slug: line.status_changes for slug, line in self.timelines.items()}
        options = self.settings.options
        return thresholds.queue(
            self._dated, self.tallies, self.crossed, changes, self.threshold, options.response_days, self.now
        )

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


class _VoteHistory:
    """What Git says of each feedback file, looked up once per file: the same lookups made
    by the cast times, the timelines and the threshold crossings cost three times as much
    at 100,000 files. Keyed by the catalog's own path strings, so later lookups compare
    them by identity."""

    def __init__(self, catalog: Catalog, past: History):
        self.changes: dict[str, list[tuple[datetime, str | None]]] = {}
        """By path: when the file's vote took each value, oldest first."""
        self.pull_requests: dict[str, set[int]] = {}
        """By idea: the pull requests that changed its feedback."""
        files = past.files
        for item in catalog.feedback:
            entry = files.get(item.path)
            if entry is None:
                continue
            self.changes[item.path] = [(event.when, event.value) for event in entry.changes()]
            for event in entry.events:
                if event.pull_request is not None:
                    self.pull_requests.setdefault(item.idea, set()).add(event.pull_request)

    def of(self, path: str) -> list[tuple[datetime, str | None]]:
        return self.changes.get(path, [])


def timelines(catalog: Catalog, past: History, votes: _VoteHistory | None = None) -> dict[str, Timeline]:
    """Each idea's dates, contributors, pull requests and status changes."""
    votes = votes or _VoteHistory(catalog, past)
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
        # a pull request that only voted discussed it too
        pull_requests = set(entry.pull_requests) | votes.pull_requests.get(slug, set())
        changes = tuple((event.when, event.value or "proposed") for event in entry.changes())
        shallow = "shallow clone: the first date may be later than the real one" if past.shallow else None
        found[slug] = Timeline(
            entry.created, entry.updated, contributors, tuple(sorted(pull_requests)), changes, shallow
        )
    return found


def snapshot(
    settings: Settings,
    now: datetime | None = None,
    *,
    whole_history: bool = False,
    past: Callable[[], History] | None = None,
) -> Snapshot:
    """Load the catalog; Git history is read once, when an output first needs it.

    Args:
        now: the moment of files not yet committed and of trending (default: now).
        whole_history: the output will need every file's whole history (a site build's
            timelines): the history does not start from the summary of dates, which would
            be read, and brought to the head, for nothing.
        past: where the history comes from, when the caller has it (the preview keeps it
            between builds, site/preview.py); by default `read_past`.
    """
    catalog = load_catalog(settings)
    return assemble(settings, catalog, past or (lambda: read_past(settings, whole_history)), now)


def read_past(settings: Settings, whole_history: bool = False) -> History:
    """The history of the ideas folder, with the settings' patterns and cache (see `snapshot`)."""
    options = settings.options
    return history.read(
        settings.root,
        settings.ideas_dir,
        options.pull_request_patterns,
        settings.cache_dir,
        dates=not whole_history,
    )


def assemble(
    settings: Settings, catalog: Catalog, past: History | Callable[[], History], now: datetime | None = None
) -> Snapshot:
    """Apply the rules that need dates and tally: one code for the full snapshot and the
    scoped one of a pull request's check (git/scoped.py), so that both judge alike."""
    return Snapshot(settings, catalog, past, now or datetime.now(UTC))
