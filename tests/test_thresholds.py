"""When ideas crossed the support threshold: the replay kept up to date one change at a time
gives what recounting every idea's votes after each change (`votes.counted`) gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core.model import Catalog, Feedback, Idea, Person, Status, Vote
from bubbleup.core.tally import tally
from bubbleup.core.thresholds import Threshold, crossings, measure
from bubbleup.core.votes import counted, duplicates, vote_in, vote_named

NOW = datetime(2026, 11, 1, tzinfo=UTC)
HANDLES = ("ann", "bob", "cat", "dan")
TEAMS = {"ann": "support", "bob": "sales", "cat": "support", "dan": ""}


def recounted(catalog: Catalog, changes, threshold: Threshold) -> dict[str, list[datetime]]:
    """The reference: every idea's votes counted afresh after each change."""
    merged = duplicates(catalog)
    original = {duplicate: slug for slug, slugs in merged.items() for duplicate in slugs}
    events: dict[str, list] = {}
    for item in catalog.feedback:
        if item.customer:
            continue
        recorded = list(changes(item.path))
        if not recorded or recorded[-1][1] != item.vote.value:
            recorded.append((NOW, item.vote.value))
        events.setdefault(original.get(item.idea, item.idea), []).extend((m, item.path, v) for m, v in recorded)
    found: dict[str, list[datetime]] = {}
    for slug, replay in events.items():
        replay.sort(key=lambda event: event[0])
        values: dict[str, Vote] = {}
        above = False
        for moment, path, value in replay:
            values[path] = vote_named(value)
            votes = counted(catalog, slug, vote_in(values), merged)
            up = [handle for handle, vote in votes.votes.items() if vote is Vote.UP]
            reached = measure(votes.net, up, catalog.roster, threshold).reached
            if reached and not above:
                found.setdefault(slug, []).append(moment)
            above = reached
    return found


SLUGS = ("alpha", "beta", "gamma")  # beta may be a duplicate of alpha or of gamma
file_strategy = st.tuples(st.sampled_from(SLUGS), st.sampled_from(HANDLES), st.booleans())
history_strategy = st.lists(st.tuples(st.integers(0, 30), st.sampled_from(["up", "down", "none", None])), max_size=5)


@settings(max_examples=150, deadline=None)
@given(
    files=st.lists(st.tuples(file_strategy, history_strategy, st.sampled_from(list(Vote))), max_size=14),
    duplicate=st.sampled_from([None, ("beta", "alpha"), ("beta", "gamma")]),
    roster=st.booleans(),
    votes=st.integers(0, 6),  # above the number of people too: such ideas are not replayed
    teams=st.integers(0, 3),
)
@pytest.mark.slow
def test_the_replay_equals_recounting_after_each_change(files, duplicate, roster, votes, teams) -> None:
    ideas = {slug: Idea(slug=slug, title=slug, path=f"ideas/{slug}.md") for slug in SLUGS}
    if duplicate:
        copy, of = duplicate
        ideas[copy] = Idea(slug=copy, title=copy, path=f"ideas/{copy}.md", status=Status.DUPLICATE, duplicate_of=of)
    feedback, recorded = [], {}
    for (slug, handle, customer), history, vote in files:
        path = f"ideas/{slug}/{'customers/' if customer else ''}{handle}.md"
        if path in recorded:
            continue
        feedback.append(Feedback(slug, handle, vote, "", path, customer=handle if customer else None))
        recorded[path] = [
            (NOW - timedelta(days=day), value) for day, value in sorted(history, key=lambda change: -change[0])
        ]
    people = {h: Person(h, h.title(), (), team=t) for h, t in TEAMS.items()} if roster else None
    catalog = Catalog(ideas=ideas, feedback=tuple(feedback), roster=people)
    threshold = Threshold(votes, teams)

    def changes(path: str):
        return recorded.get(path, [])

    tallies = tally(catalog, {}, {})
    assert crossings(catalog, tallies, changes, threshold, NOW) == recounted(catalog, changes, threshold)


def test_a_person_counts_once_by_their_vote_on_the_original() -> None:
    """Ann voted up on the duplicate, then down on the original: from then on her vote on the
    original is the one that counts, so the original falls below one net vote and crosses
    again only when a third person's up vote outweighs it."""
    ideas = {
        "alpha": Idea(slug="alpha", title="Alpha", path="ideas/alpha.md"),
        "beta": Idea(slug="beta", title="Beta", path="ideas/beta.md", status=Status.DUPLICATE, duplicate_of="alpha"),
    }
    feedback = (
        Feedback("alpha", "ann", Vote.DOWN, "", "ideas/alpha/ann.md"),
        Feedback("beta", "ann", Vote.UP, "", "ideas/beta/ann.md"),
        Feedback("beta", "bob", Vote.UP, "", "ideas/beta/bob.md"),
        Feedback("beta", "cat", Vote.UP, "", "ideas/beta/cat.md"),
    )
    recorded = {
        "ideas/beta/ann.md": [(NOW - timedelta(days=9), "up")],
        "ideas/alpha/ann.md": [(NOW - timedelta(days=8), "down")],
        "ideas/beta/bob.md": [(NOW - timedelta(days=7), "up")],
        "ideas/beta/cat.md": [(NOW - timedelta(days=6), "up")],
    }
    catalog = Catalog(ideas=ideas, feedback=feedback)

    def changes(path: str):
        return recorded.get(path, [])

    found = crossings(catalog, tally(catalog, {}, {}), changes, Threshold(1, 0), NOW)
    assert found == {"alpha": [NOW - timedelta(days=9), NOW - timedelta(days=6)]}
    assert found == recounted(catalog, changes, Threshold(1, 0))
