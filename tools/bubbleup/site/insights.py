"""Insights for management: how ideas flow, who takes part, how fast decisions come.

Every chart is static SVG made here (charts.py: no script, no external asset) and comes
with a table holding the same numbers, for screen readers and for copying.

The tables and sentences are written as HTML, the very HTML Python-Markdown made of the
Markdown they were: the page changes with every vote, and site/lean.py and
site/skeleton.py then build it without Python-Markdown.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bubbleup.core.markup import inline
from bubbleup.core.model import Status
from bubbleup.core.workflow import ADOPTED
from bubbleup.git.snapshot import Timeline
from bubbleup.site.charts import bar_chart, column_chart, stacked_bar, svg_block
from bubbleup.site.context import Site, front_matter, status_label
from bubbleup.site.people import participation
from bubbleup.site.queue import html_table

GAP_FILLED_MONTHS = 240
"""Up to this span, the ideas per month list every month, empty ones included."""


def _table(headers: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> str:
    """The first column on the left, the numbers on the right."""
    columns = [(header, number > 0) for number, header in enumerate(headers)]
    return html_table(columns, [[inline(str(cell)) for cell in row] for row in rows])


def _section(title: str, svg: str, headers: tuple[str, ...], rows: Sequence[tuple[object, ...]], note: str = "") -> str:
    return f"## {title}\n\n{note}{svg_block(svg)}\n\n" + _table(headers, rows)


def _paragraph(text: str) -> str:
    return f"<p>{text}</p>\n\n"


@dataclass(frozen=True)
class Figures:
    """The numbers behind the page, computed once (and testable without HTML)."""

    per_month: list[tuple[str, int]]
    funnel: list[tuple[str, int]]
    adopted_share: float
    decided_days: list[int]
    tags: list[tuple[str, int]]
    employee_votes: int
    customer_votes: int
    participants: dict[str, int]
    roster_size: int
    response_days: list[int] = field(default_factory=list)
    """Days from crossing the support threshold to a decision, per decided idea."""
    answered: list[tuple[str, int, int]] = field(default_factory=list)
    """Per month of crossing: (month, ideas answered within the response time, ideas due)."""

    @property
    def median_days(self) -> float | None:
        import statistics  # with fractions and decimal, 4 ms to import: only when a median is asked for

        return statistics.median(self.decided_days) if self.decided_days else None

    def response(self, share: float) -> float | None:
        """A percentile (0.5, 0.9) of the days from threshold to decision, nearest rank."""
        if not self.response_days:
            return None
        ordered = sorted(self.response_days)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def figures(site: Site) -> Figures:
    ideas = [t for t in site.tallies.values() if t.idea.status is not Status.DUPLICATE]
    months = Counter(t.created.strftime("%Y-%m") for t in ideas if t.created)
    per_month = _months(months)
    statuses = Counter(t.idea.status for t in ideas)
    funnel = [(status_label(s), statuses.get(s, 0)) for s in Status if s is not Status.DUPLICATE]
    adopted = sum(statuses.get(s, 0) for s in ADOPTED)
    decided = [
        (t.idea.decision.date - t.created).days
        for t in ideas
        if t.idea.decision and t.created and t.idea.decision.date >= t.created
    ]
    tags = Counter(tag for t in ideas for tag in t.idea.tags).most_common(10)
    taking_part = participation(site)
    voters, writers = taking_part.voters, taking_part.writers
    proposers = {handle for t in ideas for handle in t.idea.authors}
    participants = {
        "proposed": len(proposers),
        "voted": len(voters),
        "wrote feedback": len(writers),
        "took part at all": len(proposers | voters | writers),
    }
    waits, answered = _responses(site, ideas)
    return Figures(
        per_month,
        funnel,
        adopted / len(ideas) if ideas else 0.0,
        sorted(decided),
        tags,
        taking_part.employees,
        taking_part.customers,
        participants,
        len(site.catalog.roster or {}),
        waits,
        answered,
    )


def _responses(site: Site, ideas: list) -> tuple[list[int], list[tuple[str, int, int]]]:
    """How long ideas that crossed the threshold waited for a decision, and per month of
    crossing how many were answered within the response time (of those already due)."""
    waits: list[int] = []
    months: dict[str, list[int]] = {}
    for item in ideas:
        crossings = site.crossed.get(item.idea.slug)
        if not crossings:
            continue
        crossed = crossings[0]
        changes = [
            moment
            for moment, status in site.timelines.get(item.idea.slug, Timeline()).status_changes
            if moment >= crossed and status != Status.PROPOSED.value
        ]
        decided = changes[0] if changes else None
        if decided is None and item.idea.decision and item.idea.status is not Status.PROPOSED:
            decided = datetime.combine(item.idea.decision.date, datetime.min.time(), crossed.tzinfo)
            decided = decided if decided >= crossed else None
        month = months.setdefault(crossed.strftime("%Y-%m"), [0, 0])
        if decided is not None:
            days = (decided - crossed).days
            waits.append(days)
            month[1] += 1
            month[0] += days <= site.response_days
        elif (site.now - crossed).days > site.response_days:
            month[1] += 1  # due and not answered
    return sorted(waits), [(m, inside, due) for m, (inside, due) in sorted(months.items()) if due]


def _months(counts: Counter) -> list[tuple[str, int]]:
    """Every month from the first to the last, empty months included (a gap is a fact),
    unless they span more than `GAP_FILLED_MONTHS`: then only the months with ideas, so
    that one idea dated 1990 or 9999 cannot make a page of thousands of empty rows."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = map(int, first.split("-"))
    last_year, last_month = map(int, last.split("-"))
    if (last_year - year) * 12 + last_month - month >= GAP_FILLED_MONTHS:
        return sorted(counts.items())
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        found.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _response_section(site: Site, data: Figures) -> str:
    if not data.response_days and not data.answered:
        return "## Answers to ideas ready for review\n\n" + _paragraph(
            "No idea has crossed the support threshold and been decided yet."
        )
    median, p90 = data.response(0.5), data.response(0.9)
    note = _paragraph(
        f"From crossing the support threshold to a decision: median {median} days, 90th percentile {p90} days "
        f"(over {len(data.response_days)} ideas). The response time is {site.response_days} days."
    )
    labels = [month for month, _, _ in data.answered]
    shares = [round(100 * inside / due) for _, inside, due in data.answered]
    chart = column_chart(
        "answered", "Answered within the response time, by month of crossing", labels, shares, unit="%", combine="mean"
    )
    rows = [(month, inside, due, f"{round(100 * inside / due)}%") for month, inside, due in data.answered]
    return _section(
        "Answers to ideas ready for review", chart, ("Month", "Answered in time", "Due", "Share"), rows, note
    )


