"""The schema of each kind of file, checked field by field into the model.

Every check adds a `Problem` and goes on, so that one run reports everything; a file
with an error yields no model object. Messages say what was expected, what was found,
and what to do, at the line of the key concerned.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from enum import Enum

from bubbleup.core import markup
from bubbleup.core.config import DEFAULTS
from bubbleup.core.frontmatter import Document, Node
from bubbleup.core.model import (
    HANDLE_MAX,
    HANDLE_PATTERN,
    RESERVED_SLUGS,
    SLUG_MAX,
    SLUG_PATTERN,
    Campaign,
    Decision,
    Feedback,
    Idea,
    Person,
    Problem,
    Severity,
    Status,
    Visibility,
    Vote,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
IDEA_KEYS = ("title", "authors", "status", "tags", "campaign", "visibility", "created", "decision", "duplicate-of")
DECISION_KEYS = ("by", "date", "reason")
OPTIONAL_DECISION_KEYS = ("scores",)
FEEDBACK_KEYS = ("vote",)
CUSTOMER_KEYS = ("vote", "recorded-by")


def describe(node: Node) -> str:
    """How YAML read a value, in words, so that surprises explain themselves."""
    if node.kind == "bool" and not node.quoted:
        return f"{node.text}, which YAML reads as {str(node.value).lower()}"
    if node.kind == "timestamp":
        return f"{node.text}, which YAML reads as a date"
    if node.kind == "null":
        return "nothing"
    if node.kind in ("int", "float"):
        return f"the number {node.text}"
    if node.kind == "map":
        return "a set of keys"
    if node.kind == "seq":
        return "a list"
    return repr(node.value)


class FileChecker:
    """Collects the problems of one file and turns its nodes into typed values."""

    def __init__(self, path: str, roster: dict[str, Person] | None = None):
        self.path = path
        self.roster = roster
        self.problems: list[Problem] = []

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, Severity.ERROR, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, Severity.WARNING, message))

    def unknown_keys(self, fields: dict[str, Node], known: tuple[str, ...], prefix: str = "") -> None:
        for key, node in fields.items():
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean '{prefix}{close[0]}'?" if close else f"expected one of {', '.join(known)}"
            self.warn(node.line, f"unknown key '{prefix}{key}' is ignored; {hint}")

    def text(self, key: str, node: Node, *, allow_html: bool = False, one_line: bool = True) -> str | None:
        """A string value; YAML's booleans, dates and numbers are refused with a hint to quote them."""
        if node.kind != "str":
            hint = "; put it in quotes" if node.kind in ("bool", "timestamp", "int", "float") else ""
            self.error(node.line, f"{key}: expected text, got {describe(node)}{hint}")
            return None
        value = str(node.value)
        control = _CONTROL.search(value)
        if control:
            self.error(node.line, f"{key}: control characters are not allowed; found {control.group()!r}")
            return None
        if one_line and "\n" in value.strip():
            self.error(node.line, f"{key}: expected one line of text; got {value.strip().count(chr(10)) + 1} lines")
            return None
        if not allow_html and markup.has_html(value):
            self.error(node.line, f"{key}: HTML is not allowed in front matter values; found {value!r}")
            return None
        return value

    def name(
        self, key: str, node: Node, *, pattern=SLUG_PATTERN, limit: int = SLUG_MAX, what: str = "slug"
    ) -> str | None:
        """A slug or a handle: text in the allowed pattern."""
        value = self.text(key, node)
        if value is None:
            return None
        if not pattern.match(value) or len(value) > limit:
            self.error(
                node.line,
                f"{key}: expected a {what} (lower-case letters and digits joined by single hyphens, "
                f"at most {limit} characters); got {value!r}",
            )
            return None
        return value

    def handle(self, key: str, node: Node) -> str | None:
        """A person's handle, which must be in the roster when there is one."""
        value = self.name(key, node, pattern=HANDLE_PATTERN, limit=HANDLE_MAX, what="handle")
        if value is not None and self.roster is not None and value not in self.roster:
            self.error(node.line, f"{key}: {value!r} is not in the roster; add them to people.yml or fix the spelling")
            return None
        return value

    def items(self, key: str, node: Node) -> list[Node]:
        """A list; a single value stands for a list of one."""
        if node.kind == "seq":
            return node.value
        if node.kind == "null":
            return []
        return [node]

    def date(self, key: str, node: Node) -> date | None:
        if node.kind == "timestamp":
            value = node.value
            return value.date() if isinstance(value, datetime) else value
        if node.kind == "str":
            try:
                return date.fromisoformat(str(node.value).strip())
            except ValueError:
                pass
        self.error(node.line, f"{key}: expected a date like 2026-11-02, got {describe(node)}")
        return None

    def choice(self, key: str, node: Node, allowed: type[Enum], default=None):
        """One of an Enum's values; the message lists them all."""
        names = ", ".join(member.value for member in allowed)
        if node.kind == "null" and default is not None:
            return default
        if node.kind != "str":
            self.error(node.line, f"{key}: expected one of {names}; got {describe(node)}")
            return None
        try:
            return allowed(str(node.value).strip())
        except ValueError:
            self.error(node.line, f"{key}: expected one of {names}; got {node.value!r}")
            return None

    def body(self, text: str, first_line: int) -> None:
        for line, message in markup.scan(text, first_line):
            self.error(line, message)


