"""Which commits the host vouches for: made by the automation, naming the login that acted.

`bubbleup intake` commits a vote with the person as author, the automation as committer
and a `Bubbleup-Login` trailer naming the login GitHub reported for the issue's author.
A vote is *host-vouched* when the commit that cast it has that committer and a login the
roster maps to the voter. Anything else rests on commit metadata, which whoever commits
types freely. docs/audit.md explains what this does and does not prove.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bubbleup.core.model import Catalog, Problem, Severity
from bubbleup.git import runner
from bubbleup.git.commit import TRAILER_LOGIN, TRAILER_SOURCE, Identity

_RECORD, _FIELD = "\x1e", "\x1f"


@dataclass(frozen=True)
class Stamp:
    """A commit's committer and its Bubbleup trailers."""

    committer_email: str
    login: str | None = None
    source: str | None = None


def read_stamps(root: Path, paths: Iterable[str]) -> dict[str, Stamp]:
    """The stamp of every commit that touched `paths`, by commit id: one `git log`."""
    wanted = sorted(set(paths))
    if not wanted or runner.repository_state(root) not in (None, "shallow"):
        return {}
    return _stamps(root, "--", *wanted)


def _stamps(root: Path, *selection: str) -> dict[str, Stamp]:
    """The stamp of every commit `git log` selects (a range, or `--` and paths), by commit id."""
    format_ = f"--format={_RECORD}%H{_FIELD}%ce{_FIELD}%(trailers:only,unfold)"
    stamps = {}
    for record in runner.log(root, format_, *selection).split(_RECORD)[1:]:
        parts = record.split(_FIELD, 2)
        if len(parts) != 3:
            continue
        sha, email, trailers = parts
        values: dict[str, str] = {}
        for line in trailers.splitlines():
            key, _, value = line.partition(":")
            values.setdefault(key.strip(), value.strip())
        stamps[sha.strip()] = Stamp(email.strip().lower(), values.get(TRAILER_LOGIN), values.get(TRAILER_SOURCE))
    return stamps


def imitations(root: Path, base: str, automation: Identity, login: str) -> list[Problem]:
    """An error on each file touched by a pull request's commit that claims to be the automation's.

    The committer and the trailers are typed by whoever commits, and a merge keeps them, so
    a pull request could carry a commit the audit would count as vouched for by the host.
    Only intake makes such commits; a pull request it opens has the automation as author
    (an app's login, ending in `[bot]`, or the bot account named as `intake_committer`),
    so those are left alone.
    """
    author = login.strip().lower()
    if author.endswith("[bot]") or author == automation.name.strip().lower():
        return []
    found = []
    for sha, stamp in _stamps(root, f"{base}..HEAD").items():
        if stamp.committer_email != automation.email.strip().lower() or not stamp.login:
            continue
        message = (
            f"commit {sha[:10]} claims to be made by the intake automation ({stamp.committer_email}, "
            f"{TRAILER_LOGIN}: {stamp.login}), but the pull request is by {login}; "
            "the audit would count it as vouched for by the host: drop or recommit it"
        )
        for path in runner.checked(root, "diff-tree", "--no-commit-id", "--name-only", "-r", sha).splitlines():
            found.append(Problem(path, 1, Severity.ERROR, message))
    return found


@dataclass
class Voucher:
    """Answers "did the host vouch that this commit was made by this voter?" and remembers the answers."""

    catalog: Catalog
    stamps: dict[str, Stamp]
    automation_email: str
    vouched: set[str] = field(default_factory=set)
    """Paths of votes whose casting commit the host vouched for."""

    def login_of(self, commit: str) -> str | None:
        """The login a commit names, if the automation made it."""
        stamp = self.stamps.get(commit)
        if stamp is None or stamp.login is None or stamp.committer_email != self.automation_email.lower():
            return None
        return stamp.login

    def handle_of(self, commit: str) -> str | None:
        """The roster handle of the login the automation recorded in a commit."""
        login = self.login_of(commit)
        if login is None:
            return None
        if self.catalog.roster is None:
            return login.lower()
        person = self.catalog.person_with_login(login)
        return person.handle if person else None

    def source(self, commit: str) -> str | None:
        stamp = self.stamps.get(commit)
        return stamp.source if stamp else None
