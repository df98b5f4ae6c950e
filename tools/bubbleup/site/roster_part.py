"""What a page with a digest shows of the roster (site/recipes.py): the people it names,
not the whole of ideas/people.yml.

The whole roster was in the site's part of every digest, so a newcomer in people.yml
(every new employee, and their first vote with them) made all 11,000 idea pages, feeds
and person pages again at 5,000 ideas, though each of them shows a handful of people. A
page's digest now holds what the roster says of each person the page names, and the
site's part only whether there is a roster and anyone in it (a page says a handle as it
is when the roster is empty, and counts no teams):

- an idea's page and its feed name its authors, the one who decided it, its voters (those
  of its duplicates too), its customers (a customer's name that is also a handle shows
  that person's name) and each author of its feedback, who recorded it for a customer
  too. Of each it shows whether they are in the roster (a link to their page), their name,
  and of the up voters their teams (how far the idea is from review: core/thresholds.py);
- a person's page shows their own name and team.

What the roster says of a handle is written once per build (`_said`). No page with a
digest shows an email; the lists of everyone are views, made on every build.
tests/test_roster_pages.py renders every such page with a roster that notes each handle
it is asked about, and checks each asked about is one its digest holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat

from bubbleup.core.model import Person
from bubbleup.site.context import Site

_NOT = repeat("")
"""What `idea_people` says of someone not in the roster: `dict.get`'s default, given by `map`."""


def presence(roster: Mapping[str, Person] | None) -> bool | None:
    """What the site's part holds of the roster: none, empty, or someone in it."""
    return None if roster is None else bool(roster)


def _said(site: Site) -> dict[str, str]:
    """By handle, what the roster says of a person as a page shows it: their name, and
    their team (an idea's page counts its up voters' teams toward review)."""
    return site.once(_each_said)


def _each_said(site: Site) -> dict[str, str]:
    return {handle: repr((person.name, person.team)) for handle, person in (site.catalog.roster or {}).items()}


def idea_people(site: Site, slug: str) -> str:
    """What the roster says of each person an idea's page or feed names ("" for someone
    not in it), in an order the rest of the page's digest fixes, as one text: the handles
    are a hundred thousand at 5,000 ideas, and a list of them took half again as long to
    write out for a digest (0.035 s in all, loaded machine)."""
    if not site.catalog.roster:
        return ""  # nobody is in it: every handle is shown as it is, and `presence` says so
    return "\0".join(map(_said(site).get, named(site, slug), _NOT))


def named(site: Site, slug: str) -> list[str]:
    """Each handle an idea's page or feed may look up in the roster, repeats and all
    (tests/test_roster_pages.py checks that the pages ask about no other)."""
    item = site.tallies[slug]
    idea = item.idea
    found = [*idea.authors, *item.votes, *item.customer_votes]
    if idea.decision is not None:
        found.append(idea.decision.by)
    for feedback in site.feedback.get(slug, ()):
        found += [feedback.handle, feedback.customer] if feedback.customer else [feedback.handle]
    return found


def person_said(site: Site, handle: str) -> str | None:
    """What a person's page shows of their roster entry."""
    return _said(site).get(handle)
