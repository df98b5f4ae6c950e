"""The board as a reader sees it in Chromium, on a desktop (1280 px) and on a phone
(390 px): the home page leads to the top ideas, every ranking shows the number it ranks
by, and nothing is cut off. Screenshots land in test-output/screenshots/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browsing import SCREENSHOTS, browser, demo_site

pytestmark = pytest.mark.browser

__all__ = ["browser", "demo_site"]

WIDTHS = (390, 1280)
RANKINGS = {"": "Score", "trending/": "Momentum", "new/": "Proposed", "discussed/": "Feedback"}

# Everything under the article that is not fully inside the viewport, nor visible at its
# own centre (covered or clipped by a scrolling container): [tag, text, left, right].
CLIPPED = """(selector) => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    window.scrollTo(0, window.scrollY + box.top - window.innerHeight / 2);  // the window only: a
    // scrolling container around a wide table must not be scrolled to show what it hides
    const now = element.getBoundingClientRect();
    const hit = document.elementFromPoint(now.left + now.width / 2, now.top + now.height / 2);
    const seen = hit !== null && (element === hit || element.contains(hit) || hit.contains(element));
    if (now.left < 0 || now.right > width + 0.5 || !seen) {
      out.push([element.tagName, element.innerText.slice(0, 40), now.left, now.right]);
    }
  }
  return out;
}"""


def _top_idea(site: Path) -> dict:
    """The idea with the highest score that is not a duplicate, from the site's data."""
    ideas = json.loads((site / "ideas/ideas.json").read_text())["ideas"]
    return max((i for i in ideas if i["status"] != "duplicate"), key=lambda i: (i["score"], i["created"] or ""))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_page_is_the_board(browser, demo_site: tuple[str, Path], width: int) -> None:
    base, site = demo_site
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{base}/", wait_until="load")
    cards = page.locator("article .grid.cards li")
    assert cards.count() >= 3
    top = _top_idea(site)
    first = cards.first
    assert top["title"] in first.inner_text() and f"{top['score']:+d}" in first.inner_text()
    assert page.locator("article a.md-button", has_text="Propose an idea").count() == 1
    assert page.locator("article .admonition", has_text="Decided recently").count() == 1
    assert page.locator("article h2", has_text="Trending now").count() == 1
    assert page.evaluate(CLIPPED, "article .grid.cards li, article .admonition li") == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"home-{width}.png"), full_page=True)
    first.locator("a", has_text=top["title"]).click()
    page.wait_for_load_state("load")
    assert page.inner_text("h1").strip().rstrip("¶").strip() == top["title"]
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_ranking_shows_its_number_unclipped(browser, demo_site: tuple[str, Path], width: int) -> None:
    base, site = demo_site
    page = browser.new_page(viewport={"width": width, "height": 900})
    for view, measure in RANKINGS.items():
        page.goto(f"{base}/ideas/{view}", wait_until="load")
        headers = page.locator("article table th").all_inner_texts()
        assert [h.strip() for h in headers] == ["#", measure, "Idea"], view
        rows = page.locator("article table tbody tr")
        assert rows.count() >= 5
        number = rows.first.locator("td").nth(1).inner_text().strip()
        assert number and number != "?", view
        if view == "":
            top = _top_idea(site)
            assert number == f"{top['score']:+d}" and top["title"] in rows.first.inner_text()
        assert page.evaluate(CLIPPED, "article table td, article table th, article table a") == [], view
        assert page.evaluate("document.documentElement.scrollWidth") <= width, view
        if view in ("", "trending/"):
            name = "ranking" if view == "" else "trending"
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.close()


def test_the_decisions_page_lists_answers_newest_first(browser, demo_site: tuple[str, Path]) -> None:
    base, site = demo_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/ideas/decisions/", wait_until="load")
    decided = [i for i in json.loads((site / "ideas/ideas.json").read_text())["ideas"] if i["decision"]]
    decided.sort(key=lambda i: (i["decision"]["date"], i["slug"]), reverse=True)
    headings = [h.strip().rstrip("¶").strip() for h in page.locator("article h2").all_inner_texts()]
    assert headings == [i["title"] for i in decided]
    reasons = page.locator("article .bubbleup-decision").all_inner_texts()
    assert " ".join(decided[0]["decision"]["reason"].split())[:60] in " ".join(reasons[0].split())
    assert (site / "ideas/decisions.xml").is_file()
    page.close()


@pytest.mark.parametrize("path", ["ideas/roadmap/", "ideas/insights/", "ideas/quarterly-ideas-day/"])
def test_screenshots_of_the_other_page_types(browser, demo_site: tuple[str, Path], path: str) -> None:
    base, _ = demo_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/{path}", wait_until="load")
    assert page.evaluate(CLIPPED, "article h1, article h2") == []
    name = path.rstrip("/").split("/")[-1]
    name = {"quarterly-ideas-day": "idea"}.get(name, name)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-1280.png"), full_page=True)
    assert (SCREENSHOTS / f"{name}-1280.png").stat().st_size > 10_000
    page.close()


def test_ideas_link_to_each_other_and_list_who_mentions_them(browser, demo_site: tuple[str, Path]) -> None:
    base, _ = demo_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/ideas/customer-advisory-panel/", wait_until="load")
    page.locator("article .bubbleup-text a", has_text="#support-call-rotation-for-engineers").click()
    page.wait_for_load_state("load")
    assert page.inner_text("h1").strip().rstrip("¶").strip() == "Engineers sit in on customer support calls"
    section = page.locator("article h2", has_text="Mentioned in")
    assert section.count() == 1
    page.locator("article ul", has=page.locator("a", has_text="Start a customer advisory panel")).last.locator(
        "a", has_text="Start a customer advisory panel"
    ).click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/ideas/customer-advisory-panel/")
    page.goto(f"{base}/ideas/you-said-we-did-newsletter/", wait_until="load")
    page.locator("article .bubbleup-text a", has_text="customer advisory panel").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/ideas/customer-advisory-panel/")
    page.close()
