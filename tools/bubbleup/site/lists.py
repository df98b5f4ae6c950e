"""Render the pages that list ideas: the index (top), trending, new, most discussed, and
campaigns (every generated page of the site by path: site/recipes.py).

The navigation lists these views, never the ideas: a navigation of thousands of ideas
is rendered into every page and makes the build quadratic.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import cast

from bubbleup.core.markup import inline, render
from bubbleup.core.model import SLUG_PATTERN, Campaign, Status
from bubbleup.core.tally import Tally
from bubbleup.site.addresses import page_href, page_url
from bubbleup.site.context import (
    CAMPAIGNS,
    INDEX,
    RIGHT,
    TAGS,
    Site,
    ago,
    block,
    front_matter,
    page_name,
    status_badge,
    status_label,
    tag_link,
)
from bubbleup.site.idea_page import take_part_index
from bubbleup.site.tables import ROW, Tables, row
from bubbleup.site.together import same_objects

STATUS = "status"
TEAMS = "teams"
VIEWS = {
    "trending.md": (
        "Trending",
        "trending",
        "Ideas gaining support now: each vote counts fully on the day it is cast "
        "and half as much every {half_life:g} days after.",
    ),
    "new.md": ("New ideas", "new", "The most recently proposed ideas first."),
    "discussed.md": ("Most discussed", "discussed", "The ideas people wrote the most feedback about."),
}


MEASURES = {
    "top": "Score",
    "trending": "Momentum",
    "new": "Proposed",
    "discussed": "Feedback",
}
"""The number each ranking ranks by, shown in its own column beside the rank."""


def measure(site: Site, item: Tally, sort: str) -> str:
    """The value an idea is ranked by in the `sort` ranking, as the page shows it."""
    if sort == "trending":
        return f"{item.trending(site.now, site.half_life):+.1f}"
    if sort == "new":
        return ago(item.created, site.now)
    if sort == "discussed":
        return str(item.feedback)
    return f"{item.score:+d}"


def facts_line(site: Site, item: Tally, sort: str = "top") -> str:
    """Status and counts under a title; the measure the list ranks by is left out."""
    parts = [status_badge(item.idea.status)]
    if sort != "top":
        parts.append(f"{item.score:+d} net")
    parts.append(f"{item.up} up · {item.down} down")
    if sort != "discussed":
        parts.append(f"{item.feedback} feedback")
    if sort != "new":
        parts.append(f"proposed {ago(item.created, site.now)}")
    return " · ".join(parts)


def ranking_table(site: Site, items: list[Tally], page: str = INDEX, sort: str = "top") -> str:
    """Ranked ideas as a three-column table: rank, the number it ranks by, and the idea
    with its status and counts on a line below, so that nothing is cut off on a phone.

    Written as HTML (the table Python-Markdown would make of it), which the site builder
    passes through unparsed: a view of thousands of rows in Markdown was the slowest page
    to build. `page` is the page the table is on, which its links start from.

    A table is a function of its ideas' tallies, the day (dates are said as "3 days
    ago"; momentum moves with the moment itself) and the site's options: the table of the
    very same tallies is the previous build's (`Site.kept`: under serve, one vote leaves
    most tables of statuses, tags, teams and campaigns as they were), and so is the row
    of each tally. A new process takes the rows of ideas whose key did not change from the
    page the previous build wrote (site/tables.py).
    """
    if not items:
        return "No ideas yet.\n\n"
    tables = cast(dict[str, tuple[tuple[Tally, ...], str]], _kept(site, ("tables", sort), row_moment(site, sort)))
    known = tables.get(page)
    if known is not None and same_objects(known[0], items):
        return known[1]
    rows = [
        f"<table>\n<thead>\n<tr>\n<th{RIGHT}>#</th>\n<th{RIGHT}>{MEASURES[sort]}</th>\n<th>Idea</th>\n</tr>\n"
        "</thead>\n<tbody>\n"
    ]
    roots = cast(dict[str, tuple[str, str, str]], _kept(site, "roots", site.directory_urls))
    made = cast(dict[str, tuple[Tally, str, str]], _kept(site, ("rows", sort), row_moment(site, sort)))
    address = addresses(page, site.directory_urls, roots)
    memory = site.rows
    moment = repr((sort, site.now.date(), site.directory_urls))
    previous = memory.rows(page, moment) if isinstance(memory, Tables) else None
    steady = sort != "trending"  # a row's number follows from its idea's key and the day
    slugs = [item.idea.slug for item in items]
    head, tail, before = previous.ends(slugs) if previous is not None and steady else (0, 0, "")
    rows.append(before)
    for position, item in enumerate(items[head : len(items) - tail], head + 1):
        slug = item.idea.slug
        found = made.get(slug)
        if found is None or found[0] is not item:
            taken = previous.take(slug) if previous is not None else None
            if taken is not None and steady and taken[0] == position:
                rows.append(ROW + taken[1])  # the same row in the same place
                continue
            again = None if taken is None else row(position, measure(site, item, sort), taken[1])
            if again is not None:
                rows.append(again)
                continue
            found = made[slug] = _row(site, item, sort)
        rows.append(f"<tr>\n<td{RIGHT}>{position}</td>\n{found[1]}{address(slug)}{found[2]}")
    text = "".join(rows) + (previous.tail(tail) if previous is not None and tail else "") + "</tbody>\n</table>\n\n"
    tables[page] = (tuple(items), text)
    if isinstance(memory, Tables):
        memory.keep(page, text, slugs, moment)
    return text


def row_moment(site: Site, sort: str) -> tuple[object, ...]:
    """What a ranking's rows show beside their tallies: the day, or for momentum the moment."""
    now = site.now if sort == "trending" else site.now.date()
    return (now, site.half_life, site.directory_urls, site.public)


