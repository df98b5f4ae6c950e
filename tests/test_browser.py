"""The site in a real browser (Debian's chromium, driven by Playwright): hostile text runs
nothing, the site fetches nothing from another origin, a reader can go from the index to
an idea and its feedback, and search finds ideas by their words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from browsing import SCREENSHOTS, browser, demo_site, pages_of, serve, visit
from bubbleup.core.config import settings
from bubbleup.core.model import Catalog, Decision, Feedback, Idea, Person, Status, Visibility, Vote
from bubbleup.core.tally import tally
from bubbleup.site.build import run_mkdocs, write_pages
from bubbleup.site.context import Site
from bubbleup.site.recipes import render_pages
from conftest import GitRepo

pytestmark = pytest.mark.browser

__all__ = ["browser", "demo_site"]  # fixtures, shared with the other browser tests

HOSTILE_TITLE = '<img src=x onerror=pwned()> "Quotes" & {: onclick="pwned()"} </title><script>pwned()</script>'
PAYLOADS = [
    "<script>pwned()</script>",
    "<img src=x onerror=pwned()>",
    "<svg onload=pwned()></svg>",
    '<iframe src="javascript:pwned()"></iframe>',
    '<a href="javascript:pwned()">click me</a>',
    "[markdown link](javascript:pwned())",
    "[data link](data:text/html;base64,PHNjcmlwdD5wd25lZCgpPC9zY3JpcHQ+)",
    "[entity link](jav&#x09;ascript:pwned())",
    '<div onmouseover="pwned()">hover</div>',
    "<b>unbalanced <i>html",
    '<object data="javascript:pwned()"></object>',
    '<form action="javascript:pwned()"><button>go</button></form>',
    "<style>body { background: url(javascript:pwned()) }</style>",
    '{: onclick="pwned()"}',
    "<math><mtext><table><mglyph><style><img src=x onerror=pwned()>",
]


def hostile_catalog() -> Catalog:
    """Hostile ideas and feedback everywhere text can go, as if check had let them through."""
    body = "Readable text stays.\n\n" + "\n\n".join(PAYLOADS) + "\n"
    ideas = {
        "hostile": Idea(
            slug="hostile",
            title=HOSTILE_TITLE,
            path="ideas/hostile.md",
            authors=("eve",),
            text=body,
            tags=("<b onmouseover=pwned()>tag</b>", "fine-tag"),
            status=Status.PLANNED,
            campaign="<script>pwned()</script>",
            visibility=Visibility.PUBLIC,
            decision=Decision("eve", date(2026, 11, 1), "Because [x](javascript:pwned()) <script>pwned()</script>"),
        ),
        "other": Idea(
            slug="other",
            title="A calm idea about onboarding",
            path="ideas/other.md",
            authors=("eve",),
            text="Plain words about onboarding.\n",
            created=date(2026, 10, 1),
        ),
    }
    feedback = tuple(
        Feedback(idea="hostile", handle="eve", vote=Vote.UP, text=payload, path=f"ideas/hostile/eve{n}.md")
        for n, payload in enumerate(PAYLOADS)
    ) + (
        Feedback(
            idea="hostile",
            handle="eve",
            vote=Vote.DOWN,
            text="[x](javascript:pwned())",
            path="c.md",
            customer="<svg onload=pwned()>",
        ),
    )
    roster = {
        "eve": Person("eve", '<img src=x onerror="pwned()">Eve "Mallory"', ("eve@example.com",), "<b>red</b> team")
    }
    return Catalog(ideas=ideas, feedback=feedback, roster=roster)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    repo = GitRepo(tmp_path_factory.mktemp("hostile") / "repo")
    from conftest import MKDOCS_YML

    repo.commit({"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Home\n", "ideas/README.md": "The ideas.\n"})
    config = settings(repo.root / "mkdocs.yml")
    catalog = hostile_catalog()
    site = Site.of(catalog, tally(catalog), datetime.now(UTC))
    write_pages(config.pages_dir, render_pages(site))
    run_mkdocs(config, strict=False)
    with serve(repo.root / "site") as base:
        yield base


def test_hostile_text_runs_no_script_and_still_reads(browser, hostile_site: str, tmp_path_factory) -> None:
    site_root = Path(tmp_path_factory.getbasetemp()) / "hostile0" / "repo" / "site"
    urls = [u for u in pages_of(hostile_site, site_root) if "/ideas/" in u]
    assert len(urls) > 10
    for url in urls:
        page, events = visit(browser, url)
        page.evaluate("""for (const element of document.querySelectorAll('article *')) {
            for (const kind of ['mouseover', 'mouseenter', 'focus', 'click']) {
                element.dispatchEvent(new Event(kind, {bubbles: true, cancelable: true}));
            }
        }""")  # give every handler a reason to fire, had one survived
        assert page.evaluate("window.__pwned") == 0, url
        assert events == [], (url, events)
        handlers = page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on'))"
            ".map(a => e.tagName + ' ' + a.name))"
        )
        assert handlers == [], (url, handlers)
        page.close()
    page, _ = visit(browser, f"{hostile_site}/ideas/hostile/")
    assert page.inner_text("h1").strip().rstrip("¶").strip() == HOSTILE_TITLE  # shown as text, not run
    text = page.inner_text("article")
    assert "Readable text stays." in text and "click me" in text and "unbalanced" in text
    page.close()


def test_no_page_requests_another_origin(browser, demo_site: tuple[str, Path]) -> None:
    base, site = demo_site
    requests: list[str] = []
    urls = pages_of(base, site)
    page, _ = visit(browser, urls[0], requests)
    for url in urls[1:]:
        page.goto(url, wait_until="load")
    page.close()
    assert len(requests) > 20
    foreign = sorted({r for r in requests if not r.startswith(base) and not r.startswith(("data:", "blob:", "about:"))})
    assert foreign == []


def test_a_reader_goes_from_the_index_to_an_idea_and_its_feedback(browser, demo_site: tuple[str, Path]) -> None:
    base, _ = demo_site
    page, events = visit(browser, f"{base}/")
    page.click("text=All ideas, ranked")
    page.wait_for_url(re.compile(r".*/ideas/$"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)
    first = page.locator("article table a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state("load")
    assert page.inner_text("h1").strip().rstrip("¶").strip() == title
    assert page.locator("h2", has_text="Feedback").count() == 1
    assert page.locator("article h3").count() > 0  # feedback entries, by person
    page.screenshot(path=str(SCREENSHOTS / "idea.png"), full_page=True)
    assert (SCREENSHOTS / "idea.png").stat().st_size > 10_000
    assert events == []
    page.close()


@pytest.mark.parametrize(
    "query, title",
    [
        ("advisory", "Start a customer advisory panel"),  # a word of a title
        ("resignations", "A blameless, mostly anonymous suggestion box"),  # a word of an idea's text
        ("relitigating", "Publish the management decision log internally"),  # a word of a feedback
    ],
)
def test_search_finds_ideas_by_title_text_and_feedback(
    browser, demo_site: tuple[str, Path], query: str, title: str
) -> None:
    base, _ = demo_site
    page, _ = visit(browser, f"{base}/")
    page.focus("input.md-search__input")
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert title in " ".join(results.all_inner_texts())
    page.close()
