"""The page of each status, tag and team has a digest of what it shows (site/lists.py
`listing_parts`): a build of a new process makes only those that list an idea whose
key changed, and leaves on disk what making every page gives, after every kind of change."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.core.config import settings as read_settings
from bubbleup.git.snapshot import snapshot
from bubbleup.site.pages import generate, render
from conftest import MKDOCS_YML, ROSTER, GitRepo, idea, vote
from test_recipes import on_disk

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
LISTINGS = ("status/", "tags/", "teams/")
PLANNED = "status: planned\ndecision: {by: ann, date: 2026-10-02, reason: Yes.}\n"


def state(repo: GitRepo, now: datetime = NOW):
    return snapshot(read_settings(repo.root / "mkdocs.yml"), now=now, whole_history=True)


def listings_made(repo: GitRepo, now: datetime = NOW) -> set[str]:
    """The listing pages a build made (the lists of tags and teams are made every time)."""
    made = generate(state(repo, now)).made
    return {name for name in made if name.startswith(LISTINGS) and not name.endswith("/index.md")}


def started(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER}, "site")
    repo.commit(
        {
            "ideas/one.md": idea("One", extra="tags: [alpha]\n"),
            "ideas/two.md": idea("Two", authors="[bob]", extra="tags: [beta]\n"),
            "ideas/three.md": idea("Three", authors="[cat]", extra=f"tags: [beta]\n{PLANNED}"),
            "ideas/one/bob.md": vote("up", "Yes.\n"),
        }
    )
    return repo


@pytest.mark.slow
def test_one_vote_makes_only_the_listings_of_its_idea(tmp_path: Path) -> None:
    repo = started(tmp_path / "repo")
    assert listings_made(repo) >= {"tags/alpha.md", "tags/beta.md", "status/planned.md", "teams/sales.md"}
    assert listings_made(repo) == set()
    repo.commit({"ideas/two/ann.md": vote("up")}, author="Ann Example <ann@example.com>")
    # Two is proposed, tagged beta, by bob of sales.
    assert listings_made(repo) == {"status/proposed.md", "tags/beta.md", "teams/sales.md"}
    assert on_disk(repo) == render(state(repo))


@pytest.mark.slow
def test_a_listing_is_made_again_when_it_would_say_something_else(tmp_path: Path) -> None:
    """A vote not committed yet (no key, dated now), a new day, the roster, the options."""
    repo = started(tmp_path / "repo")
    generate(state(repo))
    (repo.root / "ideas/three/ann.md").parent.mkdir()
    (repo.root / "ideas/three/ann.md").write_text(vote("down"))
    assert "tags/beta.md" in listings_made(repo)
    assert "tags/beta.md" in listings_made(repo)  # still no key: made on every build
    assert on_disk(repo) == render(state(repo))
    repo.commit({}, "the vote")
    assert listings_made(repo) == {"status/planned.md", "tags/beta.md", "teams/engineering.md"}
    later = NOW + timedelta(days=1)  # "proposed today" becomes "yesterday"
    assert listings_made(repo, later) >= {"tags/alpha.md", "tags/beta.md"}
    assert on_disk(repo) == render(state(repo, later))
    repo.commit({"ideas/people.yml": ROSTER.replace("team: sales", "team: field sales")})
    assert "teams/field-sales--" in " ".join(listings_made(repo))
    assert on_disk(repo) == render(state(repo))
    config = repo.root / "mkdocs.yml"
    repo.commit({"mkdocs.yml": config.read_text() + "use_directory_urls: false\n"})
    assert listings_made(repo) >= {"tags/alpha.md", "status/planned.md"}  # other addresses
    assert on_disk(repo) == render(state(repo))


CHANGES = st.lists(
    st.one_of(
        st.tuples(
            st.just("vote"),
            st.sampled_from(["one", "two", "three"]),
            st.sampled_from(["ann", "bob", "cat"]),
            st.sampled_from(["up", "down", "none"]),
        ),
        st.tuples(st.just("status"), st.sampled_from(["one", "two"]), st.sampled_from(["proposed", "planned"])),
        st.tuples(
            st.just("tag"), st.sampled_from(["one", "two", "three"]), st.sampled_from(["alpha", "beta", "gamma"])
        ),
        st.tuples(st.just("team"), st.sampled_from(["ann", "bob"]), st.sampled_from(["sales", "support", "ops"])),
        st.tuples(st.just("day")),
        st.tuples(st.just("commit")),
    ),
    min_size=1,
    max_size=6,
)


def _apply(repo: GitRepo, change: tuple, now: datetime) -> datetime:
    kind, *rest = change
    root = repo.root
    if kind == "vote":
        path = root / f"ideas/{rest[0]}/{rest[1]}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(vote(rest[2]))
    elif kind in ("status", "tag"):
        path = root / f"ideas/{rest[0]}.md"
        fields = ("tags:",) if kind == "tag" else ("status:", "decision:")
        added = f"tags: [{rest[1]}]\n" if kind == "tag" else PLANNED if rest[1] == "planned" else ""
        lines = [line for line in path.read_text().split("\n") if not line.startswith(fields)]
        path.write_text("\n".join(lines).replace("---\n", f"---\n{added}", 1))
    elif kind == "team":
        people = root / "ideas/people.yml"
        text = people.read_text().split(f"{rest[0]}:\n", 1)
        after = text[1].split("\n")
        after[2] = f"  team: {rest[1]}"
        people.write_text(f"{text[0]}{rest[0]}:\n" + "\n".join(after))
    elif kind == "day":
        return now + timedelta(days=1)
    else:
        repo.git("add", "-A")
        repo.git("commit", "-q", "--allow-empty", "-m", "change")
    return now


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHANGES)
def test_listings_made_only_when_changed_are_what_making_everything_gives(changes: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = started(Path(folder) / "repo")
        now = NOW
        generate(state(repo, now))
        for change in changes:
            now = _apply(repo, change, now)
            generate(state(repo, now))
            assert on_disk(repo) == render(state(repo, now)), change
