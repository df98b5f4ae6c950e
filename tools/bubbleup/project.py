"""One repository's ideas, loaded, dated from Git and tallied: what every output starts from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from . import history, loader, rules
from .config import Settings
from .model import Catalog
from .tally import Tally, tally


@dataclass(frozen=True)
class Snapshot:
    """The state of the ideas at one moment, ready for any output."""

    settings: Settings
    catalog: Catalog
    tallies: dict[str, Tally]
    history_warning: str | None = None


def load_catalog(settings: Settings) -> Catalog:
    return loader.load(settings.root, settings.ideas_dir, settings.options.max_file_size)


def snapshot(settings: Settings, today: date | None = None) -> Snapshot:
    """Load the catalog, read Git history once, apply the rules that need dates, and tally.

    Args:
        today: the date of files not yet committed (default: today).
    """
    catalog = load_catalog(settings)
    past = history.read(settings.root, settings.ideas_dir, settings.options.pull_request_patterns, settings.cache_dir)
    today = today or date.today()

    def committed(path: str) -> date:
        moment = past.created(path)
        return moment.date() if moment else today

    extra = rules.campaign_windows(catalog, committed)
    extra += rules.vote_budget(catalog, settings.options.vote_budget, committed)
    if extra:
        catalog = replace(catalog, problems=tuple(sorted(set(catalog.problems) | set(extra))))
    created = {slug: committed(idea.path) for slug, idea in catalog.ideas.items() if past.created(idea.path) is not None}
    return Snapshot(settings, catalog, tally(catalog, created), past.warning)
