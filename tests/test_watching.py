"""The preview server's watcher (site/watching.py): the operating system's, on mkdocs'
own server, reporting a saved, added, moved or removed file, and not a file read."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import watchdog.observers
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
