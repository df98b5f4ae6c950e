"""The board's pages as generated Markdown: the home page's board, the ranking columns,
the Decisions page and its feed, relative dates, excerpts, and what the public gets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.core.model import Catalog, Decision, Feedback, Idea, Person, Status, Visibility, Vote
from bubbleup.core.tally import tally
from bubbleup.site.context import Site, ago, excerpt
from bubbleup.site.decisions import DECISIONS, DECISIONS_FEED
from bubbleup.site.home import BOARD
from bubbleup.site.lists import ranking_table
from bubbleup.site.recipes import render_pages
from conftest import MKDOCS_YML, GitRepo

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


def catalog() -> Catalog:
    """Three ideas: one planned a week ago, one declined yesterday, one hostile and new."""
    ideas = {
        "coffee": Idea(
            "coffee",
            "Coffee chats",
            "ideas/coffee.md",
            ("ann",),
            Status.PLANNED,
            ("culture",),
            visibility=Visibility.PUBLIC,
            created=date(2026, 10, 1),
            decision=Decision("bob", date(2026, 11, 19), "Agreed for Q1.\n\nSecond paragraph."),
            text="## Problem\n\nNobody **talks** to\nanyone in [other teams](https://example.com).\n",
        ),
        "lunch": Idea(
            "lunch",
            "Night lunches",
            "ideas/lunch.md",
            ("bob",),
            Status.DECLINED,
            created=date(2026, 9, 1),
            decision=Decision("ann", date(2026, 11, 25), "Too costly this year."),
        ),
        "hostile": Idea(
            "hostile",
            '--8<-- "mkdocs.yml" <script>pwned()</script>',
            "ideas/hostile.md",
            ("ann",),
            created=date(2026, 11, 23),
            text='--8<-- "mkdocs.yml"\n',
        ),
    }
    feedback = (
        Feedback("coffee", "bob", Vote.UP, "Yes.", "ideas/coffee/bob.md"),
        Feedback("coffee", "cat", Vote.UP, "", "ideas/coffee/cat.md"),
        Feedback("hostile", "bob", Vote.DOWN, "", "ideas/hostile/bob.md"),
    )
    roster = {
        "ann": Person("ann", "Ann Example", ("ann@example.com",), "support"),
        "bob": Person("bob", "Bob Example", ("bob@example.com",), "sales"),
        "cat": Person("cat", "Cat Example", ("cat@example.com",), "sales"),
    }
    return Catalog(ideas=ideas, feedback=feedback, roster=roster)


def site(public: bool = False) -> Site:
    return Site.of(catalog(), tally(catalog()), NOW, public=public)


def test_dates_read_as_people_say_them_with_the_exact_date_at_hand() -> None:
    assert ago(date(2026, 11, 26), NOW) == '<time datetime="2026-11-26" title="2026-11-26">today</time>'
    assert ">yesterday<" in ago(date(2026, 11, 25), NOW)
    assert ">3 days ago<" in ago(date(2026, 11, 23), NOW)
    assert ">1 week ago<" in ago(date(2026, 11, 19), NOW)
    assert ">2 months ago<" in ago(date(2026, 9, 20), NOW)
    assert ">on 2026-12-01<" in ago(date(2026, 12, 1), NOW)  # a date in the future is said as it is
    assert ago(None, NOW) == "date unknown"


def test_excerpt_joins_the_first_paragraph_without_markup() -> None:
    text = catalog().ideas["coffee"].text
    assert excerpt(text) == "Nobody talks to anyone in other teams."
    assert excerpt("# Only a heading\n") == ""
    assert excerpt("word " * 100, limit=20) == "word word word word…"


@given(st.text(max_size=400), st.integers(min_value=10, max_value=200))
def test_an_excerpt_is_one_short_line(text: str, limit: int) -> None:
    result = excerpt(text, limit)
    assert len(result) <= limit + 1
    assert "\n" not in result and "\r" not in result


def test_each_ranking_shows_the_number_it_ranks_by() -> None:
    board = site()
    items = list(board.tallies.values())
    for sort, header, value in [
        ("top", "Score", "+2"),
        ("trending", "Momentum", "+"),
        ("new", "Proposed", "2026-10-01"),
        ("discussed", "Feedback", "<strong>1</strong>"),
    ]:
        table = ranking_table(board, items, sort=sort)
        headers = re.findall(r"<th[^>]*>([^<]*)</th>", table)
        assert headers == ["#", header, "Idea"]
        coffee = next(row for row in table.split("<tr>") if "Coffee chats" in row)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", coffee)
        assert value in cells[1], (sort, coffee)


def test_the_board_leads_to_the_top_ideas_and_the_answers() -> None:
    board = render_pages(site())[BOARD]
    assert '<div class="grid cards" markdown>' in board
    assert "[Coffee chats](ideas/coffee.md)" in board
    assert "Nobody talks to anyone in other teams." in board
    assert '!!! success "Decided recently"' in board and "Too costly this year." in board
    assert board.index("Night lunches") < board.index("Too costly")  # newest decision first
    assert "(ideas/decisions.md)" in board
    # Untrusted text never starts a line, where a snippet or a list marker would be read.
    starts = [line.lstrip() for line in board.splitlines()]
    assert not [line for line in starts if line.startswith(("--8<--", "<script"))]
    assert "<script>" not in board


def test_decisions_are_listed_newest_first_with_their_feed() -> None:
    pages = render_pages(site())
    page = pages[DECISIONS]
    assert page.index("## Night lunches") < page.index("## Coffee chats")
    assert "by Ann Example" in page and "Too costly this year." in page and "Second paragraph." in page
    feed = ElementTree.fromstring(pages[DECISIONS_FEED])
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Declined: Night lunches", "Planned: Coffee chats"]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Ann Example"
    assert entries[1].findtext(f"{ATOM}summary") == "Agreed for Q1. Second paragraph."


def test_the_public_build_has_no_internal_page_at_all() -> None:
    internal = render_pages(site())
    public = render_pages(site(public=True))
    for name in ("insights.md", "queue.md", "recognition.md", "people/index.md", "teams/index.md"):
        assert name in internal
        assert name not in public
    assert not [name for name in public if name.startswith(("people/", "teams/"))]
    assert "Bob Example" not in public[DECISIONS] + public[DECISIONS_FEED]
    assert "Bob Example" in internal[DECISIONS] + internal[DECISIONS_FEED]
    assert "Needs a decision" not in public[BOARD]
    assert "## Coffee chats" in public[DECISIONS] and '<a href="../coffee/">the idea</a>' in public[DECISIONS]


def test_the_navigation_drops_missing_pages_and_the_about_section(tmp_path) -> None:
    from bubbleup.site.audience import ABOUT, prune

    (tmp_path / "ideas").mkdir()
    for name in ("index.md", "ideas/index.md", "cli.md"):
        (tmp_path / name).write_text("# Page\n")
    nav = [
        {"Home": "index.md"},
        {"Ideas": [{"All ideas": "ideas/index.md"}, {"Insights": "ideas/insights.md"}]},
        {"People": [{"Everyone": "ideas/people/index.md"}]},
        {"Elsewhere": "https://example.com/"},
        {ABOUT: [{"Command line": "cli.md"}]},
    ]
    assert prune(nav, tmp_path) == [
        {"Home": "index.md"},
        {"Ideas": [{"All ideas": "ideas/index.md"}]},
        {"Elsewhere": "https://example.com/"},
        {ABOUT: [{"Command line": "cli.md"}]},
    ]
    assert prune(nav, tmp_path, frozenset({ABOUT}))[-1] == {"Elsewhere": "https://example.com/"}


@pytest.mark.slow
def test_tool_pages_false_leaves_the_pages_about_bubbleup_out(site_repo: GitRepo) -> None:
    config = MKDOCS_YML.replace("  - bubbleup\n", "  - bubbleup:\n      tool_pages: false\n")
    config += "  - About Bubbleup:\n      - Command line: cli.md\n  - Guide: guide.md\n"
    site_repo.commit(
        {"mkdocs.yml": config, "docs/cli.md": "# Command line\n\nThe bubbleup command.\n", "docs/guide.md": "# Guide\n"}
    )
    result = CliRunner().invoke(cli, ["-f", str(site_repo.root / "mkdocs.yml"), "build"])
    assert result.exit_code == 0, result.output
    site = site_repo.root / "site"
    assert (site / "guide/index.html").is_file() and not (site / "cli").exists()
    assert "About Bubbleup" not in (site / "index.html").read_text()
    assert "bubbleup command" not in (site / "search/search_index.json").read_text()


@pytest.mark.slow
def test_the_home_page_pulls_in_the_board_wherever_the_build_starts(site_repo: GitRepo, tmp_path, monkeypatch) -> None:
    config = MKDOCS_YML + "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - pymdownx.snippets\n"
    site_repo.commit(
        {
            "mkdocs.yml": config,
            "docs/index.md": '# Home\n\n--8<-- "docs/ideas/.board.md"\n',
            "ideas/coffee-chats.md": "---\ntitle: Coffee chats\nauthors: [ann]\n---\nMeet people.\n",
        }
    )
    monkeypatch.chdir(tmp_path)  # not the repository: snippet paths must not depend on it
    result = CliRunner().invoke(cli, ["-f", str(site_repo.root / "mkdocs.yml"), "build"])
    assert result.exit_code == 0, result.output
    home = (site_repo.root / "site/index.html").read_text(encoding="utf-8")
    assert 'class="grid cards"' in home and "Coffee chats" in home and "Meet people." in home
    assert not (site_repo.root / "site/ideas/.board").exists()  # part of the home page only


def test_a_proposed_idea_shows_its_progress_toward_review() -> None:
    from bubbleup.core.thresholds import Threshold
    from bubbleup.site.idea_page import render_idea

    board = Site.of(catalog(), tally(catalog()), NOW, threshold=Threshold(votes=4, teams=2))
    page = render_idea(board, board.tallies["hostile"])
    assert '<progress max="4" value="0"' in page and "0 of 4 net votes · 0 of 2 teams" in page
    planned = render_idea(board, board.tallies["coffee"])
    assert "<progress" not in planned  # decided: no threshold to reach
