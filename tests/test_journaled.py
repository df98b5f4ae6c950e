"""Per-build records kept as a JSON file and a journal of the entries changed since it was
written whole (core/caches.py `Journaled`): what is read back is what was saved, and a
damaged, stale or foreign journal or file is set aside, never mixed in. And a command
that runs once freezes its objects as it exits (`caches.freeze_loaded`)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core.caches import Journaled
from conftest import GitRepo, build_site, idea, vote
from test_incremental import _same_as_a_clean_build


def journaled(folder: Path, limit: int = 2, code: str = "a") -> Journaled:
    return Journaled(folder / "pages.json", "pages", limit, format=1, code=code)


def saved(folder: Path, entries: dict, limit: int = 2) -> None:
    """Save as a build does: read first, then keep the build's entries."""
    store = journaled(folder, limit)
    store.read()
    store.save(entries)


def test_a_few_changes_go_to_the_journal_and_many_rewrite_the_file(tmp_path: Path) -> None:
    first = {name: [name, 1] for name in "abcdef"}
    saved(tmp_path, first)
    whole = (tmp_path / "pages.json").read_bytes()
    second = {**first, "a": ["a", 2], "g": ["g", 1]}
    del second["b"]
    saved(tmp_path, second, limit=3)
    assert (tmp_path / "pages.json").read_bytes() == whole  # the file is not written again
    journal = json.loads((tmp_path / "pages-journal.json").read_text())
    assert (journal["made"], journal["gone"]) == ({"a": ["a", 2], "g": ["g", 1]}, ["b"])
    assert journaled(tmp_path).read() == second
    third = {name: [name, 3] for name in "abcdef"}
    saved(tmp_path, third, limit=3)
    assert not (tmp_path / "pages-journal.json").exists()
    assert json.loads((tmp_path / "pages.json").read_text())["pages"] == third
    assert journaled(tmp_path).read() == third


@pytest.mark.parametrize(
    "damage",
    [
        lambda journal: journal[: len(journal) // 2],  # truncated
        lambda journal: "\x00not json",
        lambda journal: journal.replace('"follows":"', '"follows":"another'),  # follows another file
        lambda journal: journal.replace('"code":"a"', '"code":"b"'),  # made by other code
        lambda journal: journal.replace('"format":1', '"format":9'),
        lambda journal: json.dumps({**json.loads(journal), "made": ["a"]}),
        lambda journal: json.dumps({**json.loads(journal), "gone": "a"}),
    ],
)
def test_a_damaged_stale_or_foreign_journal_is_set_aside(tmp_path: Path, damage) -> None:
    first = {"a": [1], "b": [2], "c": [3]}
    saved(tmp_path, first)
    saved(tmp_path, {"a": [9], "c": [3], "d": [4]}, limit=3)
    journal = tmp_path / "pages-journal.json"
    journal.write_text(damage(journal.read_text()))
    assert journaled(tmp_path).read() == first


def test_names_gone_that_are_not_names_are_skipped(tmp_path: Path) -> None:
    saved(tmp_path, {"a": [1], "b": [2]})
    saved(tmp_path, {"a": [1]})
    journal = tmp_path / "pages-journal.json"
    journal.write_text(journal.read_text().replace('"gone":["b"]', '"gone":[["b"],7,"b"]'))
    assert journaled(tmp_path).read() == {"a": [1]}


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[:-3],
        lambda text: text.replace('"code":"a"', '"code":"b"'),
        lambda text: json.dumps({**json.loads(text), "token": ""}),
        lambda text: json.dumps({**json.loads(text), "pages": ["a"]}),
    ],
)
def test_a_damaged_or_foreign_file_gives_no_entries_and_is_written_whole_next(tmp_path: Path, damage) -> None:
    saved(tmp_path, {"a": [1], "b": [2]})
    saved(tmp_path, {"a": [1], "b": [3]})
    path = tmp_path / "pages.json"
    path.write_text(damage(path.read_text()))
    assert journaled(tmp_path).read() == {}
    saved(tmp_path, {"a": [5]})
    assert json.loads(path.read_text())["pages"] == {"a": [5]}
    assert journaled(tmp_path).read() == {"a": [5]}


entries = st.dictionaries(st.sampled_from("abcdefgh"), st.lists(st.integers(0, 3), max_size=2), max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(entries, min_size=1, max_size=6), st.integers(0, 4))
def test_what_is_read_is_what_the_last_build_saved(builds: list[dict], limit: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        for kept in builds:
            saved(Path(name), kept, limit)
            assert journaled(Path(name)).read() == kept


@pytest.fixture
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.mark.slow  # two real builds per damage
def test_damaged_journals_of_the_build_records_give_the_site_of_a_clean_build(
    site_repo: GitRepo, fixed_time: None
) -> None:
    """The ledger, the digests of the sources and the records of ideas.json each keep a
    journal after a vote: damaged or stale, the next build is still a clean build's."""
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two"), "ideas/one/bob.md": vote("up")})
    build_site(site_repo)
    site_repo.commit({"ideas/two/bob.md": vote("up", "Yes.\n")})
    build_site(site_repo)
    cache = site_repo.root / ".bubbleup-cache"
    journals = sorted(path.name for path in cache.glob("*-journal.json"))
    assert {"pages-journal.json", "records-journal.json", "render-journal.json"} <= set(journals)
    damages = [
        lambda text: text[: len(text) // 2],
        lambda text: text.replace('"follows":"', '"follows":"x'),
        lambda text: json.dumps({**json.loads(text), "made": {name: ["x", 1] for name in json.loads(text)["made"]}}),
    ]
    voters = ["ideas/one/ann.md", "ideas/one/cat.md", "ideas/two/ann.md"]
    for step, (damage, voter) in enumerate(zip(damages, voters, strict=True)):
        for name in journals:
            if (cache / name).exists():
                (cache / name).write_text(damage((cache / name).read_text()))
        site_repo.commit({voter: vote("down", f"Text {step}.\n")})
        _same_as_a_clean_build(site_repo, f"damage {step}")


@pytest.mark.parametrize("on", [True, False])
def test_a_command_that_runs_once_freezes_its_objects_as_it_exits(on: bool) -> None:
    """So that Python's last collections do not walk them all again; the preview server
    (which turns freezing off) is left as Python has it. The handler registered first
    runs last, after the freeze."""
    program = (
        "import atexit, gc\n"
        "atexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
        "from bubbleup.core import caches\n"
        "caches.freeze_loaded(True)\n"
        f"caches.freeze_loaded({on})\n"
        "kept = [[number] for number in range(1000)]\n"
    )
    found = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert found.stdout == f"{on}\n"


def test_a_command_that_runs_once_freezes_the_records_it_reads(tmp_path: Path) -> None:
    """Read as a pickled cache is (`caches.uncollected`): frozen in a command that runs
    once, so the collector does not walk them again; not under serve. The same entries."""
    import gc

    from bubbleup.core import caches

    saved(tmp_path, {name: [name, 1] for name in "abc"})
    gc.unfreeze()
    try:
        caches.freeze_loaded(True)
        frozen = journaled(tmp_path).read()
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        caches.freeze_loaded(False)
        loose = journaled(tmp_path).read()
        assert gc.get_freeze_count() == 0
    finally:
        caches.freeze_loaded(False)
        gc.unfreeze()
    assert frozen == loose == {name: [name, 1] for name in "abc"}
