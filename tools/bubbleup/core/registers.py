"""The two registers beside the ideas: the roster (people.yml) and the campaigns
(campaigns.yml). Both are mappings of a name to a few keys, checked entry by entry so
that one bad entry does not hide the rest."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
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


Read = tuple[str, tuple[object, tuple[Problem, ...]]]
"""A register's text, and what it holds with its problems."""
_READ: dict[tuple[str, str], Read] = {}
"""The roster and the campaigns last read, by kind and path, with their text: a process
that loads the ideas again and again (the preview server) parses them again only when
they change, and gets the very same objects back, which tells its later steps that they
did not. Nothing changes a register once read."""


_USED: set[tuple[str, str]] = set()
"""The registers read since `remember` was last called: those of one load."""


def remember(kept: Mapping[tuple[str, str], Read]) -> None:
    """Start a load, taking what an earlier command read (core/register_cache.py) for the
    registers not read by this process yet: each is used only while its text is the same."""
    _USED.clear()
    for where, read in kept.items():
        _READ.setdefault(where, read)


def remembered() -> dict[tuple[str, str], Read]:
    """What the load started by `remember` read of the registers, by kind and path."""
    return {where: _READ[where] for where in _USED}


def read_all(
    sources: list[tuple[str, str, str]], problems: list[Problem]
) -> tuple[dict[str, Person] | None, dict[str, Campaign] | None]:
    """The roster and the campaigns of the registers found, each as (kind, path, text) with
    kind "roster" or "campaigns" (None for either not found), their problems added to
    `problems`. A roster that cannot be parsed is no roster."""
    roster: dict[str, Person] | None = None
    campaigns: dict[str, Campaign] | None = None
    for kind, path, text in sources:
        if kind == "roster":
            found, said = read_roster(path, text)
            roster = found if found is not None else roster
        else:
            campaigns, said = read_campaigns(path, text)
        problems.extend(said)
    return roster, campaigns


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
    _USED.add((kind, path))
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


Asked = str
"""What a check asked of the roster: its (question, about, answer) triples, sorted, as
JSON ("" for none). Text, and one object for equal texts (`sys.intern`): 100,000 kept
results share a few thousand, each hashed once, so looking one up costs next to nothing."""


def answer(roster: Mapping[str, Person], question: str, about: str) -> object:
    """The answer `roster` gives to one of the questions a file's check may ask of it:
    is `about` a handle in it ("in"), which entry has that handle ("entry"), whose emails
    include the email `about` ("owner"), and anything that reads every entry ("all")."""
    if question == "in":
        return about in roster
    if question == "entry":
        return repr(roster[about]) if about in roster else None
    if question == "owner":
        return next((handle for handle, person in roster.items() if about in person.emails), None)
    return _digest(roster)


def _digest(roster: Mapping[str, Person]) -> str:
    """The whole roster, in order, as a digest (kept for the roster last asked about)."""
    if _DIGEST and _DIGEST[0] is roster:
        return _DIGEST[1]
    made = hashlib.sha256(repr(list(roster.items())).encode("utf-8", "surrogatepass")).hexdigest()
    _DIGEST[:] = [roster, made]
    return made


_DIGEST: list = []


def answers_hold(roster: Mapping[str, Person], asked: Asked) -> bool:
    """Whether `roster` gives every answer a check was given: then that check, made again
    with this roster, would read the same and give the same result."""
    return all(answer(roster, question, about) == given for question, about, given in json.loads(asked or "[]"))


def lookups(roster: Mapping[str, Person] | None) -> Lookups | None:
    """`roster` read through `Lookups` (itself if it already is)."""
    return roster if roster is None or isinstance(roster, Lookups) else Lookups(roster)


class Verdicts(dict[Asked, bool]):
    """Whether `roster` gives the answers a kept result was given, by what was asked, each
    worked out once: 100,000 vote files ask a few thousand different questions. Without a
    roster no kept answer holds."""

    def __init__(self, roster: Mapping[str, Person] | None):
        super().__init__()
        self.roster = roster

    def __missing__(self, asked: Asked) -> bool:
        holds = self[asked] = self.roster is not None and answers_hold(self.roster, asked)
        return holds


class Lookups(Mapping[str, Person]):
    """The roster as one file's check sees it, noting each question asked of it and the
    answer, so that a result kept from an earlier run is used again only while the roster
    answers those questions the same way: adding a newcomer changes no answer but those
    about the newcomer (a vote file named after them, an idea that names them).

    Every way of reading a mapping goes through `__contains__`, `__getitem__`, `__iter__`
    or `__len__` (the others are built on them), so nothing is read unnoted; whatever
    reads every entry (iterating, counting, comparing) depends on all of them.
    """

    def __init__(self, roster: Mapping[str, Person]):
        self.roster = roster
        self.questions: dict[tuple[str, str], object] = {}

    def _ask(self, question: str, about: str) -> object:
        found = answer(self.roster, question, about)
        self.questions[(question, about)] = found
        return found

    def __contains__(self, handle: object) -> bool:
        return isinstance(handle, str) and bool(self._ask("in", handle))

    def __getitem__(self, handle: str) -> Person:
        self._ask("entry", handle)
        return self.roster[handle]

    def __iter__(self) -> Iterator[str]:
        self._ask("all", "")
        return iter(self.roster)

    def __len__(self) -> int:
        self._ask("all", "")
        return len(self.roster)

    def owner(self, email: str) -> str | None:
        """The handle whose emails include `email` (lower case), if any."""
        return cast(str | None, self._ask("owner", email))

    def asked(self) -> Asked:
        """The questions asked so far with their answers, in one order."""
        if not self.questions:
            return ""
        triples = sorted((question, about, found) for (question, about), found in self.questions.items())
        return sys.intern(json.dumps(triples, ensure_ascii=False, separators=(",", ":")))
