"""The generated folder's feeds reach the site as hard links, never shared with a file
anyone may write into, and the site is the same as with copies."""

from __future__ import annotations

import os
import stat

import pytest

from bubbleup.site.publish import umask
from conftest import GitRepo, build_site, idea, tree, vote


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def _same(first, second) -> bool:
    return os.stat(first).st_ino == os.stat(second).st_ino


@pytest.mark.slow
def test_feeds_are_linked_and_hand_written_files_copied(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/one.md": idea("One"), "docs/extra.txt": "hand-written\n"})
    build_site(site_repo)
    root = site_repo.root
    feed, source = root / "site/ideas/one/feed.xml", root / "docs/ideas/one/feed.xml"
    assert _same(feed, source) and feed.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(feed.stat().st_mode) == 0o666 & ~umask()
    assert not _same(root / "site/extra.txt", root / "docs/extra.txt")


@pytest.mark.slow
def test_a_changed_feed_is_linked_anew_and_the_old_site_keeps_its_own(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two")})
    build_site(site_repo)
    root = site_repo.root
    before = (root / "site/ideas/one/feed.xml").read_bytes()
    untouched = os.stat(root / "site/ideas/two/feed.xml").st_ino
    site_repo.commit({"ideas/one/bob.md": vote("up", "Yes.\n")})
    build_site(site_repo)
    feed = root / "site/ideas/one/feed.xml"
    assert feed.read_bytes() != before and _same(feed, root / "docs/ideas/one/feed.xml")
    assert os.stat(root / "site/ideas/two/feed.xml").st_ino == untouched
    spare = root / ".site.spare/site/ideas/one/feed.xml"  # the previous site, put aside by the swap
    assert spare.read_bytes() == before
    build_site(site_repo, "--clean", "--site-dir", str(root / "full"))
    assert tree(root / "site") == tree(root / "full")


@pytest.mark.slow
def test_a_source_with_another_mode_is_copied(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/one.md": idea("One")})
    build_site(site_repo)
    source = site_repo.root / "docs/ideas/one/feed.xml"
    os.chmod(source, 0o600)  # a copy would not keep it: the site's files are readable by all
    build_site(site_repo, "--clean")
    feed = site_repo.root / "site/ideas/one/feed.xml"
    assert not _same(feed, source) and feed.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(feed.stat().st_mode) == 0o666 & ~umask()


@pytest.mark.slow
def test_a_link_the_system_refuses_falls_back_to_a_copy(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    site_repo.commit({"ideas/one.md": idea("One")})

    def refuse(source, target) -> None:
        raise OSError(18, "Invalid cross-device link")  # EXDEV: the site on another filesystem

    monkeypatch.setattr(os, "link", refuse)
    build_site(site_repo)
    feed = site_repo.root / "site/ideas/one/feed.xml"
    assert feed.is_file() and not _same(feed, site_repo.root / "docs/ideas/one/feed.xml")
