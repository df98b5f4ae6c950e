"""Line ends Git converts on checkout (core.autocrlf, .gitattributes text and eol): the
working tree's bytes are not the blob's, so a result kept by blob id alone could be the one
made from other bytes. Such repositories key a result by the bytes read as well
(git/parse_cache.py), and a cached load equals an uncached one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bubbleup.git import runner
from conftest import GitRepo, idea, vote, write
from test_parse_cache import cached, fresh

FILES = {
    "ideas/coffee.md": idea("Better coffee", body="## Problem\n\nCold.\n\n<script>x</script>\n"),
    "ideas/coffee/ann.md": vote("up", "Yes please.\nTwo lines.\n"),
    "ideas/coffee/zed.md": vote("up"),  # not in the roster: a problem at a line
}


def checked_out_again(repo: GitRepo) -> None:
    """Git writes the idea files again, as a fresh checkout does (its index then holds them unchanged)."""
    for name in FILES:
        (repo.root / name).unlink()
    repo.git("checkout", "--", "ideas")
    assert repo.git("diff-files", "--name-only") == ""


@pytest.mark.parametrize("how", ["autocrlf", "attributes", "an editor"])
def test_a_file_git_holds_unchanged_with_other_line_ends_is_read_again(site_repo: GitRepo, how: str) -> None:
    """The cache is made from the files as they are; then Git or an editor writes them with
    other line ends, and Git still holds them unchanged (same blobs)."""
    repo = site_repo
    if how == "attributes":
        repo.commit({".gitattributes": "*.md text eol=crlf\n"}, "line ends")
    else:
        repo.git("config", "core.autocrlf", "true")
    repo.commit(FILES, "ideas")  # written with LF, and so are the blobs
    if how == "an editor":
        checked_out_again(repo)  # CRLF
    before, _ = cached(repo.root)
    if how == "an editor":
        write(repo.root, FILES)  # an editor saves them with LF again
        repo.git("add", "-A")  # as a commit of other files does: the index takes their new sizes
        assert repo.git("status", "--porcelain") == ""
    else:
        checked_out_again(repo)  # CRLF
    assert (b"\r\n" in (repo.root / "ideas/coffee.md").read_bytes()) is (how != "an editor")
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root)
    assert memo.recalled == 0
    # What the line ends change: the texts, byte for byte; not the problems or their lines.
    assert catalog.ideas["coffee"].text != before.ideas["coffee"].text
    assert catalog.ideas["coffee"].text.replace("\r\n", "\n") == before.ideas["coffee"].text.replace("\r\n", "\n")
    assert catalog.problems == before.problems and catalog.problems
    _, memo = cached(repo.root)
    assert memo.recalled == 3  # the bytes read are the key: unchanged, they are recalled


def test_without_conversion_the_blob_id_is_enough(site_repo: GitRepo) -> None:
    """No conversion: no file is read to be recalled (its blob id stands for its bytes)."""
    site_repo.commit({**FILES, ".gitattributes": "*.png filter=lfs diff=lfs merge=lfs -text\n* -text\n"})
    cached(site_repo.root)
    _, memo = cached(site_repo.root)
    assert memo.recalled == 3 and not memo.converting
    assert memo.blobs["ideas/coffee.md"] == site_repo.git("rev-parse", "HEAD:ideas/coffee.md").strip()


@pytest.mark.parametrize(
    ("attributes", "converting"),
    [
        ("*.md text\n", True),
        ("* text=auto\n", True),
        ("ideas/**\teol=crlf\n", True),
        ("[attr]ours text\n*.md ours\n", True),
        ("*.md ident\n", True),
        ("# *.md text\n", False),
        ("*.png filter=lfs diff=lfs merge=lfs -text\n", False),
        ("* -text\n*.md !eol\n", False),
        ("*.md linguist-documentation\n", False),
    ],
)
def test_which_attributes_convert(tmp_path: Path, attributes: str, converting: bool) -> None:
    path = tmp_path / ".gitattributes"
    path.write_text(attributes)
    assert runner._converting(path) is converting
