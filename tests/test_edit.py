"""The editor over the one front matter reader: odd line breaks, braces, CRLF, indentation."""

from __future__ import annotations

from datetime import date

import pytest

from bubbleup.core.frontmatter import parse
from bubbleup.core.model import BubbleupError, Status, Vote
from bubbleup.write.edit import REMOVE, edit_front_matter
from bubbleup.write.participate import decide, revote


@pytest.mark.parametrize("separator", ["\u0085", "\u2028", "\u2029"])
def test_a_line_separator_inside_a_quoted_value_keeps_the_closing_fence(separator: str) -> None:
    original = f'---\ntitle: "one{separator}two"\nauthors: [ann]\nstatus: proposed\n---\nBody\n'
    edited = decide(original, Status.PROPOSED, Status.PLANNED, "bob", date(2026, 11, 2), "Yes.")
    assert edited.startswith(f'---\ntitle: "one{separator}two"\nauthors: [ann]\nstatus: planned\ndecision:\n')
    assert edited.endswith("  reason: Yes.\n---\nBody\n")
    document = parse(edited)
    assert document.fields["status"].value == "planned" and document.body == "Body\n"


def test_a_vote_next_to_a_line_separator_keeps_the_file() -> None:
    original = "---\nvote: up\nnote: 'a\u2028b'\n---\nText\n"
    assert revote(original, Vote.DOWN) == "---\nvote: down\nnote: 'a\u2028b'\n---\nText\n"


def test_decide_on_front_matter_in_braces_keeps_the_idea() -> None:
    original = "---\n{title: F, authors: [mkim]}\n---\nBody\n"
    edited = decide(original, Status.PROPOSED, Status.DECLINED, "bob", date(2026, 11, 2), "Not now, maybe: later.")
    assert edited == (
        "---\n{title: F, status: declined, decision: {by: bob, date: 2026-11-02, "
        "reason: 'Not now, maybe: later.'}, authors: [mkim]}\n---\nBody\n"
    )
    fields = parse(edited).fields
    assert fields["title"].value == "F" and fields["authors"].plain() == ["mkim"]
    assert fields["decision"].plain()["reason"] == "Not now, maybe: later."
    back = decide(edited, Status.DECLINED, Status.PROPOSED, "bob", date(2026, 11, 3), "Reopened.")
    assert back == "---\n{title: F, status: proposed, authors: [mkim]}\n---\nBody\n"


@pytest.mark.parametrize(
    ("original", "changes", "expected"),
    [
        ("{a: 1, status: x, c: 2}", {"status": REMOVE}, "{a: 1, c: 2}"),
        ("{a: 1, status: x}", {"status": REMOVE}, "{a: 1}"),
        ("{status: x}", {"status": REMOVE}, "{}"),
        ("{}", {"status": "x", "vote": "up"}, "{status: x, vote: up}"),
        ("{vote: , b: 1}", {"vote": "up"}, "{vote: up, b: 1}"),
        ("{a: 1}  # note", {"b": "x, y"}, "{a: 1, b: 'x, y'}  # note"),
    ],
)
def test_braces_are_edited_inside_the_braces(original: str, changes: dict, expected: str) -> None:
    assert edit_front_matter(f"---\n{original}\n---\n", changes) == f"---\n{expected}\n---\n"


def test_crlf_files_keep_their_line_endings() -> None:
    original = "---\r\ntitle: T\r\nauthors: [ann]\r\nstatus: proposed\r\n---\r\nBody\r\nmore\r\n"
    edited = decide(original, Status.PROPOSED, Status.PLANNED, "bob", date(2026, 11, 2), "Yes.")
    assert edited == (
        "---\r\ntitle: T\r\nauthors: [ann]\r\nstatus: planned\r\ndecision:\r\n  by: bob\r\n"
        "  date: 2026-11-02\r\n  reason: Yes.\r\n---\r\nBody\r\nmore\r\n"
    )
    voted = revote("---\r\nvote: up\r\n---\r\nOld\r\n", Vote.DOWN, "New\nlines\n")
    assert voted == "---\r\nvote: down\r\n---\r\nNew\r\nlines\r\n"


def test_an_indented_mapping_gets_indented_keys_and_comments_after_a_block_stay() -> None:
    original = "---\n  title: x\n  tags:\n    - a\n  # about status\n  status: y\n---\n"
    edited = edit_front_matter(original, {"tags": ["q"], "new": 1})
    assert edited == "---\n  title: x\n  tags: [q]\n  # about status\n  status: y\n  new: 1\n---\n"


def test_a_multi_line_value_is_written_on_one_line() -> None:
    edited = edit_front_matter("---\nnote: x  # keep\n---\n", {"note": "one\ntwo\u2028three"})
    assert edited == '---\nnote: "one\\ntwo\\Lthree"  # keep\n---\n'
    assert parse(edited).fields["note"].value == "one\ntwo\u2028three"


def test_an_empty_value_is_replaced_whole() -> None:
    assert edit_front_matter("---\nvote:\nb: 1\n---\n", {"vote": "up"}) == "---\nvote: up\nb: 1\n---\n"


@pytest.mark.parametrize("text", ["---\nvote: [up\n---\n", "---\nvote: up\n", "no front matter\n"])
def test_files_that_cannot_be_read_are_refused_with_a_line(text: str) -> None:
    with pytest.raises(BubbleupError) as caught:
        edit_front_matter(text, {"vote": "down"})
    assert caught.value.message
