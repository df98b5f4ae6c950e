"""A process that loads the ideas again and again keeps each file's result while the file's
status holds (core/resident.py): the same object back for an unchanged file, the file read
again when it changed, and never trusted when it changed just before a load."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bubbleup.core import resident
from bubbleup.core.config import settings as read_settings
from bubbleup.core.loader import load
from bubbleup.core.model import Catalog
from bubbleup.core.resident import Resident
from bubbleup.git.parse_cache import ParseCache
from bubbleup.git.snapshot import load_catalog
from conftest import GitRepo, idea, vote, write


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loads happen well after the files were written, as they do under serve: they trust them."""
    monkeypatch.setattr(resident, "RACY", -10_000_000_000)


def loaded(repo: GitRepo, memory: Resident) -> Catalog:
    settings = read_settings(repo.root / "mkdocs.yml")
    memo = memory.begin(lambda: ParseCache(settings.root, settings.ideas_dir, settings.cache_dir))
    return load_catalog(settings, memo=memo)


def fresh(repo: GitRepo) -> Catalog:
    return load(repo.root, repo.root / "ideas")


@pytest.fixture
def repo(site_repo: GitRepo) -> GitRepo:
    site_repo.commit(
        {
            "ideas/one.md": idea("One"),
            "ideas/two.md": idea("Two", authors="[bob]"),
            "ideas/one/bob.md": vote("up", "Yes.\n"),
            "ideas/two/cat.md": vote("down"),
        }
    )
    return site_repo


@pytest.mark.usefixtures("later")
def test_an_unchanged_file_gives_the_same_object_and_a_changed_one_is_read_again(repo: GitRepo) -> None:
    memory = Resident(str(repo.root.resolve()))
    first = loaded(repo, memory)
    assert first == fresh(repo) and memory.recalled == 0
    second = loaded(repo, memory)
    assert second == fresh(repo) and memory.recalled == 4
    assert second.ideas["one"] is first.ideas["one"] and second.feedback[0] is first.feedback[0]
    write(repo.root, {"ideas/one/bob.md": vote("up", "Yes, twice.\n"), "ideas/two/ann.md": vote("up")})
    third = loaded(repo, memory)
    assert third == fresh(repo) and memory.recalled == 3
    assert [item.text for item in third.feedback_by_idea["one"]] == ["Yes, twice.\n"]
    (repo.root / "ideas/two/cat.md").unlink()
    assert loaded(repo, memory) == fresh(repo) and memory.recalled == 4
    assert "ideas/two/cat.md" not in memory.kept


