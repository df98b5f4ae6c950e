"""Checking one file's values field by field: the shared half of validation.

`FileChecker` collects the problems of one file and turns YAML nodes into typed values
(text, slugs, handles, dates, choices), each refusal saying what was expected, what was
found and what to do. validate.py (ideas, feedback) and registers.py (roster, campaigns)
build on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum

from bubbleup.core import markup
from bubbleup.core.frontmatter import Node
from bubbleup.core.model import HANDLE_MAX, HANDLE_PATTERN, SLUG_MAX, SLUG_PATTERN, Person, Problem, Severity

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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

    def __init__(self, path: str, roster: Mapping[str, Person] | None = None):
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
            import difflib  # only for a file with an unknown key: most commands never load it

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

    def body(self, text: str, first_line: int, images: markup.Images = markup.NO_IMAGES) -> None:
        """What the renderer removes or shows as text in a Markdown body: warnings, since
        the page is safe either way, but the author should know."""
        for line, message in markup.scan(text, first_line, images):
            self.warn(line, message)


def check_file_name(checker: FileChecker, stem: str, *, what: str, pattern=SLUG_PATTERN, limit=SLUG_MAX) -> bool:
    if pattern.match(stem) and len(stem) <= limit:
        return True
    checker.error(
        1,
        f"file name: expected a {what} (lower-case letters and digits joined by single hyphens, "
        f"at most {limit} characters) followed by .md; got {stem!r}",
    )
    return False
