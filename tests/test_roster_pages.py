"""A page's digest and an idea's parts key hold what the page shows and the parts read of
the roster, not the whole roster (site/roster_part.py, git/parts_cache.py): a newcomer's
first vote makes the pages that name them, and after any edit of people.yml (a name, a
team, an email, someone added or removed) what a build leaves is what a clean one makes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from bubbleup.core.config import settings as read_settings
from bubbleup.git.snapshot import snapshot
from bubbleup.site import roster_part
from bubbleup.site.feeds import render_idea_feed
from bubbleup.site.idea_page import render_idea
from bubbleup.site.memo import Memo
from bubbleup.site.pages import _site, generate, render
from bubbleup.site.people import authored, render_person
from conftest import MKDOCS_YML, GitRepo, build_site, idea, tree, vote
from test_recipes import keyed, on_disk

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
CONFIG = MKDOCS_YML.replace("  - bubbleup\n", "  - bubbleup:\n      threshold_votes: 1\n      threshold_teams: 2\n")
PEOPLE = {
    "ann": ("Ann Example", "ann@example.com", "support"),
    "bob": ("Bob Example", "bob@example.com", "sales"),
    "cat": ("Cat Example", "cat@example.com", "engineering"),
}
DECIDED = "status: planned\ndecision: {by: ann, date: 2026-10-02, reason: Yes.}\n"
NEWCOMER = ("dan", "Dan Doe", "dan@example.com", "sales")


def roster(people: dict[str, tuple[str, str, str]]) -> str:
    return "".join(
        f"{handle}:\n  name: {name}\n  emails: [{email}]\n  team: {team}\n"
        for handle, (name, email, team) in people.items()
    )


def started(root: Path) -> GitRepo:
    """Ideas that name people every way a page can: authors, voters, feedback, a customer's
    recorder, a decider, and contributors known by the email of their commits."""
    repo = GitRepo(root)
    repo.commit({"mkdocs.yml": CONFIG, "docs/index.md": "# Home\n", "ideas/people.yml": roster(PEOPLE)}, "site")
    repo.commit({"ideas/one.md": idea("One"), "ideas/four.md": idea("Four", authors="[cat]")}, "ann's")
    repo.commit({"ideas/two.md": idea("Two", authors="[bob]")}, "bob's", author="Robert B <bob@example.com>")
    repo.commit(
        {
            "ideas/three.md": idea("Three", authors="[cat]", extra=DECIDED),
            "ideas/one/bob.md": vote("up", "Yes.\n"),
            "ideas/one/cat.md": vote("down"),
            "ideas/two/ann.md": vote("up", "Me too.\n"),
            "ideas/three/customers/acme.md": "---\nvote: up\nrecorded-by: bob\n---\nAcme wants it.\n",
        },
        "votes",
    )
    return repo


def state(repo: GitRepo, cache: bool = True):
    settings = read_settings(repo.root / "mkdocs.yml")
    return snapshot(settings if cache else dataclasses.replace(settings, cache_dir=None), NOW, whole_history=True)


def made(repo: GitRepo) -> set[str]:
    """The pages with a digest that a build made (the views are made on every build)."""
    return built(repo)[0]


def built(repo: GitRepo) -> tuple[set[str], set[str]]:
    """The pages with a digest that a build made, and those of them it wrote (changed)."""
    result, shown = generate(state(repo)), keyed(repo)
    return set(result.made) & shown, set(result.written) & shown


def as_clean(repo: GitRepo) -> bool:
    """What a build left on disk is what making every page from no cache at all gives."""
    return on_disk(repo) == render(state(repo, cache=False))


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    found = started(tmp_path / "repo")
    generate(state(found))
    assert made(found) == set()
    return found


def add_newcomer(repo: GitRepo) -> None:
    handle, name, email, team = NEWCOMER
    repo.commit(
        {"ideas/people.yml": roster({**PEOPLE, handle: (name, email, team)}), f"ideas/one/{handle}.md": vote("up")},
        "newcomer",
        author=f"{name} <{email}>",
    )


@pytest.mark.slow
def test_a_newcomers_first_vote_makes_only_the_pages_that_name_them(repo: GitRepo, recalled: list[set[str]]) -> None:
    add_newcomer(repo)
    # One's page and feed (a new voter), the newcomer's page, One's author's (its score),
    # and the pages of those who gave One feedback too (bob, cat), whose digests stand on
    # One's key (site/recipes.py `_feedback_keys`): made, the same, not written.
    found, written = built(repo)
    assert found == {"one.md", "one/feed.xml", "people/dan.md", "people/ann.md", "people/bob.md", "people/cat.md"}
    assert written == {"one.md", "people/dan.md", "people/ann.md"}  # a bare vote: the feed shows no text
    assert recalled[0] == {"two", "three", "four"}  # One's parts alone made again
    assert as_clean(repo)
    assert "Dan Doe" in (repo.root / "docs/ideas/one.md").read_text()


@pytest.mark.parametrize(
    ("edit", "shown", "not_shown"),
    [
        # Bob's name: on the pages of the ideas he proposed, voted on, wrote or recorded feedback on.
        (
            ("bob", 0, "Bobby Tables"),
            {"one.md", "one/feed.xml", "two.md", "two/feed.xml", "three.md", "three/feed.xml", "people/bob.md"},
            {"four.md", "four/feed.xml", "people/ann.md", "people/cat.md"},
        ),
        # Bob's team: his page, and One's, where his up vote counts toward review (each page
        # that names him is made: the teams it counts are those of the up voters).
        (("bob", 2, "support"), {"one.md", "people/bob.md"}, {"four.md", "people/ann.md", "people/cat.md"}),
        # Cat's team: her page, and the ideas she proposed or voted on; not Two's.
        (("cat", 2, "sales"), {"people/cat.md", "four.md"}, {"two.md", "two/feed.xml", "people/ann.md"}),
        # Bob's email: Two's history names its commit's author by it ("Robert B" once it is not his).
        (("bob", 1, "robert@elsewhere.example"), {"two.md", "two/feed.xml"}, {"one.md", "three.md", "people/bob.md"}),
    ],
)
@pytest.mark.slow
def test_a_roster_edit_makes_the_pages_that_show_it(repo: GitRepo, edit: tuple, shown: set, not_shown: set) -> None:
    handle, field, value = edit
    people = dict(PEOPLE)
    entry = list(people[handle])
    entry[field] = value
    people[handle] = (entry[0], entry[1], entry[2])
    before = (repo.root / "docs/ideas/two.md").read_text()
    repo.commit({"ideas/people.yml": roster(people)}, "roster")
    found, written = built(repo)
    assert found >= shown and not {name for name in found if not name.startswith("people/")} & not_shown, found
    # A person page is made when an idea they gave feedback on has a new key (its
    # digest stands on the keys: site/recipes.py `_feedback_keys`), and comes out the same.
    assert not written & not_shown, written
    assert as_clean(repo)
    if field == 1:
        assert "Bob Example" in before and "Robert B" in (repo.root / "docs/ideas/two.md").read_text()


@pytest.mark.slow
def test_a_voters_new_team_moves_when_an_idea_became_ready_for_review(repo: GitRepo) -> None:
    """Two teams are needed: Four is ready once Bob's vote joins Ann's team, or with Bob
    in Ann's team, once Cat's does. The crossings are among the parts the cache keeps."""
    for day, handle in ((5, "ann"), (6, "bob"), (7, "cat")):
        when = f"2026-10-0{day}T10:00:00+00:00"
        repo.commit(
            {f"ideas/four/{handle}.md": vote("up")},
            handle,
            author=f"{PEOPLE[handle][0]} <{PEOPLE[handle][1]}>",
            when=when,
        )
    generate(state(repo))
    assert "Ready for review</strong> since 2026-10-06" in (repo.root / "docs/ideas/four.md").read_text()
    repo.commit({"ideas/people.yml": roster({**PEOPLE, "bob": ("Bob Example", "bob@example.com", "support")})})
    generate(state(repo))
    assert as_clean(repo)
    assert "Ready for review</strong> since 2026-10-07" in (repo.root / "docs/ideas/four.md").read_text()


@pytest.mark.slow
def test_someone_removed_and_an_email_taken_over_build_as_clean(repo: GitRepo) -> None:
    handle, name, email, team = NEWCOMER
    moved = {
        **PEOPLE,
        "bob": ("Bob Example", "robert@elsewhere.example", "sales"),
        handle: (name, "bob@example.com", team),
    }
    repo.commit({"ideas/people.yml": roster(moved)}, "takes over")
    assert made(repo) >= {"two.md"} and as_clean(repo)  # Two's history now names Dan Doe
    assert "Dan Doe" in (repo.root / "docs/ideas/two.md").read_text()
    repo.commit({"ideas/people.yml": roster({k: v for k, v in PEOPLE.items() if k != "cat"})}, "cat leaves")
    generate(state(repo))
    assert as_clean(repo) and "people/cat.md" not in on_disk(repo)
    repo.commit({"ideas/people.yml": ""}, "nobody")
    generate(state(repo))
    assert as_clean(repo)


class Noting(dict):
    """A roster that notes each handle it is asked about, and "*" when read whole."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.asked: set[str] = set()

    def __contains__(self, handle: object) -> bool:
        self.asked.add(str(handle))
        return super().__contains__(handle)

    def __getitem__(self, handle: str):
        self.asked.add(handle)
        return super().__getitem__(handle)

    def get(self, handle: str, default: object = None):  # type: ignore[override]
        self.asked.add(handle)
        return super().get(handle, default)

    def __iter__(self):
        self.asked.add("*")
        return super().__iter__()

    def items(self):  # type: ignore[override]
        self.asked.add("*")
        return super().items()

    def values(self):  # type: ignore[override]
        self.asked.add("*")
        return super().values()

    def keys(self):  # type: ignore[override]
        self.asked.add("*")
        return super().keys()


