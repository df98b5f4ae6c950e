"""The parse cache's journal: after a few edits only the changed results are written, and a
journal that is damaged, foreign or follows another cache changes nothing."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.git import parse_cache
from conftest import MKDOCS_YML, ROSTER, GitRepo, idea, vote
from test_parse_cache import cached, fresh

CACHE = Path(".bubbleup-cache")


@pytest.fixture
def repo(site_repo: GitRepo) -> GitRepo:
    site_repo.commit(
        {
            "ideas/coffee.md": idea("Better coffee"),
            "ideas/coffee/ann.md": vote("up", "Yes please.\n"),
            "ideas/coffee/bob.md": vote("down"),
            "ideas/tea.md": idea("Tea"),
            "ideas/tea/ann.md": vote("maybe"),  # not a vote: a problem, kept like any result
        },
        "ideas",
    )
    return site_repo


def test_one_edit_is_written_to_the_journal_not_to_the_cache(repo: GitRepo) -> None:
    cached(repo.root)
    whole = (repo.root / CACHE / "parse.pickle").read_bytes()
    repo.commit({"ideas/coffee/bob.md": vote("up")})
    catalog, memo = cached(repo.root)
    assert memo.recalled == 4 and catalog == fresh(repo.root)
    assert (repo.root / CACHE / "parse.pickle").read_bytes() == whole
    assert (repo.root / CACHE / "parse-journal.pickle").is_file()
    catalog, memo = cached(repo.root)
    assert memo.recalled == 5 and catalog == fresh(repo.root)  # the edited file from the journal
    (repo.root / "ideas/tea/ann.md").unlink()
    repo.commit({})
    catalog, memo = cached(repo.root)
    assert memo.recalled == 4 and catalog == fresh(repo.root)
    catalog, memo = cached(repo.root)  # the journal says the file is gone, and the run writes nothing
    assert memo.recalled == 4 and not memo.changed and catalog == fresh(repo.root)


def test_the_journal_is_folded_into_the_cache_once_it_is_long(repo: GitRepo, monkeypatch) -> None:
    monkeypatch.setattr(parse_cache, "JOURNAL_LIMIT", 1)
    cached(repo.root)
    whole = (repo.root / CACHE / "parse.pickle").read_bytes()
    repo.commit({"ideas/coffee/bob.md": vote("up")})
    cached(repo.root)
    assert (repo.root / CACHE / "parse.pickle").read_bytes() == whole
    repo.commit({"ideas/coffee/ann.md": vote("down")})
    cached(repo.root)  # two results differ from the cache file: it is written whole
    assert (repo.root / CACHE / "parse.pickle").read_bytes() != whole
    assert not (repo.root / CACHE / "parse-journal.pickle").exists()
    catalog, memo = cached(repo.root)
    assert memo.recalled == 5 and catalog == fresh(repo.root)


class _Planted:
    """What a foreign pickle would run when loaded: it must never be loaded."""

    def __reduce__(self):
        return (Path.touch, (Path(os.environ["PLANTED"]),))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign", "other cache", "wrong shape"])
def test_a_damaged_or_foreign_journal_is_set_aside(repo: GitRepo, damage: str, tmp_path: Path, monkeypatch) -> None:
    cached(repo.root)
    repo.commit({"ideas/coffee/bob.md": vote("up")})
    cached(repo.root)
    path = repo.root / CACHE / "parse-journal.pickle"
    data = path.read_bytes()
    header = data[: data.index(b"\n", len(parse_cache.JOURNAL_FORMAT)) + 1]
    token = header.split(b" ")[-1].strip().decode()
    planted = tmp_path / "planted"
    monkeypatch.setenv("PLANTED", str(planted))
    path.write_bytes(
        {
            "garbage": header + b"\x80\x05not a pickle at all",
            "truncated": data[: len(data) // 2],
            "empty": b"",
            "foreign": header + pickle.dumps((token, {"ideas/coffee/bob.md": ("x", _Planted())}, [])),
            "other cache": header + pickle.loads(data[len(header) :]).__class__.__name__.encode(),
            "wrong shape": header + pickle.dumps((token, {"ideas/coffee/bob.md": ("x", "y")}, [])),
        }[damage]
    )
    catalog, memo = cached(repo.root)
    assert memo.recalled == 4 and catalog == fresh(repo.root)  # the edited file is read again
    assert not planted.exists()


def test_a_journal_that_follows_another_cache_is_set_aside(repo: GitRepo) -> None:
    cached(repo.root)
    (repo.root / "ideas/tea/ann.md").unlink()
    repo.commit({})
    cached(repo.root)
    journal = (repo.root / CACHE / "parse-journal.pickle").read_bytes()  # says tea/ann.md is gone
    repo.commit({"ideas/tea/ann.md": vote("maybe")})
    (repo.root / CACHE / "parse.pickle").unlink()
    cached(repo.root)  # a new cache file, with a new token, that knows tea/ann.md
    (repo.root / CACHE / "parse-journal.pickle").write_bytes(journal)
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root) and memo.recalled == 5


EDIT = st.tuples(
    st.sampled_from(("coffee", "tea")),
    st.sampled_from(("ann", "bob", "cy")),
    st.sampled_from(("up", "down", "none", "maybe", "delete", "run")),
    st.booleans(),  # committed or only in the working tree
)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, min_size=1, max_size=8), limit=st.sampled_from((0, 1, 2_000)))
def test_any_sequence_of_edits_and_runs_gives_the_catalog_without_cache(edits: list[tuple], limit: int) -> None:
    kept = parse_cache.JOURNAL_LIMIT
    parse_cache.JOURNAL_LIMIT = limit
    try:
        with tempfile.TemporaryDirectory() as folder:
            repo = GitRepo(Path(folder) / "repo")
            repo.commit({"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER})
            repo.commit({"ideas/coffee.md": idea("Coffee"), "ideas/tea.md": idea("Tea")})
            for number, (slug, person, value, commit) in enumerate(edits):
                path = repo.root / "ideas" / slug / f"{person}.md"
                if value == "run":
                    assert cached(repo.root)[0] == fresh(repo.root)
                    continue
                if value == "delete":
                    path.unlink(missing_ok=True)
                else:
                    path.parent.mkdir(exist_ok=True)
                    path.write_text(vote(value, f"Edit {number}.\n"))
                if commit:
                    repo.git("add", "-A")
                    repo.git("commit", "-q", "--allow-empty", "-m", f"edit {number}")
            assert cached(repo.root)[0] == fresh(repo.root)
            assert cached(repo.root)[0] == fresh(repo.root)
    finally:
        parse_cache.JOURNAL_LIMIT = kept
