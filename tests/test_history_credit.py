"""Pull requests credited by a history read from the cache, brought forward by the commits
since, are those a fresh read credits: a merge credits every commit its branch brought in,
also those an earlier run read before the merge (git/history.py `_recredit`)."""

from __future__ import annotations

from pathlib import Path

from bubbleup.git.history import read
from conftest import GitRepo, idea, vote

BOB = "Bob Example <bob@example.com>"


def events_of(repo: GitRepo, cache: Path | None = None, *, dates: bool = False) -> dict:
    """Each file's events, but their places in the log: commits on two branches may take
    either order, in a fresh read and in one brought forward from a branch's."""
    past = read(repo.root, repo.root / "ideas", cache_dir=cache, dates=dates)
    return {path: [event.as_list()[:7] for event in entry.events] for path, entry in past.files.items()}


def credited(events: dict, path: str) -> list:
    return [event[6] for event in events[path]]


def test_a_branch_read_before_its_merge_is_credited_to_the_pull_request(git_repo: GitRepo, tmp_path: Path) -> None:
    """A build on a branch, then the branch merged by a pull request and the main branch
    fast-forwarded to the merge: the vote committed on the branch was read without a pull
    request, and the merge, which is not its descendant's only parent, brings it in."""
    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One")}, "one", when="2026-01-01T10:00:00+00:00")
    git_repo.git("switch", "-q", "-c", "feature")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, "vote", author=BOB, when="2026-01-02T10:00:00+00:00")
    assert credited(events_of(git_repo, cache), "ideas/one/bob.md") == [None]  # read on the branch
    git_repo.git("switch", "-q", "main")
    git_repo.commit({"ideas/two.md": idea("Two")}, "two", when="2026-01-03T10:00:00+00:00")
    git_repo.merge("feature", "Merge pull request #7 from bob/feature", when="2026-01-04T10:00:00+00:00")
    fresh = events_of(git_repo)
    assert credited(fresh, "ideas/one/bob.md") == [7]
    assert events_of(git_repo, cache) == fresh  # brought forward from the branch's cache
    assert events_of(git_repo, cache) == fresh  # and read again from what that run kept
    assert events_of(git_repo, cache, dates=True) == fresh


def test_a_merge_credits_the_branch_of_a_branch_read_before(git_repo: GitRepo, tmp_path: Path) -> None:
    """The main branch read, then a branch made of an earlier side branch merged in: the
    older branch's commits, not on the main line, are brought in by the new merge."""
    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One")}, "one", when="2026-01-01T10:00:00+00:00")
    git_repo.git("switch", "-q", "-c", "side")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, "vote", author=BOB, when="2026-01-02T10:00:00+00:00")
    git_repo.git("switch", "-q", "main")
    git_repo.merge("side", "Merge branch 'side'", when="2026-01-03T10:00:00+00:00")
    events_of(git_repo, cache)  # the side branch's commit is read, credited to no pull request
    git_repo.git("switch", "-q", "-c", "feature", "side")
    git_repo.commit({"ideas/one/ann.md": vote("down")}, "vote", when="2026-01-04T10:00:00+00:00")
    git_repo.git("switch", "-q", "main")
    git_repo.merge("feature", "Merge pull request #9 from ann/feature", when="2026-01-05T10:00:00+00:00")
    fresh = events_of(git_repo)
    assert credited(fresh, "ideas/one/ann.md") == [9]
    assert events_of(git_repo, cache) == fresh


def test_a_pull_request_merged_into_the_main_line_is_brought_forward_by_the_journal(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    """The common case, a branch made from the main line and merged by a pull request,
    changes no older commit's credit: the new commits go to the journal (nothing is
    credited again nor written whole), and the history is a fresh read's."""
    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One")}, "one", when="2026-01-01T10:00:00+00:00")
    git_repo.commit({"ideas/two.md": idea("Two")}, "Two (#3)", when="2026-01-02T10:00:00+00:00")
    events_of(git_repo, cache)
    git_repo.git("switch", "-q", "-c", "feature")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, "vote", author=BOB, when="2026-01-03T10:00:00+00:00")
    git_repo.git("switch", "-q", "main")
    git_repo.commit({"ideas/one/ann.md": vote("up")}, "vote", when="2026-01-04T10:00:00+00:00")
    git_repo.merge("feature", "Merge pull request #8 from bob/feature", when="2026-01-05T10:00:00+00:00")
    whole = (cache / "history.pickle").read_bytes()
    fresh = events_of(git_repo)
    assert credited(fresh, "ideas/one/bob.md") == [8] and credited(fresh, "ideas/two.md") == [3]
    assert events_of(git_repo, cache) == fresh
    assert (cache / "journal.json").is_file() and (cache / "history.pickle").read_bytes() == whole
