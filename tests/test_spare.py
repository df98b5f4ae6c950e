"""The spare (the site a build put aside, brought up to date by the next build) never
changes a result: stale, damaged, missing or half brought up to date, the next build's
site equals a full build's, and the live site is never written through it."""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.site import site_folders, spare
from conftest import GitRepo, build_site, idea, tree, vote

build = build_site


def folders(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): stat.S_IMODE(path.lstat().st_mode)
        for path in folder.rglob("*")
        if path.is_dir()
    }


@pytest.fixture
def rebuilt(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A site built twice, so that a spare holds the first build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site_repo.commit({f"ideas/idea-{n}.md": idea(f"Idea {n}", extra="tags: [alpha]\n") for n in range(6)})
    build(site_repo)
    site_repo.commit({"ideas/idea-1/bob.md": vote("up", "Yes.\n")})
    build(site_repo)
    assert (site_repo.root / ".site.spare/site/ideas/idea-1/index.html").is_file()
    return site_repo


def equals_a_full_build(repo: GitRepo) -> None:
    build(repo, "--clean", "--site-dir", str(repo.root / "full"))
    site, full = repo.root / "site", repo.root / "full"
    assert tree(site) == tree(full)
    assert folders(site) == folders(full)


@pytest.mark.slow
def test_the_old_site_is_not_changed_by_bringing_the_spare_up_to_date(rebuilt: GitRepo) -> None:
    """Most of the spare's files are the live site's too: a build that wrote into one
    would change the site it replaces, which is the spare after the swap."""
    site = rebuilt.root / "site"
    old = tree(site)
    kept = (site / "ideas/idea-4/index.html").stat().st_ino
    rebuilt.commit({"ideas/idea-2/cat.md": vote("down", "No.\n"), "ideas/idea-9.md": idea("Idea 9")})
    build(rebuilt)
    assert tree(rebuilt.root / ".site.spare/site") == old
    assert (site / "ideas/idea-4/index.html").stat().st_ino == kept  # reused, not written again
    equals_a_full_build(rebuilt)
    assert ".site.spare" not in rebuilt.git("status", "--porcelain")


def damage(spare_site: Path, live: Path) -> None:
    """Everything a spare could hold that is not the site: wrong bytes, extra files and
    folders, a file where a folder goes and the reverse, a symbolic link into the live
    site, a folder with the wrong mode."""
    page = spare_site / "ideas/idea-3/index.html"
    page.unlink()
    page.write_bytes(b"stale")
    (spare_site / "extra.html").write_bytes(b"extra")
    (spare_site / "empty/deeper").mkdir(parents=True)
    shutil.rmtree(spare_site / "ideas/idea-5")
    (spare_site / "ideas/idea-5").write_bytes(b"a file where a folder goes")
    (spare_site / "index.html").unlink()
    (spare_site / "index.html").mkdir()
    shutil.rmtree(spare_site / "search")
    (spare_site / "search").symlink_to(live / "search")
    (spare_site / "assets").chmod(0o700)


@pytest.mark.slow
def test_a_damaged_spare_gives_the_site_of_a_full_build(rebuilt: GitRepo) -> None:
    site = rebuilt.root / "site"
    damage(rebuilt.root / ".site.spare/site", site)
    old = tree(site)
    rebuilt.commit({"ideas/idea-3/cat.md": vote("down")})
    build(rebuilt)
    assert tree(rebuilt.root / ".site.spare/site") == old  # the live site was not written through the link
    equals_a_full_build(rebuilt)


@pytest.mark.slow
def test_a_missing_or_foreign_spare_gives_the_site_of_a_full_build(rebuilt: GitRepo) -> None:
    holder = rebuilt.root / ".site.spare"
    shutil.rmtree(holder)
    rebuilt.commit({"ideas/idea-3/cat.md": vote("down")})
    build(rebuilt)
    equals_a_full_build(rebuilt)
    shutil.rmtree(holder / "site")
    (holder / "site").symlink_to(rebuilt.root / "site")  # the live site itself, as a spare
    rebuilt.commit({"ideas/idea-2/cat.md": vote("up")})
    build(rebuilt)
    equals_a_full_build(rebuilt)


class Killed(BaseException):
    """Stands for a kill: nothing after it runs."""


@pytest.mark.slow
def test_a_build_killed_while_bringing_the_spare_up_to_date(rebuilt: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    site = rebuilt.root / "site"
    old = tree(site)
    rebuilt.commit({"ideas/idea-2/cat.md": vote("down", "No.\n"), "ideas/idea-9.md": idea("Idea 9")})
    rename, link = os.rename, os.link
    calls = {"rename": 0}

    def rename_then_die(source, destination):
        calls["rename"] += 1
        if calls["rename"] > 3:
            raise Killed
        rename(source, destination)

    def link_then_die(source, destination):
        link(source, destination)
        raise Killed  # the link made, not yet moved into place

    for broken in (("rename", rename_then_die), ("link", link_then_die)):
        with monkeypatch.context() as patch:
            patch.setattr(spare.os, *broken)
            with pytest.raises(Killed):
                CliRunner().invoke(cli, ["-f", str(rebuilt.root / "mkdocs.yml"), "build"])
        assert tree(site) == old
    build(rebuilt)
    equals_a_full_build(rebuilt)


def test_the_spare_is_brought_to_exactly_the_new_site(tmp_path: Path) -> None:
    """`refresh` alone: written files moved or linked, reused ones linked, the rest gone."""
    live, staging, holder = tmp_path / "site", tmp_path / "staging", tmp_path / ".site.spare"
    for path, text in {"a/same.html": "same", "a/old.html": "old", "b/kept.css": "kept", "gone.html": "gone"}.items():
        (live / path).parent.mkdir(parents=True, exist_ok=True)
        (live / path).write_text(text)
    for path, text in {"a/same.html": "same", "a/old.html": "new", "c/d/new.html": "fresh"}.items():
        (staging / path).parent.mkdir(parents=True, exist_ok=True)
        (staging / path).write_text(text)
    mask = os.umask(0o022)
    os.umask(mask)
    modes = (0o777 & ~mask, 0o666 & ~mask)
    target = spare.spare_for(live, modes[0])
    assert target == holder / "site" and (holder / ".gitignore").read_text() == "*\n"
    (target / "gone.html").write_text("stale")
    spare.refresh(target, staging, live, ["b/kept.css"], modes)
    assert tree(target) == {
        "a/same.html": b"same",
        "a/old.html": b"new",
        "b/kept.css": b"kept",
        "c/d/new.html": b"fresh",
    }
    for path in ("a/same.html", "b/kept.css"):
        assert (target / path).stat().st_ino == (live / path).stat().st_ino
    assert (target / "a/old.html").stat().st_ino != (live / "a/old.html").stat().st_ino
    assert tree(live)["a/old.html"] == b"old" and (live / "gone.html").read_text() == "gone"


@pytest.mark.slow
def test_builds_that_look_at_the_folders_rather_than_read_them_equal_a_full_build(
    rebuilt: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build reads only the site's and the spare's folders that changed since a build
    read them (site/site_folders.py): a damaged spare, a page's folder removed from the
    live site and a page there replaced by another inode, all behind the builds' back,
    are each seen, and the site equals a full build's."""
    monkeypatch.setattr(site_folders, "RACY", 20_000_000)  # a tick, not two seconds: the test waits for it
    time.sleep(0.05)
    rebuilt.commit({"ideas/idea-2/cat.md": vote("up")})
    build(rebuilt)  # reads both trees, and keeps what it read
    time.sleep(0.05)
    site, spare_site = rebuilt.root / "site", rebuilt.root / ".site.spare/site"
    damage(spare_site, site)
    shutil.rmtree(site / "ideas/idea-4")
    page = site / "ideas/idea-0/index.html"
    content = page.read_bytes()
    page.unlink()
    page.write_bytes(content)
    read: list[str] = []
    reader = site_folders.read
    monkeypatch.setattr(site_folders, "read", lambda folder: read.append(folder.rstrip("/")) or reader(folder))
    rebuilt.commit({"ideas/idea-3/cat.md": vote("down")})
    build(rebuilt)
    folders = [path for path in (*site.rglob("*"), *spare_site.rglob("*")) if path.is_dir()]
    assert 0 < len(read) < len(folders) / 2
    changed = (site / "ideas", site / "ideas/idea-0", spare_site / "ideas", spare_site / "ideas/idea-3", spare_site)
    assert {str(folder) for folder in changed} <= set(read)
    equals_a_full_build(rebuilt)
