"""Checks that need dates from Git or the day of the build: campaign windows, the vote
budget, and ideas dated in the future.

They run after loading (which reads no Git) and add problems to the catalog without
leaving anything out: an idea filed late is still an idea, and a vote over the budget
still counts until its voter withdraws one; `bubbleup check` fails so a reviewer acts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

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


def future_created(catalog: Catalog, today: date) -> list[Problem]:
    """Ideas whose `created:` is after tomorrow (errors). Ties in the ranking go to the
    newest idea, so a date years ahead would put an idea first among its equals for
    years; tomorrow is allowed for an author whose day starts before the build's."""
    latest = today + timedelta(days=1)
    return [
        Problem(
            item.path,
            1,
            Severity.ERROR,
            f"created: {item.created} is in the future (today is {today}); "
            "give the day the idea was written, or leave created out to use its first commit",
        )
        for item in catalog.ideas.values()
        if item.created is not None and item.created > latest
    ]


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
