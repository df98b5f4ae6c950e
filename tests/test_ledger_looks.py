"""The ledger hands the status it took of each page it kept on to the plan of the same
build (site/ledger.py `hand_on`, site/incremental.py `Digests`), which then looks at
none of them again: only within one turn of the project's lock, once, and a page changed
between the two looks is seen by the next build, whose site equals a full build's."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bubbleup.site import incremental, plugin
from bubbleup.site.ledger import Looked, hand_on, pack, taken_over, unpack
from bubbleup.site.publish import turn
from conftest import GitRepo, build_site, idea, tree, vote

build = build_site


def test_what_the_ledger_hands_on_holds_within_one_turn_of_the_lock_once(tmp_path: Path) -> None:
    status = os.stat(tmp_path)
    with turn(tmp_path):
        hand_on(7, {"page.md": status})
        with turn(tmp_path):  # the same turn, taken again
            assert taken_over() == (7, {"page.md": status})
        assert taken_over() is None  # once
        hand_on(7, {"page.md": status})
    with turn(tmp_path):
        assert taken_over() is None  # another turn
    hand_on(7, {"page.md": status})  # no lock held: nothing is handed on
    with turn(tmp_path):
        assert taken_over() is None


paths = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), min_size=1)
statuses = st.builds(
    Looked,
    st_size=st.integers(0, 2**64 - 1),
    st_mtime_ns=st.integers(-(2**63), 2**63 - 1),
    st_ctime_ns=st.integers(-(2**63), 2**63 - 1),
    st_ino=st.integers(0, 2**64 - 1),
)


@pytest.mark.slow
@given(st.integers(0, 2**63), st.dictionaries(paths, statuses, max_size=20))
def test_statuses_cross_a_pipe_packed_as_they_were(since: int, handed: dict[str, Looked]) -> None:
    assert unpack(pack((since, handed))) == (since, handed)


def test_packed_statuses_that_do_not_add_up_are_not_used(tmp_path: Path) -> None:
    since, names, times, sizes = pack((5, {"a.md": os.stat(tmp_path), "b.md": os.stat(tmp_path)}))
    assert len(unpack((since, names, times, sizes))[1]) == 2
    assert unpack((since, names, times[:-8], sizes)) == (since, {})
    assert unpack((since, "a.md", times, sizes)) == (since, {})


@pytest.fixture
def aged(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A site built twice, the second time with every source's digest recorded: the racy
    window is a tick, not two seconds, and the test waits for it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(incremental.Digests, "RACY_NS", 20_000_000)
    site_repo.commit({f"ideas/idea-{n}.md": idea(f"Idea {n}") for n in range(4)})
    build(site_repo)
    time.sleep(0.05)
    site_repo.commit({"ideas/idea-1/bob.md": vote("up")})
    build(site_repo)
    time.sleep(0.05)
    return site_repo


@pytest.mark.slow
def test_the_plan_looks_again_at_no_page_the_ledger_kept(aged: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = aged.root / "docs/ideas"
    looked: list[str] = []
    stat, planned = os.stat, plugin.plan

    def watched(*args, **options):
        def spy(path, *more, **named):
            looked.append(str(path))
            return stat(path, *more, **named)

        with monkeypatch.context() as patch:
            patch.setattr(os, "stat", spy)
            return planned(*args, **options)

    monkeypatch.setattr(plugin, "plan", watched)
    aged.commit({"ideas/idea-2/cat.md": vote("down")})
    build(aged)
    kept = str(pages / "idea-3.md")  # its inputs did not change
    assert os.path.isfile(kept) and kept not in looked
    assert any(path.startswith(str(aged.root / "docs")) for path in looked)  # the hand-written pages are looked at


@pytest.mark.slow
def test_a_page_changed_between_the_ledger_s_look_and_the_plan_is_seen_next_time(
    aged: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = aged.root / "docs/ideas/idea-3.md"
    planned = plugin.plan

    def changed_first(*args, **options):
        page.write_text(page.read_text().replace("Some text.", "Changed by hand."))
        return planned(*args, **options)

    with monkeypatch.context() as patch:
        patch.setattr(plugin, "plan", changed_first)
        aged.commit({"ideas/idea-2/cat.md": vote("down")})
        build(aged)
    build(aged)
    build(aged, "--clean", "--site-dir", str(aged.root / "full"))
    assert tree(aged.root / "site") == tree(aged.root / "full")
    assert b"Changed by hand" not in (aged.root / "site/ideas/idea-3/index.html").read_bytes()
