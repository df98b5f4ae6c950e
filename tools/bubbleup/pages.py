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
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import yaml

from .links import Editor
from .markup import inline, render
from .model import DEFAULT_CRITERIA, SLUG_PATTERN, Catalog, Feedback, Status, Visibility, Vote
from .management import Threshold, Waiting
from .project import Timeline
from .similar import Index
from .tally import HALF_LIFE_DAYS, Tally

INDEX = "index.md"
CAMPAIGNS = "campaigns"
TAGS = "tags"
PEOPLE = "people"


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
    public: bool = False
    """The public audience: no names, no feedback text, no roster data."""
    similar: Index | None = None
    site_name: str = "Ideas"
    site_url: str | None = None
    threshold: Threshold | None = None
    crossed: dict[str, list[datetime]] = field(default_factory=dict)
    queue: list[Waiting] = field(default_factory=list)
    response_days: int = 30
    criteria: tuple[str, ...] = DEFAULT_CRITERIA
    score_scale: int = 5
    feedback_by_person: dict[str, list[Feedback]] = field(default_factory=dict)

    @classmethod
    def of(cls, catalog: Catalog, tallies: dict[str, Tally], now: datetime, public: bool = False, **options) -> "Site":
        """A site for one audience; the public one holds only ideas marked public."""
        if public:
            shown = {slug: idea for slug, idea in catalog.ideas.items() if idea.visibility is Visibility.PUBLIC}
            catalog = replace(catalog, ideas=shown, roster=None, feedback=(), campaigns=catalog.campaigns)
            tallies = {slug: item for slug, item in tallies.items() if slug in shown}
            options["editor"] = None
            options["pull_request_url"] = None
            options["timelines"] = {
                slug: replace(timeline, contributors=(), pull_requests=())
                for slug, timeline in options.get("timelines", {}).items() if slug in shown
            }
            options["queue"] = [w for w in options.get("queue", []) if w.item.idea.slug in shown]
            options["crossed"] = {slug: c for slug, c in options.get("crossed", {}).items() if slug in shown}
        by_person: dict[str, list[Feedback]] = {}
        for item in catalog.feedback:
            by_person.setdefault(item.handle, []).append(item)
        index = Index(catalog.ideas.values())
        return cls(catalog, tallies, now, feedback=catalog.feedback_by_idea, public=public, similar=index,
                   feedback_by_person=by_person, **options)


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
    """One idea: status, people, votes, decision, text, the feedback thread and its history.

    For the public audience, every name and every word of feedback is left out: only
    the idea, its counts, its status and the reason for it are published.
    """
    idea = item.idea
    timeline = site.timelines.get(idea.slug, Timeline())
    from .decisions import threshold_line

    parts = [front_matter(idea.title), f"# {inline(idea.title)}\n\n", _facts(site, item, timeline), _vote_bar(item),
             threshold_line(site, item)]
    if site.editor is not None and idea.status is not Status.DUPLICATE and not site.public:
        parts.append(vote_buttons(idea.slug, site.editor))
    parts.append(_decision(site, item))
    parts.append(block("bubbleup-text", render(idea.text)))
    if not site.public:
        parts.append(_voters(site.catalog, item))
        parts.append(render_thread(site.catalog, site.feedback.get(idea.slug, [])))
    parts.append(_similar(site, item))
    parts.append(render_history(site, timeline))
    if idea.status is not Status.DUPLICATE and not site.public:
        parts.append("\n" + take_part_idea(idea.slug, site.editor))
    return "".join(parts)


def _facts(site: Site, item: Tally, timeline: Timeline) -> str:
    idea, catalog = item.idea, site.catalog
    proposed = "proposed" if site.public else f"proposed by {names(catalog, idea.authors)}"
    if item.created:
        proposed += f" on {item.created.isoformat()}"
    elif timeline.label:
        proposed += f" ({timeline.label})"
    facts = [status_badge(idea.status), proposed]
    if timeline.updated and timeline.updated.date() != item.created:
        facts.append(f"updated {timeline.updated.date().isoformat()}")
    if idea.tags:
        facts.append("tags: " + ", ".join(tag_link(tag) for tag in idea.tags))
    if idea.campaign:
        campaign = (catalog.campaigns or {}).get(idea.campaign)
        label = inline(campaign.title) if campaign else inline(idea.campaign)
        facts.append(f"campaign: [{label}]({CAMPAIGNS}/{page_name(idea.campaign)})" if campaign else f"campaign: {label}")
    return " · ".join(facts) + "\n\n"


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
        header = f"<p><strong>{status_label(idea.status)}</strong>{who} on {decision.date.isoformat()}</p>"
        averages = decision.averages(site.criteria)
        if averages:
            marks = ", ".join(f"{html.escape(c)} {v:.1f}" for c, v in averages.items())
            reviewers = len(decision.scores)
            header += f"\n<p>Reviewer scores (average of {reviewers}, 1 to {site.score_scale}): {marks}</p>"
        parts.append(block("bubbleup-decision", header + "\n" + render(decision.reason)))
    if idea.duplicate_of and idea.duplicate_of in catalog.ideas:
        original = catalog.ideas[idea.duplicate_of]
        parts.append(
            f"This idea is a duplicate of [{inline(original.title)}]({page_name(original.slug)}); "
            "its votes count there.\n\n"
        )
    merged = [slug for slug in item.merged_from if slug in catalog.ideas]
    if merged:
        links = ", ".join(f"[{inline(catalog.ideas[slug].title)}]({page_name(slug)})" for slug in merged)
        parts.append(f"Votes from its duplicates count here too: {links}.\n\n")
    return "".join(parts)


def _voters(catalog: Catalog, item: Tally) -> str:
    parts = ["## Votes\n\n"]
    parts.append(f"- **Up ({item.up}):** {names(catalog, item.up_voters, linked=True)}\n")
    parts.append(f"- **Down ({item.down}):** {names(catalog, item.down_voters, linked=True)}\n")
    if item.customer_votes:
        parts.append(f"- **Customers up ({len(item.customers_up)}):** {names(catalog, item.customers_up)}\n")
        parts.append(f"- **Customers down ({len(item.customers_down)}):** {names(catalog, item.customers_down)}\n")
    return "".join(parts) + "\n"


def _similar(site: Site, item: Tally) -> str:
    if site.similar is None:
        return ""
    matches = site.similar.similar(item.idea, limit=5)
    if not matches:
        return ""
    rows = [f"- [{inline(m.idea.title)}]({page_name(m.idea.slug)}) ({m.score:.2f})\n" for m in matches]
    return "\n## Similar ideas\n\n" + "".join(rows)


def render_history(site: Site, timeline: Timeline) -> str:
    """Who shaped the idea, the pull requests that discussed it, and when its status moved."""
    if not timeline.created:
        return ""
    parts = ["\n## History\n\n"]
    if timeline.label:
        parts.append(f'<p class="bubbleup-note">{html.escape(timeline.label)}</p>\n\n')
    if timeline.contributors:
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


