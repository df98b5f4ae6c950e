"""Tally rules: once per person, net score, customers apart, duplicates merged, rankings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core.model import Catalog, Feedback, Idea, Status, Vote
from bubbleup.core.tally import Tally, rank, tally


def make_idea(
    slug: str,
    status: Status = Status.PROPOSED,
    duplicate_of: str | None = None,
    created: date | None = None,
    tags: tuple[str, ...] = (),
) -> Idea:
    return Idea(
        slug=slug,
        title=slug.title(),
        path=f"ideas/{slug}.md",
        authors=("ann",),
        status=status,
        duplicate_of=duplicate_of,
        created=created,
        tags=tags,
    )


def make_vote(idea: str, handle: str, value: str, text: str = "", customer: str | None = None) -> Feedback:
    return Feedback(
        idea=idea, handle=handle, vote=Vote(value), text=text, path=f"ideas/{idea}/{handle}.md", customer=customer
    )


def catalog(ideas: list[Idea], feedback: list[Feedback]) -> Catalog:
    return Catalog(ideas={i.slug: i for i in ideas}, feedback=tuple(feedback))


def test_score_is_up_minus_down_and_feedback_counts_written_text() -> None:
    result = tally(
        catalog(
            [make_idea("a")],
            [
                make_vote("a", "ann", "up", "Yes!"),
                make_vote("a", "bob", "up"),
                make_vote("a", "cat", "down", "No."),
                make_vote("a", "dan", "none", "Hmm."),
                make_vote("a", "eve", "none", "   \n"),
            ],
        )
    )["a"]
    assert (result.up, result.down, result.score, result.feedback) == (2, 1, 1, 3)
    assert result.up_voters == ["ann", "bob"] and result.down_voters == ["cat"]
    assert result.as_dict()["voters"] == ["ann", "bob", "cat"]


def test_customers_are_counted_apart_and_do_not_change_the_score() -> None:
    result = tally(
        catalog(
            [make_idea("a")],
            [
                make_vote("a", "bob", "up", customer="acme"),
                make_vote("a", "bob", "down", customer="globex"),
                make_vote("a", "ann", "up"),
            ],
        )
    )["a"]
    assert result.score == 1
    assert result.customers_up == ["acme"] and result.customers_down == ["globex"]
    assert result.as_dict()["voters"] == ["ann"]


def test_duplicate_voters_count_once_for_the_original() -> None:
    ideas = [
        make_idea("original"),
        make_idea("copy-a", Status.DUPLICATE, "original"),
        make_idea("copy-b", Status.DUPLICATE, "original"),
    ]
    result = tally(
        catalog(
            ideas,
            [
                make_vote("original", "ann", "up"),
                make_vote("copy-a", "ann", "down"),  # ann voted on the original: that vote stands
                make_vote("copy-a", "bob", "up"),
                make_vote("copy-b", "bob", "down"),  # bob counted once, from copy-a (first by slug)
                make_vote("copy-b", "cat", "up"),
                make_vote("copy-b", "acme", "up", customer="acme"),
            ],
        )
    )
    original = result["original"]
    assert original.up_voters == ["ann", "bob", "cat"] and original.down_voters == []
    assert original.customers_up == ["acme"]
    assert original.merged_from == ("copy-a", "copy-b")
    assert (result["copy-a"].up, result["copy-a"].down) == (1, 1)  # a duplicate keeps its own count


def test_top_breaks_ties_by_recency_and_new_sorts_by_date() -> None:
    ideas = [
        make_idea("old", created=date(2026, 1, 1)),
        make_idea("recent", created=date(2026, 6, 1)),
        make_idea("undated"),
        make_idea("best", created=date(2025, 1, 1)),
    ]
    result = tally(catalog(ideas, [make_vote("best", "ann", "up")]))
    assert [t.idea.slug for t in rank(result.values(), "top")] == ["best", "recent", "old", "undated"]
    assert [t.idea.slug for t in rank(result.values(), "new")] == ["recent", "old", "best", "undated"]


def test_history_dates_stand_in_for_missing_created() -> None:
    ideas = [make_idea("a", created=date(2026, 1, 1)), make_idea("b")]
    result = tally(catalog(ideas, []), created={"a": date(2020, 1, 1), "b": date(2026, 2, 1)})
    assert result["a"].created == date(2026, 1, 1)  # front matter wins
    assert [t.idea.slug for t in rank(result.values(), "new")] == ["b", "a"]


def test_filters_and_limit() -> None:
    ideas = [
        make_idea("a", tags=("x",)),
        make_idea("b", Status.PLANNED, tags=("y",)),
        make_idea("c", Status.PLANNED, tags=("x", "y")),
    ]
    result = tally(catalog(ideas, [make_vote("c", "ann", "up")])).values()
    assert [t.idea.slug for t in rank(result, statuses=[Status.PLANNED])] == ["c", "b"]
    assert [t.idea.slug for t in rank(result, tags=["x"])] == ["c", "a"]
    assert [t.idea.slug for t in rank(result, limit=1)] == ["c"]
    with pytest.raises(ValueError, match="unknown sort"):
        rank(result, "best")


MOMENTS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["ann", "bob", "cat", "dan"]), st.sampled_from(list(Vote))),
    st.dictionaries(st.sampled_from(["ann", "bob", "cat", "eve"]), MOMENTS),
    MOMENTS,
    st.sampled_from([14.0, 0.5, 365.0]),
)
@pytest.mark.slow
def test_trending_is_the_decayed_sum_written_plainly(votes: dict, cast: dict, now: datetime, half_life: float) -> None:
    """`Tally._decayed` reads its names once per tally: the same number, to the last bit,
    as the sum written plainly (votes cast after now, or with no date, count fully)."""
    item = Tally(Idea("a", "A", "ideas/a.md"), votes=votes, cast=cast)
    total = 0.0
    for handle, value in votes.items():
        if value is not Vote.NONE:
            age = max((now - cast.get(handle, now)).total_seconds() / 86_400, 0.0)
            total += (1 if value is Vote.UP else -1) * 0.5 ** (age / half_life)
    assert repr(item.trending(now, half_life)) == repr(total)
