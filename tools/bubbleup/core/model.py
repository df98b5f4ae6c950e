"""The domain model: ideas, feedback, people and the problems found in their files.

Every object is frozen and keeps the path (relative to the repository, with forward
slashes) and line it came from, so that anything reported about it can point a person
to the exact place to fix.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""Slugs, campaigns and tags: lower-case letters and digits, words joined by single hyphens.
`\\Z`, not `$`: a `$` would also accept a name that ends in a newline."""
SLUG_MAX = 80
HANDLE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""Handles follow GitHub's rule (letters, digits, single hyphens), in lower case."""
HANDLE_MAX = 39
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\Z")
"""A login on the Git host: GitHub's rule (letters, digits, single inner hyphens, at most 39)."""
RESERVED_SLUGS = frozenset(
    {
        "index",
        "campaigns",
        "trending",
        "new",
        "discussed",
        "roadmap",
        "insights",
        "status",
        "tags",
        "teams",
        "people",
        "recognition",
        "feed",
        "ideas",
        "queue",
    }
)
"""Names the generated site uses for its own pages."""


class BubbleupError(Exception):
    """A problem that stops a command, with the place it comes from when there is one."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        return f"{self.path}:{self.line or 1}: {self.message}"


def _remembered_repr(member: Enum) -> str:
    """Enum's own repr of a member, made once: the digests of the pages (site/recipes.py)
    write the whole votes and feedback, a repr per vote (150,000 at 5,000 ideas), and
    Enum formats each one anew in Python."""
    found = member.__dict__.get("_repr_text")
    if found is None:
        found = member.__dict__["_repr_text"] = Enum.__repr__(member)
    return found


class Status(str, Enum):
    """Where an idea stands in the workflow (Fider's proven set)."""

    PROPOSED = "proposed"
    UNDER_REVIEW = "under-review"
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DECLINED = "declined"
    DUPLICATE = "duplicate"

    __repr__ = _remembered_repr

    @property
    def needs_decision(self) -> bool:
        """Every status but `proposed` was set by someone, who must say why."""
        return self is not Status.PROPOSED


class Vote(str, Enum):
    """What one person (or one customer) thinks of one idea."""

    UP = "up"
    DOWN = "down"
    NONE = "none"
    """Written feedback without a vote."""

    __repr__ = _remembered_repr


class Visibility(str, Enum):
    """Who may read an idea: everyone inside the company, or the public site too."""

    INTERNAL = "internal"
    PUBLIC = "public"

    __repr__ = _remembered_repr


class Severity(str, Enum):
    """Errors leave the file out of the site; warnings are only reported."""

    ERROR = "error"
    WARNING = "warning"

    __repr__ = _remembered_repr


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one line."""

    path: str
    line: int
    severity: Severity = field(compare=False)
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class Person:
    """An entry of the roster (ideas/people.yml)."""

    handle: str
    name: str
    emails: tuple[str, ...] = ()
    team: str | None = None
    github: str | None = None
    """The person's login on the Git host, stored in lower case: the host vouches for it."""


@dataclass(frozen=True)
class Campaign:
    """A question management asks (ideas/campaigns.yml), open for ideas between two dates."""

    slug: str
    title: str
    description: str = ""
    opens: date | None = None
    closes: date | None = None

    def is_open(self, day: date) -> bool:
        return (self.opens is None or self.opens <= day) and (self.closes is None or day <= self.closes)


@dataclass(frozen=True)
class Decision:
    """Who moved an idea to its status, when, and why; and how reviewers scored it."""

    by: str
    date: date
    reason: str
    scores: dict[str, dict[str, int]] = field(default_factory=dict, hash=False, compare=False)
    """Reviewer handle to {criterion: score}, such as {"asha-r": {"impact": 4, "effort": 2}}."""

    def averages(self, criteria: tuple[str, ...]) -> dict[str, float]:
        """The mean score per criterion over the reviewers who gave one."""
        found = {}
        for criterion in criteria:
            given = [marks[criterion] for marks in self.scores.values() if criterion in marks]
            if given:
                found[criterion] = sum(given) / len(given)
        return found


@dataclass(frozen=True)
class Feedback:
    """One person's vote and written feedback on one idea, or one customer's.

    For an employee, `handle` is the file name's stem; for a customer, `customer`
    is, and `handle` is the employee who recorded it (`recorded-by`).
    """

    idea: str
    handle: str
    vote: Vote
    text: str
    path: str
    text_line: int = 1
    customer: str | None = None

    @property
    def voter(self) -> str:
        """The one who counts once per idea: the customer, or else the person."""
        return self.customer or self.handle

    @property
    def has_text(self) -> bool:
        # What `bool(text.strip())` says (the same characters are space to both), without
        # copying the text: asked of 50,000 feedback by more than one page of a build.
        text = self.text
        return bool(text) and not text.isspace()


@dataclass(frozen=True)
class Idea:
    """A proposal: the front matter of ideas/<slug>.md and its Markdown text."""

    slug: str
    title: str
    path: str
    authors: tuple[str, ...] = ()
    status: Status = Status.PROPOSED
    tags: tuple[str, ...] = ()
    campaign: str | None = None
    visibility: Visibility = Visibility.INTERNAL
    created: date | None = None
    decision: Decision | None = None
    duplicate_of: str | None = None
    text: str = ""
    text_line: int = 1
    author_names: tuple[str, ...] = ()
    """Authors written as free text in an adopted folder, shown as written (no email)."""
    metadata: tuple[tuple[str, str], ...] = ()
    """Values of the keys declared in extra_keys, shown on the idea's page."""


@dataclass(frozen=True)
class Catalog:
    """Everything loaded from a repository: the valid parts, and what was wrong with the rest.

    `ideas` and `feedback` hold only what passed validation; an idea with an error is
    left out, and so is the feedback on it.
    """

    ideas: dict[str, Idea]
    feedback: tuple[Feedback, ...] = ()
    roster: dict[str, Person] | None = None
    campaigns: dict[str, Campaign] | None = None
    """None when there is no ideas/campaigns.yml."""
    problems: tuple[Problem, ...] = ()
    left_out: tuple[str, ...] = ()
    """Paths of idea files left out because of errors."""
    attachments: tuple[str, ...] = ()
    """Images beside valid ideas that may be published, relative to the ideas folder (slug/name.png)."""

    @property
    def errors(self) -> list[Problem]:
        """The problems that leave a file out (a test of attachments counts them)."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @functools.cached_property
    def feedback_by_idea(self) -> dict[str, list[Feedback]]:
        """Feedback grouped by idea once, so that no output searches all of it per idea."""
        grouped: dict[str, list[Feedback]] = {}
        for item in self.feedback:
            grouped.setdefault(item.idea, []).append(item)
        return grouped

    @functools.cached_property
    def _people_by_email(self) -> dict[str, Person]:
        return {email: person for person in (self.roster or {}).values() for email in person.emails}

    def person_with_email(self, email: str) -> Person | None:
        """The roster entry a commit author's email belongs to (emails are stored lower-case)."""
        return self._people_by_email.get(email.strip().lower())

    @functools.cached_property
    def _people_by_login(self) -> dict[str, Person]:
        return {person.github: person for person in (self.roster or {}).values() if person.github}

    def person_with_login(self, login: str) -> Person | None:
        """The roster entry of a host login (logins are compared without regard to case)."""
        return self._people_by_login.get(login.strip().lower())

    def display_name(self, handle: str) -> str:
        """The roster name of a handle, or the handle itself."""
        if self.roster and handle in self.roster:
            return self.roster[handle].name
        return handle
