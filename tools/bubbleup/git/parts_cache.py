"""Each idea's tally, timeline and threshold crossings, kept in the cache folder under a key
made of everything they are made from, for the next run of `bubbleup build`.

After one committed vote at 5,000 ideas, a new process counted every idea's votes, made
every timeline and replayed the crossings again (about 0.9 s), though one idea's inputs
had changed. The preview carries an unchanged idea's parts between builds of one process
by object identity (git/carry.py); a new process has no objects to compare, so here an
idea's parts are kept under a key of their inputs' content:

- its inputs as git/carry.py names them: the idea's own file, its feedback, the idea it
  counts for (a duplicate's original, by slug), each duplicate that counts for it with
  that duplicate's feedback. Each file stands in the key by its path and its Git blob id
  (the parse cache's listing, git/parse_cache.py: the checked result of a file is a
  function of its blob and of the parse cache's key), and by its history: a digest of each
  of its events in order, the commit, the pull request credited and the value read (status
  or vote), which the history cache keeps beside each file's rows (`FileHistory.digest`), so
  that no event is made for a key. A commit's id stands for its date and author (`%aI`,
  `%an`, `%ae`, no mailmap).
  Nothing else of the history is read by the parts (git/snapshot.py `timelines`,
  `_VoteHistory`, the tally's dates and core/thresholds.py);
- what the parts read of the roster, for this idea alone: the team of each person whose
  vote file is among its inputs (the crossings count the teams of the up voters) and, for
  the email of each commit author of the idea's own file, the name of the person it
  belongs to (the timeline's contributors). A file's checked result also depends on the
  roster, but only through what the parse cache's key leaves out of it (core/registers.py
  `Verdicts`): whether the file is valid at all, which its presence among the inputs
  says, and an idea's fields, which the tally does not keep. So a newcomer in
  `people.yml` changes the keys of the ideas they voted on, not every key: the whole
  roster in the run's part made every idea's parts again, and with them every idea's
  page (a newcomer's first vote took 8.2 s of CPU at 5,000 ideas, 4.4 s now: loaded machine);
- the run's part, the same for every idea: the code of core/ and git/ and Python's
  version, the parse cache's key (the loader's code, options, whether there is a roster,
  images), every option, whether the roster is empty (no team rule without people), and
  what limits the history (its warning, a shallow clone).

`now` is in no key: an idea with a vote Git does not have as it is (`carry.moving`) is
dated now by the tally and the crossings, so it is worked out on every run and never
kept; so is an idea with a file Git's index does not hold unchanged (no blob id). A key
is made only when the whole histories are read (a site build), because the file's events
are in it: `tally`, which reads the summary of dates alone, does not use this cache.

Making the keys costs about 0.1 s at 5,000 ideas (a string per file, one digest per
idea), reading the file 0.03 s and writing it 0.07 s (once, after the parts changed):
much less than the parts themselves. The file is a pickle, like the parse cache and for
the same reasons (speed; it is only read from the project's own `.bubbleup-cache/`,
written by Bubbleup or restored by CI from its own saves): unpickling is restricted to
dates and votes, every entry's shape is checked, and a damaged, truncated or foreign file
is set aside whole, as is one made for another run's part: the run is only slower.

After one vote a single idea's parts change, and writing the 5,000 again cost 0.2 s of a
one-vote rebuild. So the parts that differ from the cache file (made, or gone) are written
to a journal beside it, `parts-journal.pickle`, which names the file it follows by a token
written in both, until `JOURNAL_LIMIT` ideas differ; then the file is written whole and
the journal dropped. A journal that follows another file, or is damaged, is set aside.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeGuard

from bubbleup.core import caches, model
from bubbleup.core.model import Person
from bubbleup.core.tally import Tally
from bubbleup.git.carry import Inputs
from bubbleup.git.file_history import digest
from bubbleup.git.history import History

FORMAT = b"bubbleup parts cache 3\n"
JOURNAL_FORMAT = b"bubbleup parts journal 1\n"
NAME = "parts.pickle"
JOURNAL = "parts-journal.pickle"
JOURNAL_LIMIT = 500
"""How many ideas' parts may differ from the cache file, in its journal, before it is written whole."""
_ALLOWED = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
    ("bubbleup.core.model", "Vote"),
}
TallyFields = tuple[dict, dict, int, tuple, date | None, dict]
"""A tally's fields but the idea: votes, customers' votes, feedback, merged from, created, cast."""
_TALLY = attrgetter("votes", "customer_votes", "feedback", "merged_from", "created", "cast")
_TIMELINE = attrgetter("created", "updated", "contributors", "pull_requests", "status_changes", "label")
"""A Timeline's fields (git/snapshot.py), in their order."""
TimelineFields = tuple[datetime | None, datetime | None, tuple, tuple, tuple, str | None]
Parts = tuple[TallyFields, TimelineFields, list[datetime]]


class _Unpickler(caches.Restricted):
    """Builds only dates and votes: anything else is a foreign file."""

    allowed = frozenset(_ALLOWED)
    what = "a parts cache"


