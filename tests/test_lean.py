"""Holding a page's HTML blocks the quick way finds exactly the blocks the plain way finds,
for any text (the plain way is the one tests/test_incremental.py holds to Python-Markdown)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.site.lean import (
    BLOCK_TAGS,
    LONG,
    Held,
    _end_by_every_tag,
    _end_of_block,
    _end_of_plain_block,
    hold,
    restore,
    spans,
)

NAMES = ["table", "div", "p", "pre", "h1", "h6", "details", "svg", "section", "blockquote", "ul"]
PIECES = [
    "\n",
    "\n\n",
    " ",
    "<",
    ">",
    "/",
    '"',
    "'",
    "=",
    "x",
    "1",
    "ſ",  # the long s: it folds to s when case is ignored, but no tag's name holds it
    "K",  # the Kelvin sign, which folds to k
    "```",
    "~~~",
    '<td style="text-align: right;">1</td>',
    '<a href="x/" title="a > b">label</a>',
    "<br>",
    "<!-- <div> -->",
]


def tags(name: str) -> st.SearchStrategy[str]:
    """Tags named `name` in every spelling, tags whose names are one letter off, and tags
    whose quoted values hold what looks like a tag."""
    spellings = [name, name.upper(), name.capitalize(), name + "x", name[:-1] or "b", "span", "a"]
    if name.endswith("s"):
        spellings.append(name[:-1] + "ſ")
    attributes = ["", " ", ' class="x"', " data-x='>'", ' title="unclosed', "\n", "/", ' title=">"']
    attributes += [f' title="<{name}>"', f" title='</{name}>'", f" a=\"<{name}\" b='</{name}>'"]
    return st.builds(
        lambda close, spelling, attribute, end: f"<{close}{spelling}{attribute}{end}",
        st.sampled_from(["", "/", "", "//"]),
        st.sampled_from(spellings),
        st.sampled_from(attributes),
        st.sampled_from([">", ">", "", ">\n", ">\n\n", "\n\n"]),
    )


def texts(name: str) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(PIECES), tags(name), tags(name)), max_size=40).map("".join)


named_texts = st.sampled_from(NAMES).flatmap(lambda name: st.tuples(st.just(name), texts(name)))


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(named_texts)
def test_the_quick_way_finds_the_blocks_the_plain_way_finds(named: tuple[str, str]) -> None:
    text = named[1]
    assert spans(text) == spans(text, quick=False)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(named_texts, st.data())
def test_a_block_ends_where_the_plain_way_ends_it(named: tuple[str, str], data: st.DataObject) -> None:
    name, text = named
    start = data.draw(st.integers(0, len(text)))
    last = data.draw(st.integers(0, len(text)))
    assert _end_of_block(text, start, name, last) == _end_by_every_tag(text, start, name, last)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/\"'\n tablediv1pre="), max_size=80))
def test_any_text_of_tag_characters(text: str) -> None:
    assert spans(text) == spans(text, quick=False)
    for name in BLOCK_TAGS.replace("h[1-6]", "h1|h6").split("|"):
        assert _end_of_block(text, 0, name, len(text)) == _end_by_every_tag(text, 0, name, len(text))


PLAIN_PIECES = [
    "\n",
    " ",
    "it's",
    '"quoted"',
    "x > y",
    "é",
    "<br>",
    "<br/>",
    '<td class="x">',
    "</td>",
    '<a href="x/" title="">',
    '<a b="1" c="2">',
    "</a>",
    "y" * LONG,
]
TRAPS = [
    "<",
    "<3",
    "< b>",
    "</ b>",
    "<a b='c'>",
    '<a b="it\'s">',
    '<a title="a > b">',
    '<a title="<b>">',
    '<a title="unclosed>',
    "<a b=it's>",
    "Ā",  # not Latin-1
]


def plain_blocks(name: str) -> st.SearchStrategy[str]:
    """Blocks named `name` that are mostly plain tags, some of them long, nested in their
    own name in every case, with now and then a trap that plain reading must refuse."""
    inner = [f"<{name}>", f"</{name}>", f'<{name.upper()} id="x">', f"</{name.capitalize()}>", f"<{name}x>"]
    pieces = st.sampled_from(PLAIN_PIECES + inner) | st.sampled_from(TRAPS)
    return st.lists(pieces, max_size=30).map(lambda parts: f"<{name}>{''.join(parts)}</{name}>\n\nAfter.")


@settings(max_examples=1000, deadline=None)
@given(
    st.sampled_from(NAMES).flatmap(lambda name: st.tuples(st.just(name), plain_blocks(name) | texts(name))), st.data()
)
@pytest.mark.slow
def test_a_block_read_as_plain_tags_ends_where_the_plain_way_ends_it(named: tuple[str, str], data) -> None:
    """Where the text is plain tags the block's end is found without reading every tag,
    and it is where reading every tag ends it; elsewhere nothing is found that way."""
    name, text = named
    start = data.draw(st.sampled_from([0, 0, 0, *range(len(text) + 1)]))
    last = data.draw(st.integers(0, len(text)))
    found = _end_of_plain_block(text, start, name)
    if found is not None:
        assert found == _end_by_every_tag(text, start, name, 0)
    assert _end_of_block(text, start, name, last) == _end_by_every_tag(text, start, name, last)


def test_a_generated_ranking_is_read_as_plain_tags() -> None:
    rows = "".join(
        f'<tr>\n<td style="text-align: right;">{n}</td>\n<td>Ana\'s · "{n}"</td>\n</tr>\n' for n in range(200)
    )
    text = f"<table>\n<tbody>\n{rows}</tbody>\n</table>\n\nAfter."
    assert len(text) > LONG
    assert _end_of_plain_block(text, 0, "table") == text.index("\n\nAfter") == _end_by_every_tag(text, 0, "table", 0)
    assert _end_of_plain_block(text.replace("Ana's", "Ana’s"), 0, "table") is None  # not Latin-1: read tag by tag
    assert _end_of_plain_block(text.replace('right;"', "right;' x='"), 0, "table") is None


def test_a_generated_ranking_is_held_whole_and_put_back() -> None:
    rows = "".join(
        f'<tr>\n<td style="text-align: right;">{n}</td>\n<td><a href="../i{n}/">Idea &lt;{n}&gt;</a></td>\n</tr>\n'
        for n in range(200)
    )
    table = f"<table>\n<thead>\n<tr>\n<th>#</th>\n</tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>"
    text = f"# All ideas\n\nIntro.\n\n{table}\n\n## More\n\n<div>\n<table><tr><td>x</td></tr></table>\n</div>\n"
    held = Held()
    lean = hold(text, held)
    assert [text[start:end] for start, end in spans(text)] == [table, held_last(held)]
    assert "<tr>" not in lean
    assert restore(lean, held).replace("\n", "") == text.replace("\n", "")


def held_last(held: Held) -> str:
    return list(held.blocks.values())[-1]
