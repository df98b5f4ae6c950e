"""Render an idea's page as plain Markdown, and the small pieces every page shares.

Plain Markdown, not a plugin's in-memory pages, so that the same generated folder builds
with mkdocs, its forks and zensical (see docs/architecture.md). Nothing
untrusted reaches a page unescaped: short values go through `markup.inline`, Markdown
text through `markup.render` (sanitized HTML), and front matter `title:` is HTML-escaped
because themes print it into the page as it is.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from bubbleup.core.markup import NO_IMAGES, Images, inline, render
from bubbleup.core.model import SLUG_PATTERN, Catalog, Feedback, Status, Vote
from bubbleup.core.tally import Tally
from bubbleup.git.snapshot import Timeline
from bubbleup.site.context import (
    CAMPAIGNS,
    PEOPLE,
    TAGS,
    Site,
    block,
    button,
    front_matter,
    names,
    on,
    page_name,
    status_badge,
    status_label,
)
from bubbleup.site.links import Host

CLOSED = (Status.DECLINED, Status.DONE, Status.DUPLICATE)
"""Statuses that take no more votes: their pages show the outcome instead of vote buttons."""


def vote_buttons(slug: str, host: Host) -> str:
    """Vote for, Vote against, Give feedback: each opens the vote form with the idea filled in."""
    return (
        f'<p class="bubbleup-actions">{button("Vote for", host.vote_url(slug, "up"), primary=True)} '
        f"{button('Vote against', host.vote_url(slug, 'down'))} "
        f"{button('Give feedback', host.feedback_url(slug))}</p>\n\n"
    )


def outcome_line(site: Site, item: Tally) -> str:
    """What a closed idea shows where the vote buttons were: its outcome, or its original."""
    idea, catalog = item.idea, site.catalog
    if idea.status is Status.DUPLICATE:
        original = catalog.ideas.get(idea.duplicate_of or "")
        if original is None:
            return "<p><strong>Duplicate</strong>: this idea takes no more votes.</p>\n\n"
        link = site.link(page_name(idea.slug), page_name(original.slug), inline(original.title))
        return f"<p><strong>Duplicate</strong>: this idea takes no more votes; vote on {link} instead.</p>\n\n"
    when = f" on {idea.decision.date.isoformat()}" if idea.decision else ""
    return f"<p><strong>{status_label(idea.status)}</strong>{when}: this idea takes no more votes.</p>\n\n"


def take_part_idea(slug: str, host: Host | None) -> str:
    """Vote and feedback: buttons that open the host's vote form prefilled, and the same from a clone."""
    parts = ["## Take part\n\n"]
    if host is not None:
        parts.append(vote_buttons(slug, host))
        if host.kind == "github":
            parts.append(
                "Each button opens a form with this idea filled in: add a word if you like and submit it. "
                "Your vote is recorded as you, and you get a reply on the issue.\n\n"
            )
        else:
            parts.append("Each button opens a new issue with this idea filled in, for the team to record.\n\n")
    parts.append(
        f"<p>From a clone: <code>bubbleup vote {slug}</code> (or <code>--down</code>), "
        f'or <code>bubbleup vote {slug} --none -m "your feedback"</code>.</p>\n\n'
    )
    return "".join(parts)


def take_part_index(host: Host | None) -> str:
    if host is not None:
        return (
            f'<p class="bubbleup-actions">{button("Propose an idea", host.propose_url(), primary=True)}</p>\n\n'
            'Or from a clone: `bubbleup new "Your idea in one line"`.\n\n'
        )
    return 'Propose an idea from a clone: `bubbleup new "Your idea in one line"`.\n\n'


def render_idea(site: Site, item: Tally) -> str:
    """One idea: status, people, votes, decision, text, the feedback thread and its history.

    For the public audience, every name and every word of feedback is left out: only
    the idea, its counts, its status and the reason for it are published.
    """
    idea = item.idea
    timeline = site.timelines.get(idea.slug, Timeline())
    from bubbleup.site.queue import threshold_line

    parts = [
        front_matter(idea.title, edit_url=site.source_url.format(path=idea.path) if site.source_url else ""),
        f"# {inline(idea.title)}\n\n",
        _facts(site, item, timeline),
        _vote_bar(item),
        threshold_line(site, item),
    ]
    if idea.status in CLOSED:
        parts.append(outcome_line(site, item))
    elif site.editor is not None and not site.public:
        parts.append(vote_buttons(idea.slug, site.editor))
    parts.append(_decision(site, item))
    parts.append(block("bubbleup-text", _text(site, item)))
    if not site.public:
        parts.append(_voters(site, item))
        parts.append(render_thread(site.catalog, site.feedback.get(idea.slug, []), site.images(idea.slug)))
    parts.append(_similar(site, item))
    parts.append(_mentioned_in(site, item))
    parts.append(render_history(site, timeline))
    feed = "feed.xml" if site.directory_urls else f"{idea.slug}/feed.xml"
    parts.append(f'\n<p>Follow this idea: <a href="{feed}">its Atom feed</a> tells you of each decision.</p>\n')
    if idea.status not in CLOSED and not site.public:
        parts.append("\n" + take_part_idea(idea.slug, site.editor))
    return "".join(parts)


