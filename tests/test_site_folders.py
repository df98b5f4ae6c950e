"""The site folders cache (site/site_folders.py) never changes a listing: a folder is
taken from it only while its inode, device and times are those it was read with, so a
folder changed in any way (an entry added, removed, renamed, replaced by another inode,
the folder itself removed or replaced) is read again, and a damaged or foreign cache is
set aside. Listings with it equal listings without it."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.site import site_folders
from bubbleup.site.site_folders import FORMAT, NAME, SiteFolders
from bubbleup.site.spare import Listing, listing

RACY = 20_000_000
"""A shorter racy window for the tests (nanoseconds): longer than a clock tick."""


@pytest.fixture(autouse=True)
def short_racy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site_folders, "RACY", RACY)


def settle() -> None:
    """Wait past the racy window: what changed so far may be kept, and what changes next has later times."""
    time.sleep(2 * RACY / 1e9)


def same(found: Listing, expected: Listing) -> None:
    assert (found.files, found.folders, found.odd) == (expected.files, expected.folders, expected.odd)


def modes(top: Path, found: Listing) -> dict[str, int]:
    return {folder: stat.S_IMODE(os.lstat(top / folder).st_mode) for folder in found.folders}


def listed(top: Path, cache: Path) -> tuple[Listing, SiteFolders]:
    """A listing of `top` with the cache, checked against one without, and saved."""
    folders_read = SiteFolders(cache)
    found = listing(top, folders_read)
    same(found, listing(top))
    assert found.modes == modes(top, found)
    folders_read.save()
    return found, folders_read


def make(top: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (top / path).parent.mkdir(parents=True, exist_ok=True)
        (top / path).write_text(text)


def test_an_unchanged_site_is_looked_at_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top, cache = tmp_path / "site", tmp_path / NAME
    make(top, {"index.html": "home", "a/x.html": "x", "a/b/y.html": "y", "c/z.css": "z"})
    (top / "link").symlink_to(top / "a")
    settle()
    listed(top, cache)

    def unread(folder: str) -> None:
        raise AssertionError(f"{folder} was read again")

    monkeypatch.setattr(site_folders, "read", unread)
    found, folders_read = listed(top, cache)
    assert folders_read.recalled == 1 + len(found.folders) == 4
    assert found.odd == {"link"}


def test_each_kind_of_change_has_its_folder_read_again(tmp_path: Path) -> None:
    top, cache = tmp_path / "site", tmp_path / NAME
    make(top, {"a/x.html": "x", "a/b/y.html": "y", "c/z.css": "z", "d/w.html": "w", "e/v.html": "v", "f/u.html": "u"})
    settle()
    listed(top, cache)
    (top / "a/x.html").unlink()
    (top / "a/x.html").write_text("another inode")  # replaced
    shutil.rmtree(top / "a/b")
    (top / "a/b").mkdir()  # the same name, another folder
    (top / "c/z.css").rename(top / "c/renamed.css")
    shutil.rmtree(top / "d")
    (top / "d").write_text("a file where a folder was")
    (top / "e").chmod(0o700)
    found, folders_read = listed(top, cache)
    assert found.files["a/x.html"] == (top / "a/x.html").stat().st_ino
    assert "c/renamed.css" in found.files and "d" in found.files and "a/b/y.html" not in found.files
    assert found.modes["e"] == 0o700
    assert folders_read.recalled == 1  # f alone: a new mode changes e's change time too


NAMES = ("a", "b", "c")
PATHS = [f"{first}/{second}" for first in NAMES for second in NAMES] + list(NAMES)
CHANGES = st.lists(st.tuples(st.sampled_from(("file", "replace", "remove", "folder", "link")), st.sampled_from(PATHS)))


def change(top: Path, kind: str, path: str) -> None:
    """One change where it can be made: a new file, a file replaced by another inode, an
    entry removed, a folder made, a symbolic link to a folder."""
    where = top / path
    if not where.parent.is_dir():
        return
    exists = where.exists() or where.is_symlink()
    if kind == "remove" and exists:
        shutil.rmtree(where) if where.is_dir() and not where.is_symlink() else where.unlink()
    elif kind == "file" and not exists:
        where.write_text(path)
    elif kind == "replace" and exists and not where.is_dir():
        (top / "new").write_text("replaced")
        os.replace(top / "new", where)
    elif kind == "folder" and not exists:
        where.mkdir()
    elif kind == "link" and not exists:
        where.symlink_to(top)


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(PATHS), max_size=8), st.lists(CHANGES, min_size=1, max_size=3))
def test_listings_with_the_cache_equal_listings_without_it(files: list[str], rounds: list[list]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        top, cache = Path(scratch) / "site", Path(scratch) / NAME
        top.mkdir()
        for path in files:
            change(top, "folder" if path in NAMES else "file", path)
        settle()
        listed(top, cache)
        for changes in rounds:
            for kind, path in changes:
                change(top, kind, path)
            settle()
            listed(top, cache)


def good() -> dict:
    return {(1, 2): (3, 4, ("folder",), ("page.html",), (5,), ())}


DAMAGED = {
    "empty": b"",
    "format line only": FORMAT,
    "another format": b"bubbleup site folders 0\n" + pickle.dumps(good()),
    "truncated": FORMAT + pickle.dumps(good())[:-5],
    "not a dict": FORMAT + pickle.dumps([good()]),
    "a key that is not two numbers": FORMAT + pickle.dumps({"site": good()[(1, 2)]}),
    "a short record": FORMAT + pickle.dumps({(1, 2): (3, 4, (), ())}),
    "a time that is text": FORMAT + pickle.dumps({(1, 2): ("3", 4, (), (), (), ())}),
    "a name that leaves its folder": FORMAT + pickle.dumps({(1, 2): (3, 4, (), ("../x",), (5,), ())}),
    "a folder named ..": FORMAT + pickle.dumps({(1, 2): (3, 4, ("..",), (), (), ())}),
    "an empty name": FORMAT + pickle.dumps({(1, 2): (3, 4, ("",), (), (), ())}),
    "a name with a zero byte": FORMAT + pickle.dumps({(1, 2): (3, 4, (), ("a\0b",), (5,), ())}),
    "an inode missing": FORMAT + pickle.dumps({(1, 2): (3, 4, (), ("a", "b"), (5,), ())}),
    "an inode that is text": FORMAT + pickle.dumps({(1, 2): (3, 4, (), ("a",), ("5",), ())}),
    "a class": FORMAT + pickle.dumps({(1, 2): (3, 4, (), (Path("a"),), (5,), ())}),
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_or_foreign_cache_is_set_aside(tmp_path: Path, content: bytes) -> None:
    top, cache = tmp_path / "site", tmp_path / NAME
    make(top, {"a/x.html": "x"})
    cache.write_bytes(content)
    assert SiteFolders(cache).kept == {}
    listed(top, cache)
    cache.write_bytes(FORMAT + pickle.dumps(good()))
    assert SiteFolders(cache).kept == good()  # the cases above are damaged, not the reader


def test_a_folder_changed_within_the_racy_window_is_not_kept(tmp_path: Path) -> None:
    top, cache = tmp_path / "site", tmp_path / NAME
    make(top, {"a/x.html": "x"})
    settle()
    (top / "b").mkdir()
    _, folders_read = listed(top, cache)
    assert {key[1] for key in folders_read.seen} == {(top / "a").stat().st_ino}  # the top and b just changed
