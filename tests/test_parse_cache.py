"""The parse cache (git/parse_cache.py): results with a cold cache, a warm one and none are
the same; what a result depends on invalidates it; a damaged or foreign cache is ignored."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.core import config, loader
from bubbleup.core.adoption import Adoption
from bubbleup.core.model import Catalog
from bubbleup.git import parse_cache
from bubbleup.git.parse_cache import ParseCache
from bubbleup.git.snapshot import load_catalog
from conftest import MKDOCS_YML, GitRepo, idea, vote

FILES = {
    "ideas/coffee.md": idea("Better coffee", body="![chart](coffee/chart.png) and <b>bold</b>\n"),
    "ideas/coffee/ann.md": vote("up", "Yes please.\n"),
    "ideas/coffee/bob.md": vote("down"),
    "ideas/coffee/zed.md": vote("up"),  # not in the roster: an error
    "ideas/coffee/cat.md": vote("maybe"),  # not a vote: an error
    "ideas/coffee/customers/acme.md": "---\nvote: up\nrecorded-by: bob\n---\nAcme wants it.\n",
    "ideas/tea.md": idea("Tea too", extra="status: duplicate\nduplicate-of: coffee\n"),
    "ideas/tea/cat.md": vote("up"),
    "ideas/juice.md": idea("Juice", extra="duplicate-of: nothing\nstatus: duplicate\n"),
    "ideas/gone/ann.md": vote("up"),  # feedback on an idea that does not exist
    "ideas/broken.md": "---\ntitle: [unclosed\n---\n",
}


@pytest.fixture
def repo(site_repo: GitRepo) -> GitRepo:
    """The site repository with ideas, votes and a few problems, committed."""
    site_repo.commit(FILES, "ideas")
    return site_repo


def settings_of(root: Path) -> config.Settings:
    return config.settings(root / "mkdocs.yml")


def fresh(root: Path) -> Catalog:
    """The catalog loaded without any cache."""
    options = settings_of(root).options
    adoption = Adoption(options.status_map, options.key_map, options.extra_keys)
    return loader.load(
        root,
        root / "ideas",
        options.max_file_size,
        options.criteria,
        options.score_scale,
        options.max_attachment_size,
        adoption,
    )


def cached(root: Path) -> tuple[Catalog, ParseCache]:
    """The catalog loaded through the parse cache, and the cache (to see what it recalled)."""
    settings = settings_of(root)
    memo = ParseCache(settings.root, settings.ideas_dir, settings.cache_dir)
    return load_catalog(settings, memo=memo), memo


def test_cold_warm_and_no_cache_give_the_same_catalog(repo: GitRepo) -> None:
    expected = fresh(repo.root)
    assert expected.problems and expected.feedback  # the case has both
    cold, memo = cached(repo.root)
    assert memo.recalled == 0 and (repo.root / ".bubbleup-cache" / "parse.pickle").is_file()
    warm, memo = cached(repo.root)
    assert memo.recalled == 10  # every idea and feedback file but the orphan vote (read apart)
    assert cold == expected and warm == expected


def test_check_and_tally_print_the_same_with_a_cold_a_warm_and_no_cache(repo: GitRepo, monkeypatch) -> None:
    runner = CliRunner()
    monkeypatch.chdir(repo.root)

    def outputs() -> list[str]:
        return [runner.invoke(cli, args).stdout for args in (["check"], ["tally", "--format", "json"])]

    cold = outputs()
    warm = outputs()
    (repo.root / ".bubbleup-cache" / "parse.pickle").unlink()
    (repo.root / ".bubbleup-cache" / "history.pickle").unlink()
    (repo.root / ".bubbleup-cache" / "dates.pickle").unlink()
    assert cold == warm == outputs()
    assert "ideas/coffee/zed.md" in cold[0] and json.loads(cold[1])[0]["slug"] == "coffee"


def test_check_reads_no_history_it_does_not_need_and_tally_no_more_than_dates(repo: GitRepo, monkeypatch) -> None:
    """With the default settings no rule of `check` needs a date, so it reads no Git history;
    `tally` dates ideas and votes from the history cache's summary, and its output is the
    same whether the whole histories were read or not."""
    runner = CliRunner()
    monkeypatch.chdir(repo.root)
    cache = repo.root / ".bubbleup-cache"
    assert runner.invoke(cli, ["check"]).exit_code == 1
    assert (cache / "parse.pickle").is_file() and not (cache / "history.pickle").exists()

    def tallied() -> list[dict]:
        rows = json.loads(runner.invoke(cli, ["tally", "--format", "json"]).stdout)
        return [{key: value for key, value in row.items() if key != "trending"} for row in rows]  # moves with the clock

    first = tallied()
    assert (cache / "history.pickle").is_file() and (cache / "dates.pickle").is_file()
    (cache / "history.pickle").write_text("{}")  # were the whole histories read again, they would be read from Git
    assert tallied() == first and first[0]["created"]
    assert (cache / "history.pickle").read_text() == "{}"  # the summary was enough


def test_an_edited_file_is_read_again_committed_or_not(repo: GitRepo) -> None:
    cached(repo.root)
    (repo.root / "ideas/coffee/bob.md").write_text(vote("up"))
    catalog, memo = cached(repo.root)
    assert memo.recalled == 9
    assert catalog == fresh(repo.root)
    assert {f.handle: f.vote.value for f in catalog.feedback_by_idea["coffee"]}["bob"] == "up"
    repo.commit({"ideas/coffee/bob.md": vote("none")}, "bob changes his mind")
    catalog, memo = cached(repo.root)
    assert memo.recalled == 9 and catalog == fresh(repo.root)
    new = {"ideas/coffee/dan.md": vote("up")}  # untracked: read, never cached by path alone
    repo.root.joinpath("ideas/coffee/dan.md").write_text(new["ideas/coffee/dan.md"])
    catalog, memo = cached(repo.root)
    assert catalog == fresh(repo.root)
    assert any(p.path == "ideas/coffee/dan.md" for p in catalog.problems)  # dan is not in the roster


@pytest.mark.parametrize(
    "change",
    [
        "options",  # max_file_size: the idea is now too large to read
        "roster",  # there is no roster any more: no handle is checked
        "version",  # a new Bubbleup
    ],
)
def test_what_a_result_depends_on_invalidates_it(repo: GitRepo, change: str, monkeypatch) -> None:
    cached(repo.root)
    if change == "options":
        repo.commit({"mkdocs.yml": MKDOCS_YML.replace("  - bubbleup\n", "  - bubbleup:\n      max_file_size: 60\n")})
    elif change == "roster":
        repo.git("rm", "-q", "ideas/people.yml")
        repo.git("commit", "-q", "-m", "no roster")
    else:
        monkeypatch.setattr(parse_cache, "_code", lambda: "a later version")
    catalog, memo = cached(repo.root)
    assert memo.recalled == 0
    assert catalog == fresh(repo.root)
    if change == "options":
        assert any("max_file_size" in p.message for p in catalog.problems)
    elif change == "roster":
        assert "zed" in {f.handle for f in catalog.feedback}  # unchecked without a roster


class _Planted:
    """What a foreign pickle would run when loaded: it must never be loaded."""

    def __reduce__(self):
        return (Path.touch, (Path(os.environ["PLANTED"]),))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign", "other key", "wrong shape"])
def test_a_damaged_or_foreign_cache_is_ignored(repo: GitRepo, damage: str, tmp_path: Path, monkeypatch) -> None:
    cached(repo.root)
    path = repo.root / ".bubbleup-cache" / "parse.pickle"
    data = path.read_bytes()
    header = data[: data.index(b"\n", len(parse_cache.FORMAT)) + 1]
    planted = tmp_path / "planted"
    monkeypatch.setenv("PLANTED", str(planted))
    damaged = {
        "garbage": header + b"\x80\x05not a pickle at all",
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "foreign": header + pickle.dumps({"ideas/coffee.md": ("x", _Planted())}),
        "other key": parse_cache.FORMAT + b"0" * 64 + b"\n" + data[len(header) :],
        "wrong shape": header + pickle.dumps(["ideas/coffee.md"]),
    }[damage]
    path.write_bytes(damaged)
    catalog, memo = cached(repo.root)
    assert memo.recalled == 0 and catalog == fresh(repo.root)
    assert not planted.exists()
    _, memo = cached(repo.root)  # the damaged file was replaced by a good one
    assert memo.recalled == 10


def test_no_repository_no_cache(tmp_path: Path) -> None:
    """Outside Git there are no blob ids: every file is read, and nothing is written."""
    root = tmp_path / "plain"
    (root / "ideas/coffee").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "ideas/coffee.md").write_text(idea("Better coffee"))
    (root / "ideas/coffee/ann.md").write_text(vote("up"))
    catalog, memo = cached(root)
    assert memo.recalled == 0 and catalog == fresh(root) and len(catalog.feedback) == 1
    assert not (root / ".bubbleup-cache" / "parse.pickle").exists()


def test_a_command_that_runs_once_freezes_what_the_cache_loads(repo: GitRepo) -> None:
    """`bubbleup` (cli/main.py) freezes what a cache loads (core/caches.py), so the collector
    never walks it again; the preview server does not; the catalog is the same either way."""
    import gc

    from bubbleup.core import caches

    expected = fresh(repo.root)
    cached(repo.root)  # writes the cache
    gc.unfreeze()
    try:
        caches.freeze_loaded(True)
        frozen, memo = cached(repo.root)
        assert memo.recalled == 10 and gc.get_freeze_count() > 0
        gc.unfreeze()
        caches.freeze_loaded(False)
        loose, memo = cached(repo.root)
        assert memo.recalled == 10 and gc.get_freeze_count() == 0
    finally:
        caches.freeze_loaded(False)
        gc.unfreeze()
    assert frozen == loose == expected
