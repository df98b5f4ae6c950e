"""Render the pages that list ideas: the index (top), trending, new, most discussed, and
campaigns; and `render_pages`, every generated page of the site by path.

The navigation lists these views, never the ideas: a navigation of thousands of ideas
is rendered into every page and makes the build quadratic.
"""

from __future__ import annotations

from datetime import date

from .markup import inline, render
from .model import Campaign, Status
from .pages import (
    CAMPAIGNS,
    INDEX,
    Site,
    age,
    block,
    front_matter,
    page_name,
    render_idea,
    status_badge,
    take_part_index,
)
from .tally import Tally, rank

VIEWS = {
    "trending.md": ("Trending", "trending", "Ideas gaining support now: each vote counts fully on the day it is cast "
                    "and half as much every {half_life:g} days after."),
    "new.md": ("New ideas", "new", "The most recently proposed ideas first."),
    "discussed.md": ("Most discussed", "discussed", "The ideas people wrote the most feedback about."),
}


def ranking_table(site: Site, items: list[Tally], prefix: str = "", trending: bool = False) -> str:
    """Ranked ideas as a table; `prefix` leads from the page to the ideas folder."""
    if not items:
        return "No ideas yet.\n\n"
    extra_head, extra_align = (" Trend |", "--:|") if trending else ("", "")
    rows = [f"| # | Idea | Status | Score | Up | Down | Feedback |{extra_head} Age |\n"
            f"|--:|---|---|--:|--:|--:|--:|{extra_align}--:|\n"]
    for position, item in enumerate(items, 1):
        trend = f" {item.trending(site.now, site.half_life):+.1f} |" if trending else ""
        rows.append(
            f"| {position} | [{inline(item.idea.title)}]({prefix}{page_name(item.idea.slug)}) "
            f"| {status_badge(item.idea.status)} | {item.score:+d} | {item.up} | {item.down} | {item.feedback} |"
            f"{trend} {age(item.created, site.now)} |\n"
        )
    return "".join(rows) + "\n"


def _originals(site: Site, sort: str) -> list[Tally]:
    ranked = rank(site.tallies.values(), sort, now=site.now, half_life=site.half_life)
    return [item for item in ranked if item.idea.status is not Status.DUPLICATE]


def render_index(site: Site) -> str:
    """All ideas ranked by net score, duplicates listed apart under their originals."""
    catalog = site.catalog
    originals = _originals(site, "top")
    duplicates = [t for t in rank(site.tallies.values(), "top") if t.idea.status is Status.DUPLICATE]
    lines = [front_matter("All ideas", searchable=False), "# All ideas\n\n"]
    lines.append(
        f"{len(originals)} ideas, ranked by net score (up votes minus down votes); "
        "ties go to the most recent. Also: [trending](trending.md), [new](new.md), "
        "[most discussed](discussed.md).\n\n"
    )
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


def render_view(site: Site, title: str, sort: str, intro: str) -> str:
    items = _originals(site, sort)
    return (
        front_matter(title, searchable=False)
        + f"# {title}\n\n{intro.format(half_life=site.half_life)}\n\n"
        + ranking_table(site, items, trending=sort == "trending")
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
    for slug, campaign in sorted(campaigns.items(), key=lambda pair: (pair[1].opens or date.min, pair[0]), reverse=True):
        answers = [item for item in ranked if item.idea.campaign == slug]
        listing.append(f"- [{inline(campaign.title)}]({page_name(slug)}): {len(answers)} ideas, {window(campaign)}\n")
        page = [front_matter(campaign.title), f"# {inline(campaign.title)}\n\n", f"*Campaign, {window(campaign)}.*\n\n"]
        if campaign.description:
            page.append(block("bubbleup-text", render(campaign.description)))
        page.append(ranking_table(site, answers, prefix="../"))
        pages[f"{CAMPAIGNS}/{page_name(slug)}"] = "".join(page)
    pages[f"{CAMPAIGNS}/{INDEX}"] = "".join(listing)
    return pages


def render_pages(site: Site) -> dict[str, str]:
    """Every generated page, by path relative to the pages folder."""
    pages = {INDEX: render_index(site)}
    for name, (title, sort, intro) in VIEWS.items():
        pages[name] = render_view(site, title, sort, intro)
    for slug, item in site.tallies.items():
        pages[page_name(slug)] = render_idea(site, item)
    pages.update(render_campaigns(site))
    return pages
