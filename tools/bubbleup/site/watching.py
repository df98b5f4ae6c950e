"""The preview server learns of a change from the operating system (inotify on Linux,
FSEvents on macOS, ReadDirectoryChangesW on Windows) instead of mkdocs' polling.

mkdocs' server looks at every file it watches twice a second. With 5,000 ideas that is
66,000 files (the ideas folder and docs/), which kept half a processor busy while the
preview sat idle, and slowed each rebuild it ran beside (both want Python's lock); a
saved file was seen only at the next look. The operating system's watcher costs nothing
while nothing changes and reports a saved file at once.

The same paths are watched, through mkdocs' own `watch`, so a change rebuilds as before.
Only changes are reported, as polling reports them: a file opened or read (which the
build itself does) is not one, or every build would start the next. Polling stays where
there is no native watcher, where Linux would run out of watches (one per folder), and
where it is asked for (`bubbleup serve --poll`: network drives and some containers do
not report changes).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bubbleup.core.resident import Calm

log = logging.getLogger("mkdocs.plugins.bubbleup")

polling_asked = False
"""Set by `bubbleup serve --poll`."""

WATCHES = Path("/proc/sys/fs/inotify/max_user_watches")


def _changes() -> list:
    from watchdog import events

    return [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.FileClosedEvent,
        events.FileAttribEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]


def folders(paths: list[str]) -> int:
    """How many folders the paths hold, themselves included: a native watcher on Linux
    needs one watch for each."""
    return sum(1 for path in paths for _ in os.walk(path))


def room(paths: list[str]) -> bool:
    """Whether the system allows a watch for each folder, with half its watches left to
    other programs (Linux only counts them)."""
    try:
        limit = int(WATCHES.read_text())
    except (OSError, ValueError):
        return True
    return folders(paths) <= limit // 2


def native(server) -> bool:
    """Move the server's watches, before it starts, to the operating system's watcher.

    Returns:
        Whether it did; False leaves mkdocs' polling in place.
    """
    import watchdog.observers
    from watchdog.observers.polling import PollingObserver

    watched = getattr(server, "_watched_paths", None)
    old = getattr(server, "observer", None)
    kind: Any = watchdog.observers.Observer  # a class chosen by platform
    if (
        polling_asked
        or issubclass(kind, PollingObserver)
        or not isinstance(old, PollingObserver)
        or old.is_alive()
        or not isinstance(watched, dict)
    ):
        return False
    counts = dict(watched)
    if not room(list(counts)):
        log.info("bubbleup: too many folders for the system's watcher; the preview polls for changes")
        return False
    for path, count in counts.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = reporting_changes()
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)
    return True


def reporting_changes() -> Any:
    """The operating system's watcher, reporting only changes (`_changes`), not reads."""
    import watchdog.observers

    observer: Any = watchdog.observers.Observer()  # a class chosen by platform
    observer.schedule = functools.partial(observer.schedule, event_filter=_changes())
    return observer


LOST = "Inotify queue overflowed"
"""The start of what watchdog logs when the kernel dropped events (watchdog 7's inotify):
after it, a watcher's silence about a path proves nothing."""
WATCHDOG_LOGGERS = ("watchdog.observers.inotify_c", "watchdog.observers.inotify")
"""Where watchdog logs it. A filter on the logger itself sees what it logs and changes
nothing of where it goes (a handler would keep Python from printing its warnings)."""
FEW = 1000
"""Events between two loads past which `Changes` vouches for nothing: a checkout or a
pull that touches thousands of files is read as a whole, and the kernel drops events
only after tens of thousands (`/proc/sys/fs/inotify/max_queued_events`, 16,384 by
default), so a flood that lost some is never taken for a quiet spell."""


