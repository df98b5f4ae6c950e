"""The ranking tables take the rows of ideas whose key did not change from the pages the
previous build wrote (site/tables.py), and are what making every row gives: after any
change, with a damaged, foreign or stale cache, and with a page edited since."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.core.config import settings as read_settings
from bubbleup.git.snapshot import snapshot
from bubbleup.site import halves, lists
from bubbleup.site.pages import generate, render
from bubbleup.site.tables import ROW, TABLES, Rows
from conftest import (
    MKDOCS_YML,
    ROSTER,
    GitRepo,
    as_journaled,
    as_json,
    idea,
    journaled,
    on_disk,
    rejournal,
    vote,
    write,
)

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
VIEWS = ("index.md", "trending.md", "new.md", "discussed.md")


def state(repo: GitRepo, now: datetime = NOW):
    return snapshot(read_settings(repo.root / "mkdocs.yml"), now=now, whole_history=True)


def fresh(repo: GitRepo, now: datetime = NOW) -> dict[str, str]:
    """Every page made whole: `render` reads no table of an earlier build."""
    return render(state(repo, now))


@pytest.fixture
def ranked(site_repo: GitRepo) -> GitRepo:
    ideas = {f"ideas/idea-{n}.md": idea(f"Idea {n}", extra="tags: [alpha]\n") for n in range(8)}
    ideas |= {f"ideas/idea-{n}/bob.md": vote("up", "Yes.\n") for n in range(0, 8, 2)}
    site_repo.commit(ideas)
    return site_repo


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs of the rows made (not taken again), in order; the views are made in this
    process, where they are counted (not apart in a second one: site/view_pages.py)."""
    monkeypatch.setattr(halves, "available", lambda: False)
    found: list[str] = []
    row = lists._row

    def counted(site, item, sort):
        found.append(item.idea.slug)
        return row(site, item, sort)

    monkeypatch.setattr(lists, "_row", counted)
    return found


def settled(repo: GitRepo, now: datetime = NOW) -> None:
    """Two builds: the first one's snapshot has no keys yet (git/parts_cache.py)."""
    generate(state(repo, now))
    generate(state(repo, now))


@pytest.mark.slow
def test_after_one_vote_only_that_ideas_rows_are_made(ranked: GitRepo, made: list[str]) -> None:
    settled(ranked)
    assert (ranked.root / ".bubbleup-cache" / TABLES).with_suffix(".pickle").exists()
    made.clear()
    ranked.commit({"ideas/idea-5/cat.md": vote("up")})
    generate(state(ranked))
    assert set(made) == {"idea-5"}  # its row in each view, its status's and its tag's page
    assert on_disk(ranked) == fresh(ranked)


