"""Per-build records kept as a file and a journal of the entries changed since it was
written whole (core/caches.py `Journaled`): what is read back is what was saved, and a
damaged, stale or foreign journal or file is set aside, never mixed in. And a command
that runs once freezes its objects as it exits (`caches.freeze_loaded`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core.caches import JOURNALED, Journaled
from conftest import GitRepo, build_site, idea, rejournal, vote
from conftest import journaled as kept
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
    whole = (tmp_path / "pages.pickle").read_bytes()
    second = {**first, "a": ["a", 2], "g": ["g", 1]}
    del second["b"]
    saved(tmp_path, second, limit=3)
    assert (tmp_path / "pages.pickle").read_bytes() == whole  # the file is not written again
    journal = kept(tmp_path / "pages-journal.pickle")[1]
    assert (journal["made"], journal["gone"]) == ({"a": ["a", 2], "g": ["g", 1]}, ["b"])
    assert journaled(tmp_path).read() == second
    third = {name: [name, 3] for name in "abcdef"}
    saved(tmp_path, third, limit=3)
    assert not (tmp_path / "pages-journal.pickle").exists()
    assert kept(tmp_path / "pages.pickle")[1]["pages"] == third
    assert journaled(tmp_path).read() == third


def _changed(change):
    """A damage that changes what a journaled file holds, under its own header."""

    def damage(path: Path) -> None:
        header, content = kept(path)
        rejournal(path, header, change(content))

    return damage


def _bytes(change):
    """A damage to the bytes of a journaled file, its header included."""

    def damage(path: Path) -> None:
        path.write_bytes(change(path.read_bytes()))

    return damage


class _Planted:
    """Pickled as a call to os.mkdir: what a foreign pickle could make its reader do."""

    def __init__(self, where: Path) -> None:
        self.where = str(where)

    def __reduce__(self) -> tuple:
        return os.mkdir, (self.where,)


PLANTED = Path(tempfile.gettempdir()) / f"bubbleup-planted-{os.getpid()}"


@pytest.mark.parametrize(
    "damage",
    [
        _bytes(lambda journal: journal[: len(journal) // 2]),  # truncated
        _bytes(lambda journal: b"\x00not a pickle"),
        _changed(lambda journal: {**journal, "follows": "another"}),  # follows another file
        _bytes(lambda journal: journal.replace(b'"code":"a"', b'"code":"b"')),  # made by other code
        _bytes(lambda journal: journal.replace(b'"format":1', b'"format":9')),
        _bytes(lambda journal: journal.replace(b"journaled 2", b"journaled 1")),  # another format of the file
        _changed(lambda journal: {**journal, "made": ["a"]}),
        _changed(lambda journal: {**journal, "gone": "a"}),
        _changed(lambda journal: {**journal, "made": {"a": datetime(2026, 1, 1)}}),  # a class: foreign
        _changed(lambda journal: {**journal, "made": {"a": _Planted(PLANTED)}}),  # a call: foreign, never made
    ],
)
def test_a_damaged_stale_or_foreign_journal_is_set_aside(tmp_path: Path, damage) -> None:
    first = {"a": [1], "b": [2], "c": [3]}
    saved(tmp_path, first)
    saved(tmp_path, {"a": [9], "c": [3], "d": [4]}, limit=3)
    damage(tmp_path / "pages-journal.pickle")
    assert journaled(tmp_path).read() == first
    assert not PLANTED.exists()


def test_names_gone_that_are_not_names_are_skipped(tmp_path: Path) -> None:
    saved(tmp_path, {"a": [1], "b": [2]})
    saved(tmp_path, {"a": [1]})
    journal = tmp_path / "pages-journal.pickle"
    header, content = kept(journal)
    assert content["gone"] == ["b"]
    rejournal(journal, header, {**content, "gone": [["b"], 7, "b"]})
    assert journaled(tmp_path).read() == {"a": [1]}


@pytest.mark.parametrize(
    "damage",
    [
        _bytes(lambda text: text[:-3]),
        _bytes(lambda text: text.replace(b'"code":"a"', b'"code":"b"')),
        _changed(lambda content: {**content, "token": ""}),
        _changed(lambda content: {**content, "pages": ["a"]}),
        _changed(lambda content: [content]),
        _changed(lambda content: {**content, "pages": {"a": _Planted(PLANTED)}}),
    ],
)
def test_a_damaged_or_foreign_file_gives_no_entries_and_is_written_whole_next(tmp_path: Path, damage) -> None:
    saved(tmp_path, {"a": [1], "b": [2]})
    saved(tmp_path, {"a": [1], "b": [3]})
    path = tmp_path / "pages.pickle"
    damage(path)
    assert journaled(tmp_path).read() == {}
    assert not PLANTED.exists()
    saved(tmp_path, {"a": [5]})
    assert kept(path)[1]["pages"] == {"a": [5]}
    assert journaled(tmp_path).read() == {"a": [5]}


def test_entries_are_read_back_as_json_gives_them_and_the_json_files_before_are_dropped(tmp_path: Path) -> None:
    """Tuples come back as lists, keys as text, and no list is shared, as when the file was
    JSON (format 1), whose files are not read, and are removed once the file is written whole."""
    shared = [1, 2]
    (tmp_path / "pages.json").write_text(json.dumps({"format": 1, "code": "a", "token": "t", "pages": {"z": [0]}}))
    (tmp_path / "pages-journal.json").write_text(json.dumps({"format": 1, "code": "a", "follows": "t"}))
    assert journaled(tmp_path).read() == {}  # the JSON of format 1 is not read
    saved(tmp_path, {"a": ("x", (1, None)), "b": {7: "y"}, "c": shared, "d": shared})
    found = journaled(tmp_path).read()
    assert found == {"a": ["x", [1, None]], "b": {"7": "y"}, "c": [1, 2], "d": [1, 2]}
    assert found["c"] is not found["d"]
    assert not (tmp_path / "pages.json").exists() and not (tmp_path / "pages-journal.json").exists()
    saved(tmp_path, {**found, "e": (3,)}, limit=3)  # in the journal
    assert journaled(tmp_path).read()["e"] == [3]


def test_a_cache_named_for_its_pickle_keeps_it_when_written_whole(tmp_path: Path) -> None:
    """The site's caches name their files as they are written (`pages.pickle`): writing the
    file whole removes the JSON files of the format before, never the file just written."""
    (tmp_path / "pages.json").write_text("{}")
    named = Journaled(tmp_path / "pages.pickle", "pages", 1, format=1, code="a")
    named.save({"a": [1]})
    named.save({"a": [1], "b": [2], "c": [3]})  # over the journal's limit: written whole
    assert (tmp_path / "pages.pickle").exists() and not (tmp_path / "pages.json").exists()
    assert Journaled(tmp_path / "pages.pickle", "pages", 1, format=1, code="a").read() == {
        "a": [1],
        "b": [2],
        "c": [3],
    }


entries = st.dictionaries(st.sampled_from("abcdefgh"), st.lists(st.integers(0, 3), max_size=2), max_size=8)


@pytest.mark.slow
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
    journals = sorted(path.name for path in cache.glob("*-journal.pickle") if path.read_bytes().startswith(JOURNALED))
    assert {"pages-journal.pickle", "records-journal.pickle", "render-journal.pickle"} <= set(journals)
    damages = [
        _bytes(lambda text: text[: len(text) // 2]),
        _changed(lambda content: {**content, "follows": "x" + content["follows"]}),
        _changed(lambda content: {**content, "made": {name: ["x", 1] for name in content["made"]}}),
    ]
    voters = ["ideas/one/ann.md", "ideas/one/cat.md", "ideas/two/ann.md"]
    for step, (damage, voter) in enumerate(zip(damages, voters, strict=True)):
        for name in journals:
            if (cache / name).exists():
                damage(cache / name)
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
