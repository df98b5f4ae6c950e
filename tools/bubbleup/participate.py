"""Taking part: the text of a new idea, a vote, a decision. Pure functions over file text.

The CLI decides where to write and whether to commit; these functions only say what
the file should contain, so they are easy to test and the site's prefilled links can
reuse them (a link and the CLI produce the same file).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from .edit import REMOVE, edit_front_matter, render_value
from .frontmatter import split
from .model import RESERVED_SLUGS, SLUG_MAX, BubbleupError, Person, Status, Vote

TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.PROPOSED: (Status.UNDER_REVIEW, Status.PLANNED, Status.DECLINED, Status.DUPLICATE),
    Status.UNDER_REVIEW: (Status.PROPOSED, Status.PLANNED, Status.DECLINED, Status.DUPLICATE),
    Status.PLANNED: (Status.UNDER_REVIEW, Status.IN_PROGRESS, Status.DONE, Status.DECLINED),
    Status.IN_PROGRESS: (Status.PLANNED, Status.DONE, Status.DECLINED),
    Status.DONE: (Status.IN_PROGRESS,),
    Status.DECLINED: (Status.PROPOSED, Status.UNDER_REVIEW),
    Status.DUPLICATE: (Status.PROPOSED, Status.UNDER_REVIEW),
}
"""The workflow: from each status, where an idea may go next (docs/how-to-review.md)."""

SECTIONS = (
    ("Problem", "What is wrong today, and who feels it?"),
    ("Proposal", "What should change? Be concrete: a first step is enough."),
    ("Expected impact", "What gets better, and how would we know?"),
    ("Who benefits", "Which teams, customers or people?"),
)


def slugify(title: str) -> str:
    """A stable slug from a title: the same title always gives the same slug."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > SLUG_MAX - 4:  # leave room for a -NN suffix
            break
        slug = candidate
    return slug or "idea"


def unique_slug(title: str, taken: Iterable[str]) -> str:
    """The title's slug, with -2, -3... if an idea (or its folder) already has it."""
    base = slugify(title)
    used = set(taken) | RESERVED_SLUGS
    if base not in used:
        return base
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def idea_text(title: str, authors: list[str], today: date | None, tags: Iterable[str] = (),
              campaign: str | None = None) -> str:
    """A new idea file: front matter, then the template's sections to fill in.

    Without `today`, there is no `created:` and the first commit's date is used.
    """
    front = render_value("title", title) + render_value("authors", list(authors)) + "status: proposed\n"
    tags = list(tags)
    if tags:
        front += render_value("tags", tags)
    if campaign:
        front += render_value("campaign", campaign)
    if today is not None:
        front += render_value("created", today)
    body = "".join(f"## {heading}\n\n{prompt}\n\n" for heading, prompt in SECTIONS)
    return f"---\n{front}---\n{body}".rstrip("\n") + "\n"


def feedback_text(vote: Vote, text: str = "", recorded_by: str | None = None) -> str:
    """A new feedback file (or a customer's, with `recorded_by`)."""
    front = render_value("vote", vote.value)
    if recorded_by:
        front += render_value("recorded-by", recorded_by)
    body = text.strip("\n")
    return f"---\n{front}---\n" + (body + "\n" if body else "")


def revote(existing: str, vote: Vote, text: str | None = None) -> str:
    """An existing feedback file with a new vote; the body is replaced only if `text` is given.

    Everything else (other keys, comments, spacing, the body) stays byte for byte.
    """
    source, body, _ = split(existing)
    if source is None:  # feedback without front matter: give it one, keep the text
        return feedback_text(vote) + (body if text is None else text.strip("\n") + "\n")
    updated = edit_front_matter(existing, {"vote": vote.value})
    if text is None:
        return updated
    head = updated[: len(updated) - len(body)] if body else updated
    stripped = text.strip("\n")
    return head + (stripped + "\n" if stripped else "")


def check_transition(current: Status, wanted: Status) -> None:
    """Refuse a move the workflow does not allow, listing the ones it does."""
    allowed = TRANSITIONS[current]
    if wanted not in allowed:
        names = ", ".join(status.value for status in allowed)
        raise BubbleupError(f"an idea cannot go from {current.value} to {wanted.value}; from {current.value} it can go to: {names}")


def decide(existing: str, current: Status, wanted: Status, by: str, when: date, reason: str,
           duplicate_of: str | None = None) -> str:
    """The idea file moved to `wanted`, with its decision block (or without one, back to proposed).

    Raises:
        BubbleupError: the transition is not allowed, or a duplicate names no original.
    """
    check_transition(current, wanted)
    if wanted is Status.DUPLICATE and not duplicate_of:
        raise BubbleupError("a duplicate needs --duplicate-of naming the original idea")
    if wanted is not Status.DUPLICATE and duplicate_of:
        raise BubbleupError("--duplicate-of only goes with the status duplicate")
    if not reason.strip():
        raise BubbleupError("a decision needs a reason: say why, in a sentence or two (--reason)")
    changes: dict[str, object] = {"status": wanted.value}
    if wanted is Status.PROPOSED:
        changes["decision"] = REMOVE
    else:
        changes["decision"] = {"by": by, "date": when, "reason": " ".join(reason.split())}
    changes["duplicate-of"] = duplicate_of if duplicate_of else REMOVE
    after = {"status": "title", "decision": "status", "duplicate-of": "status"}
    return edit_front_matter(existing, changes, after=after)


def whoami(roster: dict[str, Person] | None, email: str | None) -> str | None:
    """The handle of the person whose Git email this is: from the roster, or the email's local part."""
    if not email:
        return None
    email = email.strip().lower()
    if roster:
        for person in roster.values():
            if email in person.emails:
                return person.handle
        return None
    local = re.sub(r"[^a-z0-9]+", "-", email.split("@")[0]).strip("-")
    return local or None