def _kept(site: Site, key: object, holds: object) -> dict:
    """A dict the views keep in `Site.kept` for as long as `holds` is the same."""
    found = site.kept.get(key)
    if not isinstance(found, tuple) or found[0] != holds:
        found = site.kept[key] = (holds, {})
    return found[1]


def _row(site: Site, item: Tally, sort: str) -> tuple[Tally, str, str]:
    """An idea's row in a ranking by `sort` after its position, around its link's
    address (which depends on the page): made once per site, as an idea is listed on
    the index, its status's page, its tags', its team's and its campaign's."""
    number, facts = measure(site, item, sort), facts_line(site, item, sort)
    before = f'<td{RIGHT}><strong>{number}</strong></td>\n<td><a href="'
    after = f'">{inline(item.idea.title)}</a><br><span class="bubbleup-facts">{facts}</span></td>\n</tr>\n'
    return item, before, after


def addresses(page: str, directory_urls: bool, roots: dict[str, tuple[str, str, str]]) -> Callable[[str], str]:
    """The escaped address of each idea's page (by slug) from `page`, as `page_href` gives
    it: the address from the pages' root, which `roots` keeps for every page, after a
    climb to the root from `page`'s folder (a ranking's thousands of `page_href` were
    two thirds of its time). `page_href` itself answers where the climb would not be
    the whole difference: an idea whose name is the first folder of `page`, or an
    address that is not a plain path."""
    url = page_url(page, directory_urls)
    body = url.removesuffix("/")
    plain = not url or all(part not in ("", ".", "..") for part in body.split("/"))
    depth = url.count("/")
    first = url.split("/", 1)[0] if depth else None

    def address(slug: str) -> str:
        found = roots.get(slug)
        if found is None:
            root = page_href(INDEX, page_name(slug), directory_urls)
            found = roots[slug] = (root, html.escape(root), root.split("/", 1)[0])
        if not plain or found[0].startswith(".") or found[2] == first:
            return html.escape(page_href(page, page_name(slug), directory_urls))
        return "../" * depth + found[1]

    return address


def _originals(site: Site, sort: str) -> list[Tally]:
    """The ranking by `sort` without duplicates, once per site: half a dozen views ask."""
    return site.once(_without_duplicates, sort)


def _without_duplicates(site: Site, sort: str) -> list[Tally]:
    return [item for item in site.ranking(sort) if item.idea.status is not Status.DUPLICATE]


