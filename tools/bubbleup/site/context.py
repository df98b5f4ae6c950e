"""What every page may show (`Site`), computed once, and the small pieces all pages share.

Nothing untrusted reaches a page unescaped: short values go through `markup.inline`,
Markdown text through `markup.render` (sanitized HTML), and front matter `title:` is
HTML-escaped because themes print it into the page as it is.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypeVar, cast

import yaml

from bubbleup.core.config import DEFAULTS
from bubbleup.core.markup import Images, inline, without_comments
from bubbleup.core.model import SLUG_MAX, SLUG_PATTERN, Catalog, Feedback, Idea, Status, Visibility
from bubbleup.core.similarity import Index
from bubbleup.core.tally import HALF_LIFE_DAYS, Tally, rank
from bubbleup.core.thresholds import Threshold, Waiting
from bubbleup.git.snapshot import Timeline
from bubbleup.site.addresses import page_href
from bubbleup.site.links import Host
from bubbleup.site.memo import Likeness, Memo
from bubbleup.site.mentions import Mentions
from bubbleup.site.together import about_ideas, kept_for

INDEX = "index.md"
CAMPAIGNS = "campaigns"
TAGS = "tags"
PEOPLE = "people"
RIGHT = ' style="text-align: right;"'  # a right-aligned column's cells, as Python-Markdown writes them
T = TypeVar("T")


@dataclass(frozen=True)
class Site:
    """Everything a page may show, computed once for all pages."""

    catalog: Catalog
    tallies: dict[str, Tally]
    now: datetime
    timelines: dict[str, Timeline] = field(default_factory=dict)
    editor: Host | None = None
    pull_request_url: str | None = None
    """A URL with {number} in it, or None to show bare numbers."""
    half_life: float = HALF_LIFE_DAYS
    feedback: dict[str, list[Feedback]] = field(default_factory=dict)
    """Feedback by idea, grouped once (not searched per page)."""
    public: bool = False
    """The public audience: no names, no feedback text, no roster data."""
    similar: Index | Likeness | None = None
    site_name: str = "Ideas"
    site_url: str | None = None
    threshold: Threshold | None = None
    crossed: dict[str, list[datetime]] = field(default_factory=dict)
    queue: list[Waiting] = field(default_factory=list)
    response_days: int = DEFAULTS.response_days
    criteria: tuple[str, ...] = DEFAULTS.criteria
    score_scale: int = DEFAULTS.score_scale
    feedback_by_person: dict[str, list[Feedback]] = field(default_factory=dict)
    rows: object = None
    """The previous build's rows of the ranking tables (a `site/tables.Tables`, which
    imports this module), which the rankings take the rows of unchanged ideas from; None
    under serve, whose views keep theirs in memory (`kept`)."""
    pages_path: str = "ideas"
    """The generated pages' folder relative to docs_dir, for links from hand-written pages."""
    image_hosts: tuple[str, ...] = ()
    """Hosts that readers' browsers may load images from (the image_hosts option)."""
    directory_urls: bool = True
    """Pages at name/ or, for a site opened from file:// (offline), at name.html."""
    source_url: str | None = None
    """The web editor's address of a file in the repository, with {path} in it; None
    where readers cannot edit (the public audience, a host we cannot link to)."""
    mentions: Mentions | None = None
    """Finds the links and #references between ideas in their texts."""
    mentioned_in: dict[str, list[str]] = field(default_factory=dict)
    """For each idea, the ideas whose text mentions it."""

    def idea_url(self, slug: str) -> str:
        """The URL of an idea's page from a page beside it, for links written as HTML
        (Markdown links are resolved by the site builder; HTML ones are not)."""
        return f"../{slug}/" if self.directory_urls else f"{slug}.html"

    def href(self, source: str, target: str) -> str:
        """The URL of the generated page `target` from the generated page `source` (both
        named as `render_pages` names them), for links written as HTML: the site builder
        resolves Markdown links, and parsing a page's worth of them was most of its build."""
        return page_href(source, target, self.directory_urls)

    def link(self, source: str, target: str, label: str) -> str:
        """An HTML link from one generated page to another; `label` is already escaped."""
        return f'<a href="{html.escape(self.href(source, target))}">{label}</a>'

    @functools.cached_property
    def _made(self) -> dict[tuple, object]:
        return {}

    def once(self, make: Callable[..., T], *arguments: Hashable) -> T:
        """`make(self, *arguments)`, worked out once for all the pages of this site, which
        ask the same of it (the views, the recipes, the people's pages); callers never
        change what it gives."""
        key = (make, *arguments)
        if key not in self._made:
            self._made[key] = make(self, *arguments)
        return cast(T, self._made[key])

    def ranking(self, sort: str) -> list[Tally]:
        """Every idea (duplicates too) ranked by `sort` (`tally.rank`), ranked once for all
        the pages that list them; callers filter it and never change it. Each ranking
        ends ties with the slug, so a filtered ranking is the ranking of what it keeps."""
        return self.once(_ranked, sort)

    @functools.cached_property
    def kept(self) -> dict[object, object]:
        """What the views keep for the next build (site/together.py); no digest holds it."""
        return kept_for(self.similar.memo if isinstance(self.similar, Likeness) else None)

    @functools.cached_property
    def _attachments(self) -> frozenset[str]:
        return frozenset(self.catalog.attachments)

    def images(self, folder: str, depth: int = 0) -> Images:
        """Where the images of a text in `folder` (relative to the ideas folder: '' for an
        idea, its slug for a feedback) come from, for a page `depth` folders below the
        pages' root (an idea's page: 0; a person's page, under people/: 1)."""
        prefix = "../" * (depth + 1) if self.directory_urls else "../" * depth
        return Images(folder, self._attachments, prefix, self.image_hosts)

    @classmethod
    def of(
        cls,
        catalog: Catalog,
        tallies: dict[str, Tally],
        now: datetime,
        public: bool = False,
        memo: Memo | None = None,
        **options,
    ) -> Site:
        """A site for one audience; the public one holds only ideas marked public. With a
        `memo`, the similar ideas are remembered between builds (site/memo.py)."""
        if public:
            shown = published(catalog, public)
            catalog = replace(catalog, ideas=shown, roster=None, feedback=(), campaigns=catalog.campaigns)
            tallies = {slug: item for slug, item in tallies.items() if slug in shown}
            options["editor"] = None
            options["source_url"] = None
            options["pull_request_url"] = None
            options["timelines"] = {
                slug: replace(timeline, contributors=(), pull_requests=())
                for slug, timeline in options.get("timelines", {}).items()
                if slug in shown
            }
            options["queue"] = [w for w in options.get("queue", []) if w.item.idea.slug in shown]
            options["crossed"] = {slug: c for slug, c in options.get("crossed", {}).items() if slug in shown}
        by_person: dict[str, list[Feedback]] = {}
        for item in catalog.feedback:
            by_person.setdefault(item.handle, []).append(item)
        mentions, mentioned, index = about_ideas(catalog, memo)
        return cls(
            catalog,
            tallies,
            now,
            mentions=mentions,
            mentioned_in=mentioned,
            feedback=catalog.feedback_by_idea,
            public=public,
            similar=index,
            feedback_by_person=by_person,
            **options,
        )