@pytest.mark.slow
def test_a_page_with_a_digest_asks_the_roster_only_about_the_people_its_digest_holds(repo: GitRepo) -> None:
    add_newcomer(repo)
    site = _site(state(repo), None, Memo())
    noting = Noting(site.catalog.roster)
    site = dataclasses.replace(site, catalog=dataclasses.replace(site.catalog, roster=noting))
    asked_any = set()
    for slug, item in site.tallies.items():
        noting.asked.clear()
        render_idea(site, item)
        render_idea_feed(site, slug)
        assert noting.asked <= set(roster_part.named(site, slug)), slug
        asked_any |= noting.asked
    assert asked_any >= {"ann", "bob", "cat", "dan", "acme"}
    proposed = authored(site)
    for handle in PEOPLE:
        noting.asked.clear()
        render_person(site, handle, proposed.get(handle, []))
        assert noting.asked == {handle}


POOL = ("ann", "bob", "cat", "dan", "eve")
EDITS = ("add", "remove", "name", "email", "team", "vote", "drop roster", "restore roster")


@pytest.mark.slow  # about a second a step: a build, and a clean one to compare with
@examples(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(EDITS),
            st.sampled_from(POOL),
            st.sampled_from(POOL),
            st.sampled_from(("one", "two", "three", "four")),
        ),
        max_size=5,
    )
)
def test_after_any_roster_edits_a_build_leaves_what_a_clean_build_makes(repo: GitRepo, edits: list) -> None:
    """Each example goes on from the caches and pages the previous ones left, as builds do."""
    people = {handle: (handle.title(), f"{handle}@example.com", "sales") for handle in POOL[:3]}
    present = True
    for edit, handle, other, slug in edits:
        present = {"drop roster": False, "restore roster": True}.get(edit, present)
        if edit == "add":
            people.setdefault(handle, (handle.title(), f"{other}@example.com", "support"))
        elif edit == "remove":
            people.pop(handle, None)
        elif edit == "vote":
            (repo.root / f"ideas/{slug}").mkdir(exist_ok=True)
            (repo.root / f"ideas/{slug}/{handle}.md").write_text(vote("up", "Hi.\n"))
            by = f"{people.get(handle, (handle.title(),))[0]} <{other}@example.com>"
            repo.git("add", "-A", author=by)
            repo.git("commit", "-q", "--allow-empty", "-m", "vote", author=by)
        elif handle in people and edit in ("name", "email", "team"):
            name, email, team = people[handle]
            people[handle] = {
                "name": (other.title() + " X", email, team),
                "email": (name, f"{other}@example.com", team),
                "team": (name, email, f"team-{other}"),
            }[edit]
        write = roster(people) if present else None
        if write is None:
            (repo.root / "ideas/people.yml").unlink(missing_ok=True)
        else:
            (repo.root / "ideas/people.yml").write_text(write)
        generate(state(repo))
        assert as_clean(repo), (edit, handle, other, slug)


@pytest.mark.slow  # a dozen site builds
def test_after_each_roster_edit_the_incremental_site_equals_the_clean_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    repo = started(tmp_path / "repo")
    build_site(repo)
    handle, name, email, team = NEWCOMER
    edits = [
        {**PEOPLE, handle: (name, email, team)},
        {**PEOPLE, handle: (name, email, team), "bob": ("Bobby Tables", "bob@example.com", "sales")},
        {**PEOPLE, handle: (name, email, "support"), "bob": ("Bob Example", "robert@elsewhere.example", "sales")},
        {k: v for k, v in PEOPLE.items() if k != "cat"},
    ]
    for number, people in enumerate(edits):
        files = {"ideas/people.yml": roster(people)}
        if number == 0:
            files["ideas/one/dan.md"] = vote("up")
        repo.commit(files, f"roster {number}", author=f"{name} <{email}>")
        build_site(repo)
        build_site(repo, "--clean", "--site-dir", str(tmp_path / "clean"))
        incremental, clean = tree(repo.root / "site"), tree(tmp_path / "clean")
        assert sorted(incremental) == sorted(clean)
        assert [page for page in incremental if incremental[page] != clean[page]] == [], number
