"""Every generated page as a recipe: how to make it, and a digest of what it is made from.

After one vote, a build needs the views that rank every idea again, but only one idea's
page, its feed and its voter's page: the other 10,000 pages at 5,000 ideas come out the
same. A page whose digest is the one it was last written with is therefore not made
again (site/pages.py keeps the digests in a ledger). The digest must cover everything
the page shows, or a page would go stale; so it is made from whole objects, not from
the few fields a page happens to read today:

- the site's part: every field of `Site` except those that belong to one idea or one
  person (`PER_PAGE`), every field of the catalog except the feedback and the roster
  (`_APART`), every idea whole (its title, text, status and decision show on other
  ideas' pages), and the code;
- an idea's part: its whole tally (its votes, those merged from duplicates) but when
  each vote was cast, what Git says about it, its feedback, when it crossed the
  threshold, and what the roster says of the people it names (site/roster_part.py: a
  newcomer makes only the pages that name them). When each vote was cast shows in its
  feed (which adds it) and in the trending views, not on its page: a vote not yet
  committed is dated now, which would make its page again on every build
  (tests/test_recipes.py checks that the page does not show it);
- a person's part: their name and team, their feedback and the score of each idea they proposed.

The views (rankings, lists by status, tag, team and campaign, the home page, feeds of
the whole site, ideas.json) have no digest: they list every idea and are made every time
(ideas.json from each idea's record as written before when its digest is the same).
A build whose snapshot has a key for an idea's parts (`Snapshot.keys`, git/parts_cache.py:
a digest of the content of everything its tally, timeline, crossings and feedback are made
from) digests that key, with what the roster says of the people its page names, instead
of the idea's part, and its feed's digest drops `cast`, which the key stands for:
writing out 5,000 ideas' parts was half a second of a rebuild. A person's part holds, for
their feedback, the keys of the ideas it is on when each has one (`_feedback_keys`).
The parts are digested by their repr, with dataclasses flattened to the tuple of their
field values (a dataclass's own repr is Python code, and took a second at 5,000 ideas).
A repr that names an object's address, or a set's order, only makes a digest differ
between processes: the page is made again, never shown stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from bubbleup.core.tally import Tally
from bubbleup.site.context import PEOPLE, Site, page_name
from bubbleup.site.records import Records
from bubbleup.site.roster_part import idea_people, person_said, presence
from bubbleup.site.sameness import field_names, field_values, identical, shallow_same

PER_PAGE = frozenset(
    {
        "catalog",  # digested apart: the ideas whole, the feedback by idea and by person
        "tallies",
        "timelines",
        "feedback",
        "crossed",
        "feedback_by_person",
        "queue",  # the waiting ideas: shown only on the review queue, a view
        "now",  # shown only by views, and by a feed that has nothing dated (see `_feed`)
        "similar",  # made from the ideas, which the site's part holds whole
        "mentions",
        "mentioned_in",
        "rows",  # the previous build's rows, taken only where they are what would be made
    }
)
"""The fields of `Site` that the site's part of a digest leaves to each page's part,
or that are made from what it holds already."""
_APART = ("feedback", "roster")
"""The catalog's fields it leaves to each page: of the roster it holds only `presence`."""


@dataclass(frozen=True)
class Recipe:
    """How to make one generated page, and the digest of what it is made from (None for
    a view, which is made on every build)."""

    make: Callable[[], str]
    inputs: str | None = None


def _digest(*parts: object) -> str | None:
    """A digest of the parts' values, by their repr: it does not depend on which objects
    are shared (pickle's does: equal data loaded two ways, parsed or from the parse cache,
    gave two digests)."""
    try:
        text = repr(parts)
    except Exception:  # a part's own repr failing: its page is made every time
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _nothing(*parts: object) -> None:
    return None