def _ranked(site: Site, sort: str) -> list[Tally]:
    return rank(site.tallies.values(), sort, now=site.now, half_life=site.half_life)


def published(catalog: Catalog, public: bool) -> dict[str, Idea]:
    """The ideas an audience's site carries: all of them, or for the public only those
    marked public. The site and the build's summary line both ask here."""
    if not public:
        return dict(catalog.ideas)
    return {slug: idea for slug, idea in catalog.ideas.items() if idea.visibility is Visibility.PUBLIC}


def status_label(status: Status) -> str:
    return status.value.replace("-", " ").capitalize()


@functools.cache  # one per status
def status_badge(status: Status) -> str:
    return f'<span class="bubbleup-status bubbleup-status--{status.value}">{status_label(status)}</span>'


def front_matter(title: str, searchable: bool = True, edit_url: str = "") -> str:
    """Page metadata: the title, HTML-escaped (themes print it raw), whether search
    should index the page (lists of titles only repeat what the idea pages hold), and
    where "Edit this page" leads: a generated page has no file of its own to edit, so it
    names its source (an idea's file) or nothing (overrides/partials/actions.html reads it)."""
    meta: dict[str, object] = {"title": html.escape(title), "edit_url": edit_url}
    if not searchable:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, width=1_000) + "---\n\n"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's writer: ten times faster than PyYAML's own, and it keeps a title's rarer line
breaks (U+0085, U+2028) as they are where PyYAML's folds them away."""


def block(css_class: str, inner_html: str) -> str:
    """Sanitized HTML as a raw block, which Markdown passes through untouched."""
    return f'<div class="{css_class}">\n{inner_html}\n</div>\n\n'


