"""The parse cache keeps the results of an idea folder's plain vote files together, as one
group of columns (git/parse_cache.py): a group is taken whole, or broken into one result
per file when a file of it is looked up alone, and a load with the cache equals one
without either way."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from bubbleup.git import parse_cache
from conftest import GitRepo, idea, vote, with_folders_trusted
from test_parse_cache import cached, fresh

FILES = {
    "ideas/tea.md": idea("Tea"),
    "ideas/tea/ann.md": vote("up", "Yes.\n"),
    "ideas/tea/bob.md": vote("down"),
    "ideas/tea/cat.md": vote("maybe"),  # an error: kept on its own
    "ideas/coffee.md": idea("Coffee"),
    "ideas/coffee/cat.md": vote("up"),
}
CACHE = Path(".bubbleup-cache")


@pytest.fixture
def repo(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """Two ideas with votes, committed, whose folders are trusted as soon as they are listed."""
    return with_folders_trusted(site_repo, monkeypatch, FILES)


def _content(root: Path) -> tuple[dict, dict]:
    """The results on their own and the groups, as the cache file holds them."""
    with (root / CACHE / "parse.pickle").open("rb") as stream:
        assert stream.readline() == parse_cache.FORMAT
        stream.readline()
        return pickle.load(stream)


def test_plain_vote_files_are_kept_together_by_folder(repo: GitRepo) -> None:
    catalog, _ = cached(repo.root)
    files, groups = _content(repo.root)
    assert sorted(groups) == ["ideas/coffee", "ideas/tea"]
    names, blobs, items, asked = groups["ideas/tea"]
    assert names == ["ann.md", "bob.md"] and [item.handle for item in items] == ["ann", "bob"]
    assert items == [item for item in catalog.feedback if item.idea == "tea"]
    assert len(blobs) == 2 and all(asked)  # each check asked the roster about its voter
    assert sorted(files) == ["ideas/coffee.md", "ideas/tea.md", "ideas/tea/cat.md"]


def test_a_group_is_taken_whole_then_broken_when_a_file_of_it_changes(repo: GitRepo) -> None:
    cached(repo.root)
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root) and memo.recalled == 6
    assert sorted(memo.taken) == ["ideas/coffee"]  # tea/ holds a file with an error: file by file
    assert "ideas/tea" not in memo.groups and "ideas/tea/ann.md" in memo.kept  # broken into its files
    repo.commit({"ideas/coffee/cat.md": vote("down"), "ideas/coffee/bob.md": vote("up")})
    catalog, memo = cached(repo.root)  # coffee/ changed: its group broken, cat.md read again
    assert catalog == fresh(repo.root) and memo.recalled == 5
    assert (repo.root / CACHE / "parse-journal.pickle").exists()
    catalog, memo = cached(repo.root)  # the journal replaced a file of coffee/'s group, and added one
    assert catalog == fresh(repo.root) and memo.recalled == 7
    assert "ideas/coffee" not in memo.groups and memo.kept["ideas/coffee/bob.md"][1].item.handle == "bob"


def test_a_full_write_after_a_journal_groups_every_plain_folder_again(repo: GitRepo, monkeypatch) -> None:
    cached(repo.root)
    repo.commit({"ideas/coffee/bob.md": vote("up")})
    cached(repo.root)  # in the journal
    monkeypatch.setattr(parse_cache, "JOURNAL_LIMIT", 0)
    repo.commit({"ideas/coffee/ann.md": vote("up")})
    cached(repo.root)  # written whole
    assert not (repo.root / CACHE / "parse-journal.pickle").exists()
    files, groups = _content(repo.root)
    assert groups["ideas/coffee"][0] == ["ann.md", "bob.md", "cat.md"] and "ideas/coffee/bob.md" not in files
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root) and "ideas/coffee" in memo.taken


def test_a_cache_with_a_damaged_group_is_set_aside(repo: GitRepo) -> None:
    cached(repo.root)
    path = repo.root / CACHE / "parse.pickle"
    data = path.read_bytes()
    header = data[: data.index(b"\n", len(parse_cache.FORMAT)) + 1]
    files, groups = _content(repo.root)
    names, blobs, items, asked = groups["ideas/tea"]
    groups["ideas/tea"] = (names, blobs[:1], items, asked)  # a column shorter than the others
    path.write_bytes(header + pickle.dumps((files, groups)))
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root) and memo.recalled == 0
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root) and memo.recalled == 6


def test_equal_names_and_blob_ids_are_written_once(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pickling writes a text that is the same object once and refers to it after: the 100,000
    vote files of 10,000 ideas have 2,000 names and 700 blob ids, each unpickled once."""
    files = {"ideas/tea.md": idea("Tea"), "ideas/tea/bob.md": vote("down")}
    repo = with_folders_trusted(
        site_repo, monkeypatch, {**files, "ideas/coffee.md": idea("Coffee"), "ideas/coffee/bob.md": vote("down")}
    )
    cached(repo.root)
    _, groups = _content(repo.root)
    tea, coffee = groups["ideas/tea"], groups["ideas/coffee"]
    assert tea[0] == coffee[0] == ["bob.md"] and tea[0][0] is coffee[0][0]
    assert tea[1] == coffee[1] and tea[1][0] is coffee[1][0]
