"""Hostile and careless input found by an audit: each test fails without its fix."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bubbleup.core import allowlist, markup
from bubbleup.core.loader import load
from bubbleup.git import scoped
from conftest import ROSTER, idea, vote, write

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


_ONE_SEARCH = re.compile(
    r"<!--(?:[^-]|-[^-]|--[^>])*-->|<!---?>"
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z_:][A-Za-z0-9:._-]*(?:\s*=\s*(?:[^\"'=<>`\x00-\x20]+|'[^']*'|\"[^\"]*\"))?)*)\s*(/?)>"
    r"|<[?][\s\S]*?[?]>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>"
)
"""The single search `clean_fragment` ran before: what `_pieces` must still find."""


@settings(max_examples=3000)
@given(st.text(alphabet="<!->?[]CDATa b=\"'/\n", max_size=40))
@example("<!-- ---><!-- ---><!--->")
@example("<!-- x --->-->")
@example("<!-- a -- b <!----> <!-----> <!--x-->")
def test_html_pieces_are_those_one_search_found(content: str) -> None:
    found = [(match.span(), match.groups()) for match in allowlist._pieces(content)]
    assert found == [(match.span(), match.groups()) for match in _ONE_SEARCH.finditer(content)]


@pytest.mark.parametrize("unit", ["<?", "<!--a", "<!-- --->", "<![CDATA[", "<!x"])
def test_html_that_never_ends_is_read_in_linear_time(unit: str) -> None:
    """40 kB of each took `check` and `build` from 3 to 15 s (quadratic) before."""
    text = unit * (40_000 // len(unit))
    started = time.process_time()
    markup.scan(text)
    markup.render(text)
    assert time.process_time() - started < 2


def test_a_named_pipe_among_the_ideas_is_reported_not_waited_on(tmp_path: Path) -> None:
    """Opening a named pipe waits for a writer: check, build and every other command hung."""
    write(tmp_path, {"ideas/ok.md": idea("Ok"), "ideas/ok/bob.md": vote("up"), "ideas/people.yml": ROSTER})
    os.mkfifo(tmp_path / "ideas" / "pipe.md")
    os.mkfifo(tmp_path / "ideas" / "ok" / "ann.md")
    found: list[list[str]] = []
    reading = threading.Thread(
        target=lambda: found.append([str(p) for p in load(tmp_path, tmp_path / "ideas").problems])
    )
    reading.start()
    reading.join(timeout=20)
    for pipe in ("pipe.md", "ok/ann.md"):  # release a reader that waits, so that the test ends
        with contextlib.suppress(OSError):
            os.close(os.open(tmp_path / "ideas" / pipe, os.O_WRONLY | os.O_NONBLOCK))
    reading.join(timeout=20)
    assert found == [
        [
            "ideas/ok/ann.md:1: error: not a regular file (a named pipe, a socket or a device); it is not read",
            "ideas/pipe.md:1: error: not a regular file (a named pipe, a socket or a device); it is not read",
        ]
    ]
