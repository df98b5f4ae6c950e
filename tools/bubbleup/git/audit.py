"""Recount the votes against Git history: who cast each one, who changed it, and when.

A vote is a file, so Git knows which commit added it and who authored that commit.
With a roster, a commit author's email names a person, and a vote cast or changed by
someone other than the voter stands out. Each finding says what it is; the docs
(docs/audit.md) say what a reviewer should do about it.

"Substantially rewritten": the idea's text as the voter saw it (the idea file in the tree
of the commit that cast the vote: the commit graph decides, never author dates, which
anyone can backdate) is compared with its text now, by the share of words that still
stand next to the same neighbour (see `likeness`). Below `REWRITE_THRESHOLD` (half), most
of what the voter read is gone, and their vote may no longer mean what it meant ("bait
and switch").

Authorship needs the whole history: in a shallow clone, every file seems to have been
added by the oldest commit fetched, so the audit refuses to run rather than blame its author.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bubbleup.core.frontmatter import split
from bubbleup.core.model import BubbleupError, Catalog, Feedback, Vote
from bubbleup.git import runner
from bubbleup.git.history import Event, FileHistory, History
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
    """How much of the old text survives in the new, from 0 (nothing) to 1 (all of it).

    A word survives when it still stands next to the same neighbour: each pair of
    adjacent words is matched at most as many times as it occurs on the other side, and
    the words of matched pairs are counted on both sides, over all words. For additions,
    deletions and reworded words this gives difflib's ratio of words in order (appending
    as much text again gives 0.5, changing every fourth word 0.75); moved paragraphs
    still count as kept. It runs in time linear in the length of the texts: difflib's
    matcher took 52 seconds on an 8 KB idea of repeated words, and over ten minutes at 200 KB.
    """
    first, second = old.split(), new.split()
    if not first and not second:
        return 1.0
    if len(first) < 2 or len(second) < 2:  # no pairs on one side: count shared words instead
        return 2 * sum((Counter(first) & Counter(second)).values()) / (len(first) + len(second))
    return (_kept(first, second) + _kept(second, first)) / (len(first) + len(second))


def _kept(words: list[str], other: list[str]) -> int:
    """How many of `words` stand in a pair of adjacent words that `other` also has."""
    available = Counter(zip(other, other[1:], strict=False))
    kept = [False] * len(words)
    for index, pair in enumerate(zip(words, words[1:], strict=False)):
        if available[pair] > 0:
            available[pair] -= 1
            kept[index] = kept[index + 1] = True
    return sum(kept)


def _body(data: bytes) -> str:
    try:
        return split(data.decode("utf-8", "replace"))[1]
    except Exception:  # noqa: BLE001 - an unparsable old version: compare the whole text
        return data.decode("utf-8", "replace")


class _Auditor:
    def __init__(self, catalog: Catalog, history: History, root: Path, voucher: Voucher | None = None):
        self.catalog = catalog
        self.history = history
        self.root = root
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
        rewrites: list[tuple[Feedback, str, Event, FileHistory]] = []
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
                rewrites.append((item, voter, cast, idea_entry))
        self.rewritten(rewrites)
        return sorted(self.findings, key=lambda f: (f.path, f.kind, f.message))

    def seen(self, candidates: list[tuple[Feedback, str, Event, FileHistory]]) -> list[str | None]:
        """The blob of the idea each voter saw: the idea file in the tree of the commit that
        cast the vote; for an idea renamed since, its last version before that commit in
        the log's order (parents first), never by author date."""
        names = [f"{cast.commit}:./{self.catalog.ideas[item.idea].path}" for item, _, cast, _ in candidates]
        found = runner.object_ids(self.root, names)
        seen: list[str | None] = []
        for name, (_, _, cast, idea_entry) in zip(names, candidates, strict=True):
            before = [e.blob for e in idea_entry.events if e.position <= cast.position and e.blob]
            seen.append(found.get(name) or (before[-1] if before else None))
        return seen

    def rewritten(self, candidates: list[tuple[Feedback, str, Event, FileHistory]]) -> None:
        seen = self.seen(candidates)
        changed = [
            blob if blob != entry.events[-1].blob else None for blob, (*_, entry) in zip(seen, candidates, strict=True)
        ]
        blobs = runner.read_blobs(self.root, [blob for blob in changed if blob])
        for (item, voter, cast, _), blob in zip(candidates, changed, strict=True):
            if blob is None or blob not in blobs:
                continue
            now = self.catalog.ideas[item.idea].text
            survived = likeness(_body(blobs[blob]), now)
            if survived < REWRITE_THRESHOLD:
                self.add(
                    item,
                    voter,
                    "cast-before-rewrite",
                    f"{voter} voted {item.vote.value} on {cast.when.date()}; since then the idea was rewritten "
                    f"(only {survived:.0%} of its words remain in place)",
                )


def audit(catalog: Catalog, history: History, root: Path, voucher: Voucher | None = None) -> list[Finding]:
    """Every finding about every vote, sorted by path.

    Args:
        root: the site's root in the repository, where the old versions of ideas are read.
        voucher: which commits the host vouched for (recorded by `bubbleup intake`); it
            collects the paths of host-vouched votes in `voucher.vouched`.

    Raises:
        BubbleupError: the clone is shallow, so who cast each vote is not known.
    """
    if history.shallow:
        raise BubbleupError(
            "the audit needs the full history: this is a shallow clone, where every vote would seem cast by the "
            "author of the oldest commit fetched; run git fetch --unshallow (in CI: fetch-depth: 0)"
        )
    return _Auditor(catalog, history, root, voucher).run()
