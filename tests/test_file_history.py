"""A file's history read from the history cache answers from the cache's rows until its
events are asked for (git/file_history.py): every answer is the one its events give."""

from __future__ import annotations

from pathlib import Path

from bubbleup.git import history_cache
from bubbleup.git.file_history import FileHistory
from bubbleup.git.history import read
from conftest import GitRepo, idea, vote

BOB = "Bob Example <bob@example.com>"
LONG = "A long enough body so that git sees a rename.\n" * 5


def answers(entry: FileHistory) -> tuple:
    """Everything a build asks a file's history without its events."""
    return (entry.created, entry.updated, entry.last_value, entry.last_change(), entry.last_position, entry.digest)


def test_a_file_read_from_the_cache_answers_as_its_events_do(git_repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    git_repo.commit(
        {"ideas/one.md": idea("One", body=LONG), "ideas/one/bob.md": vote("up")}, when="2026-01-05T10:00:00+00:00"
    )
    git_repo.commit({"ideas/one/bob.md": vote("down")}, author=BOB, when="2026-01-06T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("down", "Still no.\n")}, author=BOB, when="2026-01-07T10:00:00+00:00")
    git_repo.commit(
        {"ideas/one.md": idea("One", body=LONG, extra="status: planned\n")}, when="2026-01-08T10:00:00+00:00"
    )
    git_repo.commit({"ideas/one/ann.md": vote("up"), "ideas/one/bob.md": vote("up")}, when="2026-01-09T10:00:00+00:00")
    git_repo.git("mv", "ideas/one.md", "ideas/uno.md")
    git_repo.git("commit", "-q", "-m", "rename", when="2026-01-10T10:00:00+00:00")
    fresh = read(git_repo.root, git_repo.root / "ideas").files
    read(git_repo.root, git_repo.root / "ideas", cache_dir=cache)  # writes the cache
    loaded = history_cache.load(cache, read_key(git_repo))
    assert loaded is not None
    kept = loaded[1]
    assert kept.keys() == fresh.keys() and len(fresh) == 3
    assert len(fresh["ideas/one/bob.md"].events) == 4 and len(fresh["ideas/uno.md"].events) == 3
    for path, entry in fresh.items():
        assert answers(kept[path]) == answers(entry), path  # from the rows
        assert kept[path] == entry  # the events made from them
        assert answers(kept[path]) == answers(entry), path  # from the events
    assert fresh["ideas/one/bob.md"].last_change() == (fresh["ideas/one/bob.md"].changes()[-1].when, "up")
    assert FileHistory().last_change() is None and FileHistory().last_value is None
    assert FileHistory().digest != fresh["ideas/one/ann.md"].digest


def read_key(repo: GitRepo) -> dict:
    """The history cache's key for the repository's ideas folder with the default settings."""
    from bubbleup.core.config import DEFAULTS
    from bubbleup.git.history import CACHE_VERSION

    return {
        "version": CACHE_VERSION,
        "folder": "ideas/",
        "patterns": list(DEFAULTS.pull_request_patterns),
        "shallow": False,
    }