class Digests:
    """The digests of one build's idea, feed and person pages, each with the objects it
    was made from, for the next build of the same process (the preview server, whose
    snapshot gives an unchanged idea's tally, timeline and feedback back as the very same
    objects: git/carry.py, core/resident.py). Writing the parts out took half a second at
    5,000 ideas; a page whose objects are the same ones has the same digest. Objects are
    compared by identity, not equality (two equal dicts in another order are written out
    differently); strings and integers by value."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[tuple[object, ...], str | None]] = {}
        self.made: dict[str, tuple[tuple[object, ...], str | None]] = {}
        self.site: tuple[tuple[object, ...], str | None] | None = None
        """The site's part of the previous build, with the values it was made from."""

    def site_part(self, site: Site, code: str) -> str | None:
        """`site_part`, kept while the values it is made from are the same: the very same
        objects, or in the same order in a dict, list or tuple (the catalog's dicts are
        new on every load, their ideas the same objects). Writing every idea out was the
        largest part of a rebuild's digests (0.2 s at 5,000 ideas)."""
        values = (code, *(value for part in _site_fields(site) for _, value in part))
        if self.site is None or not shallow_same(self.site[0], values):
            self.site = (values, site_part(site, code))
        return self.site[1]

    def next(self) -> Digests:
        """Start a build: what the last one made is what this one may keep."""
        self.kept, self.made = self.made, {}
        return self

    def of(self, name: str, sources: tuple[object, ...], digest: Callable[[], str | None]) -> str | None:
        """The digest of a page made from `sources`: kept, or made by `digest`."""
        known = self.kept.get(name)
        if known is None or not identical(known[0], sources):
            known = (sources, digest())
        self.made[name] = known
        return known[1]


def site_part(site: Site, code: str) -> str | None:
    """What every page may show beside its own idea's or person's data. The ideas are
    written out as their fields' values with each text as its digest (`_with_text_digest`):
    written out whole, 5,000 ideas' texts made a 12 MB string, 0.1 s of every new process."""
    fields, catalog = _site_fields(site)
    catalog = [(name, _ideas(value) if name == "ideas" else value) for name, value in catalog]
    return _digest(code, fields, catalog)


def _ideas(ideas: object) -> object:
    """The catalog's ideas, each as its fields' values with its text as a digest."""
    if not isinstance(ideas, dict):
        return ideas
    return [(slug, _with_text_digest(idea)) for slug, idea in ideas.items()]


def _with_text_digest(item: object) -> object:
    """A dataclass's kind and field values, with its `text` field as the text's SHA-256,
    which stands for the text in 64 characters."""
    if not dataclasses.is_dataclass(item) or isinstance(item, type):
        return item
    values = []
    for name in field_names(type(item)):
        value = getattr(item, name)
        if name == "text" and type(value) is str:
            value = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
        values.append(value)
    return type(item).__name__, values


def _site_fields(site: Site) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
    """The fields of the site and of its catalog that `site_part` writes out, by name."""
    fields = [(f.name, getattr(site, f.name)) for f in dataclasses.fields(site) if f.name not in PER_PAGE]
    catalog = [
        (f.name, getattr(site.catalog, f.name)) for f in dataclasses.fields(site.catalog) if f.name not in _APART
    ]
    return fields, [*catalog, ("roster", presence(site.catalog.roster))]


def idea_part(site: Site, slug: str) -> tuple[object, ...]:
    """What an idea's page shows of that idea alone (the idea itself is in the site's part)."""
    item = site.tallies[slug]
    tally = [getattr(item, name) for name in field_names(type(item)) if name not in ("idea", "cast")]
    thread = [field_values(feedback) for feedback in site.feedback.get(slug, ())]
    timeline = site.timelines.get(slug)
    return (slug, tally, timeline and field_values(timeline), thread, site.crossed.get(slug))


