"""Render the site's generated pages as plain Markdown: an index and one page per idea.

Plain Markdown, not a plugin's in-memory pages, so that the same generated folder builds
with mkdocs, its forks and zensical (see the README's architecture section). Nothing
untrusted reaches a page unescaped: short values go through `markup.inline`, Markdown
text through `markup.render` (sanitized HTML), and front matter `title:` is HTML-escaped
because themes print it into the page as it is.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date

import yaml

from .links import Editor
from .markup import inline, render
from .model import Campaign, Catalog, Feedback, Status, Vote
from .tally import Tally, rank

INDEX = "index.md"
CAMPAIGNS = "campaigns"


def status_label(status: Status) -> str:
    return status.value.replace("-", " ").capitalize()


def status_badge(status: Status) -> str:
    return f'<span class="bubbleup-status bubbleup-status--{status.value}">{status_label(status)}</span>'


def front_matter(title: str) -> str:
    """Page metadata: only the title, HTML-escaped (themes print it raw)."""
    return "---\n" + yaml.safe_dump({"title": html.escape(title)}, allow_unicode=True, width=1_000) + "---\n\n"


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


def ranking_table(items: list[Tally], prefix: str = "") -> str:
    """Ranked ideas as a table; `prefix` leads from the page to the ideas folder."""
    if not items:
        return "No ideas yet.\n\n"
    rows = ["| # | Idea | Status | Score | Up | Down | Feedback |\n|--:|---|---|--:|--:|--:|--:|\n"]
    for position, item in enumerate(items, 1):
        rows.append(
            f"| {position} | [{inline(item.idea.title)}]({prefix}{page_name(item.idea.slug)}) "
            f"| {status_badge(item.idea.status)} | {item.score:+d} | {item.up} | {item.down} | {item.feedback} |\n"
        )
    return "".join(rows) + "\n"


def window(campaign: Campaign) -> str:
    opens = campaign.opens.isoformat() if campaign.opens else "any time"
    closes = campaign.closes.isoformat() if campaign.closes else "no end date"
    return f"open from {opens} to {closes}"


def render_campaigns(catalog: Catalog, tallies: dict[str, Tally]) -> dict[str, str]:
    """A page per campaign with its ideas ranked, and a list of campaigns."""
    campaigns = catalog.campaigns or {}
    listing = [front_matter("Campaigns"), "# Campaigns\n\n"]
    listing.append("Questions the company asks everyone. Ideas name one with `campaign:` in their front matter.\n\n")
    if not campaigns:
        listing.append("No campaigns yet: they are defined in `ideas/campaigns.yml`.\n")
    pages = {}
    for slug, campaign in sorted(campaigns.items(), key=lambda pair: (pair[1].opens or date.min, pair[0]), reverse=True):
        answers = [t for t in rank(tallies.values(), "top") if t.idea.campaign == slug and t.idea.status is not Status.DUPLICATE]
        listing.append(f"- [{inline(campaign.title)}]({page_name(slug)}): {len(answers)} ideas, {window(campaign)}\n")
        page = [front_matter(campaign.title), f"# {inline(campaign.title)}\n\n", f"*Campaign, {window(campaign)}.*\n\n"]
        if campaign.description:
            page.append(block("bubbleup-text", render(campaign.description)))
        page.append(ranking_table(answers, prefix="../"))
        pages[f"{CAMPAIGNS}/{page_name(slug)}"] = "".join(page)
    pages[f"{CAMPAIGNS}/{INDEX}"] = "".join(listing)
    return pages


def render_index(catalog: Catalog, tallies: dict[str, Tally], editor: Editor | None = None) -> str:
    """All ideas ranked by net score, duplicates listed apart under their originals."""
    ranked = rank(tallies.values(), "top")
    originals = [item for item in ranked if item.idea.status is not Status.DUPLICATE]
    duplicates = [item for item in ranked if item.idea.status is Status.DUPLICATE]
    lines = [front_matter("All ideas"), "# All ideas\n\n"]
    lines.append(
        f"{len(originals)} ideas, ranked by net score (up votes minus down votes); "
        "ties go to the most recent.\n\n"
    )
    lines.append(take_part_index(editor))
    lines.append(ranking_table(originals))
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


def render_idea(catalog: Catalog, item: Tally, editor: Editor | None = None) -> str:
    """One idea: status, people, votes, decision, text and the feedback thread."""
    idea = item.idea
    parts = [front_matter(idea.title), f"# {inline(idea.title)}\n\n"]
    proposed = f"proposed by {names(catalog, idea.authors)}"
    if item.created:
        proposed += f" on {item.created.isoformat()}"
    facts = [status_badge(idea.status), proposed]
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

    thread = [f for f in catalog.feedback if f.idea == idea.slug]
    parts.append(render_thread(catalog, thread))
    if idea.status is not Status.DUPLICATE:
        parts.append("\n" + take_part_idea(idea.slug, editor))
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


def render_pages(catalog: Catalog, tallies: dict[str, Tally], editor: Editor | None = None) -> dict[str, str]:
    """Every generated page, by path relative to the pages folder."""
    pages = {INDEX: render_index(catalog, tallies, editor)}
    for slug, item in tallies.items():
        pages[page_name(slug)] = render_idea(catalog, item, editor)
    pages.update(render_campaigns(catalog, tallies))
    return pages
