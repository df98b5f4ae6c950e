"""History from one git log pass: dates, authors, renames, pull requests, values, the cache."""

from __future__ import annotations

import copy
import json
import os
import pickle
import subprocess
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.git.history import read
from conftest import GitRepo, idea, vote

BOB = "Bob Example <bob@example.com>"


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00+00:00")


def history(repo: GitRepo, **kwargs):
    return read(repo.root, repo.root / "ideas", **kwargs)


def test_created_and_updated_come_from_the_first_and_last_commit(git_repo: GitRepo) -> None:
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one.md": idea("One, better")}, author=BOB, when="2026-02-07T10:00:00+00:00")
    past = history(git_repo)
    entry = past.files["ideas/one.md"]
    assert past.warning is None
    assert (entry.created, entry.updated) == (at("2026-01-05"), at("2026-02-07"))
    assert entry.authors == [("Bob Example", "bob@example.com"), ("Ann Example", "ann@example.com")]


def test_a_renamed_idea_keeps_its_creation_date(git_repo: GitRepo) -> None:
    text = idea("Renamed", body="A long enough body so that git sees a rename.\n" * 5)
    git_repo.commit({"ideas/old-name.md": text}, when="2026-01-05T10:00:00+00:00")
    git_repo.git("mv", "ideas/old-name.md", "ideas/new-name.md")
    git_repo.git("commit", "-q", "-m", "rename", when="2026-03-01T10:00:00+00:00")
    past = history(git_repo)
    entry = past.files["ideas/new-name.md"]
    assert "ideas/old-name.md" not in past.files
    assert (entry.created, entry.updated) == (at("2026-01-05"), at("2026-03-01"))


