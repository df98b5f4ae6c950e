"""Count votes and rank ideas: pure functions of the loaded catalog, no clock, disk or Git.

Rules (docs/file-format.md, "How votes are counted"):

- A person counts once per idea: there is one file per person per idea.
- The score is employees' up votes minus their down votes. Customers' votes are counted
  apart and do not change the score, so that one salesperson cannot outvote a team.
- The voters of an idea marked `duplicate` count for the original as well, each person
  once; a person who voted on the original keeps that vote, and among duplicates the one
  that comes first by slug wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from .model import Catalog, Idea, Status, Vote

SORTS = ("top", "new")


@dataclass(frozen=True)
class Tally:
    """The counted votes of one idea."""

    idea: Idea
    votes: dict[str, Vote] = field(default_factory=dict)
    """Employees' votes by handle, including those merged from duplicates."""
    customer_votes: dict[str, Vote] = field(default_factory=dict)
    feedback: int = 0
    """How many people (or customers) wrote something, not counting bare votes."""
    merged_from: tuple[str, ...] = ()
    created: date | None = None

    def _voters(self, votes: dict[str, Vote], which: Vote) -> list[str]:
        return sorted(handle for handle, vote in votes.items() if vote is which)

    @property
    def up_voters(self) -> list[str]:
        return self._voters(self.votes, Vote.UP)

    @property
    def down_voters(self) -> list[str]:
        return self._voters(self.votes, Vote.DOWN)

    @property
    def up(self) -> int:
        return len(self.up_voters)

    @property
    def down(self) -> int:
        return len(self.down_voters)

    @property
    def score(self) -> int:
        return self.up - self.down

    @property
    def customers_up(self) -> list[str]:
        return self._voters(self.customer_votes, Vote.UP)

    @property
    def customers_down(self) -> list[str]:
        return self._voters(self.customer_votes, Vote.DOWN)

    def as_dict(self) -> dict[str, object]:
        """The stable JSON shape of `bubbleup tally --format json`."""
        idea = self.idea
        return {
            "slug": idea.slug,
            "title": idea.title,
            "status": idea.status.value,
            "tags": list(idea.tags),
            "authors": list(idea.authors),
            "campaign": idea.campaign,
            "created": self.created.isoformat() if self.created else None,
            "up": self.up,
            "down": self.down,
            "score": self.score,
            "feedback": self.feedback,
            "voters": sorted(self.up_voters + self.down_voters),
            "up_voters": self.up_voters,
            "down_voters": self.down_voters,
            "customers_up": len(self.customers_up),
            "customers_down": len(self.customers_down),
            "duplicate_of": idea.duplicate_of,
            "merged_from": list(self.merged_from),
        }


def tally(catalog: Catalog, created: Mapping[str, date] | None = None) -> dict[str, Tally]:
    """Count every idea's votes.

    Args:
        catalog: the loaded ideas and feedback.
        created: when each idea was proposed, from Git history, for ideas whose front
            matter has no `created:` date.

    Returns:
        A `Tally` per idea slug.
    """
    created = created or {}
    votes: dict[str, dict[str, Vote]] = {slug: {} for slug in catalog.ideas}
    customers: dict[str, dict[str, Vote]] = {slug: {} for slug in catalog.ideas}
    written: dict[str, int] = dict.fromkeys(catalog.ideas, 0)
    for item in catalog.feedback:
        if item.idea not in votes:
            continue
        if item.has_text:
            written[item.idea] += 1
        if item.vote is Vote.NONE:
            continue
        (customers if item.customer else votes)[item.idea][item.voter] = item.vote

    merged: dict[str, list[str]] = {slug: [] for slug in catalog.ideas}
    for slug in sorted(catalog.ideas):
        original = catalog.ideas[slug].duplicate_of
        if original is None or original not in votes or catalog.ideas[original].duplicate_of:
            continue
        merged[original].append(slug)
        for handle, vote in sorted(votes[slug].items()):
            votes[original].setdefault(handle, vote)
        for customer, vote in sorted(customers[slug].items()):
            customers[original].setdefault(customer, vote)

    return {
        slug: Tally(
            idea=idea,
            votes=votes[slug],
            customer_votes=customers[slug],
            feedback=written[slug],
            merged_from=tuple(merged[slug]),
            created=idea.created or created.get(slug),
        )
        for slug, idea in catalog.ideas.items()
    }


def _recency(item: Tally) -> int:
    """Newer first when sorting ascending; ideas with no known date go last."""
    return -item.created.toordinal() if item.created else 1


def rank(
    tallies: Iterable[Tally],
    sort: str = "top",
    statuses: Iterable[Status] = (),
    tags: Iterable[str] = (),
    limit: int | None = None,
) -> list[Tally]:
    """Filter and order tallies.

    Args:
        sort: `top` (net score, ties to the most recent) or `new` (most recent first).
        statuses: keep only these statuses (all if empty).
        tags: keep only ideas with at least one of these tags (all if empty).
        limit: keep at most this many.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
    wanted_status = set(statuses)
    wanted_tags = set(tags)
    chosen = [
        item
        for item in tallies
        if (not wanted_status or item.idea.status in wanted_status)
        and (not wanted_tags or wanted_tags.intersection(item.idea.tags))
    ]
    if sort == "top":
        chosen.sort(key=lambda item: (-item.score, _recency(item), item.idea.slug))
    else:
        chosen.sort(key=lambda item: (_recency(item), -item.score, item.idea.slug))
    return chosen if limit is None else chosen[:limit]
