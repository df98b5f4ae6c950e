"""The pages folder's listing kept between builds (site/listing_cache.py): a folder whose
status did not change is not read again, and the listing is the one a fresh walk gives
after every kind of change; a damaged or foreign cache is set aside."""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.site import listing_cache, walk
from bubbleup.site.walk import survey

FOLDERS = ["", "one", "two", "one/deep"]
SETTLE = 0.03
"""Seconds between a change and the next listing: more than a timestamp's granularity,
so that with no racy margin (`RACY` set to 0) a change after a listing shows."""


@pytest.fixture(autouse=True)
def no_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders changed just before a listing are kept, as those changed seconds before are."""
    monkeypatch.setattr(listing_cache, "RACY", 0)


def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders each listing reads."""
    read: list[str] = []
    real = os.scandir

    def counted(path):  # type: ignore[no-untyped-def]
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(walk.os, "scandir", counted)
    return read


def listed(top: Path) -> tuple[dict, bool]:
    tree = survey(top)
    return {folder: (sorted(found[0]), sorted(found[1])) for folder, found in tree.folders.items()}, tree.whole


def kept_listing(top: Path, cache: Path) -> tuple[dict, bool]:
    tree = survey(top, cache)
    return {folder: (sorted(found[0]), sorted(found[1])) for folder, found in tree.folders.items()}, tree.whole


def made(root: Path) -> Path:
    top = root / "pages"
    for folder in FOLDERS:
        (top / folder).mkdir(parents=True, exist_ok=True)
        (top / folder / "page.md").write_text("text")
    return top


def test_an_unchanged_folder_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top, cache = made(tmp_path), tmp_path / "listing.pickle"
    first = kept_listing(top, cache)
    time.sleep(SETTLE)
    read = scans(monkeypatch)
    assert kept_listing(top, cache) == first
    assert read == []
    assert first == listed(top)
    (top / "two" / "new.md").write_text("text")
    time.sleep(SETTLE)
    read.clear()
    assert kept_listing(top, cache) == listed(top)
    assert read[0] == f"{top}/two"  # the kept listing read only the folder that changed
    read.clear()
    kept_listing(top, cache)
    assert read == []


def test_a_damaged_or_foreign_listing_is_set_aside(tmp_path: Path) -> None:
    top, cache = made(tmp_path), tmp_path / "listing.pickle"
    kept_listing(top, cache)
    head, code, content = cache.read_bytes().split(b"\n", 2)
    found = pickle.loads(content)
    for damaged in (
        head + b"\n" + code + b"\n" + content[:-10],  # truncated
        b"other format\n" + code + b"\n" + content,
        head + b"\nother code\n" + content,
        head + b"\n" + code + b"\n" + pickle.dumps(("/elsewhere", found[1])),
        head + b"\n" + code + b"\n" + pickle.dumps((found[0], {"": (found[1][""][0], ((), ("../outside",)))})),
        head + b"\n" + code + b"\n" + pickle.dumps((found[0], {"": ("status", ((), ()))})),
    ):
        cache.write_bytes(damaged)
        assert listing_cache.Listings(cache, top).kept == {}
        assert kept_listing(top, cache) == listed(top)


CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["file", "unlink", "folder", "rmdir", "link to folder", "link to file"]),
        st.sampled_from(FOLDERS),
        st.sampled_from(["a", "b.md", "page.md"]),
    ),
    min_size=1,
    max_size=6,
)


def _apply(top: Path, change: tuple[str, str, str]) -> None:
    kind, folder, name = change
    path = top / folder / name
    if not path.parent.is_dir():
        return
    if kind == "file" and not path.exists():
        path.write_text("text")
    elif kind == "unlink" and (path.is_symlink() or path.is_file()):
        path.unlink()
    elif kind == "folder" and not path.exists() and not path.is_symlink():
        path.mkdir()
    elif kind == "rmdir" and path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
        path.rmdir()
    elif kind.startswith("link") and not path.exists() and not path.is_symlink():
        path.symlink_to(top / "one" if kind == "link to folder" else top / "page.md")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(CHANGES)
def test_a_kept_listing_is_what_a_walk_gives_after_any_change(changes: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        top, cache = made(root), root / "listing.pickle"
        kept_listing(top, cache)
        for change in changes:
            time.sleep(SETTLE)
            _apply(top, change)
            time.sleep(SETTLE)
            assert kept_listing(top, cache) == listed(top), change
