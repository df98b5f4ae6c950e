"""History from one git log pass: dates, authors, renames, and graceful fallbacks."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from conftest import GitRepo, idea

from bubbleup.history import read


def test_created_and_updated_come_from_the_first_and_last_commit(git_repo: GitRepo) -> None:
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one.md": idea("One, better")}, author="Bob Example <bob@example.com>",
                    when="2026-02-07T10:00:00+00:00")
    history = read(git_repo.root, git_repo.root / "ideas")
    entry = history.files["ideas/one.md"]
    assert history.warning is None
    assert entry.created == datetime.fromisoformat("2026-01-05T10:00:00+00:00")
    assert entry.updated == datetime.fromisoformat("2026-02-07T10:00:00+00:00")
    assert entry.authors == [("Bob Example", "bob@example.com"), ("Ann Example", "ann@example.com")]


def test_a_renamed_idea_keeps_its_creation_date(git_repo: GitRepo) -> None:
    text = idea("Renamed", body="A long enough body so that git sees a rename.\n" * 5)
    git_repo.commit({"ideas/old-name.md": text}, when="2026-01-05T10:00:00+00:00")
    git_repo.git("mv", "ideas/old-name.md", "ideas/new-name.md")
    git_repo.git("commit", "-q", "-m", "rename", when="2026-03-01T10:00:00+00:00")
    entry = read(git_repo.root, git_repo.root / "ideas").files["ideas/new-name.md"]
    assert entry.created == datetime.fromisoformat("2026-01-05T10:00:00+00:00")
    assert entry.updated == datetime.fromisoformat("2026-03-01T10:00:00+00:00")


def test_an_uncommitted_file_has_no_dates(git_repo: GitRepo) -> None:
    git_repo.commit({"ideas/one.md": idea("One")})
    (git_repo.root / "ideas/two.md").write_text(idea("Two"))
    history = read(git_repo.root, git_repo.root / "ideas")
    assert history.created("ideas/two.md") is None and history.created("ideas/one.md") is not None


def test_outside_a_repository_there_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "ideas").mkdir()
    history = read(tmp_path, tmp_path / "ideas")
    assert history.files == {} and "not a Git repository" in history.warning


def test_a_shallow_clone_is_flagged(git_repo: GitRepo, tmp_path: Path) -> None:
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/two.md": idea("Two")}, when="2026-01-06T10:00:00+00:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.root}", str(clone)], check=True)
    history = read(clone, clone / "ideas")
    assert "shallow clone" in history.warning
    assert history.created("ideas/one.md") == datetime.fromisoformat("2026-01-06T10:00:00+00:00")