def _text(site: Site, item: Tally) -> str:
    """The idea's text, its links and #references to other ideas leading to their pages."""
    sanitized = render(item.idea.text, site.images(""))
    if site.mentions is None:
        return sanitized
    return site.mentions.link(item.idea, sanitized, site.idea_url)[0]


def _mentioned_in(site: Site, item: Tally) -> str:
    """The ideas whose text links to this one, as the backlinks of a wiki."""
    sources = [slug for slug in site.mentioned_in.get(item.idea.slug, []) if slug in site.catalog.ideas]
    if not sources:
        return ""
    page = page_name(item.idea.slug)
    rows = [site.link(page, page_name(slug), inline(site.catalog.ideas[slug].title)) for slug in sources]
    return "\n## Mentioned in\n\n" + _list(rows)


def _list(items: list[str]) -> str:
    """Items (HTML) as a list block, which the site builder passes through unparsed."""
    return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>\n\n"


def _facts(site: Site, item: Tally, timeline: Timeline) -> str:
    """Status, people, dates, tags and campaign, as one HTML paragraph (and the idea's
    own fields as a list): links in HTML, which the site builder does not parse again."""
    idea, catalog, page = item.idea, site.catalog, page_name(item.idea.slug)
    written = ", ".join(inline(name) for name in idea.author_names)
    people = ", ".join(part for part in (names(catalog, idea.authors) if idea.authors else "", written) if part)
    proposed = "proposed" if site.public else f"proposed by {people or names(catalog, ())}"
    if item.created:
        proposed += f" {on(item.created)}"
    elif timeline.label:
        proposed += f" ({timeline.label})"
    facts = [status_badge(idea.status), proposed]
    if timeline.updated and timeline.updated.date() != item.created:
        facts.append(f"updated {on(timeline.updated.date())}")
    if idea.tags:
        facts.append("tags: " + ", ".join(_tag(site, page, tag) for tag in idea.tags))
    if idea.campaign:
        campaign = (catalog.campaigns or {}).get(idea.campaign)
        label = inline(campaign.title) if campaign else inline(idea.campaign)
        where = f"{CAMPAIGNS}/{page_name(idea.campaign)}"
        facts.append(f"campaign: {site.link(page, where, label)}" if campaign else f"campaign: {label}")
    metadata = [f"{inline(key)}: {inline(value)}" for key, value in idea.metadata]
    return f"<p>{' · '.join(facts)}</p>\n\n" + (_list(metadata) if metadata else "")


def _tag(site: Site, page: str, tag: str) -> str:
    """A tag, linked to its page when it is a well-formed name (only those get pages)."""
    label = f"<code>{inline(tag)}</code>"
    return site.link(page, f"{TAGS}/{page_name(tag)}", label) if SLUG_PATTERN.match(tag) else label


def _bar(up: int, down: int, label: str) -> str:
    total = up + down
    share = round(100 * up / total) if total else 0
    return (
        f'<div class="bubbleup-bar" role="img" aria-label="{label}: {up} up, {down} down">'
        f'<span class="bubbleup-bar__up" style="width: {share}%"></span>'
        f'<span class="bubbleup-bar__down" style="width: {100 - share if total else 0}%"></span></div>'
    )


def _vote_bar(item: Tally) -> str:
    """The counts, and bars showing up against down (customers' votes apart)."""
    customers = ""
    if item.customer_votes:
        customers = f" · customers: {len(item.customers_up)} up, {len(item.customers_down)} down"
    parts = [
        f'<div class="bubbleup-votes"><p><strong>{item.score:+d}</strong> net · {item.up} up · {item.down} down · '
        f"{item.feedback} feedback{customers}</p>",
        _bar(item.up, item.down, "Employees"),
    ]
    if item.customer_votes:
        parts.append(_bar(len(item.customers_up), len(item.customers_down), "Customers"))
    return "\n".join(parts) + "\n</div>\n\n"


