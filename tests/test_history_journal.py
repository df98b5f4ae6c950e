"""The history cache's journal: after a few new commits only they are written, and a journal
that is damaged, half-written, foreign or left behind by a rewritten history changes nothing."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.git import history_journal
from bubbleup.git.history import History, read
from conftest import GitRepo, idea, vote

BOB = "Bob Example <bob@example.com>"
PEOPLE = ("ann", "bob", "cy")
PATHS = [
    path
    for number in range(3)
    for path in (
        f"ideas/idea-{number}.md",
        f"ideas/idea-{number}-moved.md",
        *(f"ideas/idea-{number}/{person}.md" for person in PEOPLE),
    )
]


def history(repo: GitRepo, cache: Path | None = None) -> History:
    return read(repo.root, repo.root / "ideas", cache_dir=cache)


def events(past: History) -> dict:
    """Every event of every file; positions as their rank, which is what they are for (the
    order of commits), since a cache numbers the commits after a deletion differently."""
    files = past.files
    ranks = {p: i for i, p in enumerate(sorted({e.position for f in files.values() for e in f.events}))}
    return {path: [[*e.as_list()[:-1], ranks[e.position]] for e in f.events] for path, f in files.items()}


def dates(past: History, paths) -> list:
    return [(past.created(path), past.last_change(path)) for path in sorted(paths)]


def same_as_without_cache(repo: GitRepo, cache: Path) -> None:
    """The cached history is Git's own: as the run that brings the cache up to date reads it,
    and as the next run finds it (dates from the summary, then the whole histories)."""
    fresh = history(repo)
    paths = {*fresh.files, *PATHS}  # files deleted or renamed away too: they have no dates
    updated = history(repo, cache)
    assert dates(updated, paths) == dates(fresh, paths) and events(updated) == events(fresh)
    summarised = history(repo, cache)
    assert dates(summarised, paths) == dates(fresh, paths) and events(summarised) == events(fresh)
    whole = read(repo.root, repo.root / "ideas", cache_dir=cache, dates=False)  # as a site build reads it
    assert whole._files is not None and dates(whole, paths) == dates(fresh, paths) and events(whole) == events(fresh)


@pytest.fixture
def repo(git_repo: GitRepo) -> GitRepo:
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, when="2026-01-06T10:00:00+00:00")
    return git_repo


def test_one_new_commit_is_written_to_the_journal_not_to_the_cache(repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    history(repo, cache)
    whole, summary = (cache / "history.pickle").read_bytes(), (cache / "dates.pickle").read_bytes()
    repo.commit({"ideas/one/bob.md": vote("down")}, author=BOB, when="2026-01-07T10:00:00+00:00")
    assert history(repo, cache).commits_read == 1
    assert (cache / "history.pickle").read_bytes() == whole and (cache / "dates.pickle").read_bytes() == summary
    journal = json.loads((cache / "journal.json").read_text())
    assert [len(entries) for _, entries in journal["batches"]] == [1]
    tallied = history(repo, cache)  # the summary at the cache's commit, brought forward by the journal
    assert tallied.last_change("ideas/one/bob.md")[1] == "down" and tallied._files is None
    same_as_without_cache(repo, cache)


def test_new_commits_are_dated_without_the_whole_histories(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tally` after a vote reads the new commit from Git onto the summary, and keeps it in
    the journal: neither the whole histories nor the cache file are read or written."""
    from bubbleup.git import history_cache

    cache = tmp_path / "cache"
    history(repo, cache)
    repo.commit({"ideas/one/ann.md": vote("down")}, when="2026-01-07T10:00:00+00:00")
    repo.commit({"ideas/one/bob.md": vote("none")}, when="2026-01-08T10:00:00+00:00")
    whole = (cache / "history.pickle").read_bytes()

    def refused(*args: object) -> None:
        raise AssertionError("the whole histories were read")

    with monkeypatch.context() as patched:
        patched.setattr(history_cache, "load", refused)
        past = history(repo, cache)
        assert past.commits_read == 2 and past.last_change("ideas/one/bob.md")[1] == "none"
    assert (cache / "history.pickle").read_bytes() == whole
    assert history(repo, cache).commits_read == 0  # the journal reaches the head now
    same_as_without_cache(repo, cache)


