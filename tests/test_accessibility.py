"""Every page type against axe-core's WCAG 2 A and AA rules, in Chromium: no serious or
critical violation, so that everyone in the company can read the board."""

from __future__ import annotations

from pathlib import Path

import pytest

from browsing import browser, demo_site

pytestmark = pytest.mark.browser

__all__ = ["browser", "demo_site"]

PAGE_TYPES = [
    "",  # the home page with the board
    "ideas/",  # a ranking
    "ideas/trending/",
    "ideas/quarterly-ideas-day/",  # an idea, planned, with a decision and feedback
    "ideas/anonymous-suggestion-box/",  # an idea, proposed, with the progress toward review
    "ideas/decisions/",
    "ideas/roadmap/",
    "ideas/queue/",
    "ideas/insights/",
    "ideas/people/",
    "ideas/recognition/",
    "ideas/tags/",
    "ideas/campaigns/",
    "how-to-take-part/",  # a hand-written page
]
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_no_serious_violation_on_any_page_type(browser, demo_site: tuple[str, Path]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, site = demo_site
    assert all((site / path / "index.html").is_file() for path in PAGE_TYPES)
    axe = Axe()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = []
    for path in PAGE_TYPES:
        page.goto(f"{base}/{path}", wait_until="load")
        results = axe.run(page, options=RULES)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append((path, violation["id"], violation["impact"], targets))
    page.close()
    assert found == []