@pytest.mark.usefixtures("later")
def test_a_file_whose_times_were_put_back_is_read_again(repo: GitRepo) -> None:
    """Same size and modification time: the change time, which no one can set, tells."""
    memory = Resident(str(repo.root.resolve()))
    loaded(repo, memory)
    path = repo.root / "ideas/one/bob.md"
    before = os.stat(path)
    path.write_text(vote("up", "Nah.\n"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert loaded(repo, memory) == fresh(repo)
    assert [item.text for item in fresh(repo).feedback_by_idea["one"]] == ["Nah.\n"]


@pytest.mark.usefixtures("later")
def test_a_roster_edit_sets_aside_only_the_results_that_asked_about_it(repo: GitRepo) -> None:
    """cat becomes kat: the vote file named after cat is checked again (and now fails), the
    rest are the same objects; the new result is what memory keeps from then on."""
    memory = Resident(str(repo.root.resolve()))
    first = loaded(repo, memory)
    people = repo.root / "ideas/people.yml"
    people.write_text(people.read_text().replace("cat:\n", "kat:\n"))
    second = loaded(repo, memory)
    assert second == fresh(repo) and second != first
    assert second.ideas["one"] is first.ideas["one"] and second.feedback[0] is first.feedback[0]
    said = "ideas/two/cat.md:1: error: file name: 'cat' is not in the roster"
    assert any(str(problem).startswith(said) for problem in second.problems)
    kept = memory.kept["ideas/two/cat.md"][1]
    assert kept.item is None and any("'cat' is not in the roster" in p.message for p in kept.problems)
    assert loaded(repo, memory) == second and memory.recalled == 4


def test_a_file_changed_just_before_a_load_is_read_again_by_the_next(repo: GitRepo, tmp_path: Path) -> None:
    """Its status may not change with its next change (the clock's tick): it is not trusted
    until it is older than `RACY` at a load."""
    memory = Resident(str(repo.root.resolve()))
    loaded(repo, memory)  # every file was written a moment ago
    assert memory.kept == {}
    loaded(repo, memory)
    assert memory.recalled == 0
    for path in (repo.root / "ideas").rglob("*.md"):
        os.utime(path, ns=(0, 0))  # long ago; but the change time says now
    loaded(repo, memory)
    assert memory.recalled == 0 and memory.kept == {}


@pytest.mark.usefixtures("later")
def test_a_folder_is_listed_again_when_a_file_comes_goes_or_does_not_belong(repo: GitRepo) -> None:
    memory = Resident(str(repo.root.resolve()))
    loaded(repo, memory)
    assert loaded(repo, memory) == fresh(repo) and memory.folders.recalled == 2
    write(repo.root, {"ideas/one/cat.md": vote("down"), "ideas/two/notes.txt": "stray\n"})
    third = loaded(repo, memory)
    assert third == fresh(repo) and memory.folders.recalled == 0
    assert len(third.feedback_by_idea["one"]) == 2 and any("notes.txt" in p.path for p in third.problems)
    (repo.root / "ideas/one/bob.md").unlink()
    fourth = loaded(repo, memory)
    assert fourth == fresh(repo) and memory.folders.recalled == 0  # two/ is never kept: it holds a stray file
    assert [item.handle for item in fourth.feedback_by_idea["one"]] == ["cat"]
    assert any("notes.txt" in p.path for p in fourth.problems)


@pytest.mark.usefixtures("later")
def test_what_the_watcher_vouches_for_is_taken_unasked_and_what_it_saw_change_is_read(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under serve, `calm` (site/watching.py `Changes`) stands for the statuses of the paths
    nothing changed at since the previous load: none is asked, and the catalog is the same."""
    from bubbleup.site.watching import calm

    asked: list[str] = []
    real = resident.status
    monkeypatch.setattr(resident, "status", lambda path: asked.append(path) or real(path))
    settings = read_settings(repo.root / "mkdocs.yml")
    ideas = str(settings.ideas_dir.resolve())
    memory = Resident(str(repo.root.resolve()))

    def load_with(touched: set[str] | None) -> Catalog:
        asked.clear()
        vouched = calm(ideas, {f"{ideas}/{path}" for path in touched}) if touched is not None else None
        memo = memory.begin(lambda: ParseCache(settings.root, settings.ideas_dir, settings.cache_dir), vouched)
        return load_catalog(settings, memo=memo)

    first = load_with(None)
    assert first == fresh(repo) and asked  # no watcher yet: every status is asked
    second = load_with(set())
    assert second == fresh(repo) and asked == [] and second.feedback[0] is first.feedback[0]
    write(repo.root, {"ideas/one/bob.md": vote("down", "Changed my mind.\n"), "ideas/one/cat.md": vote("up")})
    third = load_with({"one/bob.md", "one/cat.md"})
    assert third == fresh(repo)
    assert sorted(os.path.relpath(path, ideas) for path in asked) == ["one", "one/bob.md", "one/cat.md"]
    assert [item.text for item in third.feedback_by_idea["one"]] == ["Changed my mind.\n", ""]
    (repo.root / "ideas/one/cat.md").unlink()
    assert load_with({"one/cat.md"}) == fresh(repo)
    assert load_with(set()) == fresh(repo) and asked == []


@pytest.mark.usefixtures("later")
def test_the_first_change_after_the_watcher_starts_is_vouched_for_and_what_moved_before_is_read(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under serve, the watcher starts after the first build: `Changes.confirm` asks the
    statuses of what that build kept once it runs, so the first change is vouched for too,
    and a file changed before the watcher started is read again all the same."""

    import watchdog.observers
    from watchdog.observers.polling import PollingObserver

    from bubbleup.site import watching
    from bubbleup.site.watching import Changes
    from test_watching import events_seen

    if issubclass(watchdog.observers.Observer, PollingObserver):
        pytest.fail("this system has no native watcher, which serve uses here")
    asked: list[str] = []
    real = resident.status
    monkeypatch.setattr(resident, "status", lambda path: asked.append(path) or real(path))
    settings = read_settings(repo.root / "mkdocs.yml")
    ideas = str(settings.ideas_dir.resolve())
    memory, changes, observer = Resident(str(repo.root.resolve())), Changes(ideas, lambda: None), None

    def load_with() -> Catalog:
        vouched = changes.take()
        asked.clear()
        memo = memory.begin(lambda: ParseCache(settings.root, settings.ideas_dir, settings.cache_dir), vouched)
        return load_catalog(settings, memo=memo)

    try:
        observer = watching.reporting_changes()
        changes.watch(observer)
        assert load_with() == fresh(repo) and asked  # the first build: no watcher yet
        write(repo.root, {"ideas/one/bob.md": vote("down", "Before the watcher started.\n")})
        observer.start()
        changes.confirm(memory.moved).join(30)
        assert changes.watching
        write(repo.root, {"ideas/two/cat.md": vote("up", "After.\n")})
        assert events_seen(changes, 1)
        second = load_with()
        assert second == fresh(repo)
        assert sorted(os.path.relpath(path, ideas) for path in asked) == ["one", "one/bob.md", "two", "two/cat.md"]
        assert load_with() == fresh(repo) and asked == []  # nothing since
    finally:
        if observer is not None and observer.is_alive():
            observer.stop()
            observer.join()


def test_a_load_that_begins_while_the_statuses_are_asked_keeps_the_usual_rule(repo: GitRepo) -> None:
    """`confirm` gives up when a load began meanwhile: that load asked its own statuses."""
    from bubbleup.site.watching import Changes

    changes = Changes(str(repo.root / "ideas"), lambda: None)

    class Running:
        def is_alive(self) -> bool:
            return True

    changes.observer = Running()
    loads: list[object] = []
    changes.confirm(lambda: loads.append(changes.take()) or {str(repo.root / "ideas/one.md")}).join(10)
    assert loads == [None]  # the load that began meanwhile was not vouched for
    calm = changes.take()  # the watcher ran when that load began: the next one is
    assert calm is not None and calm(str((repo.root / "ideas/one.md").resolve()))


def test_a_load_that_begins_before_the_watcher_runs_makes_the_statuses_asked_worthless(repo: GitRepo) -> None:
    """A load that began after `confirm` was called and before the watcher ran kept
    statuses from a moment no watcher covers: `confirm` does not vouch for the next."""
    from bubbleup.site.watching import Changes

    changes = Changes(str(repo.root / "ideas"), lambda: None)

    class Starting:
        alive = False

        def is_alive(self) -> bool:
            return self.alive

    changes.observer = observer = Starting()
    thread = changes.confirm(lambda: set())
    assert changes.take() is None  # a load, before the watcher runs
    observer.alive = True
    thread.join(10)
    assert changes.take() is None  # that load's statuses are not covered: read whole again
    assert changes.take() is not None