def render_index(site: Site) -> str:
    """All ideas ranked by net score, duplicates listed apart under their originals."""
    catalog = site.catalog
    originals = _originals(site, "top")
    duplicates = [t for t in site.ranking("top") if t.idea.status is Status.DUPLICATE]
    lines = [front_matter("All ideas", searchable=False), "# All ideas\n\n"]
    lines.append(
        f"{len(originals)} ideas, ranked by net score (up votes minus down votes); "
        "ties go to the most recent. Also: [trending](trending.md), [new](new.md), "
        "[most discussed](discussed.md).\n\n"
    )
    statuses = " · ".join(
        f"[{status_label(s)}]({STATUS}/{page_name(s.value)})" for s in Status if s is not Status.DUPLICATE
    )
    lines.append(f"By status: {statuses}. Subscribe: [Atom feed](feed.xml), [data](ideas.json).\n\n")
    lines.append(take_part_index(site.editor))
    lines.append(ranking_table(site, originals))
    if duplicates:
        lines.append("## Merged duplicates\n\nTheir votes count for the idea they duplicate.\n\n")
        for item in duplicates:
            original = catalog.ideas.get(item.idea.duplicate_of or "")
            target = f"[{inline(original.title)}]({page_name(original.slug)})" if original else "an idea not shown"
            lines.append(f"- [{inline(item.idea.title)}]({page_name(item.idea.slug)}): duplicate of {target}\n")
        lines.append("\n")
    if catalog.left_out:
        count = len(catalog.left_out)
        lines.append(
            f'<p class="bubbleup-note">{count} idea file{"s" if count != 1 else ""} '
            f"with errors {'are' if count != 1 else 'is'} not shown; "
            "<code>bubbleup check</code> lists the problems.</p>\n"
        )
    return "".join(lines)


def render_view(site: Site, name: str, title: str, sort: str, intro: str) -> str:
    items = _originals(site, sort)
    return (
        front_matter(title, searchable=False)
        + f"# {title}\n\n{intro.format(half_life=site.half_life)}\n\n"
        + ranking_table(site, items, name, sort=sort)
    )


def window(campaign: Campaign) -> str:
    opens = campaign.opens.isoformat() if campaign.opens else "any time"
    closes = campaign.closes.isoformat() if campaign.closes else "no end date"
    return f"open from {opens} to {closes}"


def render_campaigns(site: Site) -> dict[str, str]:
    """A page per campaign with its ideas ranked, and a list of campaigns."""
    campaigns = site.catalog.campaigns or {}
    listing = [front_matter("Campaigns", searchable=False), "# Campaigns\n\n"]
    listing.append("Questions the company asks everyone. Ideas name one with `campaign:` in their front matter.\n\n")
    if not campaigns:
        listing.append("No campaigns yet: they are defined in `ideas/campaigns.yml`.\n")
    pages = {}
    ranked = _originals(site, "top")
    for slug, campaign in sorted(
        campaigns.items(), key=lambda pair: (pair[1].opens or date.min, pair[0]), reverse=True
    ):
        answers = [item for item in ranked if item.idea.campaign == slug]
        listing.append(f"- [{inline(campaign.title)}]({page_name(slug)}): {len(answers)} ideas, {window(campaign)}\n")
        page = [front_matter(campaign.title), f"# {inline(campaign.title)}\n\n", f"*Campaign, {window(campaign)}.*\n\n"]
        if campaign.description:
            page.append(block("bubbleup-text", render(campaign.description)))
        name = f"{CAMPAIGNS}/{page_name(slug)}"
        page.append(ranking_table(site, answers, name))
        pages[name] = "".join(page)
    pages[f"{CAMPAIGNS}/{INDEX}"] = "".join(listing)
    return pages


@dataclass(frozen=True)
class Listing:
    """A page of ideas ranked by score: a status's, a tag's or a team's."""

    name: str
    title: str
    intro: str
    items: list[Tally]


def listing_text(site: Site, listing: Listing) -> str:
    """The page of a listing."""
    return (
        front_matter(listing.title, searchable=False)
        + f"# {inline(listing.title)}\n\n{listing.intro}\n\n"
        + ranking_table(site, listing.items, listing.name)
    )


def group_listings(site: Site) -> tuple[dict[str, str], list[Listing]]:
    """The lists of tags and of teams, made, and the page of each status, tag and team,
    to be made (site/recipes.py gives each a digest of what it shows); once per site, as
    the views and the recipes both ask."""
    return site.once(_group_listings)


