"""An idea's folder taken whole (core/gather.py, git/parse_cache.py `recall_folder`): the
vote files of a folder that the folders cache recalled, and whose results the parse cache
holds all unchanged, are not looked up one by one; and after any edits of vote files, the
idea, the roster and commits, a load with the caches equals one without."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from bubbleup.core import folder_cache
from bubbleup.git.parse_cache import ParseCache
from conftest import ROSTER, GitRepo, idea, vote
from test_parse_cache import cached, fresh

FILES = {
    "ideas/tea.md": idea("Tea"),
    "ideas/tea/ann.md": vote("up", "Yes.\n"),
    "ideas/tea/bob.md": vote("down"),
    "ideas/coffee.md": idea("Coffee"),
    "ideas/coffee/cat.md": vote("up"),
}


@pytest.fixture
def repo(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """Two ideas with votes, committed, whose folders are trusted as soon as they are listed."""
    monkeypatch.setattr(folder_cache, "RACY", 0)
    site_repo.commit(FILES, "ideas")
    return site_repo


def _one_by_one(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the parse cache is asked for one at a time, from now on."""
    asked: list[str] = []
    original = ParseCache.recall

    def recall(self: ParseCache, path: str):  # type: ignore[no-untyped-def]
        asked.append(path)
        return original(self, path)

    monkeypatch.setattr(ParseCache, "recall", recall)
    return asked


def test_an_unchanged_folder_is_taken_whole(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    cached(repo.root)  # lists both folders and keeps every result
    asked = _one_by_one(monkeypatch)
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root)
    assert memo.recalled == 5
    assert sorted(asked) == ["ideas/coffee.md", "ideas/tea.md"]  # the ideas; no vote file
    (repo.root / "ideas/tea/bob.md").write_text(vote("up"))  # changed, not committed: tea/ file by file
    asked.clear()
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root)
    assert sorted(asked) == ["ideas/coffee.md", "ideas/tea.md", "ideas/tea/ann.md", "ideas/tea/bob.md"]
    assert memo.recalled == 4


EDITS = st.one_of(
    st.tuples(st.just("vote"), st.sampled_from(["ann", "bob", "dan"]), st.sampled_from(["up", "down", "maybe", "odd"])),
    st.tuples(st.just("remove"), st.sampled_from(["ann", "bob", "dan"]), st.just("")),
    st.tuples(st.just("idea"), st.sampled_from(["tea", "gone", "broken"]), st.just("")),
    st.tuples(st.just("roster"), st.sampled_from(["without bob", "with dan", "as it was"]), st.just("")),
    st.tuples(st.just("commit"), st.just(""), st.just("")),
)


def _apply(repo: GitRepo, edit: str, what: str, value: str) -> None:
    root = repo.root
    if edit == "vote":  # "odd": valid, with a warning; "maybe": an error
        text = vote("up").replace("---\n", "---\ncolour: red\n", 1) if value == "odd" else vote(value)
        (root / f"ideas/tea/{what}.md").write_text(text)
    elif edit == "remove":
        (root / f"ideas/tea/{what}.md").unlink(missing_ok=True)
    elif edit == "idea":
        path = root / "ideas/tea.md"
        if what == "gone":
            path.unlink(missing_ok=True)
        else:
            path.write_text(idea("Tea") if what == "tea" else "---\ntitle: [unclosed\n---\n")
    elif edit == "roster":
        dan = "dan:\n  name: Dan Doe\n  emails: [dan@example.com]\n"
        roster = {"without bob": ROSTER.split("bob:")[0] + "cat:" + ROSTER.split("cat:")[1], "with dan": ROSTER + dan}
        (root / "ideas/people.yml").write_text(roster.get(what, ROSTER))
    else:
        repo.git("add", "-A")
        repo.git("commit", "-q", "--allow-empty", "-m", "edits")


@pytest.mark.slow
@examples(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDITS, max_size=5))
def test_after_any_edits_a_load_with_the_caches_equals_one_without(repo: GitRepo, edits: list) -> None:
    """Each example goes on from the caches and files the previous ones left, as runs do."""
    for edit in edits:
        _apply(repo, *edit)
        expected = fresh(repo.root)
        assert cached(repo.root)[0] == expected
        assert cached(repo.root)[0] == expected  # and again, with what that load kept


@pytest.mark.parametrize(
    "edits",
    [
        [("vote", "ann", "odd"), ("commit", "", "")],  # a warning: the folder's results are not all simple
        [("vote", "bob", "maybe"), ("commit", "", "")],  # an error: no feedback
        [("roster", "without bob", "")],  # bob.md's check asked about bob: now answered otherwise
        [("idea", "broken", "")],  # feedback on a broken idea
        [("idea", "gone", "")],  # feedback on no idea
    ],
)
def test_a_folder_not_taken_whole_gives_what_its_files_give(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch, edits: list
) -> None:
    for edit in edits:
        _apply(repo, *edit)
    cached(repo.root)
    asked = _one_by_one(monkeypatch)
    catalog, _ = cached(repo.root)
    assert catalog == fresh(repo.root)
    assert "ideas/coffee/cat.md" not in asked  # the other folder is still taken whole
