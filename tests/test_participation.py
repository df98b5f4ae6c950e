"""Who took part, counted once per site for the list of everyone and the insights
(site/people.py `participation`), is what counting each person's feedback gives; and a
feedback has text exactly when its text is more than white space."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bubbleup.core.model import Catalog, Feedback, Idea, Person, Vote
from bubbleup.core.tally import tally
from bubbleup.site.context import Site
from bubbleup.site.insights import figures
from bubbleup.site.lists import group_listings
from bubbleup.site.people import authored, participation, people_lists

HANDLES = ("ann", "bob", "cat", "dan")
SPACE = [" ", "\n", "\t", "\u00a0", "\u2003", "\u3000", "\x1c", "\x85", "\u200b", "x", "é"]


def feedback_items():
    one = st.builds(
        Feedback,
        st.sampled_from(("a", "b")),
        st.sampled_from(HANDLES),
        st.sampled_from(list(Vote)),
        st.text(alphabet=st.sampled_from(SPACE), max_size=4),
        st.text(alphabet="pqr", min_size=1, max_size=3),
        customer=st.one_of(st.none(), st.sampled_from(("acme", "globex"))),
    )
    return st.lists(one, max_size=12)


def site_of(feedback: list[Feedback]) -> Site:
    ideas = {
        slug: Idea(slug=slug, title=slug, path=f"ideas/{slug}.md", authors=("ann",), created=date(2026, 1, 5))
        for slug in ("a", "b")
    }
    roster = {handle: Person(handle, handle.title()) for handle in HANDLES}
    catalog = Catalog(ideas=ideas, feedback=tuple(feedback), roster=roster)
    return Site.of(catalog, tally(catalog), datetime(2026, 5, 1, tzinfo=UTC))


@given(st.text(alphabet=st.sampled_from(SPACE), max_size=6))
def test_has_text_is_more_than_white_space(text: str) -> None:
    assert Feedback("a", "ann", Vote.UP, text, "p").has_text is bool(text.strip())


@pytest.mark.slow
@given(feedback_items())
def test_participation_counts_what_each_persons_feedback_says(feedback: list[Feedback]) -> None:
    site = site_of(feedback)
    found = participation(site)
    employees = [item for item in feedback if not item.customer]
    for handle in HANDLES:
        mine = [item for item in employees if item.handle == handle]
        assert found.votes.get(handle, 0) == sum(1 for item in mine if item.vote is not Vote.NONE)
    assert found.employees == sum(1 for item in employees if item.vote is not Vote.NONE)
    assert found.customers == sum(1 for item in feedback if item.customer and item.vote is not Vote.NONE)
    assert found.writers == {item.handle for item in employees if item.text.strip()}
    assert found.voters == {item.handle for item in employees if item.vote is not Vote.NONE}
    assert participation(site) is found  # once per site
    data = figures(site)
    assert (data.employee_votes, data.customer_votes) == (found.employees, found.customers)
    everyone = people_lists(site)["people/index.md"]
    for handle in HANDLES:
        row = everyone.split(f"{handle.title()}</a>", 1)[1].split("</tr>", 1)[0]
        assert row.endswith(f">{found.votes.get(handle, 0)}</td>\n")


def test_authored_and_the_group_listings_are_worked_out_once_per_site() -> None:
    site = site_of([])
    assert authored(site) is authored(site) and authored(site) == {"ann": ["a", "b"]}
    assert group_listings(site) is group_listings(site)
    assert group_listings(site_of([])) == group_listings(site) and group_listings(site_of([])) is not group_listings(
        site
    )


def test_once_makes_each_answer_once_per_site_and_per_arguments() -> None:
    calls: list[tuple[Site, str]] = []

    def ranked_names(site: Site, sort: str) -> list[str]:
        calls.append((site, sort))
        return [item.idea.slug for item in site.ranking(sort)]

    site, other = site_of([]), site_of([])
    first = site.once(ranked_names, "top")
    assert site.once(ranked_names, "top") is first and site.once(ranked_names, "new") is not first
    assert other.once(ranked_names, "top") == first  # another site asks again
    assert calls == [(site, "top"), (site, "new"), (other, "top")]
    assert site.ranking("top") is site.ranking("top")
