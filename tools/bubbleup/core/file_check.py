"""One idea or feedback file, read and checked on its own: what a parse cache may keep.

Between two runs of `check` almost no file changes, yet every one was read, parsed and
checked again. What a file gives on its own depends only on its text, on the run's
`context` (the options that shape checking, whether there is a roster, the images beside
ideas) and on what its check asked of the roster, so the loader can take a `Checked`
result from a `Memo` instead of checking the file again (git/parse_cache.py keeps them by
Git blob id) while the roster gives the same answers (`Checked.asked`). What depends on
other files (feedback on an idea that does not exist, duplicates, campaigns) the loader
checks every time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from bubbleup.core import characters, drafts, frontmatter, markup, validate
from bubbleup.core.adoption import NO_ADOPTION, Adoption
from bubbleup.core.config import DEFAULTS
from bubbleup.core.model import Feedback, Idea, Person, Problem, Severity
from bubbleup.core.registers import Asked, Lookups


@dataclass(frozen=True)
class Source:
    """A file to parse: its repository-relative path, its role and its text."""

    path: str
    kind: str  # idea, feedback, customer or roster
    slug: str
    stem: str
    text: str


@dataclass(frozen=True)
class Checked:
    """What one idea or feedback file gave, read and checked on its own."""

    item: Idea | Feedback | None
    """The idea or feedback; None if the file has an error."""
    problems: tuple[Problem, ...]
    """Its problems, reading included."""
    lines: tuple[int, int] | None
    """The lines of `duplicate-of` and `campaign` (1 when absent); None if it could not be parsed."""
    asked: Asked = ""
    """What checking it asked of the roster, with the answers (core/registers.py
    `Lookups`): the result holds for another roster that answers the same."""


class Memo(Protocol):
    """Results kept from an earlier run, valid while the context stays the same (and, as
    the loader checks, while the roster answers what each check asked of it)."""

    def start(self, context: str) -> None:
        """Say what every result of this run depends on besides its file (`context()`)."""

    def recall(self, path: str) -> Checked | None:
        """The result kept for the file at `path` as it is now, if any."""

    def keep(self, path: str, checked: Checked) -> None:
        """Keep the result of a file that was read and checked."""


class NoMemo:
    """Every file is checked afresh."""

    def start(self, context: str) -> None:
        pass

    def recall(self, path: str) -> Checked | None:
        return None

    def keep(self, path: str, checked: Checked) -> None:
        pass


def context(
    max_size: int,
    criteria: tuple[str, ...],
    scale: int,
    adoption: Adoption,
    roster: dict[str, Person] | None,
    attachments: frozenset[str],
) -> str:
    """Everything besides its own text that checking any file depends on, written out, so
    that a memo can tell when its results no longer hold. Of the roster, only whether there
    is one: what each check read of it is in its result (`Checked.asked`)."""
    return repr((max_size, criteria, scale, adoption, roster is not None, sorted(attachments)))


def check(
    source: Source,
    roster: dict[str, Person] | None,
    criteria: tuple[str, ...],
    scale: int,
    attachments: frozenset[str],
    adoption: Adoption,
) -> Checked:
    """`examine` one file with the rules of its kind, as the loader does."""
    lookups = Lookups(roster) if roster is not None else None
    if source.kind == "idea":
        item, problems, document = examine(source, lookups, criteria, scale, attachments=attachments, adoption=adoption)
    else:
        item, problems, document = examine(source, lookups, attachments=attachments)
    lines = None
    if document is not None:
        lines = (document.key_lines.get("duplicate-of", 1), document.key_lines.get("campaign", 1))
    return Checked(item, tuple(problems), lines, lookups.asked() if lookups is not None else "")


def examine(
    source: Source,
    roster: dict[str, Person] | Lookups | None,
    criteria: tuple[str, ...] = DEFAULTS.criteria,
    scale: int = DEFAULTS.score_scale,
    *,
    attachments: frozenset[str] = frozenset(),
    adoption: Adoption = NO_ADOPTION,
) -> tuple[Idea | Feedback | None, list[Problem], frontmatter.Document | None]:
    """Check one idea or feedback file on its own, with every rule `check` applies to it
    (`attachments`: the images beside ideas that its text may show; `adoption`: how an
    existing folder's keys and statuses read).

    Returns:
        The idea or feedback (None if the file has an error), its problems, and the parsed
        document (None if it could not be read).
    """
    text, problems = _clean(source)
    document = _parse(source, problems, text)
    if document is None:
        return None, problems, None
    item: Idea | Feedback | None
    if source.kind == "idea":
        images = markup.Images(attachments=attachments)
        item, found = validate.idea(source.path, source.slug, document, roster, criteria, scale, images, adoption)
        found += drafts.unfilled(source.path, document.body, document.body_line)
    else:
        customer = source.kind == "customer"
        images = markup.Images(folder=source.slug, attachments=attachments)
        item, found = validate.feedback(
            source.path, source.slug, source.stem, document, roster, customer=customer, images=images
        )
    failed = any(problem.severity is Severity.ERROR for problem in problems)
    return (None if failed else item), problems + found, document


def _clean(source: Source) -> tuple[str, list[Problem]]:
    """The text to parse, and a problem for each line holding a character that must not be
    published. In front matter they are errors (a title or a handle is no place for them);
    in the text they are warnings and are left out, so they never reach a page or a feed."""
    unsafe = characters.problems(source.text)
    if not unsafe:
        return source.text, []
    blanked = characters.blank(source.text)
    try:
        body_line = frontmatter.sections(blanked)[4]
    except frontmatter.FrontMatterError:
        return blanked, [Problem(source.path, line, Severity.ERROR, message) for line, message in unsafe]
    lines = frontmatter.lines_of(source.text)
    head, body = "".join(lines[: body_line - 1]), "".join(lines[body_line - 1 :])
    problems = [
        Problem(source.path, line, Severity.ERROR, message)
        if line < body_line
        else Problem(source.path, line, Severity.WARNING, message.replace("; remove it", "; it is left out"))
        for line, message in unsafe
    ]
    return characters.blank(head) + characters.strip(body), problems


def _parse(source: Source, problems: list[Problem], text: str) -> frontmatter.Document | None:
    try:
        return parse(text)
    except frontmatter.FrontMatterError as error:
        problems.append(Problem(source.path, error.line, Severity.ERROR, error.message))
        return None


SHORT = 64
"""Front matter up to this many characters (a vote file's `vote: up`) is parsed once per
distinct text and run: 100,000 vote files hold a handful of different front matters."""
_short: dict[str, frontmatter.Document] = {}


def parse(text: str) -> frontmatter.Document:
    """`frontmatter.parse(text)`, equal in every field, with short front matter taken from
    the documents already parsed. Only front matter of plain values is reused (a list or a
    mapping could be changed by whoever holds it); every document gets its own dicts."""
    opening, source, closing, body, body_line = frontmatter.sections(text)
    if source is None or len(source) > SHORT:
        return frontmatter.parse(text)
    known = _short.get(source)
    if known is None:
        try:
            known = frontmatter.parse(f"---\n{source}---\n")  # the same YAML at the same lines
        except frontmatter.FrontMatterError:
            return frontmatter.parse(text)  # raises the same error, from the file's own text
        if any(node.kind in ("map", "seq") for node in known.fields.values()):
            return frontmatter.parse(text)
        if len(_short) > 4096:
            _short.clear()
        _short[source] = known
    assert known.layout is not None  # front matter was found, so it has a layout
    layout = replace(known.layout, opening=opening, closing=closing, spans=dict(known.layout.spans))
    return frontmatter.Document(
        dict(known.fields), dict(known.key_lines), True, body, body_line, list(known.problems), layout
    )
