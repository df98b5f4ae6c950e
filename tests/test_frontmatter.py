"""The front matter splitter and parser: line numbers, exact bodies, YAML's surprises."""

from __future__ import annotations

import pytest

from bubbleup.core.frontmatter import FrontMatterError, parse, scalar_text, split


def test_body_is_kept_byte_for_byte_with_its_first_line() -> None:
    text = "---\ntitle: x\n---\n\n  indented first line  \r\nlast"
    document = parse(text)
    assert document.body == "\n  indented first line  \r\nlast"
    assert document.body_line == 4


def test_keys_keep_their_lines_including_nested_ones() -> None:
    document = parse("---\ntitle: x\n\ndecision:\n  by: ann\n  reason: >-\n    long\n---\n")
    assert document.key_lines == {"title": 2, "decision": 4, "decision.by": 5, "decision.reason": 6}
    assert document.fields["decision"].value["by"].line == 5


def test_crlf_files_parse() -> None:
    document = parse("---\r\ntitle: x\r\n---\r\nbody\r\n")
    assert document.fields["title"].value == "x"
    assert document.body == "body\r\n" and document.body_line == 4


def test_no_front_matter_is_all_body() -> None:
    document = parse("# Heading\n")
    assert not document.has_front_matter and document.body == "# Heading\n" and document.body_line == 1


def test_empty_front_matter_has_no_fields() -> None:
    document = parse("---\n---\ntext")
    assert document.has_front_matter and document.fields == {}


def test_yaml_one_one_values_are_visible() -> None:
    fields = parse("---\nvote: no\nquoted: 'no'\nwhen: 2026-01-02\n---\n").fields
    assert (fields["vote"].kind, fields["vote"].value, fields["vote"].text) == ("bool", False, "no")
    assert (fields["quoted"].kind, fields["quoted"].quoted) == ("str", True)
    assert fields["when"].kind == "timestamp"


def test_duplicate_keys_are_reported_and_the_first_wins() -> None:
    document = parse("---\ntitle: one\nother: x\ntitle: two\n---\n")
    assert document.fields["title"].value == "one"
    assert document.problems == [(4, "duplicate key 'title': it is already set on line 2")]


def test_aliases_are_refused_so_no_billion_laughs() -> None:
    text = "---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\n"
    document = parse(text)
    assert any("aliases" in message for _, message in document.problems)


def test_invalid_yaml_reports_the_yaml_line() -> None:
    with pytest.raises(FrontMatterError) as caught:
        parse("---\ntitle: x\nauthors: [a\nstatus: b\n---\n")
    assert caught.value.line == 4 and "invalid YAML" in caught.value.message


def test_a_list_is_not_front_matter() -> None:
    with pytest.raises(FrontMatterError, match="key: value"):
        parse("---\n- a\n- b\n---\n")


def test_unclosed_front_matter() -> None:
    with pytest.raises(FrontMatterError, match="never closed"):
        split("---\ntitle: x\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\nstatus: planned  # since May\n---\n", "planned"),
        ("---\nstatus: 'under-review'\n---\n", "under-review"),
        ("---\n{title: T, status: done}\n---\n", "done"),
        ("---\ntitle: 'status: done'\n---\n", "proposed"),
        ("---\nstatus:\n---\n", "proposed"),
        ("---\nstatus: [planned\n---\n", "proposed"),
        ("---\nstatus: planned\n", "proposed"),
        ("status: planned\n", "proposed"),
    ],
)
def test_past_versions_are_read_with_the_same_reader(text: str, expected: str) -> None:
    assert scalar_text(text, "status", "proposed") == expected
