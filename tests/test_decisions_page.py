"""The Decisions page never goes through Python-Markdown: its sentences are HTML blocks
that site/lean.py holds out, its headings escaped text that site/skeleton.py converts,
and what a reader gets is what Python-Markdown would have made of the page, with no
markup from a title, a name or a reason."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

import markdown
from bubbleup.core.model import Catalog, Decision, Idea, Person, Status
from bubbleup.core.tally import tally
from bubbleup.site import skeleton
from bubbleup.site.context import Site
from bubbleup.site.decisions import render_decisions
from bubbleup.site.lean import Held, hold, restore

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
EXTENSIONS = ["tables", "toc", "admonition", "attr_list", "md_in_html"]
CONFIGS = {"toc": {"permalink": True}}
HOSTILE = [
    "<script>alert(1)</script> [a](javascript:b)",
    "Use *stars*, _underscores_ and `code` & more",
    '<img src=x onerror="alert(1)"> {: #id } | cell | ~~gone~~',
    "# Not a heading ##",
]
TITLES = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
"""Titles, names and reasons as YAML front matter can hold them: no control characters."""


def _site(titles: list[str], name: str, reason: str, directory_urls: bool = True) -> Site:
    decision = Decision("ann", date(2026, 11, 1), reason)
    ideas = {
        f"idea-{number}": Idea(
            f"idea-{number}", title, f"ideas/idea-{number}.md", ("bob",), Status.DECLINED, decision=decision
        )
        for number, title in enumerate(titles)
    }
    catalog = Catalog(ideas=ideas, feedback=(), roster={"ann": Person("ann", name), "bob": Person("bob", "Bob")})
    return Site.of(catalog, tally(catalog), NOW, directory_urls=directory_urls)


def _lean(page: str) -> tuple[str, skeleton.Converted | None]:
    """The page's HTML the lean way (held blocks, converted skeleton), and the conversion."""
    body = page.split("---\n", 2)[2]
    calibration = skeleton.calibrate(EXTENSIONS, CONFIGS)
    assert calibration is not None
    held = Held()
    converted = skeleton.convert(calibration, hold(body, held))
    return (restore(converted.html, held) if converted is not None else ""), converted


def _python_markdown(page: str) -> tuple[str, list[dict]]:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    return md.convert(page.split("---\n", 2)[2]), md.toc_tokens


def test_the_decisions_page_needs_no_python_markdown() -> None:
    """859 decisions at 5,000 ideas: Python-Markdown over them was half a second of a
    rebuild after a vote on a decided idea."""
    page = render_decisions(_site([*HOSTILE, "Coffee chats"], "Ann <b>Example</b>", "Not *now*, <script>x</script>."))
    lean, converted = _lean(page)
    assert converted is not None
    assert (lean, converted.tokens) == _python_markdown(page)
    reader = BeautifulSoup(lean, "html.parser")
    titles = [heading.get_text().removesuffix("¶") for heading in reader.select("h2")]
    assert titles == [" ".join(title.split()) for title in reversed([*HOSTILE, "Coffee chats"])]  # newest first
    entries = [paragraph for paragraph in reader.select("p") if paragraph.select("span.bubbleup-status")]
    assert {entry.get_text() for entry in entries} == {"Declined 3 weeks ago by Ann <b>Example</b> · +0 net · the idea"}
    links = [[link["href"] for link in entry.select("a")] for entry in entries]
    assert links == [[f"../idea-{number}/"] for number in reversed(range(len(HOSTILE) + 1))]
    feed = reader.select_one("p a")
    assert (feed.get_text(), feed["href"]) == ("Atom feed of decisions", "../decisions.xml")
    assert reader.select("h2 b, p b") == [] and "<script" not in lean
    _assert_safe(lean)


def test_the_links_are_where_mkdocs_put_them() -> None:
    """With a site opened from file:// (no directory URLs) as with directory URLs: what
    the Markdown links `[the idea](idea-0.md)` and `(decisions.xml)` became."""
    page = render_decisions(_site(["Coffee chats"], "Ann", "Yes.", directory_urls=False))
    reader = BeautifulSoup(_lean(page)[0], "html.parser")
    assert [link["href"] for link in reader.select("p a")] == ["decisions.xml", "idea-0.html"]


def _assert_safe(html: str) -> None:
    """No tag, attribute or address from a title, a name or a reason."""
    reader = BeautifulSoup(html, "html.parser")
    assert reader.select("script, img, iframe, style") == []
    for element in reader.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")]
        assert all("javascript:" not in str(value) for value in element.attrs.values())


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(titles=st.lists(TITLES, min_size=1, max_size=4), name=TITLES, reason=TITLES)
def test_any_title_name_or_reason_keeps_the_page_lean_and_safe(titles: list[str], name: str, reason: str) -> None:
    page = render_decisions(_site(titles, name or "Ann", reason))
    lean, converted = _lean(page)
    shown = [" ".join(title.split()) for title in titles]
    if all(title and title.isprintable() for title in shown):  # not empty, no unassigned character
        assert converted is not None
    if converted is not None:
        assert (lean, converted.tokens) == _python_markdown(page)
        _assert_safe(lean)
        reader = BeautifulSoup(lean, "html.parser")
        assert [heading.get_text().removesuffix("¶") for heading in reader.select("h2")] == shown[::-1]
