"""Holding a page's HTML blocks the quick way finds exactly the blocks the plain way finds,
for any text (the plain way is the one tests/test_incremental.py holds to Python-Markdown)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.site.lean import BLOCK_TAGS, Held, _end_by_every_tag, _end_of_block, hold, restore, spans

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


@settings(max_examples=1000, deadline=None)
@given(named_texts)
def test_the_quick_way_finds_the_blocks_the_plain_way_finds(named: tuple[str, str]) -> None:
    text = named[1]
    assert spans(text) == spans(text, quick=False)


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
