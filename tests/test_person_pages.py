"""A person page's digest holds, for their feedback, the key of each idea it is on
(site/recipes.py `_feedback_keys`), not the feedback written out: a build of a new
process after a vote makes the pages of the people who gave its idea feedback, and what
it leaves on disk is what making every page gives, after every kind of change."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.core.config import settings as read_settings
from bubbleup.git.snapshot import snapshot
from bubbleup.site.memo import Memo
from bubbleup.site.pages import _site, generate, render
from bubbleup.site.recipes import recipes
from conftest import MKDOCS_YML, ROSTER, GitRepo, apply_change, idea, on_disk, vote

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def state(repo: GitRepo, now: datetime = NOW):
    return snapshot(read_settings(repo.root / "mkdocs.yml"), now=now, whole_history=True)


def started(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER}, "site")
    repo.commit(
        {
            "ideas/one.md": idea("One"),
            "ideas/two.md": idea("Two", authors="[bob]"),
            "ideas/one/bob.md": vote("up", "Yes.\n"),
            "ideas/two/cat.md": vote("down", "No.\n"),
        }
    )
    return repo


def person_digests(repo: GitRepo, change: dict | None = None) -> dict[str, str | None]:
    found = state(repo)
    site = _site(found, None, Memo())
    if change:
        site = dataclasses.replace(site, **change)
    pages = recipes(site, "", keys=found.keys)
    return {name: pages[name].inputs for name in ("people/ann.md", "people/bob.md", "people/cat.md")}


def test_a_person_digest_stands_on_the_keys_of_the_ideas_of_their_feedback(tmp_path: Path) -> None:
    """With keys, the feedback objects are not written out: other objects under the same
    keys give the same digests (without keys they would not), another key another one."""
    repo = started(tmp_path / "repo")
    before = person_digests(repo)
    assert None not in before.values()
    site = _site(state(repo), None, Memo())
    bob = site.feedback_by_person["bob"][0]
    other = {**site.feedback_by_person, "bob": [dataclasses.replace(bob, text="Not read.\n")]}
    assert person_digests(repo, {"feedback_by_person": other}) == before
    repo.commit({"ideas/one/ann.md": vote("up")}, author="Ann Example <ann@example.com>")
    after = person_digests(repo)
    # ann voted on One, where bob wrote; cat wrote on Two only and proposed nothing.
    assert {name for name in after if after[name] != before[name]} == {"people/ann.md", "people/bob.md"}


def test_without_a_key_a_person_digest_writes_their_feedback_out(tmp_path: Path) -> None:
    """A vote not committed has no key (it is dated now): its voter's page and those of
    the others on that idea are digested from the feedback itself, and follow its text."""
    repo = started(tmp_path / "repo")
    (repo.root / "ideas/one/cat.md").write_text(vote("up", "Maybe.\n"))
    before = person_digests(repo)
    (repo.root / "ideas/one/cat.md").write_text(vote("up", "Surely.\n"))
    after = person_digests(repo)
    assert after["people/cat.md"] != before["people/cat.md"]
    assert after["people/bob.md"] == before["people/bob.md"]


CHANGES = st.lists(
    st.one_of(
        st.tuples(
            st.just("vote"),
            st.sampled_from(["one", "two"]),
            st.sampled_from(["ann", "bob", "cat"]),
            st.sampled_from(["up", "down", "none"]),
            st.sampled_from(["", "Yes.\n", "No, *never*.\n"]),
        ),
        st.tuples(st.just("customer"), st.sampled_from(["one", "two"]), st.sampled_from(["ann", "bob"])),
        st.tuples(st.just("unvote"), st.sampled_from(["one", "two"]), st.sampled_from(["ann", "bob", "cat"])),
        st.tuples(st.just("rename"), st.sampled_from(["ann", "bob", "cat"]), st.sampled_from(["Al", "Bo"])),
        st.tuples(st.just("title"), st.sampled_from(["one", "two"]), st.sampled_from(["A", "B"])),
        st.tuples(st.just("commit")),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHANGES)
def test_person_pages_made_only_when_changed_are_what_making_everything_gives(changes: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = started(Path(folder) / "repo")
        generate(state(repo))
        for change in changes:
            apply_change(repo, change)
            generate(state(repo))
            assert on_disk(repo) == render(state(repo)), change