def code() -> str:
    """The version of the code that makes the parts and their keys (core/ and git/) and of Python."""
    digest = hashlib.sha256(FORMAT + sys.version.encode())
    package = Path(model.__file__).parent.parent
    for folder in ("core", "git"):
        for source in sorted((package / folder).glob("*.py")):
            digest.update(f"{folder}/{source.name}\0".encode() + source.read_bytes())
    return digest.hexdigest()


class PartsCache:
    """The parts kept by the previous run, and what this run makes of them.

    Args:
        cache_dir: the cache folder (None: nothing is read or kept).
        blobs: by path, the blob id of each file Git's index holds unchanged.
        shared: the run's part of every key (see `shared`).
        roster: the catalog's, of which each key holds what its idea's parts read.
    """

    def __init__(
        self, cache_dir: Path | None, blobs: Mapping[str, str], shared: str, roster: Mapping[str, Person] | None
    ):
        self.path = cache_dir / NAME if cache_dir is not None else None
        self.blobs = blobs
        self.shared = shared
        self.roster = roster or {}
        self.kept: dict[str, tuple[str, Parts]] = {}
        """By slug: the key and the parts the previous run kept."""
        self.recalled: set[str] = set()
        """The ideas whose parts this run took from the cache."""
        self._base: dict[str, tuple[str, Parts]] = {}
        """What the cache file holds, without its journal."""
        self._token = ""

    def keys(self, inputs: Mapping[str, Inputs], history: History) -> dict[str, str]:
        """The key of each idea among `inputs` whose files Git's index holds unchanged and
        whose votes Git has as they are (the others are dated now: `carry.moving`)."""
        blobs, files = self.blobs, history.files
        blob_of, history_of = blobs.get, files.get
        team_of, name_of = _teams_and_names(self.roster)

        def printed(path: str) -> str | None:
            """An idea's file: its blob and the digest of its events; None without a blob."""
            blob, entry = blob_of(path), history_of(path)
            if blob is None:
                return None
            return f"{path!r} {blob} {_NO_EVENTS if entry is None else entry.digest}"

        def named(path: str) -> str:
            """Whose name the roster gives each commit author of an idea's own file, by email."""
            entry = history_of(path)
            return "" if entry is None else repr([name_of(email.strip().lower()) for email in entry.emails])

        def voted(feedback: tuple[model.Feedback, ...]) -> list[str | None]:
            """Each vote file's path, blob, the digest of its events and its voter's team
            (printed): four fields a file, none holding a NUL, joined with the rest (a
            file's own text, made with two `repr`s, was 40% of the keys' work). [None] if
            one has no blob, or its last value in Git is not its vote (no commit: no value)."""
            found: list[str | None] = []
            for item in feedback:
                path = item.path
                blob, entry = blob_of(path), history_of(path)
                events = None if entry is None else entry.digest_if_last(item.vote._value_)
                if blob is None or events is None:
                    return [None]
                found += (path, blob, events, "None" if item.customer else team_of(item.handle, "None"))
            return found

        found = {}
        for slug, (idea, feedback, original, merged) in inputs.items():
            text = [self.shared, repr(slug), repr(original), printed(idea.path), named(idea.path), *voted(feedback)]
            for duplicate, other, others in merged:
                text += ["duplicate", repr(duplicate), printed(other.path), *voted(others)]
            if None not in text:
                whole = "\0".join(text)  # type: ignore[arg-type]  # no None, as just seen
                found[slug] = hashlib.sha256(whole.encode("utf-8", "surrogatepass")).hexdigest()
        return found

    def recall(self, keys: Mapping[str, str]) -> dict[str, Parts]:
        """The parts kept for each idea whose key is the one they were kept under."""
        if not self.kept:
            self.kept = self._read()
        found = {}
        for slug, key in keys.items():
            kept = self.kept.get(slug)
            if kept is not None and kept[0] == key:
                found[slug] = kept[1]
        self.recalled = set(found)
        return found

    def save(
        self, keys: Mapping[str, str], tallies: Mapping[str, Tally], timelines: Mapping[str, Any], crossed: Mapping
    ) -> None:
        """Keep the parts of each idea with a key, if they are not exactly what was read:
        those that differ from the cache file in its journal while they are few (after one
        vote, one idea's: writing all 5,000 again cost 0.2 s), else all in the file."""
        if self.path is None or keys.keys() == self.recalled == self.kept.keys():
            return
        base = self._base

        def made(slug: str) -> tuple[str, Parts]:
            return keys[slug], (_TALLY(tallies[slug]), _TIMELINE(timelines[slug]), crossed.get(slug, []))

        changed = [slug for slug, key in keys.items() if (entry := base.get(slug)) is None or entry[0] != key]
        gone = [slug for slug in base if slug not in keys]
        if self._token and len(changed) + len(gone) <= JOURNAL_LIMIT:
            self._write(JOURNAL, JOURNAL_FORMAT, self._token, ({slug: made(slug) for slug in changed}, gone))
            return
        self._write(NAME, FORMAT, uuid.uuid4().hex, {slug: made(slug) for slug in keys})
        with contextlib.suppress(OSError):
            (self.path.parent / JOURNAL).unlink(missing_ok=True)

    def _write(self, name: str, form: bytes, token: str, content: object) -> None:
        assert self.path is not None
        header = form + f"{self.shared} {token}\n".encode()
        with caches.uncollected():  # 50,000 dates: a collection on the way would walk them all again
            pickled = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
        caches.write(self.path.parent / name, header + pickled)

    def _read(self) -> dict[str, tuple[str, Parts]]:
        """What the cache file holds for this run's part, with its journal replayed on it."""
        token, base = self._load(NAME, FORMAT)
        if not token or not _well_formed(base):
            return {}
        self._token, self._base = token, base
        following, journal = self._load(JOURNAL, JOURNAL_FORMAT)
        if following != token or not _journal(journal):
            return base
        made, gone = journal
        kept = {**base, **made}
        for slug in gone:
            kept.pop(slug, None)
        return kept

    def _load(self, name: str, form: bytes) -> tuple[str, Any]:
        """The token and the content of a cache file for this run's part, or ("", None)."""
        if self.path is None:
            return "", None
        try:
            with (self.path.parent / name).open("rb") as stream, caches.uncollected(loading=True):
                if stream.readline() != form:
                    return "", None
                shared, _, token = stream.readline().decode("ascii").rstrip("\n").partition(" ")
                if shared != self.shared or not token:
                    return "", None
                return token, _Unpickler(stream).load()
        except Exception:  # noqa: BLE001  a damaged cache fails in any way unpickling can: only a slower run
            return "", None


