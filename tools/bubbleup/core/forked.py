"""Work shared with a forked child on a machine with two processors or more: `Ahead`
begins work whose result is needed later, `in_halves` does half of a list's work in the
child. Both the site (site/halves.py: the pages of `bubbleup build`, the texts to render)
and the pull request check (git/review_similar.py: the files the possible duplicates are
looked for in) use them, so they live below both.

What comes back through the pipe is pickled: the work's result and the messages it
logged, which are logged again here. A child that fails, dies or answers something that
cannot be read gives None, and the caller does that work itself, where it fails as it
would have without a child.
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
R = TypeVar("R")


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


class Collect(logging.Handler):
    """What a child logs, kept to be sent back with its answer and logged again by the parent."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


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
    collect = Collect()
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        logger.handlers[:] = [collect]
    logging.getLogger("mkdocs").propagate = False  # or what mkdocs logs would be collected twice
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


def in_halves(
    work: Callable[[list[T]], list[R]], items: list[T], fits: Callable[[list[R], list[T]], bool] | None = None
) -> list[R]:
    """`work(items)`, the second half of the items in a forked child (`Ahead`); should the
    child fail, or its answer not be a list (or not `fits` its half), that half is worked
    here, so the result is always what `work(items)` gives for work done half by half."""
    middle = len(items) // 2
    mine, theirs = items[:middle], items[middle:]
    with Ahead(partial(work, theirs)) as ahead:
        done = work(mine)
        made = ahead.result()
    if not isinstance(made, list) or (fits is not None and not fits(made, theirs)):
        made = work(theirs)
    return done + made