def heading_title(text: str) -> str | None:
    """The text of the first Markdown heading (# Title, or a line underlined with ===)."""
    previous = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("#"):
            title = stripped.lstrip("#").strip().rstrip("#").strip()
            if title:
                return title
        if previous and set(stripped) == {"="}:
            return previous
        previous = stripped
    return None


def check_file_name(checker: FileChecker, stem: str, *, what: str, pattern=SLUG_PATTERN, limit=SLUG_MAX) -> bool:
    if pattern.match(stem) and len(stem) <= limit:
        return True
    checker.error(
        1,
        f"file name: expected a {what} (lower-case letters and digits joined by single hyphens, "
        f"at most {limit} characters) followed by .md; got {stem!r}",
    )
    return False


def idea(
    path: str,
    slug: str,
    document: Document,
    roster: dict[str, Person] | None,
    criteria: tuple[str, ...] = DEFAULTS.criteria,
    scale: int = DEFAULTS.score_scale,
) -> tuple[Idea | None, list[Problem]]:
    """Validate an idea file into an `Idea` (None if it has any error)."""
    checker = FileChecker(path, roster)
    if check_file_name(checker, slug, what="slug") and slug in RESERVED_SLUGS:
        checker.error(1, f"file name: {slug!r} is reserved for the site's own pages; choose another slug")
    for line, message in document.problems:
        checker.error(line, message)
    fields = document.fields
    title = None
    if not document.has_front_matter:
        # A folder of existing proposals (RFC-style documents) still works: the title
        # comes from the first heading, the dates and authors from Git.
        title = heading_title(document.body) or slug.replace("-", " ").capitalize()
        checker.warn(
            1,
            f"missing front matter: the title {title!r} is taken from the text; start the file with "
            "'---', 'title: ...', 'authors: [...]', '---' to say more",
        )
    checker.unknown_keys(fields, IDEA_KEYS)

    if "title" not in fields:
        if document.has_front_matter:
            checker.error(1, "title: missing; every idea needs a title")
    else:
        title = checker.text("title", fields["title"])
        if title is not None and not title.strip():
            checker.error(fields["title"].line, "title: expected a short sentence; got an empty value")

    authors: list[str] = []
    if "authors" not in fields or not checker.items("authors", fields["authors"]):
        if document.has_front_matter:
            line = fields["authors"].line if "authors" in fields else 1
            checker.error(line, "authors: expected one or more handles, such as [mkim]; got none")
    else:
        for node in checker.items("authors", fields["authors"]):
            handle = checker.handle("authors", node)
            if handle is not None and handle not in authors:
                authors.append(handle)

    status = Status.PROPOSED
    if "status" in fields:
        status = checker.choice("status", fields["status"], Status, default=Status.PROPOSED) or status

    tags: list[str] = []
    for node in checker.items("tags", fields["tags"]) if "tags" in fields else []:
        tag = checker.text("tags", node)
        if tag is None:
            continue
        if not SLUG_PATTERN.match(tag):
            checker.warn(
                node.line, f"tags: expected lower-case words joined by hyphens, such as 'customer-service'; got {tag!r}"
            )
        if tag not in tags:
            tags.append(tag)

    campaign = checker.name("campaign", fields["campaign"]) if "campaign" in fields else None
    visibility = Visibility.INTERNAL
    if "visibility" in fields:
        visibility = checker.choice("visibility", fields["visibility"], Visibility, Visibility.INTERNAL) or visibility
    created = checker.date("created", fields["created"]) if "created" in fields else None

    decision = _decision(checker, fields, status, criteria, scale)

    duplicate_of = None
    if "duplicate-of" in fields:
        duplicate_of = checker.name("duplicate-of", fields["duplicate-of"])
        if status is not Status.DUPLICATE:
            checker.warn(
                fields["duplicate-of"].line,
                f"duplicate-of is ignored because the status is {status.value}, not duplicate",
            )
            duplicate_of = None
        elif duplicate_of == slug:
            checker.error(fields["duplicate-of"].line, "duplicate-of: an idea cannot be a duplicate of itself")
    elif status is Status.DUPLICATE:
        checker.error(fields["status"].line, "status: duplicate needs 'duplicate-of: <slug>' naming the original idea")

    checker.body(document.body, document.body_line)
    if checker.failed or title is None:
        return None, checker.problems
    return (
        Idea(
            slug=slug,
            title=title.strip(),
            path=path,
            authors=tuple(authors),
            status=status,
            tags=tuple(tags),
            campaign=campaign,
            visibility=visibility,
            created=created,
            decision=decision,
            duplicate_of=duplicate_of,
            text=document.body,
            text_line=document.body_line,
        ),
        checker.problems,
    )


