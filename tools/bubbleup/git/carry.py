"""Which ideas a snapshot may take from the previous snapshot of the same process (the
preview server): their tally, timeline and threshold crossings, worked out from the same
inputs.

After one saved vote, one idea's votes changed; counting every idea's votes again, looking
up each vote file's history and replaying the crossings was about a second at 5,000 ideas.
An idea's three parts are made from its own file, its feedback, the duplicates whose
voters count for it and their feedback, the idea it counts for, and beyond those only from
the history of those files (after a commit, compared file by file: `same_history`), the
roster and the settings (`Snapshot` compares those whole) and `now`. The
files come from memory (core/resident.py) as the very same objects while they do not
change, so comparing an idea's inputs is mostly comparing identities. `now` dates every
vote Git does not have (not committed, or changed since): an idea with one is `moving`,
and is worked out again on every build. A new process has no objects to compare: `bubbleup
build` keeps the same parts on disk under a key of their inputs' content (git/parts_cache.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bubbleup.core.model import Catalog, Feedback, Idea
from bubbleup.core.votes import duplicates
from bubbleup.git.history import History

Merged = tuple[str, Idea, tuple[Feedback, ...]]
Inputs = tuple[Idea, tuple[Feedback, ...], str | None, tuple[Merged, ...]]
"""An idea, its feedback, the idea it counts for (a duplicate's original), and for each
duplicate that counts for it: its slug, idea and feedback."""


def inputs(catalog: Catalog) -> dict[str, Inputs]:
    """What each idea's tally, timeline and crossings are made from, by slug."""
    merged = duplicates(catalog)
    original = {duplicate: slug for slug, slugs in merged.items() for duplicate in slugs}
    by_idea, ideas = catalog.feedback_by_idea, catalog.ideas
    return {
        slug: (
            idea,
            tuple(by_idea.get(slug, ())),
            original.get(slug),
            tuple(
                (duplicate, ideas[duplicate], tuple(by_idea.get(duplicate, ()))) for duplicate in merged.get(slug, ())
            ),
        )
        for slug, idea in ideas.items()
    }


def files(found: Inputs) -> Iterable[Feedback]:
    """The feedback an idea's parts read: its own and that of its duplicates."""
    yield from found[1]
    for merged in found[3]:
        yield from merged[2]


def unchanged(before: Mapping[str, Inputs], now: Mapping[str, Inputs], moving: frozenset[str]) -> frozenset[str]:
    """The ideas whose inputs are those they had (equal, and most often the same objects),
    and whose parts did not depend on the moment they were made."""
    return frozenset(slug for slug, found in now.items() if slug not in moving and before.get(slug) == found)


def moving(found: Mapping[str, Inputs], past: History) -> frozenset[str]:
    """The ideas among `found` with a vote that Git does not have as it is: dated `now`
    by the tally and the crossings (git/snapshot.py, core/thresholds.py)."""
    last_change = past.last_change
    return frozenset(
        slug
        for slug, inputs_of in found.items()
        if any((last := last_change(item.path)) is None or last[1] != item.vote._value_ for item in files(inputs_of))
    )


def paths(found: Inputs) -> Iterable[str]:
    """Every file an idea's parts read the history of: its own, its feedback, its duplicates' and theirs."""
    yield found[0].path
    yield from (item.path for item in found[1])
    for merged in found[3]:
        yield merged[1].path
        yield from (item.path for item in merged[2])


def same_history(slugs: Iterable[str], found: Mapping[str, Inputs], before: History, now: History) -> frozenset[str]:
    """Those of `slugs` whose files have the same events in both histories, as far as the
    parts read them (each event's commit, pull request and value: git/parts_cache.py): after
    a commit, the ideas it did not touch."""
    old, new = before.files, now.files

    def same(path: str) -> bool:
        first, second = old.get(path), new.get(path)
        if first is None or second is None or first is second:
            return first is second
        return first.digest == second.digest

    return frozenset(slug for slug in slugs if all(same(path) for path in paths(found[slug])))
