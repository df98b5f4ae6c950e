"""Each idea's tally, timeline and crossings are kept between runs under a key of what they
are made from (git/parts_cache.py), and a build with them is the build without any cache."""

from __future__ import annotations

import dataclasses
import pickle
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bubbleup.core import resident
from bubbleup.core.config import settings as read_settings
from bubbleup.git import parts_cache
from bubbleup.git.snapshot import Snapshot, snapshot
from bubbleup.site.pages import generate, render
from bubbleup.site.preview import Preview
from conftest import GitRepo, vote, write
from test_preview import CHANGES, NOW, _apply, _same_as_a_fresh_build, _started
from test_recipes import on_disk


def _same_as_without_a_cache(repo: GitRepo, now: datetime = NOW) -> Snapshot:
    """A build's snapshot and pages, with every cache, are those made without any."""
    settings = read_settings(repo.root / "mkdocs.yml")
    cached = snapshot(settings, now, whole_history=True)
    bare = snapshot(dataclasses.replace(settings, cache_dir=None), now, whole_history=True)
    assert cached.catalog == bare.catalog
    assert cached.tallies == bare.tallies and list(cached.tallies) == list(bare.tallies)
    assert cached.timelines == bare.timelines
    assert cached.crossed == bare.crossed and list(cached.crossed) == list(bare.crossed)
    assert cached.queue == bare.queue
    generate(cached)
    assert on_disk(repo) == render(bare)
    return cached


EVERY_KIND = [
    ("vote", "two", "ann", "up", "Me too.\n"),  # not committed: Two is dated now, the others kept
    ("commit",),
    ("vote", "one", "bob", "down", "Yes, and soon.\n"),
    ("commit",),
    ("amend",),  # the same files, another author: One's timeline changes
    ("reset",),  # the vote gone from the history, not from the index: dated now again
    ("commit",),
    ("status", "two", "under-review"),
    ("commit",),
    ("duplicate", "one", "two"),
    ("commit",),
    ("team", "cat", "support"),  # the roster: the keys of the ideas with her votes
    ("threshold",),  # the settings too
    ("unvote", "one", "bob"),
    ("commit",),
]


def _change(repo: GitRepo, change: tuple) -> None:
    """Test_preview's changes, and those that rewrite the history or change the settings."""
    if change[0] == "amend":
        repo.git("commit", "-q", "--amend", "--no-edit", "--reset-author", author="Cat Example <cat@example.com>")
    elif change[0] == "reset":
        if repo.git("rev-list", "--count", "HEAD").strip() != "1":  # the site's commit stays
            repo.git("reset", "-q", "--soft", "HEAD~1")
    elif change[0] == "threshold":
        config = repo.root / "mkdocs.yml"
        text = config.read_text()
        config.write_text(
            text.replace("votes: 2", "votes: 1") if "votes: 2" in text else text.replace("votes: 1", "votes: 2")
        )
    else:
        _apply(repo, change)


@pytest.mark.slow
def test_after_every_kind_of_change_a_build_is_the_build_without_a_cache(
    tmp_path: Path, recalled: list[set[str]]
) -> None:
    repo = _started(tmp_path / "repo")
    _same_as_without_a_cache(repo)
    for minutes, change in enumerate(EVERY_KIND, 1):
        _change(repo, change)
        _same_as_without_a_cache(repo, NOW + timedelta(minutes=minutes))
    assert recalled[1] == {"one", "three"}  # Two, voted on and not committed, is dated now
    assert recalled[2] == {"one", "three"}  # Two's vote committed: its history changed
    assert recalled[4] == {"two", "three"}  # One's vote changed (Three, its duplicate, counts its own)
    assert not recalled[-3] and not recalled[-2]  # after the roster and the settings changed


@pytest.mark.slow
def test_a_shallow_clone_and_its_deepening_build_as_without_a_cache(tmp_path: Path) -> None:
    origin = _started(tmp_path / "origin")
    origin.commit({"ideas/one/cat.md": vote("up")}, when="2026-10-03T10:00:00+00:00")
    shallow = GitRepo(tmp_path / "clone")  # an empty repository, which the clone's history fills
    shallow.git("fetch", "-q", "--depth", "1", (tmp_path / "origin").as_uri(), "main")
    shallow.git("reset", "-q", "--hard", "FETCH_HEAD")
    assert "shallow" in str(_same_as_without_a_cache(shallow).history_warning)
    _same_as_without_a_cache(shallow)
    shallow.git("fetch", "-q", "--unshallow", (tmp_path / "origin").as_uri(), "main")
    assert _same_as_without_a_cache(shallow).history_warning is None


