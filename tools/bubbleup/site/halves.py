"""Building the deferred pages (site/framing.py) in two processes on a machine with two
processors or more: half of the pages in a child process forked after mkdocs has read
everything, half in this one. `each` shares plainer work the same way (the HTML of the
texts a build without its render cache must make, site/memo.py), and `Ahead` begins work
whose result is needed later (`bubbleup build` makes the pages while mkdocs gets ready);
both come from core/forked.py, which the pull request check uses too.

The child shares everything the build has read (the configuration, the navigation,
the template environment, the frames are made again on its side) and writes its pages'
files into the same site folder; what the rest of the build needs from it comes back
through a pipe: the search entries it made, its counts, and the messages it logged, which
are logged again here so that `--strict` counts its warnings too. An error in the child
fails the build as it would have here.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from bubbleup.core.forked import Ahead, Collect, available, in_halves

__all__ = ["Ahead", "available", "each", "split"]

T = TypeVar("T")


def _child(work: Callable[[list], Any], pages: list, indexes: list[list], pipe: int) -> None:
    """Build the pages and send back what the parent needs; never returns."""
    collect = Collect()
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
    """`work(items)`, the second half of the items in a forked child (`core.forked`): for
    work whose result, one value an item, only saves time (a cache filled ahead). Should
    the child fail, its half is done here, so the result is always what `work(items)` gives."""
    return in_halves(work, items, fits=lambda made, theirs: len(made) == len(theirs))
