"""A build makes again only the generated pages whose inputs changed (site/recipes.py,
site/ledger.py), and what it leaves on disk is what making every page gives."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.core.config import settings as read_settings
from bubbleup.git.snapshot import snapshot
from bubbleup.site.idea_page import render_idea
from bubbleup.site.ledger import LEDGER
from bubbleup.site.memo import Memo
from bubbleup.site.pages import _site, generate, render
from bubbleup.site.recipes import Digests, recipes
from conftest import (
    MKDOCS_YML,
    ROSTER,
    GitRepo,
    apply_change,
    as_journaled,
    as_json,
    duplicate,
    idea,
    on_disk,
    vote,
    write,
)

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def state(repo: GitRepo, now: datetime = NOW):
    return snapshot(read_settings(repo.root / "mkdocs.yml"), now=now)


def keyed(repo: GitRepo) -> set[str]:
    """The pages that have a digest (not views, which are made on every build)."""
    found = state(repo)
    return {name for name, recipe in recipes(_site(found, None, Memo()), "").items() if recipe.inputs is not None}


@pytest.fixture
def ideas_repo(site_repo: GitRepo) -> GitRepo:
    site_repo.commit(
        {
            "ideas/one.md": idea("One", extra="tags: [alpha]\n", body="See #two.\n"),
            "ideas/two.md": idea("Two", authors="[bob]"),
            "ideas/three.md": duplicate("Three", of="one", authors="[cat]"),
            "ideas/one/bob.md": vote("up", "Yes.\n"),
            "ideas/two/cat.md": vote("down"),
        }
    )
    return site_repo


@pytest.mark.slow
def test_after_one_vote_only_that_ideas_pages_and_its_voters_page_are_made(ideas_repo: GitRepo) -> None:
    first = generate(state(ideas_repo))
    assert keyed(ideas_repo) <= set(first.made)  # the first build makes everything
    again = generate(state(ideas_repo))
    assert set(again.made) & keyed(ideas_repo) == set()
    ideas_repo.commit({"ideas/two/ann.md": vote("up", "Me too.\n")}, author="Ann Example <ann@example.com>")
    after = generate(state(ideas_repo))
    # Two's page and feed, the voter's page, and Two's author's page (its score changed).
    assert set(after.made) & keyed(ideas_repo) == {"two.md", "two/feed.xml", "people/ann.md", "people/bob.md"}
    assert on_disk(ideas_repo) == render(state(ideas_repo))


@pytest.mark.slow
def test_a_clean_build_a_damaged_ledger_and_a_page_edited_by_hand_make_pages_again(ideas_repo: GitRepo) -> None:
    generate(state(ideas_repo))
    assert set(generate(state(ideas_repo), clean=True).made) >= keyed(ideas_repo)
    ledger = ideas_repo.root / ".bubbleup-cache" / LEDGER
    assert as_json(ledger)["pages"]
    as_journaled(ledger, '{"format": 2, "pages": {"one.md": "not a list"')
    assert set(generate(state(ideas_repo)).made) >= keyed(ideas_repo)
    page = ideas_repo.root / "docs/ideas/one.md"
    page.write_text(page.read_text().replace("One", "Eno"))  # same size, new time
    made = generate(state(ideas_repo)).made
    assert "one.md" in made and "two.md" not in made
    assert on_disk(ideas_repo) == render(state(ideas_repo))


@pytest.mark.slow
def test_a_page_restored_with_new_times_is_read_not_made(ideas_repo: GitRepo) -> None:
    """A pages folder restored from a CI cache: new inodes and times, the same text."""
    generate(state(ideas_repo))
    folder = ideas_repo.root / "docs/ideas"
    for path in folder.rglob("*.md"):
        text = path.read_bytes()
        path.unlink()
        path.write_bytes(text)
    assert set(generate(state(ideas_repo)).made) & keyed(ideas_repo) == set()
    assert on_disk(ideas_repo) == render(state(ideas_repo))


def test_an_ideas_page_does_not_show_when_its_votes_were_cast(ideas_repo: GitRepo) -> None:
    """Its digest leaves the dates out (a vote not yet committed is dated now, which would
    make its page again on every build): if the page showed them, this would fail."""
    found = state(ideas_repo)
    site = _site(found, None, Memo())
    for slug, item in site.tallies.items():
        later = {handle: moment + timedelta(days=40) for handle, moment in item.cast.items()}
        moved = dataclasses.replace(item, cast=later or {"ann": NOW})
        assert render_idea(site, moved) == render_idea(site, item), slug


def test_serve_keeps_pages_in_memory_and_makes_only_what_changed(ideas_repo: GitRepo) -> None:
    memory: dict[str, tuple[str, str]] = {}
    first = render(state(ideas_repo), memory=memory)
    assert set(memory) == keyed(ideas_repo)
    kept = dict(memory)
    write(ideas_repo.root, {"ideas/one/cat.md": vote("down", "Not sure.\n")})  # not committed: dated now
    second = render(state(ideas_repo), memory=memory)
    changed = {name for name in memory if memory[name] != kept.get(name)}
    assert changed == {"one.md", "one/feed.xml", "people/cat.md", "people/ann.md"}
    assert second == render(state(ideas_repo)) and second != first


EVERY_KIND = [
    ("vote", "one", "bob", "up", "Why not?\n"),  # only the text of a vote
    ("vote", "one", "bob", "down", "Why not?\n"),  # only its value
    ("vote", "two", "ann", "up", ""),  # a bare vote: no feedback count moves
    ("vote", "three", "dan", "up", "Outside the roster.\n"),
    ("commit",),
    ("unvote", "one", "bob"),
    ("title", "two", "B"),  # shown on One's page, which mentions it
    ("status", "two", "under-review"),
    ("rename", "bob", "Bo"),  # shown on the pages he voted on
    ("vote", "three", "ann", "none", "A thought.\n"),
    ("vote", "three", "cat", "up", ""),  # on a duplicate: it counts for One, whose page shows it
    ("commit",),
]


@pytest.mark.slow
def test_every_kind_of_change_leaves_what_making_everything_gives(ideas_repo: GitRepo) -> None:
    generate(state(ideas_repo))
    for change in EVERY_KIND:
        apply_change(ideas_repo, change)
        generate(state(ideas_repo))
        assert on_disk(ideas_repo) == render(state(ideas_repo)), change


CHANGES = st.lists(
    st.one_of(
        st.tuples(
            st.just("vote"),
            st.sampled_from(["one", "two", "three"]),
            st.sampled_from(["ann", "bob", "cat", "dan"]),
            st.sampled_from(["up", "down", "none"]),
            st.sampled_from(["", "Yes.\n", "Why not?\n"]),
        ),
        st.tuples(st.just("unvote"), st.sampled_from(["one", "two", "three"]), st.sampled_from(["ann", "bob", "cat"])),
        st.tuples(st.just("title"), st.sampled_from(["one", "two", "three"]), st.sampled_from(["A", "B", "C"])),
        st.tuples(st.just("status"), st.sampled_from(["one", "two"]), st.sampled_from(["proposed", "under-review"])),
        st.tuples(st.just("rename"), st.sampled_from(["ann", "bob"]), st.sampled_from(["Ann B.", "Bo"])),
        st.tuples(st.just("commit")),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.slow  # a repository and a dozen generations per example
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHANGES, st.booleans())
def test_making_only_what_changed_leaves_what_making_everything_gives(changes: list, later: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = GitRepo(Path(folder) / "repo")
        repo.commit({"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER}, "site")
        repo.commit(
            {
                "ideas/one.md": idea("One", body="See #two.\n"),
                "ideas/two.md": idea("Two", authors="[bob]"),
                "ideas/three.md": idea("Three", authors="[cat]"),
                "ideas/one/bob.md": vote("up", "Yes.\n"),
            }
        )
        now = NOW + timedelta(days=3 if later else 0)
        generate(state(repo, now))
        for change in changes:
            apply_change(repo, change)
            generate(state(repo, now))
            assert on_disk(repo) == render(state(repo, now)), change


def test_digests_kept_between_builds_follow_every_object_a_page_is_made_from(ideas_repo: GitRepo) -> None:
    """The preview keeps the digests of its last build (recipes.Digests): a page whose
    objects are the same keeps its digest; any other object, even with the same tally,
    gives the digest a fresh build gives."""
    site = _site(state(ideas_repo), None, Memo())
    kept = Digests()
    first = {name: recipe.inputs for name, recipe in recipes(site, "", kept).items()}
    assert first == {name: recipe.inputs for name, recipe in recipes(site, "", kept).items()}
    bob = site.feedback["one"][0]
    other = dataclasses.replace(bob, text="Other.\n")
    changes = {
        "thread": {"feedback": {**site.feedback, "one": [other]}},
        "timeline": {"timelines": {**site.timelines, "one": dataclasses.replace(site.timelines["one"], label="x")}},
        "crossed": {"crossed": {**site.crossed, "one": [NOW]}},
        "given": {"feedback_by_person": {**site.feedback_by_person, "bob": [other]}},
    }
    for what, change in changes.items():
        moved = dataclasses.replace(site, **change)
        fresh = {name: recipe.inputs for name, recipe in recipes(moved, "").items()}
        assert {name: recipe.inputs for name, recipe in recipes(moved, "", kept).items()} == fresh, what
        assert fresh != first, what
        recipes(site, "", kept)


def test_the_enums_write_the_repr_that_enum_writes() -> None:
    """Digests write a repr per vote: the enums remember theirs, which must stay Enum's own
    (a digest that changed between two builds would make every page again)."""
    from enum import Enum

    from bubbleup.core.model import Severity, Status, Visibility, Vote

    for kind in (Status, Vote, Visibility, Severity):
        for member in kind:
            assert repr(member) == Enum.__repr__(member) == f"<{kind.__name__}.{member.name}: {member.value!r}>"
            assert repr(member) == repr(member)  # remembered the second time


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(max_size=6),
    st.text(max_size=6),
    st.sampled_from(["title", "text", "text_line", "metadata"]),
)
@pytest.mark.slow
def test_the_site_part_follows_every_field_of_every_idea(ideas_repo: GitRepo, old: str, new: str, field: str) -> None:
    """The site's part writes each idea's text as its digest (site/recipes.py `site_part`):
    two sites whose ideas differ in any field, the text among them, have two site parts,
    and sites whose ideas are equal have one."""
    from bubbleup.site.recipes import site_part

    site = _site(state(ideas_repo), None, Memo())
    one = site.catalog.ideas["one"]
    values = {
        "title": lambda text: text,
        "text": lambda text: text,
        "text_line": len,
        "metadata": lambda text: {"note": text},
    }[field]

    def with_value(text: str) -> str | None:
        changed = dataclasses.replace(one, **{field: values(text)})
        catalog = dataclasses.replace(site.catalog, ideas={**site.catalog.ideas, "one": changed})
        return site_part(dataclasses.replace(site, catalog=catalog), "")

    same = values(old) == values(new) and type(values(old)) is type(values(new))
    assert (with_value(old) == with_value(new)) is same


def test_a_build_leaves_the_garbage_collector_as_it_found_it(ideas_repo: GitRepo) -> None:
    """Making the pages holds the garbage collector (site/pages.py `_make`), and gives it back."""
    import gc

    generate(state(ideas_repo))
    assert gc.isenabled()
    gc.disable()
    try:
        generate(state(ideas_repo))
        assert not gc.isenabled()
    finally:
        gc.enable()