def _journal(journal: Any) -> TypeGuard[tuple[dict[str, tuple[str, Parts]], list[str]]]:
    """A journal of the right shape: the parts made since the cache file, the ideas gone."""
    return (
        journal.__class__ is tuple
        and len(journal) == 2
        and _well_formed(journal[0])
        and journal[1].__class__ is list
        and all(slug.__class__ is str for slug in journal[1])
    )


def shared(parse_key: str, options: object, roster: Mapping[str, Person] | None, history: History) -> str:
    """The part of every idea's key that is the run's: the code, the parse cache's key,
    the options, whether there is a roster and anyone in it (core/thresholds.py counts
    teams only then; what each idea's parts read of the people is in its own key), and
    what limits the history."""
    people = None if roster is None else bool(roster)
    text = repr((code(), parse_key, options, people, history.warning, history.shallow))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_Lookup = Callable[[str], str | None]
_Printed = Callable[[str, str], str]


def _teams_and_names(roster: Mapping[str, Person]) -> tuple[_Printed, _Lookup]:
    """Each handle's team, as core/thresholds.py reads it (a person without one has none),
    printed (`repr`, which a missing one's "None" cannot be), and the name of the person
    each email belongs to, as `Catalog.person_with_email` finds it (the last entry listing
    it), as lookups."""
    teams = {handle: repr(person.team) for handle, person in roster.items() if person.team}
    names = {email: person.name for person in roster.values() for email in person.emails}
    return teams.get, names.get


_NO_EVENTS = digest([])
"""A file Git has no commit of: the digest of no events, as for a history without them."""
_TEXT = (str, type(None))
_WHEN = (datetime, type(None))


def _well_formed(kept: Any) -> TypeGuard[dict[str, tuple[str, Parts]]]:
    """A cache of the right shape, each entry's fields of the right kinds (a foreign pickle
    of dates and votes is still refused)."""
    if kept.__class__ is not dict:
        return False
    for slug, entry in kept.items():
        if slug.__class__ is not str or entry.__class__ is not tuple or len(entry) != 2:
            return False
        key, parts = entry
        if key.__class__ is not str or parts.__class__ is not tuple or len(parts) != 3:
            return False
        if not (_tally(parts[0]) and _timeline(parts[1]) and parts[2].__class__ is list):
            return False
        if not all(moment.__class__ is datetime for moment in parts[2]):
            return False
    return True


def _tally(fields: Any) -> bool:
    if fields.__class__ is not tuple or len(fields) != 6:
        return False
    votes, customers, feedback, merged, created, cast = fields
    return (
        votes.__class__ is customers.__class__ is cast.__class__ is dict
        and feedback.__class__ is int
        and merged.__class__ is tuple
        and (created is None or created.__class__ is date)
        and all(vote.__class__ is model.Vote for vote in votes.values())
        and all(vote.__class__ is model.Vote for vote in customers.values())
        and all(moment.__class__ is datetime for moment in cast.values())
    )


def _timeline(fields: Any) -> bool:
    if fields.__class__ is not tuple or len(fields) != 6:
        return False
    created, updated, contributors, pull_requests, changes, label = fields
    return (
        isinstance(created, _WHEN)
        and isinstance(updated, _WHEN)
        and contributors.__class__ is pull_requests.__class__ is changes.__class__ is tuple
        and isinstance(label, _TEXT)
    )
