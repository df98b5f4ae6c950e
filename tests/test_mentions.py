"""Links between ideas: relative links to an idea's file and bare #references lead to the
idea's page, and each idea knows which ideas mention it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bubbleup.core.markup import render
from bubbleup.core.model import Idea
from bubbleup.site.mentions import Mentions, mentioned_in


def idea(slug: str, text: str = "", title: str = "") -> Idea:
    return Idea(slug, title or slug.replace("-", " ").capitalize(), f"ideas/{slug}.md", ("ann",), text=text)


IDEAS = [idea("coffee-chats", title='Coffee <chats> & "talks"'), idea("night-lunches"), idea("source")]


def linked(text: str, ideas: list[Idea] = IDEAS) -> tuple[str, set[str]]:
    source = next(i for i in ideas if i.slug == "source")
    return Mentions(ideas).link(source, render(text), lambda slug: f"../{slug}/")


def test_relative_links_to_an_idea_file_lead_to_its_page() -> None:
    for href in ("coffee-chats.md", "./coffee-chats.md", "../ideas/coffee-chats.md"):
        page, found = linked(f"See [the chats]({href}).")
        assert 'href="../coffee-chats/"' in page and found == {"coffee-chats"}, href
    page, _ = linked("See [part](coffee-chats.md#problem).")
    assert 'href="../coffee-chats/#problem"' in page


def test_bare_references_become_links_with_the_title_escaped() -> None:
    page, found = linked("Like #coffee-chats and #night-lunches, not #unknown or #source.")
    assert found == {"coffee-chats", "night-lunches"}
    assert '<a href="../coffee-chats/" title="Coffee &lt;chats&gt; &amp; &quot;talks&quot;">#coffee-chats</a>' in page
    assert "#unknown" in page and '">#source' not in page


def test_code_and_other_links_are_left_alone() -> None:
    page, found = linked("`#coffee-chats` and\n\n    #night-lunches\n\nand [web](https://example.com/coffee-chats.md)")
    assert found == set()
    assert "../coffee-chats/" not in page and "https://example.com/coffee-chats.md" in page


def test_a_link_to_an_idea_this_site_does_not_show_loses_its_address() -> None:
    page, found = linked("See [secret plan](secret-plan.md) and [docs](../docs/guide.md).")
    assert found == set() and "secret-plan" not in page and "secret plan" in page
    assert "../docs/guide.md" in page


def test_mentioned_in_lists_the_ideas_that_link_here() -> None:
    ideas = [idea("a", "See #b and [c](c.md)."), idea("b", "Back to #a."), idea("c")]
    assert mentioned_in(ideas, render) == {"a": ["b"], "b": ["a"], "c": ["a"]}


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_text_without_references_passes_unchanged(text: str) -> None:
    sanitized = render(text)
    page, found = Mentions([idea("elsewhere")]).link(idea("source"), sanitized, lambda slug: slug)
    if "elsewhere" not in text and ".md" not in text:
        assert page == sanitized and found == set()


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        '<a href="coffee-chats.md">',
        "<A HREF='x'>",
        '< a href="night-lunches.md">',
        "</a>",
        "<abbr>",
        "<code>",
        "</code>",
        "#coffee-chats",
        "#source",
        "#nope",
        "text ",
        "\u00a0",
        "<pre>",
        "</pre>",
        "&amp;",
    ]
)


@pytest.mark.slow
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_html_without_links_or_hashes_is_passed_over_as_reading_it_would(html: str) -> None:
    """`link` skips HTML with no '#' and no tag that may be a link; reading it piece by
    piece (the quick test forced to say yes) gives the same page and mentions."""
    import re

    import bubbleup.site.mentions as mentions

    source = next(i for i in IDEAS if i.slug == "source")
    quick = Mentions(IDEAS).link(source, html, lambda slug: f"../{slug}/")
    kept, mentions._MAY_LINK = mentions._MAY_LINK, re.compile("")
    try:
        assert Mentions(IDEAS).link(source, html, lambda slug: f"../{slug}/") == quick
    finally:
        mentions._MAY_LINK = kept