def _decision(site: Site, item: Tally) -> str:
    idea, catalog = item.idea, site.catalog
    parts = []
    if idea.decision:
        decision = idea.decision
        who = "" if site.public else f" by {html.escape(catalog.display_name(decision.by))}"
        header = f"<p><strong>{status_label(idea.status)}</strong>{who} {on(decision.date)}</p>"
        averages = decision.averages(site.criteria)
        if averages:
            marks = ", ".join(f"{html.escape(c)} {v:.1f}" for c, v in averages.items())
            reviewers = len(decision.scores)
            header += f"\n<p>Reviewer scores (average of {reviewers}, 1 to {site.score_scale}): {marks}</p>"
        parts.append(block("bubbleup-decision", header + "\n" + render(decision.reason)))
    if idea.duplicate_of and idea.duplicate_of in catalog.ideas:
        original = catalog.ideas[idea.duplicate_of]
        link = site.link(page_name(idea.slug), page_name(original.slug), inline(original.title))
        parts.append(f"<p>This idea is a duplicate of {link}; its votes count there.</p>\n\n")
    merged = [slug for slug in item.merged_from if slug in catalog.ideas]
    if merged:
        page = page_name(idea.slug)
        links = ", ".join(site.link(page, page_name(slug), inline(catalog.ideas[slug].title)) for slug in merged)
        parts.append(f"<p>Votes from its duplicates count here too: {links}.</p>\n\n")
    return "".join(parts)


def _voters(site: Site, item: Tally) -> str:
    """Who voted, each employee in the roster linked to their page: as HTML, since an
    idea's hundreds of voter links in Markdown were most of its page's build."""
    catalog, page = site.catalog, page_name(item.idea.slug)
    roster = catalog.roster or {}

    def linked(handles: Iterable[str]) -> str:
        shown = [
            site.link(page, f"{PEOPLE}/{page_name(handle)}", inline(catalog.display_name(handle)))
            if handle in roster
            else inline(catalog.display_name(handle))
            for handle in handles
        ]
        return ", ".join(shown) or "nobody yet"

    rows = [
        f"<strong>Up ({item.up}):</strong> {linked(item.up_voters)}",
        f"<strong>Down ({item.down}):</strong> {linked(item.down_voters)}",
    ]
    if item.customer_votes:
        rows.append(f"<strong>Customers up ({len(item.customers_up)}):</strong> {names(catalog, item.customers_up)}")
        rows.append(
            f"<strong>Customers down ({len(item.customers_down)}):</strong> {names(catalog, item.customers_down)}"
        )
    return "## Votes\n\n" + _list(rows)


def _similar(site: Site, item: Tally) -> str:
    if site.similar is None:
        return ""
    matches = site.similar.similar(item.idea, limit=5)
    if not matches:
        return ""
    page = page_name(item.idea.slug)
    rows = [f"{site.link(page, page_name(m.idea.slug), inline(m.idea.title))} ({m.score:.2f})" for m in matches]
    return "\n## Similar ideas\n\n" + _list(rows)


def render_history(site: Site, timeline: Timeline) -> str:
    """Who shaped the idea, the pull requests that discussed it, and when its status moved."""
    if not timeline.created:
        return ""
    parts = ["\n## History\n\n"]
    if timeline.label:
        parts.append(f'<p class="bubbleup-note">{html.escape(timeline.label)}</p>\n\n')
    rows = []
    if timeline.contributors:
        rows.append(f"<strong>Contributors:</strong> {', '.join(inline(name) for name in timeline.contributors)}")
    if timeline.pull_requests:
        if site.pull_request_url:
            links = [
                f'<a href="{html.escape(site.pull_request_url.format(number=n))}">#{n}</a>'
                for n in timeline.pull_requests
            ]
        else:
            links = [f"#{n}" for n in timeline.pull_requests]
        rows.append(f"<strong>Pull requests:</strong> {', '.join(links)}")
    for moment, status in timeline.status_changes:
        label = status_label(Status(status)) if status in {s.value for s in Status} else inline(status)
        rows.append(f"{moment.date().isoformat()}: {label}")
    return "".join(parts) + (_list(rows) if rows else "")


def _vote_word(vote: Vote) -> str:
    return {Vote.UP: "votes up", Vote.DOWN: "votes down", Vote.NONE: "no vote"}[vote]


def render_thread(catalog: Catalog, thread: list[Feedback], images: Images = NO_IMAGES) -> str:
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
        parts.append(block("bubbleup-text", render(item.text, images)))
    return "".join(parts)
