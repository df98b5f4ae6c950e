"""`tally --format json` and the other JSON outputs print what `json.dumps(data, indent=2,
ensure_ascii=False)` prints, character for character, by a quicker path."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core.indented_json import dumps, dumps_within

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.lists(st.text(), max_size=4)
    ),
    max_leaves=30,
)


@pytest.mark.slow
@settings(max_examples=400)
@given(values)
def test_the_text_is_the_standard_librarys(value) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.slow
@given(values, st.integers(min_value=0, max_value=4))
def test_any_indent_is_the_standard_librarys(value, indent) -> None:
    """ideas.json is indented by one space."""
    assert dumps(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


@given(st.dictionaries(st.none() | st.booleans() | st.integers() | st.floats(), scalars, max_size=4))
def test_keys_that_are_not_text_are_written_by_the_standard_library(value) -> None:
    assert dumps([value]) == json.dumps([value], indent=2, ensure_ascii=False)


def test_what_json_cannot_write_fails_as_it_does() -> None:
    for value in ({"when": object()}, [1, {2, 3}]):
        try:
            json.dumps(value, indent=2)
        except TypeError as expected:
            message = str(expected)
        try:
            dumps(value)
        except TypeError as error:
            assert str(error) == message
        else:
            raise AssertionError("no error")
    loop: list = []
    loop.append(loop)
    try:
        dumps(loop)
    except ValueError as error:
        assert "Circular reference" in str(error)
    else:
        raise AssertionError("no error")


def test_a_row_of_tally() -> None:
    row = {"slug": "a-b", "tags": ["x", "é\u2028"], "voters": [], "score": -3, "trending": 1.5, "campaign": None}
    assert dumps([row, {}]) == json.dumps([row, {}], indent=2, ensure_ascii=False)


unusual = values | st.dictionaries(st.integers(), scalars, max_size=3)


@pytest.mark.slow
@given(st.lists(unusual, min_size=1, max_size=4), st.integers(min_value=0, max_value=3))
def test_items_written_apart_join_into_the_standard_librarys_list(items, indent) -> None:
    """ideas.json's records are written one by one (and remembered) and joined."""
    margin = "\n" + " " * indent
    joined = "[" + margin + ("," + margin).join(dumps_within(item, indent, 1) for item in items) + "\n]"
    assert joined == json.dumps(items, indent=indent, ensure_ascii=False)
    nested = {"ideas": items}
    inner = margin + " " * indent
    text = "{" + margin + '"ideas": [' + inner + ("," + inner).join(dumps_within(i, indent, 2) for i in items)
    assert text + margin + "]\n}" == json.dumps(nested, indent=indent, ensure_ascii=False)


keys = st.sampled_from(["slug", "tags", "é\u2028", 'a"b', "", "up"])
records = st.lists(
    st.dictionaries(keys, values, max_size=4)  # mostly the same few keys, in one order or another
    | st.dictionaries(st.integers(), scalars, max_size=2)
    | values,
    min_size=1,
    max_size=6,
)


@pytest.mark.slow
@settings(max_examples=400)
@given(st.dictionaries(keys, values, min_size=1, max_size=4), records, st.integers(min_value=0, max_value=3))
def test_rows_of_the_same_keys_are_the_standard_librarys(first, rest, indent) -> None:
    """A list whose first item is a dict writes the rows of its keys, in its order, by a
    shortcut (tally's rows, ideas.json's); rows of other keys or order, and anything else, as before."""
    rows = [first, *rest, dict(first), dict(reversed(first.items()))]
    assert dumps(rows, indent) == json.dumps(rows, indent=indent, ensure_ascii=False)
    assert dumps({"rows": [rows]}, indent) == json.dumps({"rows": [rows]}, indent=indent, ensure_ascii=False)