class Changes:
    """What the operating system's watcher saw change under the ideas folder between the
    preview's loads, so that a load asks the status only of what changed
    (core/resident.py `Calm`).

    It vouches for a load only if the native watcher ran from the previous load's start
    to this one's (not on the first load after the server starts, whose watcher starts
    after the first build; never when polling), fewer than `FEW` events came, and none
    was lost. A path is calm when no event named it or a folder above it, and, for a
    folder, none of the files in it. Each event also asks for a rebuild, as mkdocs' own
    handler does: an event recorded after a load had begun is then read by the next one,
    whichever handler ran first.
    """

    def __init__(self, folder: str, rebuild: Callable[[], None]) -> None:
        self.folder = os.path.realpath(folder)
        self.rebuild = rebuild
        self.lock = threading.Lock()
        self.touched: set[str] = set()
        self.events = 0
        self.lost = False
        self.observer: Any = None
        self.watching = False
        """Whether the watcher ran when the previous load began (or when `confirm` asked
        the statuses of what that load kept)."""
        self.loads = 0
        """How many loads have begun (`take`)."""

    def watch(self, observer: Any) -> None:
        """Have `observer` (the server's native one, not yet started) report here."""
        from watchdog.events import FileSystemEventHandler

        handler = FileSystemEventHandler()
        handler.on_any_event = self.saw  # type: ignore[method-assign]
        observer.schedule(handler, self.folder, recursive=True)
        for name in WATCHDOG_LOGGERS:
            logging.getLogger(name).addFilter(self._heard)
        self.observer = observer

    def saw(self, event: Any) -> None:
        with self.lock:
            self.events += 1
            self.touched.add(os.fsdecode(event.src_path))
            if getattr(event, "dest_path", ""):
                self.touched.add(os.fsdecode(event.dest_path))
        self.rebuild()

    def _heard(self, record: logging.LogRecord) -> bool:
        """A filter on watchdog's loggers that lets every record through, noting lost events."""
        if record.getMessage().startswith(LOST):
            with self.lock:
                self.lost = True
        return True

    def take(self) -> Calm | None:
        """At a load's start: which paths it may take as they were, or None for none."""
        with self.lock:
            touched, events, lost = self.touched, self.events, self.lost
            self.touched, self.events, self.lost = set(), 0, False
            running = self.observer is not None and self.observer.is_alive()
            vouched, self.watching = self.watching and running and not lost and events < FEW, running
            self.loads += 1
        return calm(self.folder, touched) if vouched else None

    def confirm(self, moved: Callable[[], set[str]], wait: float = 60.0) -> threading.Thread:
        """Once the watcher runs, bring what the first load kept up to that moment, so that
        the first change after the server starts is vouched for too (its watcher starts
        after the first build, so that change was read file by file: 0.4 to 0.6 s more at
        5,000 ideas). `moved` gives the paths whose status changed since that load
        (core/resident.py `Resident.moved`); they count as touched, and the watcher reports
        whatever changes after it started. Called between loads (under serve, after the
        first build). If a load begins meanwhile, even before the watcher runs, it asks its
        own statuses, and this gives up: the next load is vouched for by the usual rule."""
        with self.lock:
            began = self.loads

        def run() -> None:
            ends = time.monotonic() + wait
            while self.observer is None or not self.observer.is_alive():
                if time.monotonic() > ends:
                    return
                time.sleep(0.05)
            stale = moved()
            with self.lock:
                if self.loads == began:  # else a load began meanwhile: it kept statuses of its own
                    self.touched |= stale
                    self.watching = True

        thread = threading.Thread(target=run, name="bubbleup-confirm", daemon=True)
        thread.start()
        return thread


def attach(server: Any, folder: str) -> Changes | None:
    """`Changes` for `folder`, reported by the server's native watcher (after `native`),
    asking for rebuilds as mkdocs' own handler does; None where that cannot be done."""
    condition, observer = getattr(server, "_rebuild_cond", None), getattr(server, "observer", None)
    if condition is None or not hasattr(server, "_want_rebuild") or observer is None:
        return None

    def rebuild() -> None:
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    changes = Changes(folder, rebuild)
    changes.watch(observer)
    return changes


def calm(folder: str, touched: set[str]) -> Calm:
    """`Changes.take`'s answer: a path under `folder` that no event named, nor a folder
    above it, nor (for a folder) a file in it. A path is tried against each named path
    as a folder above it at once (`str.startswith` of a tuple: a few names after a vote);
    past `ABOVE` names, by climbing its own folders instead."""
    parents = {os.path.dirname(path) for path in touched}
    inside = folder + os.sep
    above = tuple(path + os.sep for path in touched)

    def unchanged(path: str) -> bool:
        if not path.startswith(inside) or path in touched or path in parents:
            return False
        if len(above) <= ABOVE:
            return not path.startswith(above)
        climbed = os.path.dirname(path)
        while len(climbed) > len(folder):
            if climbed in touched:
                return False
            climbed = os.path.dirname(climbed)
        return True

    return unchanged


ABOVE = 32
"""Named paths up to which `calm` tries each as a folder above a path in one call."""