@pytest.mark.parametrize(
    "content",
    [
        b"not a cache",
        b"",
        None,  # truncated
        "foreign",  # a pickle of a class that is not a date or a vote
        "shape",  # dates and votes, in the wrong places
    ],
)
@pytest.mark.slow
def test_a_damaged_or_foreign_cache_is_set_aside(tmp_path: Path, content: object, recalled: list[set[str]]) -> None:
    repo = _started(tmp_path / "repo")
    _same_as_without_a_cache(repo)
    cache = repo.root / ".bubbleup-cache" / parts_cache.NAME
    written = cache.read_bytes()
    header = b"".join(written.splitlines(keepends=True)[:2])
    if content is None:
        content = written[: len(written) // 2]
    elif content == "foreign":
        content = header + pickle.dumps({"one": ("key", (Path("x"), (), []))})
    elif content == "shape":
        stored = pickle.loads(written[len(header) :])
        key, (counted, line, crossings) = stored["one"]
        content = header + pickle.dumps({**stored, "one": (key, (line, counted, crossings))})
    cache.write_bytes(content)  # type: ignore[arg-type]
    _same_as_without_a_cache(repo)
    assert not recalled[-1]
    _same_as_without_a_cache(repo)
    assert recalled[-1] == {"one", "two", "three"}  # written again whole


@pytest.mark.slow
def test_files_git_does_not_hold_as_they_are_are_worked_out_every_time(
    tmp_path: Path, recalled: list[set[str]]
) -> None:
    repo = _started(tmp_path / "repo")
    write(repo.root, {"ideas/two/cat.md": vote("down", "Changed, with the same vote.\n")})  # modified
    _same_as_without_a_cache(repo)
    _same_as_without_a_cache(repo, NOW + timedelta(days=1))
    assert recalled[-1] == {"one", "three"}
    repo.git("add", "-A")
    write(repo.root, {"ideas/three/ann.md": vote("none", "A thought.\n")})  # untracked, no vote
    _same_as_without_a_cache(repo)
    _same_as_without_a_cache(repo, NOW + timedelta(days=2))
    assert recalled[-1] == {"two"}  # staged, not committed, and the same vote: Git's index holds it


@pytest.mark.slow  # a repository and a few builds per example
@hypothesis_settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHANGES, st.lists(st.tuples(st.integers(0, 8), st.sampled_from(["amend", "reset", "threshold"])), max_size=3))
def test_after_any_changes_a_build_is_the_build_without_a_cache(changes: list, rewrites: list) -> None:
    for at, kind in rewrites:  # test_preview's changes, and a history rewritten or the settings changed
        changes.insert(at, (kind,))
    with tempfile.TemporaryDirectory() as folder:
        repo = _started(Path(folder) / "repo")
        _same_as_without_a_cache(repo)
        for minutes, change in enumerate(changes, 1):
            _change(repo, change)
            _same_as_without_a_cache(repo, NOW + timedelta(minutes=minutes))


@pytest.mark.slow
def test_after_a_commit_the_preview_keeps_the_parts_of_the_ideas_it_did_not_touch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resident, "RACY", -10_000_000_000)  # the files were written long before
    repo, preview = _started(tmp_path / "repo"), Preview()
    settings = read_settings(repo.root / "mkdocs.yml")
    first = preview.snapshot(settings, NOW)
    parts = (first.tallies, first.timelines, first.crossed)  # a build makes all three
    repo.commit({"ideas/two/ann.md": vote("up", "Me too.\n")})
    second = preview.snapshot(settings, NOW)
    assert second.history is not first.history
    assert second.tallies["one"] is parts[0]["one"] and second.timelines["three"] is parts[1]["three"]
    assert second.tallies["two"] is not parts[0]["two"] and second.tallies["two"].up == 1
    _same_as_a_fresh_build(repo, preview, {}, NOW)
    repo.git("commit", "-q", "--amend", "--no-edit", "--reset-author", author="Cat Example <cat@example.com>")
    _same_as_a_fresh_build(repo, preview, {}, NOW)  # the same files, another commit


@pytest.mark.slow
@pytest.mark.parametrize("limit", [0, 1, parts_cache.JOURNAL_LIMIT])
def test_the_parts_changed_since_the_cache_file_go_to_its_journal(
    tmp_path: Path, recalled: list[set[str]], monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """After a vote only that idea's parts are written, in the journal, until more ideas than
    the limit differ from the cache file; a damaged journal, or one that follows another
    file, is set aside. Each build is the build without any cache."""
    monkeypatch.setattr(parts_cache, "JOURNAL_LIMIT", limit)
    repo = _started(tmp_path / "repo")
    folder = repo.root / ".bubbleup-cache"
    _same_as_without_a_cache(repo)
    whole = (folder / parts_cache.NAME).read_bytes()
    for minutes, change in enumerate([("vote", "one", "bob", "down", "No.\n"), ("commit",)], 1):
        _change(repo, change)
        _same_as_without_a_cache(repo, NOW + timedelta(minutes=minutes))
    journal = folder / parts_cache.JOURNAL
    assert ((folder / parts_cache.NAME).read_bytes() == whole) is (limit > 0) and journal.is_file() is (limit > 0)
    _same_as_without_a_cache(repo, NOW + timedelta(minutes=3))
    assert recalled[-1] == {"one", "two", "three"}
    _change(repo, ("vote", "two", "bob", "down", "No.\n"))
    _same_as_without_a_cache(repo, NOW + timedelta(minutes=4))
    assert journal.is_file() is (limit > 1)  # two ideas differ from the file: past a limit of one
    _change(repo, ("commit",))
    _same_as_without_a_cache(repo, NOW + timedelta(minutes=5))
    if limit > 1:
        journal.write_bytes(journal.read_bytes()[:-9])  # truncated
        _same_as_without_a_cache(repo, NOW + timedelta(minutes=6))
        assert recalled[-1] == {"three"}  # what only the journal held is made again
        stale = journal.read_bytes()
        (folder / parts_cache.NAME).write_bytes(whole)  # the file before: another token
        journal.write_bytes(stale.replace(stale.splitlines()[1][-32:], b"0" * 32))
        _same_as_without_a_cache(repo, NOW + timedelta(minutes=7))
        assert recalled[-1] == {"three"}
