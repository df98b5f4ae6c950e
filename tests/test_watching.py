"""The preview server's watcher (site/watching.py): the operating system's, on mkdocs'
own server, reporting a saved, added, moved or removed file, and not a file read; and
what it saw change between two loads, which vouches for the rest (`Changes`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest
import watchdog.observers
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from bubbleup.site import watching

NATIVE = not issubclass(watchdog.observers.Observer, PollingObserver)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveReloadServer]:
    (tmp_path / "watched/idea").mkdir(parents=True)
    (tmp_path / "watched/idea/vote.md").write_text("---\nvote: up\n---\n")
    made = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    made.watch(str(tmp_path / "watched"))
    made.watch(str(tmp_path / "watched"))  # counted twice, as mkdocs counts
    yield made
    if made.observer.is_alive():
        made.observer.stop()
        made.observer.join()
    made.server_close()


def wanted(server: LiveReloadServer, seconds: float = 3.0) -> bool:
    """Whether the server wants a rebuild within `seconds` (and forget it)."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        with server._rebuild_cond:
            if server._want_rebuild:
                server._want_rebuild = False
                return True
        time.sleep(0.02)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not NATIVE, reason="this system has no native watcher: polling is kept (tested below)")
def test_the_system_reports_changes_and_not_reads(server: LiveReloadServer, tmp_path: Path) -> None:
    assert watching.native(server)
    assert not isinstance(server.observer, PollingObserver)
    assert server._watched_paths == {str(tmp_path / "watched"): 2}
    server.observer.start()
    folder = tmp_path / "watched/idea"
    time.sleep(0.2)
    (folder / "vote.md").read_text()  # the build reads files: no rebuild for that
    assert not wanted(server, 1.0)
    (folder / "new.md").write_text("---\nvote: down\n---\n")
    assert wanted(server)
    (folder / "new.md").rename(folder / "moved.md")
    assert wanted(server)
    (folder / "moved.md").unlink()
    assert wanted(server)
    (tmp_path / "watched/later").mkdir()
    time.sleep(0.2)
    (tmp_path / "watched/later/vote.md").write_text("x")  # a folder made after the start is watched too
    assert wanted(server)
    server.unwatch(str(tmp_path / "watched"))
    server.unwatch(str(tmp_path / "watched"))
    time.sleep(0.2)
    (folder / "vote.md").write_text("changed")
    assert not wanted(server, 1.0)


def test_polling_stays_when_asked_or_without_room(
    server: LiveReloadServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watching, "polling_asked", True)
    assert not watching.native(server)
    assert isinstance(server.observer, PollingObserver)
    monkeypatch.setattr(watching, "polling_asked", False)
    limit = tmp_path / "max_user_watches"
    limit.write_text("5\n")  # room for 2 folders; 3 are watched
    monkeypatch.setattr(watching, "WATCHES", limit)
    assert watching.folders([str(tmp_path / "watched")]) == 2
    (tmp_path / "watched/other").mkdir()
    assert not watching.native(server)
    assert isinstance(server.observer, PollingObserver)
    assert server._watched_paths == {str(tmp_path / "watched"): 2}
    limit.write_text("not a number")  # unreadable: no limit known
    assert watching.room([str(tmp_path / "watched")])


def test_a_started_server_keeps_its_watcher(server: LiveReloadServer) -> None:
    server.observer.start()
    assert not watching.native(server)
    assert isinstance(server.observer, PollingObserver)


def events_seen(changes: watching.Changes, count: int, seconds: float = 3.0) -> bool:
    """Whether `changes` has seen at least `count` events within `seconds`, and then no
    more for a moment: a write's events (modified, closed) may come in two reads."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        with changes.lock:
            if changes.events >= count:
                break
        time.sleep(0.02)
    else:
        return False
    return settled(changes)


def settled(changes: watching.Changes, quiet: float = 0.3, seconds: float = 10.0) -> bool:
    """Whether `changes` saw no new event for `quiet` seconds, within `seconds`."""
    seen, ends = -1, time.monotonic() + seconds
    while changes.events != seen:
        if time.monotonic() > ends:
            return False
        seen = changes.events
        time.sleep(quiet)
    return True


@pytest.mark.skipif(not NATIVE, reason="this system has no native watcher: nothing is vouched for")
def test_changes_vouch_only_for_what_the_running_watcher_saw_unchanged(
    server: LiveReloadServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert watching.native(server)
    folder = str((tmp_path / "watched").resolve())
    changes = watching.attach(server, folder)
    assert changes is not None
    assert changes.take() is None  # the first build: the watcher has not started
    server.observer.start()
    time.sleep(0.2)
    assert changes.take() is None  # it did not run when the previous load began
    vote, new = f"{folder}/idea/vote.md", f"{folder}/idea/new.md"
    Path(new).write_text("---\nvote: down\n---\n")
    assert events_seen(changes, 1) and wanted(server)
    calm = changes.take()
    assert calm is not None
    assert not calm(new) and not calm(f"{folder}/idea")  # the file, and the folder that lists it
    assert calm(vote) and not calm(str(tmp_path / "elsewhere.md"))
    assert not calm(folder)  # the watched folder itself is listed on every load
    calm = changes.take()
    assert calm is not None and calm(new) and calm(f"{folder}/idea")  # nothing since
    logging.getLogger("watchdog.observers.inotify_c").warning(watching.LOST + "; filesystem events were lost")
    assert changes.take() is None  # after lost events, silence proves nothing
    assert changes.take() is not None
    monkeypatch.setattr(watching, "FEW", 2)
    for name in ("a.md", "b.md", "c.md"):
        Path(folder, "idea", name).write_text("x")
    assert events_seen(changes, 3)
    assert changes.take() is None  # a flood is read whole
    server.observer.stop()
    server.observer.join()
    assert changes.take() is None


def test_changes_need_the_servers_rebuild_request() -> None:
    assert watching.attach(object(), "/tmp") is None


paths = st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=4).map(lambda parts: "/w/" + "/".join(parts))


@pytest.mark.slow
@given(touched=st.sets(paths, max_size=6), asked=paths, climb=st.booleans())
def test_a_path_is_calm_unless_it_a_folder_above_it_or_a_file_in_it_was_touched(
    touched: set[str], asked: str, climb: bool
) -> None:
    above = {str(parent) for parent in PurePosixPath(asked).parents if str(parent).startswith("/w/")}
    lists_touched = any(str(PurePosixPath(path).parent) == asked for path in touched)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(watching, "ABOVE", 0 if climb else watching.ABOVE)  # each way of finding a folder above
        calm = watching.calm("/w", touched)
        assert calm(asked) == (asked not in touched and not (above & touched) and not lists_touched)
        assert not calm("/w") and not calm("/elsewhere/a")  # only what is inside is vouched for