def _decision(
    checker: FileChecker,
    fields: dict[str, Node],
    status: Status,
    criteria: tuple[str, ...] = DEFAULTS.criteria,
    scale: int = DEFAULTS.score_scale,
) -> Decision | None:
    node = fields.get("decision")
    if node is None:
        if status.needs_decision:
            checker.error(
                fields["status"].line,
                f"status: {status.value} needs a decision block (decision: with by, date and reason) "
                "saying who decided, when and why",
            )
        return None
    if not status.needs_decision:
        checker.warn(node.line, "decision is ignored while the status is proposed")
        return None
    if node.kind != "map":
        checker.error(node.line, f"decision: expected the keys by, date and reason; got {describe(node)}")
        return None
    parts = node.value
    checker.unknown_keys(parts, DECISION_KEYS + OPTIONAL_DECISION_KEYS, prefix="decision.")
    for key in DECISION_KEYS:
        if key not in parts:
            checker.error(node.line, f"decision.{key}: missing; a decision says by whom, on what date and why")
    by = checker.handle("decision.by", parts["by"]) if "by" in parts else None
    when = checker.date("decision.date", parts["date"]) if "date" in parts else None
    reason = checker.text("decision.reason", parts["reason"], one_line=False) if "reason" in parts else None
    if reason is not None and not reason.strip():
        checker.error(parts["reason"].line, "decision.reason: expected a sentence or a paragraph; got an empty value")
        reason = None
    if reason is not None:
        for _, message in markup.scan(reason):
            checker.error(parts["reason"].line, f"decision.reason: {message}")
    scores = _scores(checker, parts["scores"], criteria, scale) if "scores" in parts else {}
    if by is None or when is None or reason is None or scores is None:
        return None
    return Decision(by=by, date=when, reason=reason.strip(), scores=scores)


