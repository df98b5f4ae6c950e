"""One repository's ideas, loaded, dated from Git and tallied: what every output starts from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cached_property

from bubbleup.core import loader, rules, thresholds
from bubbleup.core.adoption import Adoption
from bubbleup.core.config import Settings
from bubbleup.core.folder_cache import FolderCache
from bubbleup.core.model import Catalog
from bubbleup.core.register_cache import RegisterCache
from bubbleup.core.resident import Resident
from bubbleup.core.tally import Tally, tally
from bubbleup.git import carry, history, parts_cache
from bubbleup.git.history import History
from bubbleup.git.parse_cache import ParseCache

_PARTS = ("tallies", "timelines", "crossed")
"""The parts of each idea that a snapshot may take from another, or from the parts cache."""


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

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        past: History | Callable[[], History],
        now: datetime,
        before: Snapshot | None = None,
        store: ParseCache | None = None,
    ):
        self.settings = settings
        self.now = now
        self._loaded = catalog
        self._past = past
        self._before = before
        """The previous snapshot of this process, whose parts may still hold (git/carry.py)."""
        self._carried: dict[str, object] = {}
        self._parsed = store
        """The parse cache the catalog was loaded with, whose blob ids and key make the keys
        of the parts cache (git/parts_cache.py): a site build's only."""
        self._store: parts_cache.PartsCache | None = None
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
        extra += rules.future_created(catalog, self.now.date())
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
    def _inputs(self) -> dict[str, carry.Inputs]:
        return carry.inputs(self._dated)

    @cached_property
    def _same(self) -> frozenset[str]:
        """The ideas whose tally, timeline and crossings are those of the previous snapshot
        (git/carry.py): none without one, when it did not make all three, or when its
        settings, roster or what limits its history differ; after a commit, those whose
        files' histories are the same. What the previous snapshot worked out is taken now,
        and the snapshot itself let go."""
        before, self._before = self._before, None
        if (
            before is None
            or any(name not in before.__dict__ for name in _PARTS)
            or before.settings != self.settings
            or before._loaded.roster != self._loaded.roster
            or (before.history.warning, before.history.shallow) != (self.history.warning, self.history.shallow)
        ):
            return frozenset()
        self._carried = {name: before.__dict__[name] for name in _PARTS}
        same = carry.unchanged(before._inputs, self._inputs, before._moving)
        past = before.history
        return same if past is self.history else carry.same_history(same, self._inputs, past, self.history)

    @cached_property
    def _moving(self) -> frozenset[str]:
        same = self._same
        return carry.moving({slug: found for slug, found in self._inputs.items() if slug not in same}, self.history)

    @cached_property
    def _keys(self) -> dict[str, str]:
        """The key of each idea's parts in the parts cache (git/parts_cache.py), for the
        ideas not carried from the previous snapshot and not dated now (which have none)."""
        parsed = self._parsed
        if parsed is None:
            return {}
        same, catalog = self._same, self._loaded
        part = parts_cache.shared(parsed.key, self.settings.options, catalog.roster, self.history)
        self._store = parts_cache.PartsCache(self.settings.cache_dir, parsed.blobs, part, catalog.roster)
        return self._store.keys({slug: found for slug, found in self._inputs.items() if slug not in same}, self.history)

    @property
    def keys(self) -> dict[str, str]:
        """By slug, the key of each idea's parts in the parts cache: a digest of everything
        its tally, timeline, crossings and feedback are made from (none for an idea dated
        now, and none at all without the cache). The pages' digests use it (site/recipes.py)."""
        return self._keys

    @cached_property
    def _known(self) -> dict[str, tuple[Tally, Timeline, list[datetime]]]:
        """The ideas whose three parts are known without working them out: from the previous
        snapshot (`_same`), or kept by an earlier run under the same key (`_keys`)."""
        same, kept = self._same, self._carried
        found: dict[str, tuple[Tally, Timeline, list[datetime]]] = {}
        if same:
            tallies, lines, crossed = (kept[name] for name in _PARTS)
            found = {slug: (tallies[slug], lines[slug], crossed.get(slug, [])) for slug in same}  # type: ignore[attr-defined,index]
        keys = self._keys
        if self._store is not None:
            ideas = self._dated.ideas
            for slug, (counted, line, crossings) in self._store.recall(keys).items():
                found[slug] = (Tally(ideas[slug], *counted), Timeline(*line), crossings)
        return found

    def _kept_parts(self) -> None:
        """Once the three parts are made, keep those of the ideas with a key for the next run."""
        if self._store is None or any(name not in self.__dict__ for name in _PARTS):
            return
        self._store.save(self._keys, self.tallies, self.timelines, self.crossed)
        self._store = None

    @cached_property
    def tallies(self) -> dict[str, Tally]:
        catalog, past, known = self._dated, self.history, self._known
        wanted = [slug for slug in catalog.ideas if slug not in known] if known else list(catalog.ideas)
        created = {
            slug: self._committed(path) for slug in wanted if past.created(path := catalog.ideas[slug].path) is not None
        }
        files = catalog.feedback if not known else [item for slug in wanted for item in carry.files(self._inputs[slug])]
        cast = past.cast(files, self.now)  # from the cache's summary: no event is made for this
        if not known:
            made = tally(catalog, created, cast)
        else:
            made = tally(catalog, created, cast, wanted)
            made = {slug: known[slug][0] if slug in known else made[slug] for slug in catalog.ideas}
        self.__dict__["tallies"] = made
        self._kept_parts()
        return made

    @cached_property
    def timelines(self) -> dict[str, Timeline]:
        reused = {slug: parts[1] for slug, parts in self._known.items()}
        made = self.__dict__["timelines"] = timelines(self._dated, self.history, self._votes, reused)
        self._kept_parts()
        return made

    @cached_property
    def crossed(self) -> dict[str, list[datetime]]:
        """When each idea crossed the support threshold (every upward crossing, in order)."""
        reused = {slug: parts[2] for slug, parts in self._known.items()}
        made = thresholds.crossings(self._dated, self.tallies, self._votes.of, self.threshold, self.now, reused)
        self.__dict__["crossed"] = made
        self._kept_parts()
        return made

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