def _participation_section(data: Figures) -> str:
    """Who took part, by how; left out of the public site, which shows no people."""
    rows = [(what, count) for what, count in data.participants.items()]
    note = _paragraph(
        f"Distinct people, against the {data.roster_size} people in the roster."
        if data.roster_size
        else "Distinct people (there is no roster to compare with)."
    )
    return _section(
        "Participation",
        bar_chart("participation", "People who took part", [w for w, _ in rows], [c for _, c in rows]),
        ("Took part by", "People"),
        rows + [("in the roster", data.roster_size)],
        note,
    )


def render_insights(site: Site) -> str:
    data = figures(site)
    parts = [
        front_matter("Insights", searchable=False),
        "# Insights\n\n",
        _paragraph(
            "How ideas flow from the people who have them to the people who decide. Duplicates are not counted."
        ),
    ]
    labels, values = [m for m, _ in data.per_month], [n for _, n in data.per_month]
    parts.append(
        _section(
            "Ideas per month",
            column_chart("per-month", "Ideas proposed per month", labels, values),
            ("Month", "Ideas"),
            data.per_month,
        )
    )
    share = _paragraph(f"{data.adopted_share:.0%} of the ideas reached planned, in progress or done.")
    parts.append(
        _section(
            "Status funnel",
            bar_chart("funnel", "Ideas by status", [s for s, _ in data.funnel], [n for _, n in data.funnel]),
            ("Status", "Ideas"),
            data.funnel,
            share,
        )
    )
    median = data.median_days
    timing = _paragraph(
        f"From proposal to decision: median {median:g} days over {len(data.decided_days)} decisions."
        if median is not None
        else "No decisions yet."
    )
    parts.append("## Time to a decision\n\n" + timing)
    parts.append(_response_section(site, data))
    parts.append(
        _section(
            "Top tags",
            bar_chart("tags", "Most used tags", [t for t, _ in data.tags], [n for _, n in data.tags]),
            ("Tag", "Ideas"),
            data.tags,
        )
    )
    votes = [("Employees", data.employee_votes), ("Customers", data.customer_votes)]
    parts.append(
        _section(
            "Employee and customer votes",
            stacked_bar("votes", "Votes by who cast them", votes),
            ("Who", "Votes"),
            votes,
        )
    )
    if not site.public:
        parts.append(_participation_section(data))
    return "".join(parts)
