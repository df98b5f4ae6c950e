"""The rankings' links are made from an address from the pages' root and a climb
(site/lists.py `addresses`), to the address that `page_href` gives for each link."""

from __future__ import annotations

import html

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bubbleup.core.markup import without_comments
from bubbleup.site.addresses import page_href
from bubbleup.site.context import page_name
from bubbleup.site.lists import addresses

_parts = st.sampled_from(["status", "tags", "a", "people", "trending", ".", "..", "", "index", "x.md", "a-b"])
pages = st.tuples(st.lists(_parts, max_size=3).map("/".join), st.sampled_from(["index", "proposed", "status", "a"]))
names = st.one_of(
    st.sampled_from(["status", "tags", "a", "trending", "index", "people", "x", "a-b"]),
    st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True),
    st.text(max_size=12),  # page_name gives any name a page of its own
)


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(pages, st.lists(names, min_size=1, max_size=6), st.booleans())
def test_each_address_is_the_one_page_href_gives(page: tuple[str, str], slugs: list[str], directory: bool) -> None:
    folder, name = page
    source = f"{folder}/{name}.md" if folder else f"{name}.md"
    assume(not source.startswith("/"))
    roots: dict[str, tuple[str, str, str]] = {}
    for _ in range(2):  # the roots are kept for the next page's links
        address = addresses(source, directory, roots)
        for slug in slugs:
            assert address(slug) == html.escape(page_href(source, page_name(slug), directory)), (source, slug)


def test_an_idea_named_as_the_pages_folder_is_linked_as_page_href_links_it() -> None:
    """The climb alone would be wrong: `status/proposed.md` links `status.md` as `../../status/`,
    while a page in `status/` shares that first folder (mkdocs: `../`, the folder itself)."""
    for directory in (True, False):
        address = addresses("status/proposed.md", directory, {})
        expected = page_href("status/proposed.md", "status.md", directory)
        assert address("status") == expected
    assert addresses("status/proposed.md", True, {})("status") == "../"
    assert addresses("status/proposed.md", True, {})("coffee") == "../../coffee/"
    assert addresses("index.md", False, {})("coffee") == "coffee.html"


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"<!->a `#*\n[]()é", "<!--", "-->", "<div>"]), max_size=40).map("".join))
def test_a_text_in_which_no_comment_starts_is_its_own_text_without_comments(text: str) -> None:
    """`excerpt` (site/context.py) leaves out the Markdown parser for such a text."""
    text = text.replace("<!", "< !")
    assert without_comments(text) == text
