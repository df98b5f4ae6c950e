"""One repository's ideas, loaded, dated from Git and tallied: what every output starts from."""

from __future__ import annotations

from dataclasses import dataclass

from . import history, loader
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


def snapshot(settings: Settings, catalog: Catalog | None = None) -> Snapshot:
    """Load (unless given) the catalog, read Git history once, and tally."""
    catalog = catalog if catalog is not None else load_catalog(settings)
    past = history.read(settings.root, settings.ideas_dir)
    created = {}
    for slug, idea in catalog.ideas.items():
        moment = past.created(idea.path)
        if moment is not None:
            created[slug] = moment.date()
    return Snapshot(settings, catalog, tally(catalog, created), past.warning)