def recipes(
    site: Site,
    code: str,
    kept: Digests | None = None,
    written: Records | None = None,
    keys: Mapping[str, str] | None = None,
    views: bool = True,
) -> dict[str, Recipe]:
    """Every generated page by path. The views are made here and now (site/view_pages.py;
    without `views`, they are left out: the caller makes them apart); the pages with a
    digest are made only when asked to (`kept`: the digests of the previous build of this
    process, brought up to date). `written`: ideas.json's records as an earlier build wrote
    them (site/records.py). `keys`: by slug, the key of an idea's parts (`Snapshot.keys`)."""
    from bubbleup.site.feeds import DATA, render_data
    from bubbleup.site.idea_page import render_idea
    from bubbleup.site.view_pages import view_pages

    keys = keys or {}
    shared = kept.site_part(site, code) if kept is not None else site_part(site, code)
    digest = _digest if shared is not None else _nothing  # without the site's part, no page has a digest
    kept = kept.next() if kept is not None else Digests()
    book = made(view_pages(site)) if views else {}
    if not site.public:
        book.update(_people(site, shared, digest, kept, keys))
    parts = _idea_digests(site, shared, digest, kept, keys)
    for slug, item in site.tallies.items():
        book[page_name(slug)] = Recipe(partial(render_idea, site, item), parts[slug])
    book.update(_listings(site, code, keys))
    book.update(made({DATA: render_data(site, site.site_url, parts, written)}))
    book.update(_idea_feeds(site, parts, kept, keys))
    return book


def _people(
    site: Site,
    shared: str | None,
    digest: Callable[..., str | None],
    kept: Digests,
    keys: Mapping[str, str],
) -> dict[str, Recipe]:
    """Each person's page in the roster, with its digest: from the keys of the ideas of
    their feedback when each has one (`_feedback_keys`), else from their feedback."""
    from bubbleup.site.people import authored, render_person

    found, by_author = {}, authored(site)
    for handle in site.catalog.roster or {}:
        proposed = by_author.get(handle, [])
        name = f"{PEOPLE}/{page_name(handle)}"
        given = _feedback_keys(site, handle, keys)
        inputs = (
            _person_digest(site, shared, handle, proposed, digest, given)
            if given is not None
            else kept.of(
                name,
                _person(site, shared, handle, proposed),
                partial(_person_digest, site, shared, handle, proposed, digest),
            )
        )
        found[name] = Recipe(partial(render_person, site, handle, proposed), inputs)
    return found


def _listings(site: Site, code: str, keys: Mapping[str, str]) -> dict[str, Recipe]:
    """The page of each status, tag and team, with a digest of what it shows
    (`lists.listing_parts`) when each of its ideas has a key (the lists of tags and teams
    are views: site/view_pages.py)."""
    from bubbleup.site.lists import group_listings, listing_parts, listing_text

    book = {}
    for listing in group_listings(site)[1]:
        shown = listing_parts(site, listing, keys)
        book[listing.name] = Recipe(
            partial(listing_text, site, listing), None if shown is None else _digest(code, *shown)
        )
    return book


def _idea_feeds(site: Site, parts: dict[str, str | None], kept: Digests, keys: Mapping[str, str]) -> dict[str, Recipe]:
    """Each idea's feed, whose digest is made from its page's (`parts`)."""
    from bubbleup.site.feeds import idea_feed_name, render_idea_feed

    found = {}
    for slug in site.tallies:
        name, page = idea_feed_name(slug), parts[slug]
        if slug in keys:  # the key stands for when each vote was cast too
            inputs = _keyed_feed(site, page, slug)
        else:
            inputs = kept.of(name, _feed_sources(site, page, slug), partial(_feed, site, page, slug))
        found[name] = Recipe(partial(render_idea_feed, site, slug, site.site_url), inputs)
    return found


def _idea_digests(
    site: Site, shared: str | None, digest: Callable[..., str | None], kept: Digests, keys: Mapping[str, str]
) -> dict[str, str | None]:
    """The digest of each idea's page: of its key when it has one, else of its part."""
    return {
        slug: _keyed_idea(shared, key, idea_people(site, slug))
        if (key := keys.get(slug)) is not None
        else kept.of(page_name(slug), _idea(site, shared, slug), partial(_idea_digest, site, shared, slug, digest))
        for slug in site.tallies
    }


def _keyed_idea(shared: str | None, key: str, people: str) -> str | None:
    """An idea page's digest from its key and what the roster says of the people it names,
    hashed from their text (the site's part and the key are hex words, the people's part
    comes last): a repr of the people's 2.8 MB at 5,000 ideas took three times as long."""
    if shared is None:  # without the site's part, no page has a digest
        return None
    return hashlib.sha256(f"parts {shared} {key} {people}".encode("utf-8", "surrogatepass")).hexdigest()


