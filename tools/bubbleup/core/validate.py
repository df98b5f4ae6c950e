"""The schema of each kind of file, checked field by field into the model.

Every check adds a `Problem` and goes on, so that one run reports everything; a file
with an error yields no model object. Messages say what was expected, what was found,
and what to do, at the line of the key concerned.
"""

from __future__ import annotations

from collections.abc import Mapping

from bubbleup.core import markup, titles
from bubbleup.core.adoption import NO_ADOPTION, Adoption, author_name
from bubbleup.core.config import DEFAULTS
from bubbleup.core.fields import FileChecker, check_file_name, describe
from bubbleup.core.frontmatter import Document, Node
from bubbleup.core.model import (
    HANDLE_MAX,
    HANDLE_PATTERN,
    RESERVED_SLUGS,
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
from bubbleup.core.registers import Lookups, lookups

IDEA_KEYS = ("title", "authors", "status", "tags", "campaign", "visibility", "created", "decision", "duplicate-of")
DECISION_KEYS = ("by", "date", "reason")
OPTIONAL_DECISION_KEYS = ("scores",)
FEEDBACK_KEYS = ("vote",)
CUSTOMER_KEYS = ("vote", "recorded-by")


def idea(
    path: str,
    slug: str,
    document: Document,
    roster: Mapping[str, Person] | None,
    criteria: tuple[str, ...] = DEFAULTS.criteria,
    scale: int = DEFAULTS.score_scale,
    images: markup.Images = markup.NO_IMAGES,
    adoption: Adoption = NO_ADOPTION,
) -> tuple[Idea | None, list[Problem]]:
    """Validate an idea file into an `Idea` (None if it has any error); an adopted folder's
    keys and statuses are read through `adoption` first. The roster is read only through
    `Lookups`, which notes what was asked of it (core/registers.py)."""
    roster = lookups(roster)
    checker = FileChecker(path, roster)
    if check_file_name(checker, slug, what="slug") and slug in RESERVED_SLUGS:
        checker.error(1, f"file name: {slug!r} is reserved for the site's own pages; choose another slug")
    for line, message in document.problems:
        checker.error(line, message)
    fields, through = adoption.rename(document.fields)
    metadata = adoption.metadata(fields)
    checker.unknown_keys(fields, IDEA_KEYS)
    title = _title(checker, document, fields, slug)
    authors, names = _authors(checker, document, fields, roster, free_text="authors" in through)
    status, mapped = _status(checker, fields, adoption)
    tags = _tags(checker, fields)
    campaign = checker.name("campaign", fields["campaign"]) if "campaign" in fields else None
    visibility = Visibility.INTERNAL
    if "visibility" in fields:
        visibility = checker.choice("visibility", fields["visibility"], Visibility, Visibility.INTERNAL) or visibility
    created = checker.date("created", fields["created"]) if "created" in fields else None
    decision = _decision(checker, fields, status, criteria, scale, required=not mapped)
    duplicate_of = _duplicate_of(checker, fields, status, slug)
    checker.body(document.body, document.body_line, images)
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
            author_names=tuple(names),
            metadata=metadata,
        ),
        checker.problems,
    )


def _title(checker: FileChecker, document: Document, fields: dict[str, Node], slug: str) -> str | None:
    """The title: from front matter, or, in a file without any, from the document itself."""
    if not document.has_front_matter:
        # A folder of existing proposals (RFC-style documents) still works: the title
        # comes from the document, the dates and authors from Git.
        title = titles.title_of(document.body, slug)
        checker.warn(
            1,
            f"missing front matter: the title {title!r} is taken from the text; start the file with "
            "'---', 'title: ...', 'authors: [...]', '---' to say more",
        )
        return title
    if "title" not in fields:
        checker.error(1, "title: missing; every idea needs a title")
        return None
    written = checker.text("title", fields["title"])
    if written is not None and not written.strip():
        checker.error(fields["title"].line, "title: expected a short sentence; got an empty value")
    return written


