"""The insights page's numbers, computed from a known set of ideas."""

from __future__ import annotations

from datetime import UTC, date, datetime

import markdown
from bubbleup.core.model import Catalog, Decision, Feedback, Idea, Person, Status, Vote
from bubbleup.core.tally import tally
from bubbleup.site import skeleton
from bubbleup.site.context import Site
from bubbleup.site.insights import figures, render_insights
from bubbleup.site.lean import Held, hold, restore


def make(
    slug: str,
    created: date,
    status: Status = Status.PROPOSED,
    decided: date | None = None,
    tags: tuple[str, ...] = (),
    authors: tuple[str, ...] = ("ann",),
) -> Idea:
    decision = Decision("ann", decided, "Because.") if decided else None
    return Idea(
        slug=slug,
        title=slug,
        path=f"ideas/{slug}.md",
        authors=authors,
        status=status,
        created=created,
        decision=decision,
        tags=tags,
    )


def site(public: bool = False) -> Site:
    ideas = [
        make("a", date(2026, 1, 5), tags=("x", "y")),
        make("b", date(2026, 1, 20), Status.PLANNED, date(2026, 1, 30), tags=("x",)),
        make("c", date(2026, 3, 1), Status.DONE, date(2026, 4, 30), authors=("bob",)),
        make("d", date(2026, 3, 2), Status.DECLINED, date(2026, 3, 12)),
        make("e", date(2026, 3, 3), Status.DUPLICATE, date(2026, 3, 4)),
    ]
    ideas[4] = Idea(**{**ideas[4].__dict__, "duplicate_of": "a"})
    feedback = (
        Feedback("a", "bob", Vote.UP, "", "p1"),
        Feedback("a", "cat", Vote.DOWN, "No.", "p2"),
        Feedback("b", "dan", Vote.NONE, "Hmm.", "p3"),
        Feedback("b", "bob", Vote.UP, "", "p4", customer="acme"),
    )
    roster = {h: Person(h, h.title()) for h in ("ann", "bob", "cat", "dan", "eve", "fay")}
    catalog = Catalog(ideas={i.slug: i for i in ideas}, feedback=feedback, roster=roster)
    return Site.of(catalog, tally(catalog), datetime(2026, 5, 1, tzinfo=UTC), public=public)


def test_figures_count_what_the_docs_say() -> None:
    data = figures(site())
    assert data.per_month == [("2026-01", 2), ("2026-02", 0), ("2026-03", 2)]  # the empty month is shown
    assert (
        dict(data.funnel)["Planned"] == 1
        and dict(data.funnel)["Proposed"] == 1
        and "Duplicate" not in dict(data.funnel)
    )
    assert data.adopted_share == 0.5  # b planned, c done, of a b c d
    assert data.decided_days == [10, 10, 60] and data.median_days == 10
    assert data.tags == [("x", 2), ("y", 1)]
    assert (data.employee_votes, data.customer_votes) == (2, 1)
    assert data.participants == {"proposed": 2, "voted": 2, "wrote feedback": 2, "took part at all": 4}
    assert data.roster_size == 6


def test_the_page_has_each_chart_with_its_table() -> None:
    page = render_insights(site())
    assert page.count("<svg") == 5 and page.count('<figure class="bubbleup-chart">') == 5
    assert (
        '<td>2026-02</td>\n<td style="text-align: right;">0</td>' in page and "50% of the ideas reached planned" in page
    )
    assert "median 10 days over 3 decisions" in page
    assert "against the 6 people in the roster" in page


def test_the_public_page_leaves_participation_out() -> None:
    page = render_insights(site(public=True))
    assert "Participation" not in page and "roster" not in page


def test_the_page_needs_no_python_markdown() -> None:
    """It changes with every vote: its tables and sentences are HTML blocks that site/lean.py
    holds out, its headings plain, and the lean result is what Python-Markdown makes of it."""
    for public in (False, True):
        body = render_insights(site(public=public)).split("---\n", 2)[2]
        calibration = skeleton.calibrate(["tables", "toc"], {"toc": {"permalink": True}})
        assert calibration is not None
        held = Held()
        converted = skeleton.convert(calibration, hold(body, held))
        assert converted is not None
        md = markdown.Markdown(extensions=["tables", "toc"], extension_configs={"toc": {"permalink": True}})
        assert (restore(converted.html, held), converted.tokens) == (md.convert(body), md.toc_tokens)