def made(pages: dict[str, str]) -> dict[str, Recipe]:
    """Pages already made, as recipes that give them back."""
    return {name: Recipe(partial(str, text)) for name, text in pages.items()}


def _feed(site: Site, page: str | None, slug: str) -> str | None:
    """An idea's feed shows what its page does (`page`: that digest), and is dated by its
    newest entry, or by now when it has none: an idea with no date and no decision may have none."""
    item = site.tallies[slug]
    return None if page is None else _digest(page, "feed", item.cast, site.now if _undated(item) else None)


def _keyed_feed(site: Site, page: str | None, slug: str) -> str | None:
    """`_feed` for an idea whose page digest is made from its key, which stands for `cast`."""
    return None if page is None else _digest(page, "feed", site.now if _undated(site.tallies[slug]) else None)


def _undated(item: Tally) -> bool:
    return not item.created and item.idea.decision is None


def _feed_sources(site: Site, page: str | None, slug: str) -> tuple[object, ...]:
    """What an idea's feed digest is made from, for `Digests` (its tally holds `cast`)."""
    item = site.tallies[slug]
    return (page, item, site.now if _undated(item) else None)


def _idea(site: Site, shared: str | None, slug: str) -> tuple[object, ...]:
    """What an idea page's digest is made from (`idea_part`), for `Digests`."""
    thread = (*site.feedback.get(slug, ()), idea_people(site, slug))
    return (shared, slug, site.tallies[slug], site.timelines.get(slug), site.crossed.get(slug), *thread)


def _idea_digest(site: Site, shared: str | None, slug: str, digest: Callable[..., str | None]) -> str | None:
    return digest(shared, idea_part(site, slug), idea_people(site, slug))


def _person(site: Site, shared: str | None, handle: str, proposed: list[str]) -> tuple[object, ...]:
    """What a person page's digest is made from, for `Digests`: the scores of the ideas
    they proposed, and their feedback."""
    scores = [part for slug in proposed for part in (slug, site.tallies[slug].score)]
    return (shared, handle, person_said(site, handle), len(scores), *scores, *site.feedback_by_person.get(handle, ()))


def _feedback_keys(site: Site, handle: str, keys: Mapping[str, str]) -> str | None:
    """What a person page's digest holds of their feedback when each is on an idea with a
    key (`Snapshot.keys`, which stands for every feedback file of its idea, its path and
    its content): a digest of the key of the idea of each, in the order the page is given them; None
    when one has no key. Writing out the values of 50,000 feedback at 5,000 ideas was
    0.15 s of a one-vote rebuild; now a vote makes again the pages of the ten people or so
    who gave its idea feedback too, each the same text, which is neither written nor
    built again (site/pages.py compares it with the page on disk)."""
    found = [keys.get(item.idea) for item in site.feedback_by_person.get(handle, ())]
    if None in found:
        return None
    # Hashed straight from their text (keys are hex words): a repr of 50,000 keys took longer.
    return hashlib.sha256(" ".join(found).encode("utf-8")).hexdigest()  # type: ignore[arg-type]  # no None


def _person_digest(
    site: Site,
    shared: str | None,
    handle: str,
    proposed: list[str],
    digest: Callable[..., str | None],
    keyed: str | None = None,
) -> str | None:
    """`keyed`: what `_feedback_keys` gives, which stands for the person's feedback."""
    scores = [(slug, site.tallies[slug].score) for slug in proposed]
    if keyed is not None:
        return digest(shared, handle, person_said(site, handle), scores, "keys", keyed)
    given = [field_values(feedback) for feedback in site.feedback_by_person.get(handle, ())]
    return digest(shared, handle, person_said(site, handle), scores, given)


def render_pages(site: Site) -> dict[str, str]:
    """Every generated page, each made now, by path relative to the pages folder.

    The public audience gets no page about people, teams, insights or the review queue:
    absent, not emptied, so that neither the navigation nor search can lead to them.
    """
    return {name: recipe.make() for name, recipe in recipes(site, "").items()}
