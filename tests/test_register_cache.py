"""The registers cache (core/register_cache.py): the roster and the campaigns the last
command read are taken back while their texts are the same, and parsed again otherwise;
a damaged, truncated or foreign cache is set aside. Each load is compared with one
without any cache."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from bubbleup.core import frontmatter, register_cache, registers
from bubbleup.core.model import Idea
from bubbleup.git import scoped
from bubbleup.git.snapshot import load_catalog
from conftest import ROSTER, GitRepo, idea, vote
from test_parse_cache import cached, fresh, settings_of

CAMPAIGNS = "tea-time:\n  title: Tea time\n  opens: 2026-01-01\n"
FILES = {
    "ideas/tea.md": idea("Tea", extra="campaign: tea-time\n"),
    "ideas/tea/ann.md": vote("up"),
    "ideas/campaigns.yml": CAMPAIGNS,
}
CACHE = Path(".bubbleup-cache") / register_cache.NAME


@pytest.fixture
def repo(site_repo: GitRepo) -> GitRepo:
    site_repo.commit(FILES, "ideas")
    return site_repo


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts parsed from now on, each load starting as a new process does (nothing read)."""
    texts: list[str] = []
    original = frontmatter.parse_yaml

    def parse_yaml(text: str):  # type: ignore[no-untyped-def]
        texts.append(text)
        return original(text)

    monkeypatch.setattr(frontmatter, "parse_yaml", parse_yaml)
    return texts


def _load(root: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A load through the caches, by a process that has read no register yet."""
    monkeypatch.setattr(registers, "_READ", {})
    return cached(root)[0]


def _registers(parsed: list[str]) -> list[str]:
    """The texts parsed that are a register's: the roster's or the campaigns', old or new."""
    return [text for text in parsed if text.startswith((ROSTER, CAMPAIGNS))]


def test_unchanged_registers_are_taken_back_not_parsed(repo: GitRepo, parsed: list[str], monkeypatch) -> None:
    _load(repo.root, monkeypatch)
    assert sorted(_registers(parsed)) == sorted([ROSTER, CAMPAIGNS]) and (repo.root / CACHE).is_file()
    parsed.clear()
    catalog = _load(repo.root, monkeypatch)
    assert _registers(parsed) == [] and catalog == fresh(repo.root)
    assert catalog.roster and catalog.campaigns and isinstance(catalog.ideas["tea"], Idea)


def test_a_changed_register_is_parsed_again(repo: GitRepo, parsed: list[str], monkeypatch) -> None:
    _load(repo.root, monkeypatch)
    dan = "dan:\n  name: Dan Doe\n  emails: [dan@example.com]\n  team: tea\n"
    (repo.root / "ideas/people.yml").write_text(ROSTER + dan)
    parsed.clear()
    catalog = _load(repo.root, monkeypatch)
    assert _registers(parsed) == [ROSTER + dan] and catalog == fresh(repo.root)  # the campaigns taken back
    assert catalog.roster is not None and catalog.roster["dan"].team == "tea"
    parsed.clear()
    assert _load(repo.root, monkeypatch) == fresh(repo.root) and _registers(parsed) == []
    (repo.root / "ideas/people.yml").write_text("ann: [unclosed\n")  # no roster, with a problem
    assert _load(repo.root, monkeypatch) == fresh(repo.root)
    assert _load(repo.root, monkeypatch) == fresh(repo.root)  # the problem taken back with it


def test_another_code_sets_the_cache_aside(repo: GitRepo, parsed: list[str], monkeypatch) -> None:
    _load(repo.root, monkeypatch)
    monkeypatch.setattr(register_cache, "_code", lambda: b"0" * 64)
    parsed.clear()
    assert _load(repo.root, monkeypatch) == fresh(repo.root)
    assert sorted(_registers(parsed)) == sorted([ROSTER, CAMPAIGNS])


DAMAGE = {
    "garbage": lambda data, header: b"not a cache at all",
    "truncated": lambda data, header: data[: len(data) // 2],
    "foreign class": lambda data, header: (
        header + pickle.dumps({("roster", "ideas/people.yml"): (ROSTER, (Path(), ()))})
    ),
    "another text kept": lambda data, header: header + pickle.dumps(_other_text(data[len(header) :])),
    "a person not a person": lambda data, header: header + pickle.dumps(_not_a_person(data[len(header) :])),
    "a kind unknown": lambda data, header: header + pickle.dumps({("people", "x"): ("", (None, ()))}),
    "not a dict": lambda data, header: header + pickle.dumps([]),
}


def _other_text(content: bytes) -> dict:
    """The roster kept for a text it was not read from: taken only for that text, never now."""
    kept = pickle.loads(content)
    where = ("roster", "ideas/people.yml")
    kept[where] = ("someone: else\n", kept[where][1])
    return kept


def _not_a_person(content: bytes) -> dict:
    kept = pickle.loads(content)
    where = ("roster", "ideas/people.yml")
    text, (roster, problems) = kept[where]
    kept[where] = (text, ({**roster, "ann": "Ann"}, problems))
    return kept


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_or_foreign_cache_is_set_aside(repo: GitRepo, damage: str, parsed: list[str], monkeypatch) -> None:
    _load(repo.root, monkeypatch)
    path = repo.root / CACHE
    data = path.read_bytes()
    header = data[: data.index(b"\n", len(register_cache.FORMAT)) + 1]
    path.write_bytes(DAMAGE[damage](data, header))
    parsed.clear()
    assert _load(repo.root, monkeypatch) == fresh(repo.root)
    assert ROSTER in parsed  # read again
    parsed.clear()
    assert _load(repo.root, monkeypatch) == fresh(repo.root) and _registers(parsed) == []  # and kept again


def test_only_the_registers_of_the_load_are_kept(repo: GitRepo, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(registers, "_READ", {("roster", "elsewhere/people.yml"): (ROSTER, (None, ()))})
    cached(repo.root)  # read by this process before: not this load's
    with (repo.root / CACHE).open("rb") as stream:
        stream.readline(), stream.readline()
        assert sorted(pickle.load(stream)) == [("campaigns", "ideas/campaigns.yml"), ("roster", "ideas/people.yml")]
    plain = tmp_path / "plain"
    (plain / "ideas").mkdir(parents=True)
    (plain / "mkdocs.yml").write_text((repo.root / "mkdocs.yml").read_text())
    (plain / "ideas/coffee.md").write_text(idea("Coffee"))
    assert cached(plain)[0] == fresh(plain)
    assert not (plain / CACHE).exists()  # no register read: nothing to keep


def test_a_load_limited_to_some_files_neither_reads_nor_writes_the_cache(repo: GitRepo, monkeypatch) -> None:
    """A pull request's check (git/scoped.py) takes nothing from the cache folder of its tree."""
    settings = settings_of(repo.root)
    forged = {("roster", "ideas/people.yml"): (ROSTER, ({}, ()))}  # the same text, read as no one
    (repo.root / CACHE).parent.mkdir(exist_ok=True)
    (repo.root / CACHE).write_bytes(register_cache.FORMAT + register_cache._code() + b"\n" + pickle.dumps(forged))
    monkeypatch.setattr(registers, "_READ", {})
    catalog = load_catalog(settings, lambda parts: True, scoped.no_cache(settings))
    assert catalog.roster is not None and "ann" in catalog.roster and catalog == fresh(repo.root)
    assert pickle.loads((repo.root / CACHE).read_bytes().split(b"\n", 2)[2]) == forged  # not written either
    monkeypatch.setattr(registers, "_READ", {})
    assert cached(repo.root)[0].roster == {}  # what a whole load would have taken: the test plants it well