def test_status_and_vote_changes_are_dated(git_repo: GitRepo) -> None:
    git_repo.commit({"ideas/one.md": idea("One"), "ideas/one/bob.md": vote("up")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one.md": idea("One", extra="status: under-review\n")}, when="2026-02-01T10:00:00+00:00")
    git_repo.commit(
        {"ideas/one.md": idea("One, edited", extra="status: under-review\n")}, when="2026-02-15T10:00:00+00:00"
    )
    git_repo.commit(
        {"ideas/one/bob.md": vote("down", "Changed my mind.\n")}, author=BOB, when="2026-03-01T10:00:00+00:00"
    )
    files = history(git_repo).files
    assert [(e.when, e.value) for e in files["ideas/one.md"].changes()] == [
        (at("2026-01-05"), "proposed"),
        (at("2026-02-01"), "under-review"),
    ]
    assert [(e.when, e.value, e.email) for e in files["ideas/one/bob.md"].changes()] == [
        (at("2026-01-05"), "up", "ann@example.com"),
        (at("2026-03-01"), "down", "bob@example.com"),
    ]


def test_pull_requests_from_merge_commits_and_squash_merges(git_repo: GitRepo) -> None:
    git_repo.commit({"ideas/one.md": idea("One")}, "start", when="2026-01-01T10:00:00+00:00")
    git_repo.git("switch", "-q", "-c", "feature")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, "vote", author=BOB, when="2026-01-02T10:00:00+00:00")
    git_repo.commit(
        {"ideas/two.md": idea("Two", body="Long enough to be seen as renamed later.\n" * 4)},
        "two",
        author=BOB,
        when="2026-01-03T10:00:00+00:00",
    )
    git_repo.git("switch", "-q", "main")
    git_repo.commit({"ideas/three.md": idea("Three")}, "three", when="2026-01-04T10:00:00+00:00")
    git_repo.merge("feature", "Merge pull request #12 from bob/feature", when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one.md": idea("One, sharper")}, "Sharpen one (#13)", when="2026-01-06T10:00:00+00:00")
    git_repo.git("mv", "ideas/two.md", "ideas/two-renamed.md")
    git_repo.git("commit", "-q", "-m", "Rename two (#14)", when="2026-01-07T10:00:00+00:00")
    files = history(git_repo).files
    assert files["ideas/one/bob.md"].pull_requests == [12]
    assert files["ideas/one.md"].pull_requests == [13]
    assert files["ideas/two-renamed.md"].pull_requests == [12, 14]  # followed across the rename
    assert files["ideas/three.md"].pull_requests == []
    custom = history(git_repo, patterns=(r"^Rename .* \(#(\d+)\)$",)).files
    assert custom["ideas/two-renamed.md"].pull_requests == [14]


def test_the_cache_reads_only_new_commits(git_repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, when="2026-01-06T10:00:00+00:00")
    first = history(git_repo, cache_dir=cache)
    assert first.commits_read == 2 and (cache / "history.pickle").is_file()
    assert history(git_repo, cache_dir=cache).commits_read == 0
    git_repo.commit({"ideas/one/bob.md": vote("down")}, author=BOB, when="2026-01-07T10:00:00+00:00")
    third = history(git_repo, cache_dir=cache)
    assert third.commits_read == 1
    fresh = history(git_repo)
    assert {p: [e.as_list() for e in f.events] for p, f in third.files.items()} == {
        p: [e.as_list() for e in f.events] for p, f in fresh.files.items()
    }
    (cache / "history.pickle").write_text("{not a pickle")
    damaged = history(git_repo, cache_dir=cache)  # the dates come from the summary (dates.pickle)
    assert damaged.created("ideas/one/bob.md") == fresh.created("ideas/one/bob.md") and damaged.commits_read == 0
    assert events_of(damaged) == events_of(fresh) and damaged.commits_read == 3  # a damaged cache is only slower


def events_of(past) -> dict:
    return {p: [e.as_list() for e in f.events] for p, f in past.files.items()}


def _saved(cache: Path) -> tuple[bytes, dict]:
    """The history cache's two lines of header (its format and key) and what it holds."""
    first, second, content = (cache / "history.pickle").read_bytes().split(b"\n", 2)
    return first + b"\n" + second + b"\n", pickle.loads(content)


@pytest.mark.slow
def test_a_damaged_or_foreign_history_cache_is_set_aside(git_repo: GitRepo, tmp_path: Path) -> None:
    """A cache with the right key but damaged rows (a commit's fields of the wrong kind, an
    event pointing at no commit or at one counted from the end) is read as no cache: the
    history is the one Git gives, never one made of the damage."""
    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, author=BOB, when="2026-01-06T10:00:00+00:00")
    fresh = events_of(history(git_repo))
    history(git_repo, cache_dir=cache)
    header, saved = _saved(cache)
    assert all(len(column) == 2 for column in saved["commits"].values())  # each commit's shared fields written once
    damages = [
        lambda raw: raw["commits"]["name"].__setitem__(0, 7),  # a name that is no text
        lambda raw: raw["commits"]["when"].__setitem__(1, "yesterday"),  # no date
        lambda raw: raw["commits"]["position"].__setitem__(0, "1"),  # no position
        lambda raw: raw["commits"]["pull_request"].__setitem__(0, "1"),  # a pull request that is no number
        lambda raw: raw["commits"]["email"].pop(),  # a column of the commits too short
        lambda raw: raw["commits"].pop("sha"),  # a column of the commits missing
        lambda raw: raw.__setitem__("commits", [list(column) for column in raw["commits"].values()]),  # rows
        lambda raw: raw["commit"].__setitem__(0, -1),  # the last commit, by Python's rule
        lambda raw: raw["commit"].__setitem__(0, 9),  # no such commit
        lambda raw: raw["commit"].__setitem__(0, 0.0),  # an index that is no whole number
        lambda raw: raw["commit"].__setitem__(0, True),  # nor is this one, though Python counts it 1
        lambda raw: raw["value"].__setitem__(0, ["proposed"]),  # a value that is no text
        lambda raw: raw["blob"].__setitem__(1, 7),  # a blob that is no text
        lambda raw: raw["blob"].__setitem__(1, b"7" * 40),  # a blob that is bytes, not text
        lambda raw: raw["blob"].pop(),  # a column too short
        lambda raw: raw["digests"].__setitem__(0, 7),  # a digest that is no text
        lambda raw: raw["digests"].pop(),  # a file without a digest
        lambda raw: raw["names"].__setitem__(1, raw["names"][0]),  # a file twice
        lambda raw: raw["names"].__setitem__(1, tuple(raw["names"][1])),  # a name that is no text
        lambda raw: raw["ends"].__setitem__(0, 3),  # ends out of order
        lambda raw: raw["ends"].__setitem__(1, 1),  # the last end short of the events
        lambda raw: raw["ends"].__setitem__(0, "1"),  # an end that is no number
        lambda raw: raw.__setitem__("value", {}),  # a column that is no list
        lambda raw: raw.__setitem__("value", tuple(raw["value"])),  # nor is this one
        lambda raw: raw.__setitem__("head", None),
        lambda raw: raw.pop("head"),
    ]
    for damage in damages:
        raw = copy.deepcopy(saved)
        damage(raw)
        (cache / "history.pickle").write_bytes(header + pickle.dumps(raw))
        past = history(git_repo, cache_dir=cache)
        assert events_of(past) == fresh and past.commits_read == 2


class _Planted:
    """Pickled as a call to os.mkdir: what a foreign pickle could make its reader do."""

    def __init__(self, where: Path) -> None:
        self.where = str(where)

    def __reduce__(self) -> tuple:
        return os.mkdir, (self.where,)


@pytest.mark.slow
def test_a_foreign_truncated_or_old_history_cache_is_set_aside_unread(git_repo: GitRepo, tmp_path: Path) -> None:
    """The history cache is a pickle that builds no class at all: one that names a class or
    a function (here one that would make a folder) is refused before it is called, and one
    of another format or key, cut short, or of another kind is set aside: the history is
    the one Git gives, read again."""
    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, author=BOB, when="2026-01-06T10:00:00+00:00")
    fresh = events_of(history(git_repo))
    cache.mkdir()
    (cache / "history.json").write_text("{}")  # the cache of format 1: removed once this one is written
    history(git_repo, cache_dir=cache)
    assert not (cache / "history.json").exists()
    whole = (cache / "history.pickle").read_bytes()
    header, saved = _saved(cache)
    assert history(git_repo, cache_dir=cache).commits_read == 0  # the file as written is read
    planted = tmp_path / "planted"
    format_line, key_line = header.split(b"\n")[:2]
    foreign = [
        header + pickle.dumps({**saved, "head": _Planted(planted)}),  # a call in it
        header + pickle.dumps({**saved, "value": [at("2026-01-05") for _ in saved["value"]]}),  # a class in it
        header + pickle.dumps([saved]),  # not what the cache holds
        whole[: len(whole) // 2],  # cut short, as a crash could leave it
        header,  # nothing after the header
        b"bubbleup history 1\n" + key_line + b"\n" + pickle.dumps(saved),  # an older format
        format_line + b"\n" + key_line.replace(b'"shallow":false', b'"shallow":true') + b"\n" + pickle.dumps(saved),
        json.dumps({"key": json.loads(key_line), **saved}).encode(),  # the JSON of format 1
    ]
    assert b'"shallow":false' in key_line
    for content in foreign:
        (cache / "history.pickle").write_bytes(content)
        past = history(git_repo, cache_dir=cache)
        assert events_of(past) == fresh and past.commits_read == 2
        assert not planted.exists()
    assert (cache / "history.pickle").read_bytes() == whole  # written again as it was


def _summary(cache: Path) -> tuple[list, dict]:
    """The summary's header (its format, its key, its commit and next place in the log) and columns."""
    format_, key, where, body = (cache / "dates.pickle").read_bytes().split(b"\n", 3)
    return [format_.decode(), json.loads(key), json.loads(where)], pickle.loads(body)


def _write_summary(cache: Path, header: list, columns: object) -> None:
    lines = [header[0], json.dumps(header[1], sort_keys=True, separators=(",", ":")), json.dumps(header[2])]
    (cache / "dates.pickle").write_bytes("\n".join(lines).encode() + b"\n" + pickle.dumps(columns))


@pytest.mark.slow
def test_a_damaged_or_stale_summary_is_set_aside(git_repo: GitRepo, tmp_path: Path) -> None:
    """The summary (dates.pickle) dates ideas and votes without the whole histories; one made
    at another commit or damaged is set aside, and the dates are those of the whole history."""
    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, author=BOB, when="2026-01-06T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("down")}, author=BOB, when="2026-01-07T10:00:00+00:00")
    paths = ("ideas/one.md", "ideas/one/bob.md", "ideas/two.md")
    fresh = history(git_repo)
    expected = [(fresh.created(path), fresh.last_change(path)) for path in paths]
    assert expected[1] == (at("2026-01-06"), (at("2026-01-07"), "down")) and expected[2] == (None, None)
    history(git_repo, cache_dir=cache)
    header, columns = _summary(cache)
    assert header[2]["next"] == 3 and columns["names"] == ["ideas/one.md", "ideas/one/bob.md"]
    assert columns["values"] == ["proposed", "down"] and len(columns["dates"]) == 3  # each date once
    damages = [
        lambda raw: raw[0][2].__setitem__("head", "0" * 40),  # made at another commit
        lambda raw: raw[0][2].__setitem__("next", "3"),
        lambda raw: raw[0][1].__setitem__("version", 0),
        lambda raw: raw[0].__setitem__(0, "bubbleup dates 1"),
        lambda raw: raw[1]["created"].__setitem__(1, -1),
        lambda raw: raw[1]["changed"].__setitem__(1, 7),
        lambda raw: raw[1]["changed"].__setitem__(1, "1"),
        lambda raw: raw[1]["values"].__setitem__(1, 1),
        lambda raw: raw[1]["dates"].__setitem__(0, "monday"),
        lambda raw: raw[1]["names"].__setitem__(1, "ideas/one.md"),  # one name twice
        lambda raw: raw[1]["values"].pop(),  # columns of different lengths
        lambda raw: raw[1].pop("dates"),
        lambda raw: raw[1]["dates"].__setitem__(0, at("2026-01-05")),  # a class: a foreign file
        lambda raw: raw.__setitem__(1, []),
    ]
    for damage in [lambda raw: None, *damages]:
        raw = copy.deepcopy([header, columns])
        damage(raw)
        _write_summary(cache, *raw)
        past = history(git_repo, cache_dir=cache)
        assert [(past.created(path), past.last_change(path)) for path in paths] == expected
        assert _summary(cache) == (header, columns)  # written again
    whole = (cache / "dates.pickle").read_bytes()
    for end in (len(whole) - 1, whole.index(b"\n") + 1, 0):  # half-written
        (cache / "dates.pickle").write_bytes(whole[:end])
        past = history(git_repo, cache_dir=cache)
        assert [(past.created(path), past.last_change(path)) for path in paths] == expected
        assert (cache / "dates.pickle").read_bytes() == whole


def test_the_summary_of_format_1_is_not_read_and_is_removed(git_repo: GitRepo, tmp_path: Path) -> None:
    """`dates.json`, the summary of the format before, is never trusted: the summary is made
    again from the histories (`commits_read` counts the commits read from Git) and it is gone."""
    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    history(git_repo, cache_dir=cache)
    whole = (cache / "dates.pickle").read_bytes()
    (cache / "dates.pickle").rename(cache / "dates.json")
    past = history(git_repo, cache_dir=cache)
    assert past.created("ideas/one.md") == at("2026-01-05") and past._files is not None
    assert not (cache / "dates.json").exists() and (cache / "dates.pickle").read_bytes() == whole


def test_an_uncommitted_file_has_no_dates(git_repo: GitRepo) -> None:
    git_repo.commit({"ideas/one.md": idea("One")})
    (git_repo.root / "ideas/two.md").write_text(idea("Two"))
    past = history(git_repo)
    assert past.created("ideas/two.md") is None and past.created("ideas/one.md") is not None


def test_outside_a_repository_there_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "ideas").mkdir()
    past = read(tmp_path, tmp_path / "ideas")
    assert past.files == {} and "not a Git repository" in past.warning


def test_a_repository_without_commits_is_a_warning(git_repo: GitRepo) -> None:
    (git_repo.root / "ideas").mkdir()
    assert "no commits yet" in history(git_repo).warning


def test_a_shallow_clone_is_flagged(git_repo: GitRepo, tmp_path: Path) -> None:
    git_repo.commit({"ideas/one.md": idea("One")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/two.md": idea("Two")}, when="2026-01-06T10:00:00+00:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.root}", str(clone)], check=True)
    past = read(clone, clone / "ideas")
    assert past.shallow and "shallow clone" in past.warning
    assert past.created("ideas/one.md") == at("2026-01-06")  # too recent, and labelled so


def test_a_site_in_a_subfolder_of_the_repository(git_repo: GitRepo) -> None:
    git_repo.commit(
        {"site/ideas/one.md": idea("One"), "other/ideas/two.md": idea("Two")}, when="2026-01-05T10:00:00+00:00"
    )
    past = read(git_repo.root / "site", git_repo.root / "site/ideas")
    assert sorted(past.files) == ["ideas/one.md"]


def test_separator_bytes_in_names_and_subjects_are_read_as_text(git_repo: GitRepo) -> None:
    # 0x1e and 0x1f were the log's record and field separators: one such commit made every command fail.
    git_repo.commit({"ideas/one.md": idea("One")}, "start", when="2026-01-05T10:00:00+00:00")
    git_repo.commit(
        {"ideas/one/bob.md": vote("up")}, "a\x1eb\x1fc bubbleup-commit\tx (#7)", author="Eve\x1eX <e\x1f@example.com>"
    )
    git_repo.git("commit", "-q", "--allow-empty", "-m", "\x1e\x1e", author="X\x1fY <x@example.com>")
    git_repo.commit({"ideas/two.md": idea("Two")}, "two", when="2026-01-09T10:00:00+00:00")
    files = history(git_repo).files
    cast = files["ideas/one/bob.md"].events
    assert [(e.name, e.email, e.value, e.pull_request) for e in cast] == [("Eve\x1eX", "e\x1f@example.com", "up", 7)]
    assert files["ideas/two.md"].created == at("2026-01-09")
    assert sorted(files) == ["ideas/one.md", "ideas/one/bob.md", "ideas/two.md"]


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=st.text(st.characters(blacklist_characters="\0\n\r", blacklist_categories=("Cs",)), max_size=40))
def test_any_commit_subject_leaves_the_history_whole(git_repo: GitRepo, subject: str) -> None:
    path = f"ideas/idea-{uuid.uuid4().hex}.md"
    git_repo.commit({path: idea("Any")}, subject + " (#5)")
    entry = history(git_repo).files[path]
    assert [e.pull_request for e in entry.events] == [5]


def test_the_votes_are_cast_alike_from_the_summary_and_the_whole_histories(git_repo: GitRepo, tmp_path: Path) -> None:
    """`History.cast` reads the summary directly while a history holds only it: when each
    file's current vote was cast, or `now` where its last change was to another value."""
    from types import SimpleNamespace

    from bubbleup.core.model import Vote

    cache = tmp_path / "cache"
    git_repo.commit({"ideas/one.md": idea("One"), "ideas/one/ann.md": vote("up")}, when="2026-01-05T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("up")}, author=BOB, when="2026-01-06T10:00:00+00:00")
    git_repo.commit({"ideas/one/bob.md": vote("down")}, author=BOB, when="2026-01-07T10:00:00+00:00")
    history(git_repo, cache_dir=cache)
    summarised, whole, now = history(git_repo, cache_dir=cache), history(git_repo), at("2026-02-01")
    files = [
        SimpleNamespace(path=path, vote=choice)
        for path in ("ideas/one/ann.md", "ideas/one/bob.md", "ideas/one/cy.md")
        for choice in (Vote.UP, Vote.DOWN)
    ]
    expected = {"ideas/one/ann.md": now, "ideas/one/bob.md": at("2026-01-07"), "ideas/one/cy.md": now}
    assert summarised._files is None and summarised.cast(files, now) == whole.cast(files, now) == expected
    assert summarised.cast(files[:1], now) == {"ideas/one/ann.md": at("2026-01-05")} and summarised._files is None
