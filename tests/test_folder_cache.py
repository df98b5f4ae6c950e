"""The folders cache (core/folder_cache.py): a folder whose status is the one it had when
listed is not listed again, and the catalog is the one loaded without any cache, after
files are added, removed, renamed, changed or replaced, and over a damaged cache."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core import folder_cache, loader
from bubbleup.core.model import Catalog
from bubbleup.git.snapshot import load_catalog
from conftest import GitRepo, vote, with_folders_trusted, write
from test_parse_cache import FILES, fresh, settings_of


@pytest.fixture
def repo(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """The parse cache's repository, with folders trusted as soon as they are listed."""
    return with_folders_trusted(site_repo, monkeypatch, FILES)


def loaded(root: Path) -> tuple[Catalog, int]:
    """The catalog loaded with every cache, and how many folders were not listed again."""
    recalled = []
    original = folder_cache.FolderCache.save

    def save(self: folder_cache.FolderCache) -> None:
        recalled.append(self.recalled)
        original(self)

    folder_cache.FolderCache.save = save  # type: ignore[method-assign]
    try:
        catalog = load_catalog(settings_of(root))
    finally:
        folder_cache.FolderCache.save = original  # type: ignore[method-assign]
    return catalog, recalled[0]


def same(root: Path) -> int:
    """Load with the caches twice; each time the catalog is the one loaded without any."""
    catalog, recalled = loaded(root)
    assert catalog == fresh(root)
    return recalled


@pytest.mark.slow
def test_a_folder_as_it_was_listed_is_not_listed_again(repo: GitRepo) -> None:
    assert same(repo.root) == 0
    assert same(repo.root) == 2  # tea/ and gone/; coffee/ holds customers/ and an image: always listed
    assert (repo.root / ".bubbleup-cache" / folder_cache.NAME).is_file()
    write(repo.root, {"ideas/tea/ann.md": vote("up")})  # added
    assert same(repo.root) == 1
    (repo.root / "ideas/tea/ann.md").rename(repo.root / "ideas/tea/bob.md")  # renamed
    assert same(repo.root) == 1
    (repo.root / "ideas/tea/bob.md").write_text(vote("down"))  # changed in place: the parse cache's part
    assert same(repo.root) == 2
    (repo.root / "ideas/tea/bob.md").unlink()  # removed
    (repo.root / "ideas/tea/cat.md").unlink()
    (repo.root / "ideas/tea/cat.md").mkdir()  # a folder where a file was
    assert same(repo.root) == 1
    shutil.rmtree(repo.root / "ideas/tea/cat.md")
    os.symlink("../coffee/ann.md", repo.root / "ideas/tea/cat.md")  # a link where a file was
    assert same(repo.root) == 1
    assert same(repo.root) == 1  # a folder with a link in it is always listed


def test_a_folder_changed_just_before_its_listing_is_listed_again(repo: GitRepo, monkeypatch) -> None:
    """A folder changed within `RACY` of the moment the load began is not kept: a second
    change in the same tick of its clock would leave its times as they were."""
    time.sleep(0.05)  # tea/ changes a clock tick after gone/ was made
    write(repo.root, {"ideas/tea/ann.md": vote("up")})
    changed = (repo.root / "ideas/tea").stat().st_ctime_ns
    assert (repo.root / "ideas/gone").stat().st_ctime_ns < changed
    monkeypatch.setattr(folder_cache, "RACY", 2_000_000_000)
    monkeypatch.setattr(folder_cache, "time", SimpleNamespace(time_ns=lambda: changed + 2_000_000_000))
    assert same(repo.root) == 0
    assert same(repo.root) == 1  # gone/ is older; tea/ changed as the load began


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"not a cache",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw.replace(b"\n", b"x", 1),  # another format
        lambda raw: raw[: raw.index(b"\n") + 1] + b"0" * 64 + raw[raw.index(b"\n") + 65 :],  # other code
        "class",  # a pickle of a class
        "outside",  # a folder outside the ideas folder
        "name",  # a file name that leads out of its folder
        "status",  # a status that is no number
        "doubled",  # a folder named with a doubled slash: the walk never makes one
        ".hidden.md",  # names the walk takes only after a second look, or never
        "_draft.md",
        "README.md",
        "notes.txt",
    ],
)
def test_a_damaged_or_foreign_folders_cache_is_set_aside(repo: GitRepo, damage) -> None:
    same(repo.root)
    path = repo.root / ".bubbleup-cache" / folder_cache.NAME
    raw = path.read_bytes()
    head = b"".join(raw.splitlines(keepends=True)[:2])
    if callable(damage):
        path.write_bytes(damage(raw))
    else:
        folder, prefix, kept = pickle.loads(raw[len(head) :])
        key = next(iter(kept))
        status, names = kept[key]
        if damage == "class":
            kept[key] = (status, [Path("x.md")])
        elif damage == "outside":
            kept[os.path.dirname(folder) + "/elsewhere"] = (status, names)
        elif damage == "name":
            kept[key] = (status, ["../../coffee.md"])
        elif damage == "doubled":
            kept[folder + "//" + os.path.basename(key)] = kept.pop(key)
        elif damage == "status":
            kept[key] = (tuple(map(float, status)), names)
        else:
            kept[key] = (status, [*names, damage])
        path.write_bytes(head + pickle.dumps((folder, prefix, kept)))
    assert same(repo.root) == 0
    assert same(repo.root) == 2


def test_without_a_cache_folder_nothing_is_kept(repo: GitRepo) -> None:
    settings = dataclasses.replace(settings_of(repo.root), cache_dir=None)
    assert load_catalog(settings) == fresh(repo.root)
    assert not (repo.root / ".bubbleup-cache" / folder_cache.NAME).exists()


def one_by_one(names: list[str]) -> bool:
    """How the names were checked before: a call per name for each rule."""
    return (
        "/" not in "".join(names)
        and "\0" not in "".join(names)
        and all(name.endswith(".md") for name in names)
        and not any(name.startswith((".", "_")) for name in names)
        and not any(name.lower() in loader.IGNORED_NAMES for name in names)
    )


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(["a.md", ".md", "_.md", "README.MD", "ReadMe.md", "x.MD", "\0.md", "a\0", "ΑΣ.md"])
        | st.text(max_size=6)
    )
)
@pytest.mark.slow
def test_the_names_are_checked_as_one_by_one(names: list[str]) -> None:
    """Names checked in one text, between NULs, are refused exactly where a call per name refused one."""
    kept = {"/ideas/one": ((1, 2, 3, 4, 5), names)}
    assert folder_cache._well_formed(kept, "/ideas") == one_by_one(names)
