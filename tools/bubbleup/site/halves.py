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
are logged again here so that `--strict` counts its warnings too. Should the child fail,
its half is built here, and an error fails the build as it would have without a child.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bubbleup.core.forked import Ahead, available, in_halves

__all__ = ["Ahead", "available", "each", "split"]

T = TypeVar("T")


def split(work: Callable[[list], Any], mine: list, theirs: list, indexes: list[list]):
    """`work` over `mine` here and over `theirs` in a forked child (`Ahead`), results
    merged: the child's counts added, and the search entries it made appended to
    `indexes` after this process's own. Should the child fail or die, its half is built
    here, where it fails as it would have without a child (a full disk as an error line)."""

    def their_half() -> tuple[list[list], tuple[int, int, int]]:
        before = [len(entries) for entries in indexes]
        built = work(theirs)
        return [entries[count:] for entries, count in zip(indexes, before, strict=True)], (
            built.pages,
            built.converted,
            built.framed,
        )

    with Ahead(their_half) as ahead:
        built = work(mine)
        answer = ahead.result()
    if answer is None:  # the child failed or died: its half here, whose entries go in as made
        more = work(theirs)
        counts = (more.pages, more.converted, more.framed)
    else:
        made, counts = answer
        for entries, theirs_made in zip(indexes, made, strict=True):
            entries.extend(theirs_made)
    built.pages += counts[0]
    built.converted += counts[1]
    built.framed += counts[2]
    return built


def each(work: Callable[[list], list], items: list) -> list:
    """`work(items)`, the second half of the items in a forked child (`core.forked`): for
    work whose result, one value an item, only saves time (a cache filled ahead). Should
    the child fail, its half is done here, so the result is always what `work(items)` gives."""
    return in_halves(work, items, fits=lambda made, theirs: len(made) == len(theirs))
