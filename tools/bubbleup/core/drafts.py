"""The text of a new idea or feedback file.

The CLI writes these files and the site's prefilled links carry the same text, so a link
and the CLI produce the same file; both ask this module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from bubbleup.core.frontmatter import render_value
from bubbleup.core.model import RESERVED_SLUGS, SLUG_MAX, Problem, Severity, Vote

SECTIONS = (
    ("Problem", "What is wrong today, and who feels it?"),
    ("Proposal", "What should change? Be concrete: a first step is enough."),
    ("Expected impact", "What gets better, and how would we know?"),
    ("Who benefits", "Which teams, customers or people?"),
)


def unfilled(path: str, body: str, body_line: int) -> list[Problem]:
    """A warning when sections of an idea still hold the template's prompts: `new` and
    the site's Propose link write them, and an idea sent as it was proposes nothing yet.

    Args:
        body_line: the line of the file on which `body` starts.
    """
    lines = [line.strip() for line in body.split("\n")]
    left = [(lines.index(prompt), heading) for heading, prompt in SECTIONS if prompt in lines]
    if not left:
        return []
    headings = ", ".join(heading for _, heading in left)
    return [
        Problem(
            path,
            body_line + min(left)[0],
            Severity.WARNING,
            f"the template's prompts are still in {headings}: replace each prompt with your own words",
        )
    ]


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


def idea_text(
    title: str, authors: list[str], today: date | None, tags: Iterable[str] = (), campaign: str | None = None
) -> str:
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
