"""The review queue's page writes its tables as HTML: the tables Python-Markdown's tables
extension would make of the Markdown tables it used to write, with each link at the
address mkdocs would give it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import markdown
from bubbleup.core.markup import inline
from bubbleup.core.model import Catalog, Idea, Status
from bubbleup.core.tally import tally
from bubbleup.core.thresholds import Threshold, Waiting
from bubbleup.site import skeleton
from bubbleup.site.addresses import page_href
from bubbleup.site.context import Site, page_name
from bubbleup.site.lean import Held, hold
from bubbleup.site.queue import QUEUE, _link, html_table, render_queue

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
HEADERS = [("Idea", False), ("State", False), ("Score", True), ("Waiting since", False), ("Days", True), ("", False)]
TITLES = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
"""Titles as YAML front matter can hold them: no control characters (Python-Markdown's own
placeholders are two of them)."""
SLUGS = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)


def _site(directory_urls: bool) -> Site:
    return Site.of(Catalog(ideas={}, feedback=(), roster={}), {}, NOW, directory_urls=directory_urls)


def _markdown_table(rows: list[tuple[str, str, str, int, str, bool]], directory_urls: bool) -> str:
    """The table as the page wrote it in Markdown, the link already at its address."""
    lines = ["| Idea | State | Score | Waiting since | Days | |", "|---|---|--:|---|--:|---|"]
    for slug, title, state, score, since, overdue in rows:
        address = page_href(QUEUE, page_name(slug), directory_urls)
        flag = "**overdue**" if overdue else ""
        lines.append(f"| [{inline(title)}]({address}) | {state} | {score:+d} | {since} | {score % 400} | {flag} |")
    return "\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            SLUGS,
            TITLES,
            st.sampled_from(["ready for review", "under review"]),
            st.integers(-500, 500),
            st.sampled_from(["2026-01-02", "unknown"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
@pytest.mark.slow
def test_the_queue_table_is_what_python_markdown_made_of_it(rows, directory_urls: bool) -> None:
    site = _site(directory_urls)
    cells = [
        [_link(site, slug, title), state, f"{score:+d}", since, str(score % 400), "<strong>overdue</strong>" * overdue]
        for slug, title, state, score, since, overdue in rows
    ]
    expected = markdown.markdown(_markdown_table(rows, directory_urls), extensions=["tables"])
    assert html_table(HEADERS, cells) == expected + "\n\n"


def _queued_site() -> Site:
    """Two ideas waiting for a decision, one of them with a title full of markup."""
    ideas = {
        "coffee": Idea("coffee", "Coffee chats", "ideas/coffee.md", ("ann",), Status.PROPOSED),
        "hostile": Idea("hostile", "<script>x()</script> | **[a](javascript:b)**", "ideas/hostile.md", ("ann",)),
    }
    catalog = Catalog(ideas=ideas, feedback=(), roster={})
    tallies = tally(catalog)
    since = datetime(2026, 10, 1, tzinfo=UTC)
    waiting = [
        Waiting(tallies["coffee"], "ready for review", since, 56, True),
        Waiting(tallies["hostile"], "under review", None, None, False),
    ]
    return Site.of(catalog, tallies, NOW, threshold=Threshold(), queue=waiting)


def test_the_queue_page_needs_no_python_markdown() -> None:
    """Its tables are blocks that site/lean.py holds out, and the rest is a skeleton that
    site/skeleton.py converts: Python-Markdown over 500 rows was most of a rebuild's pages."""
    page = render_queue(_queued_site())
    body = page.split("---\n", 2)[2]
    calibration = skeleton.calibrate(["tables", "toc"], {"toc": {"permalink": True}})
    assert calibration is not None
    held = Held()
    converted = skeleton.convert(calibration, hold(body, held))
    assert converted is not None
    table = next(block for block in held.blocks.values() if block.startswith("<table>"))
    assert '<a href="../coffee/">Coffee chats</a>' in table and "<strong>overdue</strong>" in table
    assert "<script" not in page and "<td>unknown</td>" in table


def test_a_title_cannot_open_markup_in_the_queue() -> None:
    link = _link(_site(True), "x", "<script>alert(1)</script> [a](javascript:b)")
    assert link.startswith('<a href="../x/">') and link.count("<") == 2 and "<script" not in link
