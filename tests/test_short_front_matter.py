"""Short front matter (a vote file's `vote: up`) is parsed once per distinct text: every
document equals the one the full parse gives, near misses included, and none shares
anything that can be changed with another."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core import file_check, frontmatter

OPENINGS = ["---\n", "--- \n", "---\t\n", "----\n", "---\r\n", "", "\ufeff---\n"]
KEYS = ["vote", "Vote", "vote ", "votes", "recorded-by", "vote:", "'vote'", "vote\t", "&a vote", "? vote"]
VALUES = [
    " up",
    " down",
    " none",
    " maybe",
    " 'up'",
    ' "down"',
    " no",
    " yes",
    "",
    " [up]",
    " {a: b}",
    " up # a comment",
    "  up",
    " up ",
    " *a",
    " |\n  up",
    " 2026-01-02",
    " 12",
    " ~",
    " up: down",
    " \u2028up",
    " [unclosed",
    " 'unclosed",
]
LINES = st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)).map(lambda pair: f"{pair[0]}:{pair[1]}\n")
CLOSINGS = ["---\n", "...\n", "--- \n", "---", "", "---\r\n"]
BODIES = ["", "Yes please.\n", "\n", "---\nvote: down\n---\n", "Line one\nLine two"]


@settings(max_examples=300, deadline=None)
@given(
    opening=st.sampled_from(OPENINGS),
    lines=st.lists(LINES | st.sampled_from(["# a comment\n", "\n", "  \n"]), max_size=3),
    closing=st.sampled_from(CLOSINGS),
    body=st.sampled_from(BODIES),
)
@pytest.mark.slow
def test_the_short_path_equals_the_full_parse(opening: str, lines: list[str], closing: str, body: str) -> None:
    text = opening + "".join(lines) + closing + body
    for _ in range(2):  # the second time from what the first one kept
        try:
            expected = frontmatter.parse(text)
        except frontmatter.FrontMatterError as error:
            try:
                file_check.parse(text)
            except frontmatter.FrontMatterError as again:
                assert (again.line, again.message) == (error.line, error.message)
            else:
                raise AssertionError(f"the short path read {text!r}, which does not parse")
            continue
        assert file_check.parse(text) == expected


def test_documents_share_nothing_that_can_change() -> None:
    first = file_check.parse("---\nvote: up\n---\nYes.\n")
    first.fields.clear()
    first.key_lines.clear()
    first.problems.append((1, "changed"))
    assert first.layout is not None
    first.layout.spans.clear()
    second = file_check.parse("---\nvote: up\n---\n")
    assert second == frontmatter.parse("---\nvote: up\n---\n")
    assert second.fields["vote"].value == "up" and second.body == ""


def test_only_plain_values_are_reused() -> None:
    """A list could be changed by whoever holds it: such front matter is parsed each time."""
    first = file_check.parse("---\nvote: [up]\n---\n")
    first.fields["vote"].value.append("changed")
    assert file_check.parse("---\nvote: [up]\n---\n") == frontmatter.parse("---\nvote: [up]\n---\n")