def load_catalog(
    settings: Settings, visits: loader.Visits | None = None, memo: ParseCache | Resident | None = None
) -> Catalog:
    """The catalog, with each unchanged file's result taken from the parse cache
    (git/parse_cache.py) when the settings have a cache folder, or from the memory of a
    process that loads it again and again (core/resident.py); the idea folders' files from
    the folders cache (core/folder_cache.py) or that memory; the roster and campaigns from
    the registers cache (core/register_cache.py, not for a load limited by `visits`: a pull
    request's) or that memory. A load limited by `visits` reads the parse cache but never
    writes it: what it saw is not the whole folder."""
    options = settings.options
    registers = RegisterCache(settings.cache_dir if visits is None and not isinstance(memo, Resident) else None)
    memo = memo or ParseCache(settings.root, settings.ideas_dir, settings.cache_dir)
    listings: loader.Listings | None = memo.folders if isinstance(memo, Resident) else None
    if listings is None and visits is None and settings.cache_dir is not None:
        listings = FolderCache(settings.cache_dir, settings.root, settings.ideas_dir)
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
        listings,
    )
    if visits is None:
        memo.save()
        registers.save()
        if isinstance(listings, FolderCache):
            listings.save()
    return catalog


def _name(catalog: Catalog, name: str, email: str) -> str:
    person = catalog.person_with_email(email)
    return person.name if person else name


class _VoteHistory:
    """What Git says of each feedback file, looked up once per file, when first asked: the
    same lookups made by the timelines and the threshold crossings cost twice as much at
    100,000 files, and a snapshot that takes most ideas' parts from the previous one asks
    for few. Keyed by the catalog's own path strings, so later lookups compare them by
    identity."""

    def __init__(self, catalog: Catalog, past: History):
        self.catalog = catalog
        self.files = past.files
        self.changes: dict[str, list[tuple[datetime, str | None]]] = {}
        """By path: when the file's vote took each value, oldest first."""

    def of(self, path: str) -> list[tuple[datetime, str | None]]:
        found = self.changes.get(path)
        if found is None:
            entry = self.files.get(path)
            found = self.changes[path] = [(event.when, event.value) for event in entry.changes()] if entry else []
        return found

    def pull_requests(self, slug: str) -> set[int]:
        """The pull requests that changed an idea's feedback."""
        found: set[int] = set()
        for item in self.catalog.feedback_by_idea.get(slug, ()):
            entry = self.files.get(item.path)
            if entry is not None:
                found.update(event.pull_request for event in entry.events if event.pull_request is not None)
        return found


def timelines(
    catalog: Catalog, past: History, votes: _VoteHistory | None = None, kept: Mapping[str, Timeline] | None = None
) -> dict[str, Timeline]:
    """Each idea's dates, contributors, pull requests and status changes (`kept`: those of
    ideas known unchanged, taken as they are)."""
    votes = votes or _VoteHistory(catalog, past)
    kept = kept or {}
    found: dict[str, Timeline] = {}
    for slug, idea in catalog.ideas.items():
        known = kept.get(slug)
        if known is not None:
            found[slug] = known
            continue
        entry = past.of(idea.path)
        if entry is None:
            label = (
                "date unknown: not committed yet" if not past.warning else f"date unknown: {past.warning.split(':')[0]}"
            )
            found[slug] = Timeline(label=label)
            continue
        contributors = tuple(dict.fromkeys(_name(catalog, name, email) for name, email in reversed(entry.authors)))
        # a pull request that only voted discussed it too
        pull_requests = set(entry.pull_requests) | votes.pull_requests(slug)
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
    memo: Resident | None = None,
    before: Snapshot | None = None,
) -> Snapshot:
    """Load the catalog; Git history is read once, when an output first needs it.

    Args:
        now: the moment of files not yet committed and of trending (default: now).
        whole_history: the output will need every file's whole history (a site build's
            timelines): the history does not start from the summary of dates, which would
            be read, and brought to the head, for nothing; and each idea's parts are kept
            in the parts cache (git/parts_cache.py), whose keys are made from those histories.
        past: where the history comes from, when the caller has it (the preview keeps it
            between builds, site/preview.py); by default `read_past`.
        memo: the files' results kept in memory by the preview (core/resident.py), over
            the parse cache; by default the parse cache alone.
        before: the previous snapshot of the preview, whose parts still hold for the
            ideas whose inputs are the same (git/carry.py).
    """
    parsed = ParseCache(settings.root, settings.ideas_dir, settings.cache_dir) if memo is None else None
    catalog = load_catalog(settings, memo=memo or parsed)
    store = parsed if whole_history and settings.cache_dir is not None else None
    return Snapshot(
        settings, catalog, past or (lambda: read_past(settings, whole_history)), now or datetime.now(UTC), before, store
    )


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
