"""The pages that ask for decisions: "Needs a decision" (the review queue) with the
reviewers' impact/effort matrix, and the threshold line on each idea's page.

The page's tables are written as HTML, the very tables Python-Markdown's tables extension
would make of them (links already at the addresses mkdocs would give them), which the
site builder passes through unparsed: the review queue at 5,000 ideas is 500 rows, and
Python-Markdown over them was two thirds of a one-vote rebuild's page building.
"""

from __future__ import annotations

import html

from bubbleup.core.markup import inline
from bubbleup.core.model import Status
from bubbleup.core.tally import Tally
from bubbleup.core.thresholds import Progress, progress
from bubbleup.site.addresses import page_href
from bubbleup.site.charts import matrix_chart, svg_block
from bubbleup.site.context import RIGHT, Site, front_matter, page_name, status_badge

QUEUE = "queue.md"


def threshold_line(site: Site, item: Tally) -> str:
    """How far a proposed idea is from review, or how long it has waited."""
    if site.threshold is None or item.idea.status is not Status.PROPOSED:
        return ""
    state: Progress = progress(item, site.catalog.roster, site.threshold)
    if state.reached:
        crossed = site.crossed.get(item.idea.slug)
        since = f" since {crossed[-1].date().isoformat()}" if crossed else ""
        return f'<p class="bubbleup-threshold"><strong>Ready for review</strong>{since}: it has the support it needs.</p>\n\n'
    needs = []
    if state.votes_needed:
        needs.append(f"{state.votes_needed} more net vote{'s' * (state.votes_needed != 1)}")
    if state.teams_needed:
        needs.append(f"votes from {state.teams_needed} more team{'s' * (state.teams_needed != 1)}")
    rule = f"{site.threshold.votes} net votes" + (f" from {site.threshold.teams} teams" if site.catalog.roster else "")
    return (
        _progress_bar(site, state)
        + f'<p class="bubbleup-threshold">Needs {" and ".join(needs)} to be ready for review ({rule}).</p>\n\n'
    )


def _progress_bar(site: Site, state: Progress) -> str:
    """The support so far against the threshold, as a bar people see at a glance."""
    assert site.threshold is not None
    votes = site.threshold.votes
    net = max(min(state.net, votes), 0)
    teams = f" · {state.teams} of {site.threshold.teams} teams" if site.catalog.roster and site.threshold.teams else ""
    label = f"{max(state.net, 0)} of {votes} net votes{teams}"
    return (
        f'<p class="bubbleup-progress"><progress max="{votes or 1}" value="{net if votes else 1}" '
        f'aria-label="Support toward review: {label}"></progress> {label}</p>\n\n'
    )


def html_table(headers: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """A table as Python-Markdown's tables extension writes it (each header with whether
    its column is aligned right; cells are HTML already), as a raw block."""
    aligned = [RIGHT if on_right else "" for _, on_right in headers]
    head = "".join(f"<th{align}>{text}</th>\n" for (text, _), align in zip(headers, aligned, strict=True))
    body = "".join(
        "<tr>\n" + "".join(f"<td{align}>{cell}</td>\n" for cell, align in zip(row, aligned, strict=True)) + "</tr>\n"
        for row in rows
    )
    return f"<table>\n<thead>\n<tr>\n{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>\n\n"


def _link(site: Site, slug: str, title: str) -> str:
    """A link from the queue's page to an idea's, as mkdocs writes a Markdown link."""
    address = html.escape(page_href(QUEUE, page_name(slug), site.directory_urls))
    return f'<a href="{address}">{inline(title)}</a>'


def _scores_table(site: Site, items: list[Tally]) -> str:
    criteria = site.criteria
    headers = [("#", True), ("Idea", False), ("Status", False), *((c.capitalize(), True) for c in criteria)]
    rows = []
    for number, item in enumerate(items, 1):
        decision = item.idea.decision
        averages = decision.averages(criteria) if decision else {}
        marks = [f"{averages[c]:.1f}" if c in averages else "–" for c in criteria]
        link = _link(site, item.idea.slug, item.idea.title)
        reviewers = str(len(decision.scores) if decision else 0)
        rows.append([str(number), link, status_badge(item.idea.status), *marks, reviewers])
    return html_table([*headers, ("Reviewers", True)], rows)


def _queue_table(site: Site) -> str:
    headers = [
        ("Idea", False),
        ("State", False),
        ("Score", True),
        ("Waiting since", False),
        ("Days", True),
        ("", False),
    ]
    rows = []
    for waiting in site.queue:
        since = waiting.since.date().isoformat() if waiting.since else "unknown"
        days = str(waiting.days) if waiting.days is not None else "?"
        flag = "<strong>overdue</strong>" if waiting.overdue else ""
        idea = waiting.item.idea
        rows.append([_link(site, idea.slug, idea.title), waiting.state, f"{waiting.item.score:+d}", since, days, flag])
    return html_table(headers, rows)


def render_queue(site: Site) -> str:
    lines = [front_matter("Needs a decision", searchable=False), "# Needs a decision\n\n"]
    threshold = site.threshold
    if threshold is not None:
        rule = f"{threshold.votes} net votes" + (
            f" from at least {threshold.teams} teams" if site.catalog.roster else ""
        )
        lines.append(
            f"An idea is ready for review once it has {rule}. The people who decide answer within "
            f"{site.response_days} days; longer is overdue. The longest waiting come first.\n\n"
        )
    if not site.queue:
        lines.append("Nothing is waiting for a decision.\n\n")
    else:
        lines.append(_queue_table(site))
    scored = [
        t
        for t in site.tallies.values()
        if t.idea.status in (Status.UNDER_REVIEW, Status.PLANNED) and t.idea.decision and t.idea.decision.scores
    ]
    scored.sort(key=lambda t: t.idea.slug)
    lines.append("## Impact and effort\n\n")
    if len(site.criteria) < 2 or not scored:
        lines.append("No reviewer has scored an idea under review or planned yet.\n")
        return "".join(lines)
    y_name, x_name = site.criteria[0], site.criteria[1]
    points = []
    for item in scored:
        if item.idea.decision is None:
            continue
        averages = item.idea.decision.averages(site.criteria)
        if y_name in averages and x_name in averages:
            points.append((item.idea.title, averages[x_name], averages[y_name]))
    lines.append(
        f"Average reviewer scores of the ideas under review and planned; the numbers match the table. "
        f"High {y_name} for low {x_name} (top left) are the quick wins.\n\n"
    )
    chart = matrix_chart(
        "impact-effort",
        f"{y_name.capitalize()} against {x_name}",
        points,
        x_label=x_name.capitalize(),
        y_label=y_name.capitalize(),
        top=site.score_scale,
    )
    lines.append(svg_block(chart) + "\n\n")
    lines.append(_scores_table(site, scored))
    return "".join(lines)
