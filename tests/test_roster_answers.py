"""A kept result depends on what its check asked of the roster, not on the whole roster
(core/registers.py `Lookups`, core/loader.py): a newcomer sends only the files that name
them to be checked again, someone removed makes their files fail as a fresh check would,
and after any edit of people.yml a cached load equals an uncached one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.core import registers
from bubbleup.core.model import Person
from bubbleup.core.registers import Lookups
from conftest import MKDOCS_YML, ROSTER, GitRepo, idea, vote
from test_parse_cache import cached, fresh

DECIDED = "status: planned\ndecision:\n  by: bob\n  date: 2026-10-02\n  reason: Yes.\n  scores: {cat: {impact: 3}}\n"
FILES = {
    "mkdocs.yml": MKDOCS_YML.replace("  - bubbleup\n", "  - bubbleup:\n      key_map: {author: authors}\n"),
    "ideas/coffee.md": idea("Better coffee", extra=DECIDED),
    "ideas/coffee/ann.md": vote("up", "Yes please.\n"),
    "ideas/coffee/bob.md": vote("down"),
    "ideas/coffee/dan.md": vote("up"),  # dan is not in the roster yet
    "ideas/coffee/customers/acme.md": "---\nvote: up\nrecorded-by: cat\n---\nAcme wants it.\n",
    "ideas/tea.md": idea("Tea too", authors="[eve]"),
    "ideas/tea/bob.md": vote("up"),
    "ideas/tea/eve.md": vote("up"),
    "ideas/soup.md": idea("Soup", authors="[cat, dan]"),
    # Adopted headers: a free-text author is matched to the roster by email.
    "ideas/juice.md": "---\ntitle: Juice\nauthor: [Dan Doe <dan@example.com>, cat]\n---\nFresh.\n",
}
NEWCOMER = "dan:\n  name: Dan Doe\n  emails: [dan@example.com]\n  team: sales\n"


@pytest.fixture
def repo(site_repo: GitRepo) -> GitRepo:
    """The site repository with ideas and votes naming people in the roster and not."""
    site_repo.commit(FILES, "ideas")
    return site_repo


def test_a_newcomer_sends_only_the_files_that_name_them_to_be_checked_again(repo: GitRepo) -> None:
    before, memo = cached(repo.root)
    assert memo.recalled == 0 and "soup" not in before.ideas
    assert before.ideas["juice"].author_names == ("Dan Doe",)
    _, memo = cached(repo.root)
    assert memo.recalled == 10
    repo.commit({"ideas/people.yml": ROSTER + NEWCOMER}, "dan joins")
    after, memo = cached(repo.root)
    # Asked about dan: soup.md (an author), coffee/dan.md (its name), juice.md (by email).
    assert memo.recalled == 10 - 3
    assert after == fresh(repo.root)
    assert after.ideas["soup"].authors == ("cat", "dan") and after.ideas["juice"].authors == ("dan", "cat")
    assert "dan" in {item.handle for item in after.feedback_by_idea["coffee"]}
    _, memo = cached(repo.root)
    assert memo.recalled == 10  # the new results are the ones kept


def test_someone_removed_makes_their_files_fail_as_a_fresh_check_does(repo: GitRepo, monkeypatch) -> None:
    monkeypatch.chdir(repo.root)
    runner = CliRunner()
    runner.invoke(cli, ["check"])
    runner.invoke(cli, ["check"])  # every result is kept
    repo.commit({"ideas/people.yml": ROSTER.replace("bob:\n", "robert:\n")}, "bob is robert now")
    warm = runner.invoke(cli, ["check"]).stdout
    shutil.rmtree(repo.root / ".bubbleup-cache")
    assert warm == runner.invoke(cli, ["check"]).stdout
    assert "ideas/coffee.md:6: error: decision.by: 'bob' is not in the roster" in warm
    assert "ideas/coffee/bob.md:1: error: file name: 'bob' is not in the roster" in warm
    assert "ideas/tea/bob.md:1: error: file name: 'bob' is not in the roster" in warm


def test_an_email_that_changes_hands_is_asked_again(repo: GitRepo) -> None:
    cached(repo.root)
    repo.commit({"ideas/people.yml": ROSTER + NEWCOMER.replace("dan@example.com", "dan@elsewhere.example")})
    catalog, _ = cached(repo.root)
    assert catalog == fresh(repo.root) and catalog.ideas["juice"].author_names == ("Dan Doe",)
    repo.commit({"ideas/people.yml": ROSTER.replace("cat@example.com", "cat@example.com, dan@example.com")})
    catalog, _ = cached(repo.root)
    assert catalog == fresh(repo.root) and catalog.ideas["juice"].authors == ("cat",)


def test_every_way_of_reading_the_roster_is_noted() -> None:
    people = {"ann": Person("ann", "Ann", ("ann@example.com",)), "bob": Person("bob", "Bob")}
    seen = Lookups(people)
    assert "ann" in seen and "zed" not in seen and seen.get("bob") == people["bob"] and seen.get("zed") is None
    assert seen.owner("ann@example.com") == "ann"
    assert {question for question, _, _ in json.loads(seen.asked())} == {"in", "entry", "owner"}
    assert registers.answers_hold({**people, "cat": Person("cat", "Cat")}, seen.asked())
    assert not registers.answers_hold({**people, "zed": Person("zed", "Zed")}, seen.asked())  # zed was asked about
    assert not registers.answers_hold({"ann": people["ann"], "bob": Person("bob", "Robert")}, seen.asked())
    for read_all in (len, list, lambda roster: dict(roster.items()), lambda roster: roster == people):
        everything = Lookups(people)
        read_all(everything)
        assert "all" in {question for question, _, _ in json.loads(everything.asked())}
        assert registers.answers_hold(dict(people), everything.asked())
        assert not registers.answers_hold({**people, "cat": Person("cat", "Cat")}, everything.asked())


POOL = ("ann", "bob", "cat", "dan", "eve", "fay")
EMAILS = ("ann@example.com", "dan@example.com", "cat@example.com", "x@example.com")
EDITS = ("add", "remove", "rename", "email", "team", "name", "drop roster", "restore roster")


def _people(state: dict[str, dict[str, str]]) -> str:
    return "".join(
        f"{handle}:\n  name: {fields['name']}\n  emails: [{fields['email']}]\n  team: {fields['team']}\n"
        for handle, fields in state.items()
    )


def _edit(state: dict[str, dict[str, str]], edit: str, handle: str, other: str, email: str) -> None:
    """One edit of the roster held in `state` (handle -> name, email, team)."""
    if edit == "add":
        state.setdefault(handle, {"name": handle.title(), "email": email, "team": "sales"})
    elif edit == "remove":
        state.pop(handle, None)
    elif edit == "rename" and handle in state and other not in state:
        state[other] = state.pop(handle)
    elif handle in state and edit in ("email", "team", "name"):
        state[handle][edit] = {"email": email, "team": f"team-{other}", "name": other.title()}[edit]


@examples(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(EDITS), st.sampled_from(POOL), st.sampled_from(POOL), st.sampled_from(EMAILS)),
        max_size=6,
    )
)
@pytest.mark.slow
def test_after_any_roster_edits_a_cached_load_equals_an_uncached_one(repo: GitRepo, edits: list) -> None:
    """Each example goes on from the cache the previous ones left, as runs of `check` do."""
    people: Path = repo.root / "ideas/people.yml"
    state = {handle: {"name": handle.title(), "email": f"{handle}@example.com", "team": "sales"} for handle in POOL[:3]}
    present = True
    people.write_text(_people(state))
    for edit, handle, other, email in edits:
        present = {"drop roster": False, "restore roster": True}.get(edit, present)
        _edit(state, edit, handle, other, email)
        if present:
            people.write_text(_people(state))
        else:
            people.unlink(missing_ok=True)
        catalog, _ = cached(repo.root)
        assert catalog == fresh(repo.root)