def _scores(
    checker: FileChecker, node: Node, criteria: tuple[str, ...], scale: int
) -> dict[str, dict[str, int]] | None:
    """decision.scores: reviewer handle -> {criterion: 1..scale}."""
    shape = f"reviewer: {{{', '.join(f'{c}: 1-{scale}' for c in criteria)}}}"
    if node.kind != "map":
        checker.error(node.line, f"decision.scores: expected one line per reviewer, '{shape}'; got {describe(node)}")
        return None
    found: dict[str, dict[str, int]] = {}
    failed = False
    for reviewer, marks in node.value.items():
        handle = checker.handle("decision.scores", Node(reviewer, marks.line, "str", reviewer))
        if handle is None or marks.kind != "map":
            if marks.kind != "map":
                checker.error(
                    marks.line,
                    f"decision.scores.{reviewer}: expected {{{', '.join(f'{c}: 1-{scale}' for c in criteria)}}}; got {describe(marks)}",
                )
            failed = True
            continue
        given = {}
        for criterion, value in marks.value.items():
            if criterion not in criteria:
                checker.error(
                    value.line,
                    f"decision.scores.{reviewer}: unknown criterion {criterion!r}; expected {', '.join(criteria)}",
                )
                failed = True
            elif value.kind != "int" or not 1 <= value.value <= scale:
                checker.error(
                    value.line,
                    f"decision.scores.{reviewer}.{criterion}: expected a whole number from 1 to {scale}; got {describe(value)}",
                )
                failed = True
            else:
                given[criterion] = value.value
        found[handle] = given
    return None if failed else found


def feedback(
    path: str, slug: str, stem: str, document: Document, roster: dict[str, Person] | None, *, customer: bool
) -> tuple[Feedback | None, list[Problem]]:
    """Validate a feedback file (ideas/<slug>/<handle>.md) or a customer's (…/customers/<customer>.md)."""
    checker = FileChecker(path, roster)
    for line, message in document.problems:
        checker.error(line, message)
    fields = document.fields
    checker.unknown_keys(fields, CUSTOMER_KEYS if customer else FEEDBACK_KEYS)
    vote = Vote.NONE
    if "vote" in fields:
        vote = checker.choice("vote", fields["vote"], Vote, default=Vote.NONE) or vote
    handle: str | None
    if customer:
        check_file_name(checker, stem, what="customer name")
        handle = None
        if "recorded-by" in fields:
            handle = checker.handle("recorded-by", fields["recorded-by"])
        else:
            checker.error(1, "recorded-by: missing; say which employee (a handle) recorded this customer's voice")
    else:
        handle = stem
        valid = check_file_name(checker, stem, what="handle", pattern=HANDLE_PATTERN, limit=HANDLE_MAX)
        if valid and roster is not None and stem not in roster:
            checker.error(
                1, f"file name: {stem!r} is not in the roster; a feedback file is named after its author's handle"
            )
    checker.body(document.body, document.body_line)
    if checker.failed or handle is None:
        return None, checker.problems
    return (
        Feedback(
            idea=slug,
            handle=handle,
            vote=vote,
            text=document.body,
            path=path,
            text_line=document.body_line,
            customer=stem if customer else None,
        ),
        checker.problems,
    )


def cross_check(ideas: dict[str, Idea], broken: set[str], idea_line: dict[str, int]) -> list[Problem]:
    """What no single file shows: duplicates of missing ideas and chains of duplicates."""
    problems: list[Problem] = []
    for slug, item in ideas.items():
        target = item.duplicate_of
        if target is None:
            continue
        line = idea_line.get(slug, 1)
        if target in broken:
            continue
        if target not in ideas:
            problems.append(
                Problem(
                    item.path,
                    line,
                    Severity.ERROR,
                    f"duplicate-of: there is no idea {target!r} (no file ideas/{target}.md)",
                )
            )
        elif ideas[target].status is Status.DUPLICATE:
            final = ideas[target].duplicate_of
            problems.append(
                Problem(
                    item.path,
                    line,
                    Severity.ERROR,
                    f"duplicate-of: {target!r} is itself a duplicate of {final!r}; point to {final!r} instead",
                )
            )
    return problems


def unknown_campaigns(
    ideas: dict[str, Idea], defined: dict[str, Campaign] | None, lines: dict[str, int]
) -> list[Problem]:
    """Ideas naming a campaign that ideas/campaigns.yml does not define."""
    problems = []
    for slug, item in ideas.items():
        if item.campaign is None or (defined is not None and item.campaign in defined):
            continue
        known = ", ".join(sorted(defined)) if defined else "none: there is no ideas/campaigns.yml"
        problems.append(
            Problem(
                item.path,
                lines.get(slug, 1),
                Severity.ERROR,
                f"campaign: {item.campaign!r} is not defined in ideas/campaigns.yml (defined: {known})",
            )
        )
    return problems
