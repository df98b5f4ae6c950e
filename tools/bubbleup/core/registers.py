"""The two registers beside the ideas: the roster (people.yml) and the campaigns
(campaigns.yml). Both are mappings of a name to a few keys, checked entry by entry so
that one bad entry does not hide the rest."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import cast

from bubbleup.core import characters, frontmatter, markup
from bubbleup.core.fields import FileChecker, describe
from bubbleup.core.frontmatter import Node
from bubbleup.core.model import (
    HANDLE_MAX,
    HANDLE_PATTERN,
    LOGIN_PATTERN,
    SLUG_MAX,
    SLUG_PATTERN,
    Campaign,
    Person,
    Problem,
    Severity,
)

PERSON_KEYS = ("name", "emails", "team", "github")
CAMPAIGN_KEYS = ("title", "description", "opens", "closes")


def _entries(
    checker: FileChecker,
    root: Node,
    key_lines: dict[str, int],
    *,
    what: str,
    pattern: re.Pattern,
    limit: int,
    keys: tuple[str, ...],
    example: str,
) -> Iterator[tuple[str, int, Node]]:
    """Each well-named entry with its line; problems for the rest."""
    if root.kind != "map":
        checker.error(root.line, f"expected one entry per {what}, '{example}'; got {describe(root)}")
        return
    for name, node in root.value.items():
        line = key_lines.get(name, node.line)
        if not pattern.match(name) or len(name) > limit:
            checker.error(
                line,
                f"{what}: expected lower-case letters and digits joined by single hyphens, "
                f"at most {limit} characters; got {name!r}",
            )
            continue
        if node.kind == "map":
            checker.unknown_keys(node.value, keys, prefix=f"{name}.")
        else:
            checker.error(line, f"{name}: expected the keys {', '.join(keys)}; got {describe(node)}")
        yield name, line, node


def _person(checker: FileChecker, handle: str, node: Node, owners: dict[str, str], logins: dict[str, str]) -> Person:
    """One roster entry; a broken one still makes a Person, so their files are not misreported."""
    if node.kind != "map":
        return Person(handle=handle, name=handle)
    fields = node.value
    name = checker.text(f"{handle}.name", fields["name"]) if "name" in fields else handle
    team = checker.text(f"{handle}.team", fields["team"]) if "team" in fields else None
    emails: list[str] = []
    for item in checker.items("emails", fields["emails"]) if "emails" in fields else []:
        email = checker.text(f"{handle}.emails", item)
        if email is None:
            continue
        email = email.strip().lower()
        if "@" not in email:
            checker.error(item.line, f"{handle}.emails: expected an email address; got {email!r}")
        elif email in owners:
            checker.error(
                item.line,
                f"{handle}.emails: {email} already belongs to {owners[email]}; an email identifies one person",
            )
        else:
            owners[email] = handle  # the first entry to list an email owns it
            emails.append(email)
    github = _login(checker, handle, fields["github"], logins) if "github" in fields else None
    return Person(
        handle=handle, name=(name or handle).strip() or handle, emails=tuple(emails), team=team, github=github
    )


def roster(
    path: str, root: Node | None, key_lines: dict[str, int], problems: list[tuple[int, str]]
) -> tuple[dict[str, Person] | None, list[Problem]]:
    """Validate ideas/people.yml: `handle: {name, emails, team, github}`.

    An empty roster is no roster (handles are not checked), with a warning.
    """
    checker = FileChecker(path)
    for line, message in problems:
        checker.error(line, message)
    if root is None:
        checker.warn(
            1, "the roster is empty, so handles are not checked; add people as 'handle: {name: ..., emails: [...]}'"
        )
        return None, checker.problems
    if root.kind != "map":
        checker.error(
            root.line,
            f"expected one entry per person, 'handle: {{name: ..., emails: [...], team: ...}}'; got {describe(root)}",
        )
        return None, checker.problems
    people: dict[str, Person] = {}
    owners: dict[str, str] = {}
    logins: dict[str, str] = {}
    for handle, _, node in _entries(
        checker,
        root,
        key_lines,
        what="handle",
        pattern=HANDLE_PATTERN,
        limit=HANDLE_MAX,
        keys=PERSON_KEYS,
        example="handle: {name: ..., emails: [...]}",
    ):
        people[handle] = _person(checker, handle, node, owners, logins)
    return people, checker.problems


def _login(checker: FileChecker, handle: str, node: Node, logins: dict[str, str]) -> str | None:
    """A person's login on the Git host: well formed, and nobody else's."""
    login = checker.text(f"{handle}.github", node)
    if login is None:
        return None
    login = login.strip().removeprefix("@")
    if not LOGIN_PATTERN.match(login):
        checker.error(
            node.line, f"{handle}.github: expected a login such as octocat (letters, digits, hyphens); got {login!r}"
        )
        return None
    if login.lower() in logins:
        checker.error(node.line, f"{handle}.github: {login} already belongs to {logins[login.lower()]}")
        return None
    logins[login.lower()] = handle
    return login.lower()


def campaigns(
    path: str, root: Node | None, key_lines: dict[str, int], problems: list[tuple[int, str]]
) -> tuple[dict[str, Campaign], list[Problem]]:
    """Validate ideas/campaigns.yml: `slug: {title, description, opens, closes}`."""
    checker = FileChecker(path)
    for line, message in problems:
        checker.error(line, message)
    found: dict[str, Campaign] = {}
    if root is None:
        return found, checker.problems
    for slug, line, node in _entries(
        checker,
        root,
        key_lines,
        what="campaign",
        pattern=SLUG_PATTERN,
        limit=SLUG_MAX,
        keys=CAMPAIGN_KEYS,
        example="slug: {title: ..., opens: ..., closes: ...}",
    ):
        if node.kind != "map":
            continue
        fields = node.value
        title = checker.text(f"{slug}.title", fields["title"]) if "title" in fields else None
        if "title" not in fields:
            checker.error(
                line, f"{slug}.title: missing; a campaign asks a question, such as 'How do we halve onboarding time?'"
            )
        description = ""
        if "description" in fields:
            description = (
                checker.text(f"{slug}.description", fields["description"], one_line=False, allow_html=True) or ""
            )
            for _, message in markup.scan(description):
                checker.warn(fields["description"].line, f"{slug}.description: {message}")
        opens = checker.date(f"{slug}.opens", fields["opens"]) if "opens" in fields else None
        closes = checker.date(f"{slug}.closes", fields["closes"]) if "closes" in fields else None
        if opens and closes and closes < opens:
            checker.error(fields["closes"].line, f"{slug}.closes: {closes} is before opens ({opens})")
        if title:
            found[slug] = Campaign(slug, title.strip(), description.strip(), opens, closes)
    return found, checker.problems


_READ: dict[tuple[str, str], tuple[str, tuple[object, tuple[Problem, ...]]]] = {}
"""The roster and the campaigns last read, by kind and path, with their text: a process
that loads the ideas again and again (the preview server) parses them again only when
they change, and gets the very same objects back, which tells its later steps that they
did not. Nothing changes a register once read."""


def read_roster(path: str, text: str) -> tuple[dict[str, Person] | None, tuple[Problem, ...]]:
    """The roster in people.yml's `text` (None if it cannot be parsed), and its problems."""
    value, problems = _read("roster", path, text, roster, "the roster is not used")
    return cast(dict[str, Person] | None, value), problems


