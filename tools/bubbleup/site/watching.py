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
from pathlib import Path
from typing import Any

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
    observer = kind()
    observer.schedule = functools.partial(observer.schedule, event_filter=_changes())
    server.observer = observer
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)
    return True