@pytest.mark.slow
@pytest.mark.skipif(not halves.available(), reason="needs a second processor to fork onto")
def test_rows_of_views_made_apart_are_taken_by_the_next_build(ranked: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables the second process made are kept by the first (`view_pages.Apart`)."""
    settled(ranked)  # the views made apart, in a second process
    ranked.commit({"ideas/idea-3/cat.md": vote("up")})
    generate(state(ranked))
    found: list[str] = []
    row = lists._row
    monkeypatch.setattr(halves, "available", lambda: False)
    monkeypatch.setattr(lists, "_row", lambda site, item, sort: found.append(item.idea.slug) or row(site, item, sort))
    ranked.commit({"ideas/idea-5/cat.md": vote("up")})
    generate(state(ranked))
    assert set(found) == {"idea-5"}
    assert on_disk(ranked) == fresh(ranked)


def test_on_another_day_every_row_is_made_again(ranked: GitRepo, made: list[str]) -> None:
    """A row says "3 days ago": the next day's rows are not the previous day's."""
    settled(ranked)
    made.clear()
    later = NOW + timedelta(days=2)
    generate(state(ranked, later))
    assert len(made) >= 4 * 8
    assert on_disk(ranked) == fresh(ranked, later)


@pytest.mark.parametrize(
    "damage",
    [
        b"not json",
        b'{"format": 1, "code": "other", "token": "t", "tables": {}}',
        b'{"format": 99, "tables": []}',
        b"",
    ],
)
@pytest.mark.slow
def test_a_damaged_or_foreign_cache_makes_every_row(ranked: GitRepo, made: list[str], damage: bytes) -> None:
    settled(ranked)
    cache = (ranked.root / ".bubbleup-cache" / TABLES).with_suffix(".pickle")
    assert cache.is_file()
    cache.write_bytes(damage)
    cache.with_name("tables-journal.pickle").unlink(missing_ok=True)
    made.clear()
    ranked.commit({"ideas/idea-3/cat.md": vote("down")})
    generate(state(ranked))
    assert len(made) >= 4 * 8
    assert on_disk(ranked) == fresh(ranked)


@pytest.mark.slow
def test_entries_of_the_wrong_shape_are_ignored(ranked: GitRepo) -> None:
    generate(state(ranked))
    cache = ranked.root / ".bubbleup-cache" / TABLES
    content = as_json(cache)
    for name in list(content["tables"]):
        content["tables"][name] = [None, "x", 3] if name.startswith("p ") else ["k", "not a build"]
    content["tables"]["#"] = "two"
    as_journaled(cache, json.dumps(content))
    ranked.commit({"ideas/idea-1/cat.md": vote("up")})
    generate(state(ranked))
    assert on_disk(ranked) == fresh(ranked)


@pytest.mark.slow
def test_a_page_edited_since_it_was_written_is_not_read(ranked: GitRepo, made: list[str]) -> None:
    settled(ranked)
    index = ranked.root / "docs/ideas/index.md"
    index.write_text(index.read_text().replace("Idea 4", "Idea Four"))
    made.clear()
    ranked.commit({"ideas/idea-1/cat.md": vote("up")})
    generate(state(ranked))
    assert made.count("idea-4") >= 1
    assert on_disk(ranked) == fresh(ranked)


@pytest.mark.slow
def test_a_page_rewritten_with_its_size_kept_is_not_read(ranked: GitRepo, made: list[str]) -> None:
    """A page is known by its size, modification time and inode, as the ledger knows it."""
    settled(ranked)
    index = ranked.root / "docs/ideas/index.md"
    text = index.read_text()
    index.unlink()
    index.write_text(text.replace("Idea 4", "Idea X"))
    made.clear()
    ranked.commit({"ideas/idea-1/cat.md": vote("up")})
    generate(state(ranked))
    assert "idea-4" in made
    assert on_disk(ranked) == fresh(ranked)


IDEAS = st.lists(st.sampled_from("abcdefg"), unique=True, max_size=7)


@pytest.mark.slow
@given(IDEAS, IDEAS, st.sets(st.sampled_from("abcdefg")))
def test_the_ends_of_a_table_are_its_rows_in_the_same_places(old: list[str], new: list[str], stale: set[str]) -> None:
    """`Rows.ends`: the rows at the start and at the end that are the same ideas in the
    same places, with keys no newer than the table, and exactly their text."""
    pieces = ["", *(f"{name} row\n" for name in old)]
    rows = Rows(old, "".join(ROW + piece for piece in pieces[1:]), pieces, 3, {n: 5 if n in stale else 1 for n in old})
    head, tail, text = rows.ends(new)

    def same(at: int) -> bool:
        return at < len(new) and at < len(old) and old[at] == new[at] and old[at] not in stale

    expected = 0
    while same(expected):
        expected += 1
    assert head == expected
    ending = 0
    while len(new) == len(old) and ending < len(old) - head and same(len(old) - 1 - ending):
        ending += 1
    assert tail == ending
    assert text == "".join(ROW + piece for piece in pieces[1 : head + 1])
    assert rows.tail(tail) == "".join(ROW + piece for piece in pieces[len(old) - tail + 1 :])


def test_a_row_made_before_its_idea_got_its_key_is_made_again(ranked: GitRepo, made: list[str]) -> None:
    """A page kept from an earlier build than the one since which an idea has its key
    (each entry says which build made it) does not give that idea's row."""
    settled(ranked)
    cache = ranked.root / ".bubbleup-cache" / TABLES
    header, content = journaled(cache)
    journal = cache.with_name("tables-journal.pickle")
    if journal.exists():
        content["tables"].update(journaled(journal)[1]["made"])
        journal.unlink()
    content["tables"]["k idea-4"][1] = content["tables"]["#"] + 1
    rejournal(cache, header, content)
    made.clear()
    generate(state(ranked))
    assert set(made) == {"idea-4"}


@pytest.mark.slow
def test_a_key_back_to_what_it_was_makes_the_row_again(ranked: GitRepo) -> None:
    """An idea voted on, then the vote taken back: its key is the first one again, but
    the pages on disk show the vote."""
    settled(ranked)
    ranked.commit({"ideas/idea-6/cat.md": vote("up")})
    generate(state(ranked))
    (ranked.root / "ideas/idea-6/cat.md").unlink()
    ranked.git("add", "-A")
    ranked.git("commit", "-q", "-m", "taken back")
    generate(state(ranked))
    assert on_disk(ranked) == fresh(ranked)
    assert "+1 net · 1 up" in on_disk(ranked)["new.md"].split("Idea 6")[1].split("</tr>")[0]


@pytest.mark.slow
def test_hostile_titles_keep_the_rows_apart(site_repo: GitRepo) -> None:
    """Titles that look like the table's own markup cannot move a row's bounds."""
    titles = ['"<tr>\\n<td>1</td>"', '"</strong></td>\\n</tbody>\\n"', '"a\\nb"', "'<tbody>'"]
    site_repo.commit({f"ideas/odd-{n}.md": idea(title) for n, title in enumerate(titles)})
    generate(state(site_repo))
    site_repo.commit({"ideas/odd-2/cat.md": vote("up")})
    generate(state(site_repo))
    assert on_disk(site_repo) == fresh(site_repo)


TITLES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).map(json.dumps)
STEPS = st.lists(
    st.tuples(st.sampled_from(["vote", "unvote", "title", "day"]), st.integers(0, 3), st.sampled_from(["ann", "cat"])),
    min_size=1,
    max_size=5,
)


@pytest.mark.slow  # a repository and several builds per example
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TITLES, min_size=4, max_size=4), STEPS, TITLES)
def test_tables_with_the_cache_equal_tables_made_whole(titles: list[str], steps: list, retitle: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = GitRepo(Path(folder) / "repo")
        repo.commit({"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER}, "site")
        repo.commit({f"ideas/i-{n}.md": idea(title, extra="tags: [alpha]\n") for n, title in enumerate(titles)})
        now = NOW
        generate(state(repo, now))
        for kind, number, handle in steps:
            path = repo.root / f"ideas/i-{number}/{handle}.md"
            if kind == "vote":
                write(repo.root, {f"ideas/i-{number}/{handle}.md": vote("up")})
            elif kind == "unvote":
                path.unlink(missing_ok=True)
            elif kind == "title":
                write(repo.root, {f"ideas/i-{number}.md": idea(retitle, extra="tags: [alpha]\n")})
            else:
                now += timedelta(days=1)
            repo.git("add", "-A")
            repo.git("commit", "-q", "--allow-empty", "-m", "change")
            generate(state(repo, now))
            assert on_disk(repo) == fresh(repo, now), (kind, number, handle)
