"""Checks that need dates from Git: campaign windows and the vote budget.

They run after loading (which reads no Git) and add problems to the catalog without
leaving anything out: an idea filed late is still an idea, and a vote over the budget
still counts until its voter withdraws one; `bubbleup check` fails so a reviewer acts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bubbleup.core.model import Catalog, Problem, Severity, Status, Vote

CLOSED = (Status.DONE, Status.DECLINED, Status.DUPLICATE)
"""Votes on ideas in these statuses are given back to the voter's budget."""


def campaign_windows(catalog: Catalog, filed: Callable[[str], date]) -> list[Problem]:
    """Ideas filed before their campaign opened or after it closed (warnings)."""
    problems = []
    for item in catalog.ideas.values():
        campaign = (catalog.campaigns or {}).get(item.campaign or "")
        if campaign is None:
            continue
        day = item.created or filed(item.path)
        if not campaign.is_open(day):
            window = f"{campaign.opens or 'the start'} to {campaign.closes or 'no end'}"
            problems.append(
                Problem(
                    item.path,
                    1,
                    Severity.WARNING,
                    f"campaign: filed on {day}, outside the window of {campaign.slug!r} ({window})",
                )
            )
    return problems


def vote_budget(catalog: Catalog, budget: int, cast: Callable[[str], date]) -> list[Problem]:
    """Employees' open votes beyond `budget` each, newest first reported (errors)."""
    if budget <= 0:
        return []
    open_votes: dict[str, list[tuple[date, str, str]]] = {}
    for item in catalog.feedback:
        idea = catalog.ideas.get(item.idea)
        if item.customer or item.vote is Vote.NONE or idea is None or idea.status in CLOSED:
            continue
        open_votes.setdefault(item.handle, []).append((cast(item.path), item.path, item.idea))
    problems = []
    for handle, votes in sorted(open_votes.items()):
        if len(votes) <= budget:
            continue
        votes.sort()
        ideas = ", ".join(slug for _, _, slug in votes)
        for _, path, slug in votes[budget:]:
            problems.append(
                Problem(
                    path,
                    1,
                    Severity.ERROR,
                    f"{handle} has {len(votes)} open votes, over the budget of {budget} (vote_budget): {ideas}; "
                    f"withdraw one, for example: bubbleup vote {slug} --withdraw",
                )
            )
    return problems


def overdue(path: str, since, days: int, response_days: int) -> Problem:
    """An idea ready for review longer than the response time (a warning: check --strict fails)."""
    return Problem(
        path,
        1,
        Severity.WARNING,
        f"overdue: ready for review since {since.date()}, {days} days without a decision; "
        f"the response time is {response_days} days (bubbleup decide SLUG STATUS --reason ...)",
    )
