"""Property-based tests of the front matter reader and editor (Hypothesis).

For generated front matter (YAML scalars of every kind in every quoting style, block and
flow collections, block text, comments, CRLF, Unicode line separators, control bytes in
the text), editing one key keeps every other byte and the result parses to the same
values; the reader never raises anything but a reported problem. Bounded so CI stays fast.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.core import characters, frontmatter
from bubbleup.core.file_check import Source, examine
from bubbleup.core.frontmatter import FrontMatterError, lines_of, parse, sections
from bubbleup.core.model import BubbleupError
from bubbleup.write.edit import REMOVE, edit_front_matter

BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
BREAKS = "\n\r\x85\u2028\u2029"

keys = st.from_regex(r"[a-z]{2,6}(-[a-z]{1,4})?", fullmatch=True).filter(lambda key: key not in YAML_WORDS)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
scalars = st.one_of(
    texts,
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.none(),
    st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
styles = st.sampled_from([None, "'", '"'])
comment_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")).filter(lambda c: c not in BREAKS),
    max_size=12,
)
comments = st.one_of(st.just(""), comment_text.map(lambda text: f"  # {text}"))
gaps = st.sampled_from(["", "\n", "# note\n", "\n# a note: [not, yaml]\n"])
bodies = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def dump(value: Any, style: str | None, flow: bool = False) -> str:
    """A value written by PyYAML in the given quoting style (inside brackets, with `flow`)."""
    data = [value] if flow else value
    written = yaml.safe_dump(data, default_style=style, default_flow_style=True, allow_unicode=True, width=10**9)
    written = written.removesuffix("...\n").rstrip("\n")
    return written[1:-1] if flow else written


@st.composite
def block_values(draw: st.DrawFn) -> tuple[str, str]:
    """(the value's text on the key's line, its lines below the key)."""
    kind = draw(st.sampled_from(["scalar", "scalar", "flow", "sequence", "mapping", "literal"]))
    one_line = scalars.map(lambda value: dump(value, None)).filter(lambda text: "\n" not in text)
    if kind == "scalar":
        return " " + dump(draw(scalars), draw(styles)), ""
    if kind == "flow":
        return " " + dump(draw(st.lists(scalars, max_size=3)), None), ""
    if kind == "sequence":
        items = draw(st.lists(one_line, min_size=1, max_size=3))
        return "", "".join(f"  - {item}\n" for item in items)
    if kind == "mapping":
        entries = draw(st.dictionaries(keys, one_line, min_size=1, max_size=3))
        return "", "".join(f"  {key}: {item}\n" for key, item in entries.items())
    line = comment_text.filter(lambda text: text.strip() == text and text and not text.startswith("#"))
    return " |", "".join(f"  {text}\n" for text in draw(st.lists(line, min_size=1, max_size=3)))


@st.composite
def block_documents(draw: st.DrawFn) -> tuple[str, list[str], list[str], str, str]:
    """(whole file, the keys, each key's text, each gap's text after it, the line ending)."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    names = draw(st.lists(keys, unique=True, min_size=1, max_size=5))
    segments, after = [], []
    for name in names:
        head, below = draw(block_values())
        text = f"{name}:{head}{draw(comments)}\n{below}"
        segments.append(text.replace("\n", newline))
        after.append(draw(gaps).replace("\n", newline))
    source = "".join(segment + gap for segment, gap in zip(segments, after, strict=True))
    text = f"---{newline}{source}---{newline}" + draw(bodies)
    return text, names, segments, after, newline


new_values = st.one_of(
    scalars.filter(lambda value: not isinstance(value, float)),
    st.lists(texts, max_size=3),
    st.dictionaries(keys, scalars.filter(lambda value: not isinstance(value, float)), min_size=1, max_size=3),
    st.just(REMOVE),
)


def values_of(text: str) -> dict[str, Any]:
    return {key: node.plain() for key, node in parse(text).fields.items()}


@pytest.mark.slow
@BOUNDED
@given(block_documents(), st.data())
def test_editing_one_key_keeps_every_other_byte(document: tuple, data: st.DataObject) -> None:
    text, names, segments, after, newline = document
    before = values_of(text)
    assert before == yaml.safe_load(frontmatter.split(text)[0])  # the reader agrees with PyYAML
    index = data.draw(st.integers(0, len(names)), label="index")  # len(names): a new key
    key = names[index] if index < len(names) else data.draw(keys.filter(lambda k: k not in names), label="new key")
    value = data.draw(new_values, label="value")
    edited = edit_front_matter(text, {key: value})
    opening = "---" + newline
    kept_before = opening + "".join(s + g for s, g in zip(segments[:index], after[:index], strict=True))
    kept_after = after[index] if index < len(names) else ""
    kept_after += "".join(s + g for s, g in zip(segments[index + 1 :], after[index + 1 :], strict=True))
    assert edited.startswith(kept_before)
    assert edited.endswith(kept_after + "---" + newline + parse(text).body)
    result = values_of(edited)
    expected = {name: item for name, item in before.items() if name != key}
    if value is not REMOVE:
        expected[key] = value
    assert result == expected
    assert all(line.endswith(newline) for line in lines_of(frontmatter.split(edited)[0] or ""))


@st.composite
def flow_documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    names = draw(st.lists(keys, unique=True, max_size=4))
    single = st.builds(dump, scalars, styles, st.just(True)).filter(lambda text: "\n" not in text)
    separator = draw(st.sampled_from([", ", ",", " , "]))
    items = separator.join(f"{name}: {draw(single)}" for name in names)
    comment = draw(comments)
    return f"---\n{{{items}}}{comment}\n---\n" + draw(bodies), names


@pytest.mark.slow
@BOUNDED
@given(flow_documents(), st.data())
def test_front_matter_in_braces_stays_a_valid_mapping(document: tuple, data: st.DataObject) -> None:
    text, names = document
    before = values_of(text)
    changes = {name: data.draw(new_values, label=name) for name in data.draw(st.lists(keys, max_size=3, unique=True))}
    edited = edit_front_matter(text, changes)
    expected = dict(before)
    for name, value in changes.items():
        if value is REMOVE:
            expected.pop(name, None)
        else:
            expected[name] = value
    assert values_of(edited) == expected
    assert edited.endswith(parse(text).body) and edited.startswith("---\n{")


hostile = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(["---\n", "...\n", "\r\n", "\r", "\u2028", "\x85", "\x00", "\x1b", "\ufeff"]),
        st.sampled_from(["a: ", "- ", "[", "]", "{", "}", "&x ", "*x", "!!binary ", "? ", "|\n", "#", "'", '"']),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["", "---\n", "---\r\n"]), hostile)
def test_the_reader_only_ever_reports_problems(start: str, text: str) -> None:
    text = start + text
    assert "".join(lines_of(text)) == text
    try:
        assert "".join(part or "" for part in sections(text)[:4]) == text
        document = parse(text)
        assert document.body == sections(text)[3]
    except FrontMatterError as error:
        assert error.line >= 1 and error.message
    for line, message in characters.problems(text):
        assert 1 <= line <= text.count("\n") + 1 and message
    for kind in ("idea", "feedback", "customer"):
        _, problems, _ = examine(Source("ideas/x.md", kind, "x", "x", text), None)
        assert all(problem.line >= 1 for problem in problems)
    try:
        edit_front_matter(text, {"vote": "up"})
    except BubbleupError as error:
        assert error.message
