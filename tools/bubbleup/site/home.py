"""The board at a glance, for the home page: the top ideas as cards, what is trending,
what waits for a decision and what was decided lately, and the way to propose an idea.

The home page itself (docs/index.md) is written by people; it pulls this generated part
in with a snippet line (`--8<-- "docs/ideas/.board.md"`, pymdownx.snippets), so that the
words around the board stay editable while the board follows the ideas. The file's name
starts with a dot, which keeps the site builder from publishing it as a page of its own.
Links are written from the home page's place, the docs folder.

Only Material's own building blocks are used (grid cards with md_in_html and attr_list,
admonitions, buttons); every untrusted value goes through `inline`, never at the start
of a line, where the snippet syntax or a list marker could be read.
"""

from __future__ import annotations

from itertools import islice

from bubbleup.core.markup import inline
from bubbleup.core.model import SLUG_PATTERN, Status
from bubbleup.core.tally import Tally
from bubbleup.site.context import TAGS, Site, ago, excerpt, page_name, status_badge, status_label

BOARD = ".board.md"
TOP = 6
SHORT = 5


def _link(site: Site, item: Tally, name: str = "") -> str:
    return f"[{inline(item.idea.title)}]({site.pages_path}/{page_name(name or item.idea.slug)})"


def _tag(site: Site, tag: str) -> str:
    """A tag as a plain link (code style in small print falls below 4.5:1 contrast)."""
    label = f"#{inline(tag)}"
    return f"[{label}]({site.pages_path}/{TAGS}/{page_name(tag)})" if SLUG_PATTERN.match(tag) else label


def _card(site: Site, item: Tally) -> str:
    idea = item.idea
    lines = [
        f'-   <strong class="bubbleup-score">{item.score:+d}</strong> **{_link(site, item)}**\n\n',
        f"    {status_badge(idea.status)} · {item.up} up · {item.down} down\n\n",
    ]
    summary = excerpt(idea.text)
    if summary:
        lines.append(f'    <span class="bubbleup-excerpt">{inline(summary)}</span>\n\n')
    tags = " ".join(_tag(site, tag) for tag in idea.tags[:3])
    meta = f"{item.feedback} feedback · proposed {ago(item.created, site.now)}"
    lines.append(f'    <span class="bubbleup-facts">{meta}{" · " + tags if tags else ""}</span>\n\n')
    return "".join(lines)


def top_cards(site: Site, items: list[Tally]) -> str:
    """The leading ideas as Material grid cards."""
    if not items:
        return "No ideas yet: be the first to propose one.\n\n"
    cards = "".join(_card(site, item) for item in items)
    return f'<div class="grid cards" markdown>\n\n{cards}</div>\n\n'


def _trending(site: Site) -> str:
    ranked = (item for item in site.ranking("trending") if _is_open(item))
    moving = list(islice((item for item in ranked if item.trending(site.now, site.half_life) > 0), SHORT))
    if not moving:
        return ""
    rows = [
        f"1. {_link(site, item)} <strong>{item.trending(site.now, site.half_life):+.1f}</strong> momentum "
        f"· {item.score:+d} net\n"
        for item in moving
    ]
    more = f"[Trending]({site.pages_path}/trending.md)"
    return f"## Trending now\n\nVotes of the last weeks count most. All of them: {more}.\n\n" + "".join(rows) + "\n"


def _waiting(site: Site) -> str:
    if site.public or not site.queue:
        return ""
    rows = []
    for waiting in site.queue[:SHORT]:
        days = f"{waiting.days} days waiting" if waiting.days is not None else "waiting"
        flag = " · **overdue**" if waiting.overdue else ""
        rows.append(f"    - {_link(site, waiting.item)}: {waiting.state}, {days}{flag}\n")
    more = f"[Needs a decision]({site.pages_path}/queue.md)"
    return '!!! question "Needs a decision"\n\n' + "".join(rows) + f"\n    All of them: {more}.\n\n"


def _is_open(item: Tally) -> bool:
    return item.idea.status not in (Status.DUPLICATE, Status.DONE, Status.DECLINED)


def recent_decisions(site: Site) -> list[Tally]:
    """Decided ideas, the newest decision first."""
    decided = [item for item in site.tallies.values() if item.idea.decision is not None]
    return sorted(decided, key=lambda t: (t.idea.decision.date, t.idea.slug), reverse=True)  # type: ignore[union-attr]


def _decided(site: Site) -> str:
    items = recent_decisions(site)[:SHORT]
    if not items:
        return ""
    rows = []
    for item in items:
        decision = item.idea.decision
        assert decision is not None
        reason = excerpt(decision.reason, 120)
        rows.append(
            f"    - **{status_label(item.idea.status)}** {ago(decision.date, site.now)}: {_link(site, item)}"
            + (f"<br>{inline(reason)}" if reason else "")
            + "\n"
        )
    more = f"[Decisions]({site.pages_path}/decisions.md)"
    return '!!! success "Decided recently"\n\n' + "".join(rows) + f"\n    Every answer, newest first: {more}.\n\n"


def render_board(site: Site) -> str:
    """The generated part of the home page (no front matter: it is pulled into one)."""
    from bubbleup.site.idea_page import take_part_index

    top = list(islice((item for item in site.ranking("top") if _is_open(item)), TOP))
    parts = [
        take_part_index(site.editor),
        "## Top ideas\n\n",
        top_cards(site, top),
        f"[All ideas, ranked]({site.pages_path}/index.md){{ .md-button }}\n\n",
        _trending(site),
        _waiting(site),
        _decided(site),
    ]
    return "".join(parts)
