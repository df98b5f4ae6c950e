"""Taking part: a changed vote, a decision, who is voting. Pure functions over file text.

The CLI decides where to write and whether to commit; these functions only say what
the file should contain, so they are easy to test. New files come from `core.drafts`.
"""

from __future__ import annotations

import re
from datetime import date

from bubbleup.core import file_check
from bubbleup.core.drafts import feedback_text
from bubbleup.core.frontmatter import split
from bubbleup.core.model import BubbleupError, Person, Severity, Status, Vote
from bubbleup.core.workflow import check_transition
from bubbleup.write.edit import REMOVE, edit_front_matter


def revote(existing: str, vote: Vote, text: str | None = None) -> str:
    """An existing feedback file with a new vote; the body is replaced only if `text` is given.

    Everything else (other keys, comments, spacing, line endings, the body) stays byte for
    byte; new text takes the file's line endings, so a CRLF file stays CRLF.
    """
    source, body, _ = split(existing)
    newline = "\r\n" if existing.split("\n", 1)[0].endswith("\r") else "\n"
    if text is not None:
        text = newline.join(text.replace("\r\n", "\n").strip("\n").split("\n"))
    if source is None:  # feedback without front matter: give it one, keep the text
        front = feedback_text(vote).replace("\n", newline)
        return front + (body if text is None else text + newline if text else "")
    updated = edit_front_matter(existing, {"vote": vote.value})
    if text is None:
        return updated
    head = updated[: len(updated) - len(body)] if body else updated
    return head + (text + newline if text else "")


def decide(
    existing: str, current: Status, wanted: Status, by: str, when: date, reason: str, duplicate_of: str | None = None
) -> str:
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


def verify(
    path: str,
    kind: str,
    slug: str,
    content: str,
    roster: dict[str, Person] | None,
    criteria: tuple[str, ...],
    scale: int,
) -> None:
    """Check a file about to be written with the rules `check` applies to it, so that no
    command writes what `check` then rejects (the idea or vote would vanish from the site).

    Args:
        path: the file's path in the repository (`ideas/<slug>.md`, ...), for the messages.
        kind: idea, feedback or customer.

    Raises:
        BubbleupError: every error, one `path:line: error: message` a line.
    """
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    _, problems, _ = file_check.examine(file_check.Source(path, kind, slug, stem, content), roster, criteria, scale)
    errors = [str(problem) for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        raise BubbleupError(f"nothing written: {path} would not pass bubbleup check:\n  " + "\n  ".join(errors))


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
