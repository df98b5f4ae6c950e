"""The review's possible duplicates: bounded from each idea's words as written, scored
exactly only where a bound reaches the best scores, the files read in two processes on a
machine with two processors, and the same matches as comparing with every idea."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core import characters, similarity
from bubbleup.core.config import settings as load_settings
from bubbleup.core.model import Idea
from bubbleup.git import review, review_people, review_similar, runner
from bubbleup.git.snapshot import snapshot
from conftest import ROSTER, GitRepo, idea

# Plurals, common and short words, digits, and letters whose lower case is ASCII ('İ', the Kelvin sign).
WORDING = st.lists(st.sampled_from([*"abs xyzS.-1", "the ", "ideas ", "idea ", "İ", "\u212a", "é"])).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(title=WORDING, text=WORDING, other_title=WORDING, other_text=WORDING)
def test_the_bound_is_never_below_the_score_and_exact_is_the_score(title, text, other_title, other_text) -> None:
    other = Idea(slug="other", title=other_title, path="", text=other_text)
    bound = similarity.Bound(title, text)
    outline = similarity.Outline.of(other_title, other_text)
    exact = similarity.score(title, text, other)
    assert bound(other_title, outline) >= exact
    assert bound.exact(other_title, similarity.Words.of(other_title, other_text)) == exact
    assert outline.floor <= similarity.Words.of(other_title, other_text).norm


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(title=WORDING, text=WORDING, others=st.lists(st.tuples(WORDING, WORDING), max_size=12))
def test_ideas_ranked_by_their_bounds_come_in_similars_order(title, text, others) -> None:
    ideas = [Idea(slug=f"idea-{n}", title=t, path="", text=x) for n, (t, x) in enumerate(others)]
    bound = similarity.Bound(title, text)
    bounds = [(-bound(i.title, similarity.Outline.of(i.title, i.text)), i.slug, i, None) for i in ideas]
    ranked = similarity.best_first(bounds, lambda i, _: bound.exact(i.title, similarity.Words.of(i.title, i.text)))
    assert list(ranked) == similarity.similar(title, text, ideas, limit=len(ideas))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab\r\n\x01\x85\u202e\ufffe\x7f\t")), max_size=12))
def test_a_text_that_is_not_suspect_has_no_unsafe_character(text: str) -> None:
    assert characters.suspect(text) or not characters.problems(text)


def _repo(tmp_path: Path, count: int) -> GitRepo:
    """Ideas on main (a few alike, the rest unrelated), then a branch proposing one more."""
    repo = GitRepo(tmp_path / "repo")
    files = {"mkdocs.yml": "site_name: Similar\n", "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER}
    words = [
        "kelp",
        "hemp",
        "belch",
        "gem",
        "whelp",
        "pebble",
        "bevel",
        "cheek",
        "jewel",
        "zeche",
    ]  # no letter of fruit
    for n in range(count):
        first, second = words[n % 10], words[(n // 10) % 10]
        files[f"ideas/idea-{n:03d}.md"] = idea(f"{first.title()} {second} {n}", body=f"The {first} {second}s.\n")
    files["ideas/fruit.md"] = idea("Free fruit on Fridays", body="A basket of fresh fruit in every kitchen.\n")
    files["ideas/fresh.md"] = idea("Fresh fruit every Friday", body="Fresh fruit in the kitchens on Fridays.\n")
    repo.commit(files, "ideas")
    repo.git("switch", "-q", "-c", "pr")
    repo.commit({"ideas/proposed.md": idea("Fruit on Fridays", body="Fresh fruit in every kitchen on Fridays.\n")})
    return repo


def test_words_are_counted_only_for_ideas_whose_bound_reaches_the_best(tmp_path, monkeypatch) -> None:
    repo = _repo(tmp_path, 60)
    counted: list[str] = []
    original = similarity.Words.of.__func__  # type: ignore[attr-defined]

    def counting(cls, title: str, text: str) -> similarity.Words:
        counted.append(title)
        return original(cls, title, text)

    monkeypatch.setattr(similarity.Words, "of", classmethod(counting))
    settings_ = load_settings(repo.root / "mkdocs.yml")
    _, narrow = review.pull_request(settings_, "main")
    assert "(`fruit`)" in narrow.markdown and "(`fresh`)" in narrow.markdown
    assert len(counted) < 20  # the new idea, a few candidates, the matches scored again: not the 62 ideas


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a child")
@pytest.mark.parametrize("child", ["works", "fails"])
def test_the_files_read_in_two_processes_give_the_review_of_one(tmp_path, monkeypatch, child: str) -> None:
    repo = _repo(tmp_path, 30)
    settings_ = load_settings(repo.root / "mkdocs.yml")
    _, alone = review.pull_request(settings_, "main")
    wide = review.assess(repo.root, settings_.ideas_dir, snapshot(settings_).catalog, "main")
    assert alone == wide
    parent, calls = os.getpid(), []
    rows = review_similar.Candidates._rows

    def rows_in(self, entries):
        if os.getpid() == parent:
            calls.append(len(entries))
        elif child == "fails":
            raise RuntimeError("the child fails")
        return rows(self, entries)

    monkeypatch.setattr(review_similar, "SPLIT_AT", 2)
    monkeypatch.setattr(review_similar, "available", lambda: True)
    monkeypatch.setattr(review_similar.Candidates, "_rows", rows_in)
    _, halves = review.pull_request(settings_, "main")
    assert halves == alone
    # Half the files here; the other half came back from the child, or was read here when it failed.
    assert calls == ([16] if child == "works" else [16, 17])


def test_the_base_roster_is_the_loads_when_its_text_is_the_same(tmp_path) -> None:
    repo = _repo(tmp_path, 3)
    settings_ = load_settings(repo.root / "mkdocs.yml")
    catalog = snapshot(settings_).catalog
    base = runner.merge_base(repo.root, "main")
    roster = review_people.base_roster(repo.root, base, "ideas")
    assert roster is catalog.roster  # not parsed again
    repo.commit({"ideas/people.yml": ROSTER.replace("Ann Example", "Ann Other")})
    changed = snapshot(settings_).catalog.roster
    assert changed is not None and changed["ann"].name == "Ann Other"
    again = review_people.base_roster(repo.root, base, "ideas")
    assert again == roster and again is not None and again["ann"].name == "Ann Example"
