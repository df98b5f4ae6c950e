"""Building the deferred pages (site/framing.py) in two processes on a machine with two
processors or more: half of the pages in a child process forked after mkdocs has read
everything, half in this one. `each` shares plainer work the same way (the HTML of the
texts a build without its render cache must make, site/memo.py), and `Ahead` begins work
whose result is needed later (`bubbleup build` makes the pages while mkdocs gets ready).

The child shares everything the build has read (the configuration, the navigation,
the template environment, the frames are made again on its side) and writes its pages'
files into the same site folder; what the rest of the build needs from it comes back
through a pipe: the search entries it made, its counts, and the messages it logged, which
are logged again here so that `--strict` counts its warnings too. An error in the child
fails the build as it would have here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def available() -> bool:
    """Whether a second process would run beside this one, and may be forked: never
    while another thread runs (under `serve`, the preview server's), whose locks the
    child would inherit held."""
    import threading

    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:
        return (os.cpu_count() or 1) > 1


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _child(work: Callable[[list], Any], pages: list, indexes: list[list], pipe: int) -> None:
    """Build the pages and send back what the parent needs; never returns."""
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [collect]
    logger.propagate = False
    made: list[list] = [[] for _ in indexes]
    counts: tuple[int, int, int] = (0, 0, 0)
    failure: tuple | str | None = None  # an OSError's errno, text and file name, or what else failed
    try:
        before = [len(entries) for entries in indexes]
        built = work(pages)
        made = [entries[count:] for entries, count in zip(indexes, before, strict=True)]
        counts = (built.pages, built.converted, built.framed)
    except OSError as error:  # a full disk, a folder that cannot be written: said as here
        failure = (error.errno, error.strerror, error.filename)
    except BaseException as error:  # noqa: BLE001 - whatever failed fails the parent's build
        failure = f"{type(error).__name__}: {error}"
    try:
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps((made, counts, collect.records, failure)))
    finally:
        os._exit(0 if failure is None else 1)  # no exit handlers, no flushing of buffers copied from the parent


class Ahead(Generic[T]):
    """`work()` begun in a forked child while this process goes on; `result()` waits for it.

    The child writes files as the work would here; what comes back through the pipe is
    the work's result and the messages it logged, which are logged again here. When the
    work fails in the child (or the child dies), `result()` gives None, and the caller does
    the work itself: it fails again here, as it would have without a child, with its own
    error and traceback. Use as a context manager, so that the child is always waited for.
    """

    def __init__(self, work: Callable[[], T]) -> None:
        sys.stdout.flush()  # or the child would hold a copy of what is not written yet
        sys.stderr.flush()
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read)
            _deliver(work, write)
        os.close(write)
        self.pipe: int | None = read
        self.answer: T | None = None

    def result(self) -> T | None:
        """The work's result, or None when it failed in the child."""
        if self.pipe is None:
            return self.answer
        with os.fdopen(self.pipe, "rb") as incoming:
            self.pipe = None
            data = incoming.read()
        os.waitpid(self.pid, 0)
        try:
            done, value, records = pickle.loads(data)
        except Exception:  # noqa: BLE001 - nothing, or a truncated answer: the child died
            return None
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        self.answer = value if done else None
        return self.answer

    def __enter__(self) -> Ahead[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.result()  # never leave the child writing after this process has gone on


def _deliver(work: Callable[[], Any], pipe: int) -> None:
    """`Ahead`'s child: the work's result and what it logged, or that it failed; never returns."""
    collect = _Collect()
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        logger.handlers[:] = [collect]
    answer: tuple[bool, Any, list] = (False, None, [])
    with contextlib.suppress(BaseException):  # the parent does the work again, and fails as it fails
        answer = (True, work(), collect.records)
    try:
        data = pickle.dumps(answer)
    except Exception:  # noqa: BLE001 - a result that cannot be sent: the parent does the work
        data = pickle.dumps((False, None, []))
    try:
        with os.fdopen(pipe, "wb") as out:
            out.write(data)
    finally:
        os._exit(0)


def _beside(child: Callable[[int], object], here: Callable[[], T]) -> tuple[T, bytes]:
    """`here()` in this process while a forked child runs `child(pipe)` (which writes its
    answer into the pipe and never returns); the result, and what the child wrote."""
    sys.stdout.flush()  # or the child would hold a copy of what is not written yet
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        child(write)
    os.close(write)
    try:
        result = here()
    finally:
        with os.fdopen(read, "rb") as incoming:
            data = incoming.read()
        os.waitpid(pid, 0)
    return result, data


def split(work: Callable[[list], Any], mine: list, theirs: list, indexes: list[list]):
    """`work` over `mine` here and over `theirs` in a forked child, results merged."""
    built, data = _beside(lambda pipe: _child(work, theirs, indexes, pipe), lambda: work(mine))
    made, (pages, converted, framed), records, failure = pickle.loads(data)
    for name, level, message in records:
        logging.getLogger(name).log(level, message)
    if isinstance(failure, tuple):
        raise OSError(*failure)
    if failure is not None:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"building pages in a second process failed: {failure}")
    for entries, theirs_made in zip(indexes, made, strict=True):
        entries.extend(theirs_made)
    built.pages += pages
    built.converted += converted
    built.framed += framed
    return built


def each(work: Callable[[list], list], items: list) -> list:
    """`work(items)`, the second half of the items in a forked child (`Ahead`): for work
    whose result, one value an item, only saves time (a cache filled ahead). Should the
    child fail, its half is done here, so the result is always what `work(items)` gives."""
    middle = len(items) // 2
    mine, theirs = items[:middle], items[middle:]
    with Ahead(partial(work, theirs)) as ahead:
        done = work(mine)
        made = ahead.result()
    if not isinstance(made, list) or len(made) != len(theirs):
        made = work(theirs)
    return done + made