def names(catalog: Catalog, handles: Iterable[str], linked: bool = False) -> str:
    """People's names; with `linked`, each leads to their page (people in the roster only)."""
    shown = []
    for handle in handles:
        name = inline(catalog.display_name(handle))
        known = linked and catalog.roster is not None and handle in catalog.roster
        shown.append(f"[{name}]({PEOPLE}/{page_name(handle)})" if known else name)
    return ", ".join(shown) or "nobody yet"


def tag_link(tag: str, prefix: str = "") -> str:
    """A tag, linked to its page when it is a well-formed name (only those get pages)."""
    label = f"<code>{inline(tag)}</code>"
    return f"[{label}]({prefix}{TAGS}/{page_name(tag)})" if SLUG_PATTERN.match(tag) else label


_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`~]+|<[^>]*>")


def excerpt(text: str, limit: int = 140) -> str:
    """The first paragraph of prose of a Markdown text, without its markup, cut at a word
    before `limit` characters: a preview, escaped by the caller like any untrusted value.
    HTML comments are the author's notes and are taken out first (by the parser, only where one may start)."""
    paragraph: list[str] = []
    for line in [*(without_comments(text) if "<!" in text else text).splitlines(), ""]:
        line = line.strip()
        if not line or line.startswith(("#", "```", "~~~", "|", "<!--", ">", "---")):
            if paragraph:
                break
            continue
        plain = " ".join(_MARKUP.sub(lambda m: m.group(1) or "", line).lstrip("-+*0123456789. ").split())
        if plain:
            paragraph.append(plain)
        if sum(len(part) + 1 for part in paragraph) > limit:
            break
    plain = " ".join(paragraph)
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@functools.lru_cache(maxsize=65_536)  # the same few thousand names, asked for on every link
def page_name(name: str) -> str:
    """The file of the page about `name` (an idea, a tag, a team, a person, a campaign, a
    status) in its folder: the same name always gets the same page, two names never share
    one, and the file name is safe in any URL and on any file system.

    A well-formed slug names its own page, except `index`, which is each folder's list.
    Any other name (`index`, "Customer Success" next to "customer-success", a team named
    in another script) gets its ASCII words, `--` and a hash of the exact name: a slug
    never holds `--`, so such a page cannot be another name's either.
    """
    if SLUG_PATTERN.fullmatch(name) and name != "index" and len(name) <= SLUG_MAX:
        return f"{name}.md"
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:40].strip("-") or "page"
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{words}--{digest}.md"


def button(label: str, url: str, primary: bool = False) -> str:
    kind = "md-button md-button--primary" if primary else "md-button"
    return f'<a class="{kind}" href="{html.escape(url, quote=True)}" rel="nofollow">{label}</a>'


@functools.lru_cache(maxsize=8192)
def ago(day: date | None, now: datetime) -> str:
    """A date as people say it ("3 days ago", "yesterday", "5 weeks ago"), with the exact
    date at hand: in the element's datetime and title, which browsers show on hover and
    screen readers can read. Remembered: the views say each idea's date four times, and
    thousands of ideas share a few hundred days."""
    if day is None:
        return "date unknown"
    days = (now.date() - day).days
    if days < 0:
        said = f"on {day.isoformat()}"
    elif days == 0:
        said = "today"
    elif days == 1:
        said = "yesterday"
    else:
        said = f"{age(day, now, long=True)} ago"
    exact = day.isoformat()
    return f'<time datetime="{exact}" title="{exact}">{said}</time>'


def on(day: date | None) -> str:
    """A date said exactly ("on 2026-11-02"), for pages that a build takes from the previous
    site when their idea did not change (an idea's page): "3 days ago" there would change
    every page on every new day, and the next day's build would build them all again.
    The views, built on every build, say dates as people do (`ago`)."""
    if day is None:
        return "date unknown"
    exact = day.isoformat()
    return f'<time datetime="{exact}">on {exact}</time>'


UNITS = {"y": "year", "mo": "month", "wk": "week", "d": "day"}


def age(created: date | None, now: datetime, long: bool = False) -> str:
    """How long ago, in the largest whole unit: 3 d, 5 wk, 4 mo, 2 y (with `long`:
    3 days, 5 weeks, 4 months, 2 years)."""
    if created is None:
        return "?"
    days = max((now.date() - created).days, 0)
    count, unit = days, "d"
    for size, name in ((365, "y"), (30, "mo"), (7, "wk")):
        if days >= size * (2 if name != "wk" else 1):
            count, unit = days // size, name
            break
    if long:
        return f"{count} {UNITS[unit]}{'s' if count != 1 else ''}"
    return f"{count} {unit}"