def read_campaigns(path: str, text: str) -> tuple[dict[str, Campaign], tuple[Problem, ...]]:
    """The campaigns in campaigns.yml's `text` (none if it cannot be parsed), and its problems."""
    value, problems = _read("campaigns", path, text, campaigns, "no campaign is defined until it is fixed")
    return cast(dict[str, Campaign], value if value is not None else {}), problems


def _read(
    kind: str, path: str, text: str, check: Callable[..., tuple[object, list[Problem]]], unusable: str
) -> tuple[object, tuple[Problem, ...]]:
    """`check` over the parsed register, or None with the problems that stopped parsing."""
    known = _READ.get((kind, path))
    if known is not None and known[0] == text:
        return known[1]
    unsafe = characters.problems(text)
    parsed = None
    try:
        if not unsafe:
            parsed = frontmatter.parse_yaml(text)
    except frontmatter.FrontMatterError as error:
        unsafe = [(error.line, error.message)]
    found: tuple[object, tuple[Problem, ...]]
    if parsed is None:
        found = (None, tuple(Problem(path, line, Severity.ERROR, f"{message}; {unusable}") for line, message in unsafe))
    else:
        value, problems = check(path, *parsed)
        found = (value, tuple(problems))
    _READ[(kind, path)] = (text, found)
    return found