def _group_listings(site: Site) -> tuple[dict[str, str], list[Listing]]:
    ranked = _originals(site, "top")
    by_status: dict[Status, list[Tally]] = {status: [] for status in Status}
    for item in ranked:
        by_status[item.idea.status].append(item)
    listings = [
        Listing(
            f"{STATUS}/{page_name(status.value)}",
            status_label(status),
            f"{len(by_status[status])} ideas with the status {status_label(status).lower()}.",
            by_status[status],
        )
        for status in Status
        if status is not Status.DUPLICATE
    ]
    tags: dict[str, list[Tally]] = {}
    for item in site.ranking("top"):  # duplicates too: their pages link their tags
        for tag in item.idea.tags:
            if SLUG_PATTERN.match(tag):
                tags.setdefault(tag, []).append(item)
    listing = [front_matter("Ideas by tag", searchable=False), "# Ideas by tag\n\n"]
    listing += [
        f"- {tag_link(tag).replace(TAGS + '/', '')}: {len(items)} ideas\n" for tag, items in sorted(tags.items())
    ]
    pages = {f"{TAGS}/{INDEX}": "".join(listing) if tags else "".join(listing) + "No tags yet.\n"}
    listings += [
        Listing(f"{TAGS}/{page_name(tag)}", f"Tag: {tag}", f"{len(items)} ideas tagged {tag}.", items)
        for tag, items in tags.items()
    ]
    teams, team_listings = _teams(site, ranked)
    return pages | teams, listings + team_listings


def _teams(site: Site, ranked: list[Tally]) -> tuple[dict[str, str], list[Listing]]:
    roster = site.catalog.roster or {}
    teams: dict[str, list[Tally]] = {}
    for item in ranked:
        for team in dict.fromkeys(name for h in item.idea.authors if h in roster and (name := roster[h].team)):
            teams.setdefault(team, []).append(item)
    names = {team: page_name(team) for team in teams}
    if site.public:
        return {}, []
    listing = [front_matter("Ideas by team", searchable=False), "# Ideas by team\n\n"]
    listing.append("The teams of the ideas' authors, from the roster.\n\n")
    listing += [f"- [{inline(team)}]({names[team]}): {len(items)} ideas\n" for team, items in sorted(teams.items())]
    pages = {f"{TEAMS}/{INDEX}": "".join(listing) if teams else "".join(listing) + "No teams yet.\n"}
    intro = "{} ideas proposed by people in {}."
    found = [
        Listing(f"{TEAMS}/{names[team]}", f"Team: {team}", intro.format(len(items), inline(team)), items)
        for team, items in teams.items()
    ]
    return pages, found


def listing_parts(site: Site, listing: Listing, keys: Mapping[str, str]) -> tuple[object, ...] | None:
    """What a listing's page shows, for its digest (site/recipes.py), when each of its
    ideas has a key (`Snapshot.keys`): the page, its title and introduction, the key of
    each idea in the order of the ranking (a key stands for the idea's file, so its title
    and status, and for its tally), and what the rows show beside them (`row_moment`:
    the day, the options). One vote changes the few pages that list its idea; the other
    forty at 5,000 ideas are neither made nor read again."""
    found = [keys.get(item.idea.slug) for item in listing.items]
    if None in found:
        return None
    return ("listing", listing.name, listing.title, listing.intro, row_moment(site, "top"), found)


def render_roadmap(site: Site) -> str:
    """Planned, in progress and done, as Material grid cards, newest decisions first."""
    lines = [
        front_matter("Roadmap", searchable=False),
        "# Roadmap\n\n",
        "What was decided, and what is being done about it. Newest decisions first.\n\n",
    ]
    for status in (Status.PLANNED, Status.IN_PROGRESS, Status.DONE):
        items = [t for t in site.tallies.values() if t.idea.status is status]
        items.sort(key=lambda t: (t.idea.decision.date if t.idea.decision else date.min, t.idea.slug), reverse=True)
        lines.append(f"## {status_label(status)}\n\n")
        if not items:
            lines.append("Nothing yet.\n\n")
            continue
        cards = []
        for item in items:
            decision = item.idea.decision
            when = f"<p><small>Decided {decision.date.isoformat()}</small></p>" if decision else ""
            reason = render(decision.reason) if decision else ""
            cards.append(
                f'<li><p><a href="{site.idea_url(item.idea.slug)}"><strong>{html.escape(item.idea.title)}</strong></a></p>'
                f"<p>{item.score:+d} net · {item.up} up · {item.feedback} feedback</p>{when}{reason}</li>"
            )
        lines.append(f'<div class="grid cards bubbleup-cards">\n<ul>\n{chr(10).join(cards)}\n</ul>\n</div>\n\n')
    return "".join(lines)
