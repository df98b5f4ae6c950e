"""The views: the pages made on every build, which list every idea and so have no digest
(site/recipes.py gives every other page one): the home page and board, the roadmap, the
decisions and their feed, the insights, the review queue and the lists of people (for the
internal audience), the rankings, the campaigns, the lists of tags and teams, and the
site's feed. ideas.json is a view too, but is made from the ideas' digests, so
site/recipes.py makes it.

They are made apart from the other pages so that a build can make them in a second
process while it works out which other pages changed (site/pages.py): after one vote
at 5,000 ideas they are about half of the pages' work, and making them touches nothing
else but the render memo and the ranking tables, which that process hands back
(`Apart`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bubbleup.site.context import INDEX, Site
from bubbleup.site.memo import Memo, Used
from bubbleup.site.tables import Tables


def view_pages(site: Site) -> dict[str, str]:
    """Every view by path, made."""
    from bubbleup.site.decisions import DECISIONS, DECISIONS_FEED, render_decisions, render_decisions_feed
    from bubbleup.site.feeds import FEED, render_feed
    from bubbleup.site.home import BOARD, render_board
    from bubbleup.site.insights import render_insights
    from bubbleup.site.lists import VIEWS, group_listings, render_campaigns, render_index, render_roadmap, render_view
    from bubbleup.site.people import people_lists
    from bubbleup.site.queue import QUEUE, render_queue

    pages = {
        INDEX: render_index(site),
        BOARD: render_board(site),
        "roadmap.md": render_roadmap(site),
        DECISIONS: render_decisions(site),
        DECISIONS_FEED: render_decisions_feed(site),
    }
    if not site.public:
        pages["insights.md"] = render_insights(site)
        pages[QUEUE] = render_queue(site)
        pages.update(people_lists(site))
    pages.update({name: render_view(site, name, *view) for name, view in VIEWS.items()})
    pages.update(render_campaigns(site))
    pages.update(group_listings(site)[0])
    pages[FEED] = render_feed(site, site.site_name, site.site_url)
    return pages


@dataclass
class Apart:
    """The views as a second process made them, with what making them added to the
    render memo and the ranking tables of that process, to add to this one's."""

    pages: dict[str, str]
    used: Used
    tables: dict[str, Any] = field(default_factory=dict)


def made_apart(site: Site, memo: Memo, tables: Tables | None) -> Apart:
    """`view_pages`, with what it added to `memo` and `tables` (run in a forked child)."""
    before = memo.mark()
    pages = view_pages(site)
    return Apart(pages, memo.since(before), dict(tables.made) if tables is not None else {})


def take(apart: Apart, memo: Memo, tables: Tables | None) -> dict[str, str]:
    """The views made apart, what making them added kept here too."""
    memo.merge(apart.used)
    if tables is not None:
        tables.made.update(apart.tables)
    return apart.pages