def test_a_summary_set_aside_is_written_again_with_the_cache(repo: GitRepo, tmp_path: Path) -> None:
    """A journal is only kept while the summary it brings forward is sound: otherwise every
    `tally` would read the whole histories until the journal folded."""
    cache = tmp_path / "cache"
    history(repo, cache)
    repo.commit({"ideas/one/ann.md": vote("down")}, when="2026-01-07T10:00:00+00:00")
    history(repo, cache)
    (cache / "dates.pickle").write_text("{damaged")
    repo.commit({"ideas/one/cy.md": vote("up")}, when="2026-01-08T10:00:00+00:00")
    assert history(repo, cache).commits_read == 1  # from the cache and its journal, then written whole
    assert not (cache / "journal.json").exists() and history(repo, cache)._files is None
    same_as_without_cache(repo, cache)


def test_deleted_and_changed_files_are_dated_from_the_journal(repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    history(repo, cache)
    repo.commit({"ideas/one/ann.md": vote("up")}, when="2026-01-07T10:00:00+00:00")
    (repo.root / "ideas/one/bob.md").unlink()
    repo.commit({"ideas/one.md": idea("One", extra="status: declined\n")}, when="2026-01-08T10:00:00+00:00")
    history(repo, cache)
    tallied = history(repo, cache)
    assert tallied._files is None  # from the summary and the journal
    assert tallied.created("ideas/one/bob.md") is None and tallied.last_change("ideas/one.md")[1] == "declined"
    same_as_without_cache(repo, cache)


def test_the_journal_is_folded_into_the_cache_once_it_is_long(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_journal, "FOLD_AFTER", 2)
    cache = tmp_path / "cache"
    history(repo, cache)
    whole = (cache / "history.pickle").read_bytes()
    repo.commit({"ideas/one/ann.md": vote("up")}, when="2026-01-07T10:00:00+00:00")
    repo.commit({"ideas/one/cy.md": vote("up")}, when="2026-01-08T10:00:00+00:00")
    history(repo, cache)
    assert (cache / "journal.json").is_file() and (cache / "history.pickle").read_bytes() == whole
    repo.commit({"ideas/one/ann.md": vote("down")}, when="2026-01-09T10:00:00+00:00")
    history(repo, cache)  # three changes: the cache is written whole at the head
    assert not (cache / "journal.json").exists() and (cache / "history.pickle").read_bytes() != whole
    same_as_without_cache(repo, cache)


def damages(text: str) -> list[str]:
    raw = json.loads(text)
    foreign = {**raw, "key": {**raw["key"], "folder": "other/"}}
    other_base = {**raw, "base": "0" * 40}
    first, rows = raw["batches"][0]
    row = rows[0]
    return [
        text[: len(text) // 2],  # half-written
        "",
        "[]",
        json.dumps(foreign),
        json.dumps(other_base),
        json.dumps({**raw, "head": 7}),
        json.dumps({**raw, "batches": [[-1, rows]]}),
        json.dumps({**raw, "batches": [[first, [[*row[:4], "7", row[5]]]]]}),  # a pull request that is no number
        json.dumps({**raw, "batches": [[first, [[*row[:5], [["M", "x", ["a", "b", "c"], None]]]]]]}),
        json.dumps({**raw, "batches": [[first, [[*row[:5], [["M", "x", ["a.md"], ["up"]]]]]]]}),
        json.dumps({**raw, "batches": [[first, [[*row[:1], "monday", *row[2:]]]]]}),
    ]


@pytest.mark.slow
def test_a_damaged_half_written_or_foreign_journal_is_set_aside(repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    history(repo, cache)
    repo.commit({"ideas/one/bob.md": vote("down")}, author=BOB, when="2026-01-07T10:00:00+00:00")
    repo.commit({"ideas/two.md": idea("Two")}, when="2026-01-08T10:00:00+00:00")
    history(repo, cache)
    saved = (cache / "journal.json").read_text()
    for damaged in damages(saved):
        (cache / "journal.json").write_text(damaged)
        past = history(repo, cache)
        assert past.commits_read == 2  # read again from the cache's own head
        (cache / "journal.json").write_text(damaged)
        same_as_without_cache(repo, cache)


@pytest.mark.slow
def test_a_rewritten_history_sets_the_journal_aside(repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    history(repo, cache)
    repo.commit({"ideas/one/bob.md": vote("down")}, author=BOB, when="2026-01-07T10:00:00+00:00")
    history(repo, cache)  # the journal holds bob's down vote
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.commit({"ideas/one/ann.md": vote("up")}, when="2026-01-08T10:00:00+00:00")  # its head is gone
    fresh = history(repo)
    assert history(repo, cache).last_change("ideas/one/bob.md") == fresh.last_change("ideas/one/bob.md")
    same_as_without_cache(repo, cache)
    repo.commit({"ideas/one/bob.md": vote("none")}, when="2026-01-09T10:00:00+00:00")
    history(repo, cache)
    repo.git("commit", "-q", "--amend", "-m", "amended")  # the journal's head amended
    same_as_without_cache(repo, cache)
    repo.git("reset", "-q", "--hard", "HEAD~2")  # back before the journal: the cache's own head
    same_as_without_cache(repo, cache)
    repo.commit({"ideas/one/cy.md": vote("up")}, when="2026-01-10T10:00:00+00:00")
    same_as_without_cache(repo, cache)


STEP = st.one_of(
    st.tuples(st.just("vote"), st.integers(0, 2), st.sampled_from(PEOPLE), st.sampled_from(("up", "down", "none"))),
    st.tuples(st.just("status"), st.integers(0, 2), st.sampled_from(("proposed", "planned")), st.just("")),
    st.tuples(st.just("delete"), st.integers(0, 2), st.sampled_from(PEOPLE), st.just("")),
    st.tuples(st.just("rename"), st.integers(0, 2), st.just(""), st.just("")),
    st.tuples(st.just("amend"), st.just(0), st.just(""), st.just("")),
    st.tuples(st.just("run"), st.just(0), st.just(""), st.just("")),
)


def apply_step(repo: GitRepo, step: tuple, day: int) -> None:
    kind, number, person, value = step
    when = f"2026-02-{day:02d}T10:00:00+00:00"
    folder = repo.root / "ideas"
    slug = f"idea-{number}"
    if kind == "vote":
        repo.commit(
            {f"ideas/{slug}.md": idea(slug), f"ideas/{slug}/{person}.md": vote(value, f"Day {day}.")}, when=when
        )
    elif kind == "status":
        extra = "" if value == "proposed" else "status: planned\ndecision: {by: ann, date: 2026-02-01, reason: Yes.}\n"
        repo.commit({f"ideas/{slug}.md": idea(slug, extra=extra, body=f"Day {day}.")}, when=when)
    elif kind == "delete" and (folder / slug / f"{person}.md").exists():
        (folder / slug / f"{person}.md").unlink()
        repo.commit({}, when=when)
    elif kind == "rename" and (folder / f"{slug}.md").exists() and not (folder / f"{slug}-moved.md").exists():
        repo.git("mv", f"ideas/{slug}.md", f"ideas/{slug}-moved.md")
        repo.commit({}, when=when)
    elif kind == "amend" and (folder / "idea-0.md").exists():
        repo.commit({"ideas/idea-0.md": idea(f"amended {day}")}, when=when)
        repo.git("commit", "-q", "--amend", "-m", f"amended {day}", when=when)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=9), fold=st.sampled_from((1, 3, 2_000)))
def test_any_sequence_of_commits_and_runs_gives_the_history_git_gives(steps: list[tuple], fold: int) -> None:
    """Commits (votes, status changes, deletions, renames, amended commits) land between runs
    that read with the cache; at every run and at the end, the history is the one Git gives."""
    kept = history_journal.FOLD_AFTER
    history_journal.FOLD_AFTER = fold
    try:
        with tempfile.TemporaryDirectory() as folder:
            repo = GitRepo(Path(folder) / "repo")
            cache = Path(folder) / "cache"
            repo.commit({"ideas/idea-0.md": idea("Zero")}, when="2026-01-31T10:00:00+00:00")
            for day, step in enumerate(steps, 1):
                if step[0] == "run":
                    same_as_without_cache(repo, cache)
                else:
                    apply_step(repo, step, day)
            same_as_without_cache(repo, cache)
    finally:
        history_journal.FOLD_AFTER = kept
