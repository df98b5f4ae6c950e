"""Hostile and careless input found by an audit: each test fails without its fix."""

from __future__ import annotations

import re
import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bubbleup.git import scoped

_QUADRATIC_PATH_TOKEN = re.compile(r"[^\s()\[\]<>\"'`]+/[^\s()\[\]<>\"'`]*")
"""The pattern `scoped` searched texts with before: what `path_tokens` must still find."""


@given(st.text(alphabet="ab/ ()[]<>\"'`\n\t\u00a0\u2003-.", max_size=60))
def test_path_tokens_are_the_words_the_old_pattern_found(text: str) -> None:
    assert scoped.path_tokens(text) == _QUADRATIC_PATH_TOKEN.findall(text)


def test_a_long_word_without_a_slash_does_not_stall_the_scoped_check(tmp_path: Path) -> None:
    """200 kB of one word (under max_file_size) took the old pattern minutes."""
    (tmp_path / "long.md").write_text("---\ntitle: Long\n---\n" + "x" * 200_000 + " see other/diagram.png\n")
    started = time.process_time()
    found = scoped._named_folders(tmp_path, scoped.Selection(folders={"long"}))
    assert time.process_time() - started < 5
    assert {"other", "diagram.png"} <= found
