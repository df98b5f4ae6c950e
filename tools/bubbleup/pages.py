"""Render an idea's page as plain Markdown, and the small pieces every page shares.

Plain Markdown, not a plugin's in-memory pages, so that the same generated folder builds
with mkdocs, its forks and zensical (see the README's architecture section). Nothing
untrusted reaches a page unescaped: short values go through `markup.inline`, Markdown
text through `markup.render` (sanitized HTML), and front matter `title:` is HTML-escaped
because themes print it into the page as it is.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml

from .links import Editor
from .markup import inline, render
from .model import Catalog, Feedback, Status, Vote
from .project import Timeline
from .tally import HALF_LIFE_DAYS, Tally

INDEX = "index.md"
CAMPAIGNS = "campaigns"


@dataclass(frozen=True)
class Site:
    """Everything a page may show, computed once for all pages."""

    catalog: Catalog
    tallies: dict[str, Tally]
    now: datetime
    timelines: dict[str, Timeline] = field(default_factory=dict)
    editor: Editor | None = None
    pull_request_url: str | None = None
    """A URL with {number} in it, or None to show bare numbers."""
    half_life: float = HALF_LIFE_DAYS
    feedback: dict[str, list[Feedback]] = field(default_factory=dict)
    """Feedback by idea, grouped once (not searched per page)."""

    @classmethod
    def of(cls, catalog: Catalog, tallies: dict[str, Tally], now: datetime, **options) -> "Site":
        grouped: dict[str, list[Feedback]] = {}
        for item in catalog.feedback:
            grouped.setdefault(item.idea, []).append(item)
        return cls(catalog, tallies, now, feedback=grouped, **options)


def status_label(status: Status) -> str:
    return status.value.replace("-", " ").capitalize()


def status_badge(status: Status) -> str:
    return f'<span class="bubbleup-status bubbleup-status--{status.value}">{status_label(status)}</span>'


def front_matter(title: str, searchable: bool = True) -> str:
    """Page metadata: the title, HTML-escaped (themes print it raw), and whether search
    should index the page (lists of titles only repeat what the idea pages hold)."""
    meta: dict[str, object] = {"title": html.escape(title)}
    if not searchable:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, width=1_000) + "---\n\n"


def block(css_class: str, inner_html: str) -> str:
    """Sanitized HTML as a raw block, which Markdown passes through untouched."""
    return f'<div class="{css_class}">\n{inner_html}\n</div>\n\n'


def names(catalog: Catalog, handles: Iterable[str]) -> str:
    return ", ".join(inline(catalog.display_name(handle)) for handle in handles) or "nobody yet"


def page_name(slug: str) -> str:
    return f"{slug}.md"


def button(label: str, url: str, primary: bool = False) -> str:
    kind = "md-button md-button--primary" if primary else "md-button"
    return f'<a class="{kind}" href="{html.escape(url, quote=True)}" rel="nofollow">{label}</a>'


def vote_buttons(slug: str, editor: Editor) -> str:
    return (
        f'<p class="bubbleup-actions">{button("Vote for this idea", editor.vote_url(slug), primary=True)} '
        f'{button("Give feedback", editor.feedback_url(slug))}</p>\n\n'
    )


def take_part_idea(slug: str, editor: Editor | None) -> str:
    """Vote and feedback: buttons that open a prefilled editor, and the same from a clone."""
    parts = ["## Take part\n\n"]
    if editor is not None:
        parts.append(vote_buttons(slug, editor))
        parts.append(
            "The editor opens with your vote file ready: put your handle in its name and save it as a pull request.\n\n"
        )
    parts.append(
        f"From a clone: `bubbleup vote {slug}` (or `--down`), or "
        f'`bubbleup vote {slug} --none -m "your feedback"`.\n\n'
    )
    return "".join(parts)


def take_part_index(editor: Editor | None) -> str:
    if editor is not None:
        return (
            f'<p class="bubbleup-actions">{button("Propose an idea", editor.propose_url(), primary=True)}</p>\n\n'
            'Or from a clone: `bubbleup new "Your idea in one line"`.\n\n'
        )
    return 'Propose an idea from a clone: `bubbleup new "Your idea in one line"`.\n\n'


def age(created: date | None, now: datetime) -> str:
    """How long ago, in the largest whole unit: 3 d, 5 wk, 4 mo, 2 y."""
    if created is None:
        return "?"
    days = max((now.date() - created).days, 0)
    for size, unit in ((365, "y"), (30, "mo"), (7, "wk")):
        if days >= size * (2 if unit != "wk" else 1):
            return f"{days // size} {unit}"
    return f"{days} d"


def render_idea(site: Site, item: Tally) -> str:
    """One idea: status, people, votes, decision, text, the feedback thread and its history."""
    catalog, editor = site.catalog, site.editor
    idea = item.idea
    timeline = site.timelines.get(idea.slug, Timeline())
    parts = [front_matter(idea.title), f"# {inline(idea.title)}\n\n"]
    proposed = f"proposed by {names(catalog, idea.authors)}"
    if item.created:
        proposed += f" on {item.created.isoformat()}"
    elif timeline.label:
        proposed += f" ({timeline.label})"
    facts = [status_badge(idea.status), proposed]
    if timeline.updated and timeline.updated.date() != item.created:
        facts.append(f"updated {timeline.updated.date().isoformat()}")
    if idea.tags:
        facts.append("tags: " + ", ".join(f"<code>{inline(tag)}</code>" for tag in idea.tags))
    if idea.campaign:
        campaign = (catalog.campaigns or {}).get(idea.campaign)
        label = inline(campaign.title) if campaign else inline(idea.campaign)
        facts.append(f"campaign: [{label}]({CAMPAIGNS}/{page_name(idea.campaign)})" if campaign else f"campaign: {label}")
    parts.append(" · ".join(facts) + "\n\n")

    customers = ""
    if item.customer_votes:
        customers = f" · customers: {len(item.customers_up)} up, {len(item.customers_down)} down"
    parts.append(
        f'<p class="bubbleup-votes"><strong>{item.score:+d}</strong> net · {item.up} up · {item.down} down · '
        f"{item.feedback} feedback{customers}</p>\n\n"
    )
    if editor is not None and idea.status is not Status.DUPLICATE:
        parts.append(vote_buttons(idea.slug, editor))

    if idea.decision:
        decision = idea.decision
        header = (
            f"<p><strong>{status_label(idea.status)}</strong> by "
            f"{html.escape(catalog.display_name(decision.by))} on {decision.date.isoformat()}</p>"
        )
        parts.append(block("bubbleup-decision", header + "\n" + render(decision.reason)))
    if idea.duplicate_of and idea.duplicate_of in catalog.ideas:
        original = catalog.ideas[idea.duplicate_of]
        parts.append(
            f"This idea is a duplicate of [{inline(original.title)}]({page_name(original.slug)}); "
            "its votes count there.\n\n"
        )
    if item.merged_from:
        merged = ", ".join(
            f"[{inline(catalog.ideas[slug].title)}]({page_name(slug)})" for slug in item.merged_from
        )
        parts.append(f"Votes from its duplicates count here too: {merged}.\n\n")

    parts.append(block("bubbleup-text", render(idea.text)))
    parts.append("## Votes\n\n")
    parts.append(f"- **Up ({item.up}):** {names(catalog, item.up_voters)}\n")
    parts.append(f"- **Down ({item.down}):** {names(catalog, item.down_voters)}\n")
    if item.customer_votes:
        parts.append(f"- **Customers up ({len(item.customers_up)}):** {names(catalog, item.customers_up)}\n")
        parts.append(f"- **Customers down ({len(item.customers_down)}):** {names(catalog, item.customers_down)}\n")
    parts.append("\n")

    parts.append(render_thread(catalog, site.feedback.get(idea.slug, [])))
    parts.append(render_history(site, timeline))
    if idea.status is not Status.DUPLICATE:
        parts.append("\n" + take_part_idea(idea.slug, editor))
    return "".join(parts)


def render_history(site: Site, timeline: Timeline) -> str:
    """Who shaped the idea, the pull requests that discussed it, and when its status moved."""
    if not timeline.created:
        return ""
    parts = ["\n## History\n\n"]
    if timeline.label:
        parts.append(f'<p class="bubbleup-note">{html.escape(timeline.label)}</p>\n\n')
    parts.append(f"- **Contributors:** {', '.join(inline(name) for name in timeline.contributors)}\n")
    if timeline.pull_requests:
        if site.pull_request_url:
            links = [f"[#{n}]({site.pull_request_url.format(number=n)})" for n in timeline.pull_requests]
        else:
            links = [f"#{n}" for n in timeline.pull_requests]
        parts.append(f"- **Pull requests:** {', '.join(links)}\n")
    for moment, status in timeline.status_changes:
        label = status_label(Status(status)) if status in {s.value for s in Status} else inline(status)
        parts.append(f"- {moment.date().isoformat()}: {label}\n")
    return "".join(parts)


def _vote_word(vote: Vote) -> str:
    return {Vote.UP: "votes up", Vote.DOWN: "votes down", Vote.NONE: "no vote"}[vote]


def render_thread(catalog: Catalog, thread: list[Feedback]) -> str:
    """Every written feedback on one idea: employees first, then customers, by name.

    Bare votes are already listed under Votes; repeating them here would bury the words.
    """
    thread = [item for item in thread if item.has_text]
    if not thread:
        return "## Feedback\n\nNo written feedback yet.\n"
    thread = sorted(thread, key=lambda f: (f.customer is not None, catalog.display_name(f.voter).lower()))
    parts = ["## Feedback\n\n"]
    for item in thread:
        if item.customer:
            who = f"{inline(item.customer)} (customer, recorded by {inline(catalog.display_name(item.handle))})"
        else:
            who = inline(catalog.display_name(item.handle))
        parts.append(f"### {who} · {_vote_word(item.vote)}\n\n")
        parts.append(block("bubbleup-text", render(item.text)))
    return "".join(parts)


