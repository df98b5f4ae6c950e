"""Recount the votes against Git history: who cast each one, who changed it, and when.

A vote is a file, so Git knows which commit added it and who authored that commit.
With a roster, a commit author's email names a person, and a vote cast or changed by
someone other than the voter stands out. Each finding says what it is; the docs
(docs/audit.md) say what a reviewer should do about it.

"Substantially rewritten": the idea's text when the vote was cast is compared with its
text now, word by word (difflib's ratio of matching words in order). Below
`REWRITE_THRESHOLD` (half), most of what the voter read is gone, and their vote may no
longer mean what it meant ("bait and switch").
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from bubbleup.core.frontmatter import split
from bubbleup.core.model import Catalog, Feedback, Vote
from bubbleup.git.history import Event, History
from bubbleup.git.vouch import Voucher

REWRITE_THRESHOLD = 0.5
KINDS = {
    "not-committed": "the vote is in the working tree but in no commit",
    "cast-by-someone-else": "the commit that cast the vote is not the voter's",
    "changed-by-someone-else": "another person's commit changed the vote file",
    "cast-before-rewrite": "the idea was substantially rewritten after the vote was cast",
    "own-idea": "the voter is an author of the idea",
    "no-roster": "without a roster, commit authors cannot be tied to voters",
    "unvouched": "the host did not vouch for the vote: it rests on the commit's author email, which anyone can type",
}


@dataclass(frozen=True)
class Finding:
    """One thing worth a reviewer's look about one vote."""

    path: str
    idea: str
    voter: str
    kind: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "idea": self.idea, "voter": self.voter, "kind": self.kind, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.message}"


def likeness(old: str, new: str) -> float:
    """How much of the old text survives in the new, word by word, from 0 to 1."""
    return SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


def _body(data: bytes) -> str:
    try:
        return split(data.decode("utf-8", "replace"))[1]
    except Exception:  # noqa: BLE001 - an unparsable old version: compare the whole text
        return data.decode("utf-8", "replace")


class _Auditor:
    def __init__(self, catalog: Catalog, history: History, read_blobs, voucher: Voucher | None = None):
        self.catalog = catalog
        self.history = history
        self.read_blobs = read_blobs
        self.voucher = voucher
        self.findings: list[Finding] = []

    def owner(self, event: Event) -> str | None:
        """Who made a commit: the login the host vouched for, else whoever the author email names."""
        vouched = self.voucher.handle_of(event.commit) if self.voucher else None
        if vouched is not None:
            return vouched
        person = self.catalog.person_with_email(event.email)
        return person.handle if person else None

    def who(self, event: Event) -> str:
        login = self.voucher.login_of(event.commit) if self.voucher else None
        if login is not None:
            return f"login {login} through the host ({self.voucher.source(event.commit) if self.voucher else ''})"
        handle = self.owner(event)
        return (
            f"{handle} ({event.name} <{event.email}>)" if handle else f"{event.name} <{event.email}>, not in the roster"
        )

    def add(self, item: Feedback, voter: str, kind: str, message: str) -> None:
        self.findings.append(Finding(item.path, item.idea, voter, kind, message))

    def authorship(self, item: Feedback, voter: str, events: list[Event], cast: Event) -> None:
        self.vouching(item, voter, cast)
        if self.catalog.roster is None:
            return
        if self.owner(cast) != voter:
            self.add(
                item,
                voter,
                "cast-by-someone-else",
                f"{voter}'s {item.vote.value} vote was committed by {self.who(cast)} in {cast.commit[:10]} on {cast.when.date()}",
            )
        others = [e for e in events if e is not cast and self.owner(e) != voter]
        for event in others:
            self.add(
                item,
                voter,
                "changed-by-someone-else",
                f"{voter}'s vote file was changed by {self.who(event)} in {event.commit[:10]} on {event.when.date()}",
            )

    def vouching(self, item: Feedback, voter: str, cast: Event) -> None:
        """Note a vote the host vouched for; flag one that rests on commit metadata where the host could vouch."""
        if self.voucher is None:
            return
        if self.voucher.handle_of(cast.commit) == voter:
            self.voucher.vouched.add(item.path)
        elif self.voucher.login_of(cast.commit) is None and any(p.github for p in (self.catalog.roster or {}).values()):
            self.add(
                item,
                voter,
                "unvouched",
                f"{voter}'s {item.vote.value} vote rests on commit metadata only "
                f"({cast.name} <{cast.email}> in {cast.commit[:10]}); the host did not vouch for it",
            )

    def run(self) -> list[Finding]:
        if self.catalog.roster is None and self.catalog.feedback:
            self.findings.append(Finding("-", "-", "-", "no-roster", KINDS["no-roster"] + "; add ideas/people.yml"))
        rewrites: list[tuple[Feedback, str, Event, str]] = []
        for item in self.catalog.feedback:
            if item.vote is Vote.NONE:
                continue
            idea = self.catalog.ideas[item.idea]
            voter = item.handle  # for a customer, the employee who recorded it answers for it
            if not item.customer and voter in idea.authors:
                self.add(item, voter, "own-idea", f"{voter} votes {item.vote.value} on their own idea")
            entry = self.history.of(item.path)
            if entry is None or entry.events[-1].value != item.vote.value:
                state = "is in no commit" if entry is None else "differs from the last commit"
                self.add(item, voter, "not-committed", f"{voter}'s {item.vote.value} vote {state}")
                continue
            cast = entry.changes()[-1]
            self.authorship(item, voter, entry.events, cast)
            idea_entry = self.history.of(idea.path)
            if idea_entry is not None:
                before = [e for e in idea_entry.events if e.when <= cast.when and e.blob]
                blob = before[-1].blob if before else None
                if blob and blob != idea_entry.events[-1].blob:
                    rewrites.append((item, voter, cast, blob))
        self.rewritten(rewrites)
        return sorted(self.findings, key=lambda f: (f.path, f.kind, f.message))

    def rewritten(self, candidates: list[tuple[Feedback, str, Event, str]]) -> None:
        blobs = self.read_blobs([blob for *_, blob in candidates])
        for item, voter, cast, blob in candidates:
            if blob not in blobs:
                continue
            now = self.catalog.ideas[item.idea].text
            survived = likeness(_body(blobs[blob]), now)
            if survived < REWRITE_THRESHOLD:
                self.add(
                    item,
                    voter,
                    "cast-before-rewrite",
                    f"{voter} voted {item.vote.value} on {cast.when.date()}; since then the idea was rewritten "
                    f"(only {survived:.0%} of its words remain in order)",
                )


def audit(catalog: Catalog, history: History, read_blobs, voucher: Voucher | None = None) -> list[Finding]:
    """Every finding about every vote, sorted by path.

    Args:
        read_blobs: reads old versions of idea files by blob id (gitcmd.read_blobs bound
            to the repository), for the rewrite check.
        voucher: which commits the host vouched for (recorded by `bubbleup intake`); it
            collects the paths of host-vouched votes in `voucher.vouched`.
    """
    return _Auditor(catalog, history, read_blobs, voucher).run()
