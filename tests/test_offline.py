"""The site as the README's first command builds it, opened from file:// in Chromium:
links lead to pages (not to folder listings) and search answers, with nothing fetched
from anywhere else. And the wiki: hand-written pages carry "Edit this page" and "View
source" into the host's editor; an idea's page edits the idea's file; views have none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from browsing import SCREENSHOTS, browser, copy_demo, demo_site, visit
from bubbleup.cli.main import cli

pytestmark = pytest.mark.browser

__all__ = ["browser", "demo_site"]

REPOSITORY = "https://github.com/northwind-labs/ideas"


@pytest.fixture(scope="module")
def local_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo built by `bubbleup build` with nothing set, as the README says."""
    repo = copy_demo(tmp_path_factory.mktemp("local") / "repo")
    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build"], env={"BUBBLEUP_OFFLINE": None})
    assert result.exit_code == 0, result.output
    yield repo.root / "site"


def test_from_file_a_click_opens_the_idea_and_search_answers(browser, local_site: Path) -> None:
    requests: list[str] = []
    page, events = visit(browser, (local_site / "index.html").as_uri(), requests)
    card = page.locator("article .grid.cards li a").first
    title = card.inner_text()
    card.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(".html") and "/ideas/" in page.url
    assert page.inner_text("h1").strip().rstrip("¶").strip() == title
    page.go_back()
    page.wait_for_load_state("load")
    page.locator("nav a", has_text="All ideas").first.click()
    page.wait_for_load_state("load")
    assert page.inner_text("h1").strip().rstrip("¶").strip() == "All ideas"  # a page, not "Index of"
    page.focus("input.md-search__input")
    page.keyboard.type("customer")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert "customer" in " ".join(results.all_inner_texts()).lower()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "offline-search.png"))
    assert [r for r in requests if not r.startswith(("file:", "data:", "blob:", "about:"))] == []
    assert events == []
    page.close()


def _actions(path: Path) -> dict[str, str]:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return {a["title"]: a["href"] for a in page.select("article a.md-content__button")}


def test_hand_written_pages_can_be_edited_and_generated_ones_edit_their_source(demo_site) -> None:
    _, site = demo_site
    for name in ("how-to-take-part", "how-to-review", "cli"):
        actions = _actions(site / name / "index.html")
        assert actions["Edit this page"] == f"{REPOSITORY}/edit/main/docs/{name}.md"
        assert actions["View source of this page"] == f"{REPOSITORY}/blob/main/docs/{name}.md"
    assert _actions(site / "index.html")["Edit this page"] == f"{REPOSITORY}/edit/main/docs/index.md"
    idea = _actions(site / "ideas/quarterly-ideas-day/index.html")
    assert idea["Edit this page"] == f"{REPOSITORY}/edit/main/ideas/quarterly-ideas-day.md"
    for view in ("ideas", "ideas/trending", "ideas/decisions", "ideas/roadmap"):
        assert _actions(site / view / "index.html") == {}, view
    header = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert header.select('[data-md-component="source"]') == []  # no stars fetched from the host's API