def _authors(
    checker: FileChecker, document: Document, fields: dict[str, Node], roster: Lookups | None, *, free_text: bool
) -> tuple[list[str], list[str]]:
    """The authors' handles, and (read through key_map) the names of those written as free
    text, each matched to the roster by email where it can be."""
    authors: list[str] = []
    names: list[str] = []
    if "authors" not in fields or not checker.items("authors", fields["authors"]):
        if document.has_front_matter:
            line = fields["authors"].line if "authors" in fields else 1
            checker.error(line, "authors: expected one or more handles, such as [mkim]; got none")
        return authors, names
    for node in checker.items("authors", fields["authors"]):
        handle: str | None
        if free_text and node.kind == "str" and not HANDLE_PATTERN.fullmatch(str(node.value).strip()):
            name, email = author_name(str(node.value))
            person = roster.owner(email) if roster is not None and email else None
            if person is None:
                names.append(name)
            handle = person
        else:
            handle = checker.handle("authors", node)
        if handle is not None and handle not in authors:
            authors.append(handle)
    return authors, names


def _status(checker: FileChecker, fields: dict[str, Node], adoption: Adoption) -> tuple[Status, bool]:
    """The status, and whether it was read through status_map (then it needs no decision)."""
    node = fields.get("status")
    if node is None:
        return Status.PROPOSED, False
    ours = adoption.status(str(node.value)) if node.kind == "str" else None
    if ours is not None:
        node = Node(ours, node.line, "str", ours)
    return checker.choice("status", node, Status, default=Status.PROPOSED) or Status.PROPOSED, ours is not None


def _tags(checker: FileChecker, fields: dict[str, Node]) -> list[str]:
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
    return tags


def _duplicate_of(checker: FileChecker, fields: dict[str, Node], status: Status, slug: str) -> str | None:
    if "duplicate-of" not in fields:
        if status is Status.DUPLICATE:
            checker.error(
                fields["status"].line, "status: duplicate needs 'duplicate-of: <slug>' naming the original idea"
            )
        return None
    duplicate_of = checker.name("duplicate-of", fields["duplicate-of"])
    if status is not Status.DUPLICATE:
        checker.warn(
            fields["duplicate-of"].line,
            f"duplicate-of is ignored because the status is {status.value}, not duplicate",
        )
        return None
    if duplicate_of == slug:
        checker.error(fields["duplicate-of"].line, "duplicate-of: an idea cannot be a duplicate of itself")
    return duplicate_of


def _decision(
    checker: FileChecker,
    fields: dict[str, Node],
    status: Status,
    criteria: tuple[str, ...] = DEFAULTS.criteria,
    scale: int = DEFAULTS.score_scale,
    required: bool = True,
) -> Decision | None:
    node = fields.get("decision")
    if node is None:
        if status.needs_decision and required:
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
    reason = (
        checker.text("decision.reason", parts["reason"], one_line=False, allow_html=True) if "reason" in parts else None
    )
    if reason is not None and not reason.strip():
        checker.error(parts["reason"].line, "decision.reason: expected a sentence or a paragraph; got an empty value")
        reason = None
    if reason is not None:
        for _, message in markup.scan(reason):
            checker.warn(parts["reason"].line, f"decision.reason: {message}")
    scores = _scores(checker, parts["scores"], criteria, scale) if "scores" in parts else {}
    if by is None or when is None or reason is None or scores is None:
        return None
    # The reason as published everywhere (pages, feeds, ideas.json, the digest): the
    # author's HTML comments are notes, never part of it.
    return Decision(by=by, date=when, reason=markup.without_comments(reason).strip(), scores=scores)


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
    path: str,
    slug: str,
    stem: str,
    document: Document,
    roster: Mapping[str, Person] | None,
    *,
    customer: bool,
    images: markup.Images = markup.NO_IMAGES,
) -> tuple[Feedback | None, list[Problem]]:
    """Validate a feedback file (ideas/<slug>/<handle>.md) or a customer's (…/customers/<customer>.md)."""
    roster = lookups(roster)
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
        named = check_file_name(checker, stem, what="handle", pattern=HANDLE_PATTERN, limit=HANDLE_MAX)
        if named and roster is not None and stem not in roster:
            checker.error(
                1, f"file name: {stem!r} is not in the roster; a feedback file is named after its author's handle"
            )
    checker.body(document.body, document.body_line, images)
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
