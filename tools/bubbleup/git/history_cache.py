"""The history cache: every file's history as of one commit, so the next run reads only the
commits since, and beside it the summary that dates ideas and votes.

In `history.pickle`, what a commit's events share (its id, date, author, pull request, place
in the log) is written once per commit rather than once per file it changed, as columns (a
list of ids, one of dates, ...: six lists to decode rather than a list per commit, 44,000
at 5,000 ideas); the events are columns too (each one's commit, blob and value), each file
the end of its events in them and the digest of its events (`FileHistory.digest`, for the
parts cache's keys). Columns are read and checked whole, at the speed of C, and a file's
events are made from them only when first asked for.

The file is a pickle of lists, text, numbers and None only: its unpickler builds no class
at all (`_Unpickler`), so it holds nothing but data, as JSON would; the first line names
the format, the second the key. Each text repeated in a column (a blob id shared by the
vote files of the same vote, an author's name and email, a status) is written once and
referred to after (`_shared`): at 5,000 ideas the file is 9 MB rather than 13 MB of JSON,
and loading it (with `FileHistory.all_kept`) takes a third fewer instructions.

`dates.pickle` holds, after a header of three lines (its format, its key, its commit with
the place in the log of the next commit), each file's first date and the date and value of
its last change of value: what `tally` and the rules that need dates read, without making
the 116,000 events of the synthetic 10,000 ideas. It is columns too (the distinct dates
once each as text, the files' names, the indexes of their two dates, their values), read
by the same unpickler and checked whole: at 10,000 ideas the JSON it replaces (format 1,
`dates.json`) took 0.3 s to decode and make the dict of, the pickle a third of that.
Each file names the key (version, ideas folder, pull request patterns, shallowness) and
the commit it was made at; a file for another key, format or commit, or damaged in any
way (truncated, a field of the wrong kind, an index that points at nothing), is set aside
whole, and the history is read from Git: only a slower run.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from bubbleup.core import caches
from bubbleup.git.file_history import Columns, FileHistory, Summary, next_position

_WHOLE = "history.pickle"
_FORMER = "history.json"
"""The cache of format 1 (JSON): not read, and removed when the cache is written whole."""
FORMAT = b"bubbleup history 2\n"
_DATES = "dates.pickle"
_FORMER_DATES = "dates.json"
"""The summary of format 1 (JSON): not read, and removed when the summary is written."""
SUMMARY_FORMAT = b"bubbleup dates 2\n"
_KINDS = {str, type(None)}
DAMAGE = (ValueError, KeyError, TypeError, IndexError, AttributeError)
"""What reading a damaged cache file raises (a field of the wrong kind, an index that
points at nothing): the file is set aside. The journal reads its commits the same way."""


class _Unpickler(caches.Restricted):
    """Builds no class at all: the cache holds lists, text, numbers and None."""

    what = "the history cache"


def _header(key: dict) -> bytes:
    """The format and the key, one line each: a file of another format or key is never unpickled."""
    return FORMAT + json.dumps(key, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n"


def _read(path: Path, key: dict) -> dict | None:
    raw = caches.read_pickle(path, _header(key), _Unpickler)
    if raw.__class__ is not dict or raw.get("head").__class__ is not str:
        return None
    return raw


def load(cache_dir: Path | None, key: dict) -> tuple[str, dict[str, FileHistory]] | None:
    """The head and the file histories a previous run saved, or None if there are none
    (or they are damaged, foreign or from another version)."""
    if cache_dir is None:
        return None
    with caches.uncollected(loading=True):  # 60,000 events at 5,000 ideas, which all stay
        return _load(cache_dir, key)


def _load(cache_dir: Path, key: dict) -> tuple[str, dict[str, FileHistory]] | None:
    try:
        raw = _read(cache_dir / _WHOLE, key)
        if raw is None:
            return None
        commits = _commits(raw["commits"])
        names, digests, ends = raw["names"], raw["digests"], raw["ends"]
        columns = Columns(commits, raw["commit"], raw["blob"], raw["value"])
        if not (_sound(columns) and len(names) == len(digests) == len(ends) == len(set(names))):
            return None
        # Checked as whole columns, at the speed of C: a damaged one sets the file aside.
        if not (_all(names, str) and _all(digests, str) and _all(ends, int)):
            return None
        if ends and (ends[-1] != len(columns.commit) or any(map(operator.gt, [0, *ends], ends))):
            return None
        return raw["head"], FileHistory.all_kept(columns, names, ends, digests)
    except DAMAGE:
        return None


def _all(column: list, kind: type) -> bool:
    return column.__class__ is list and set(map(type, column)) <= {kind}


def _sound(columns: Columns) -> bool:
    """Columns of one length, each event's commit one of the commits, its blob and value text or none."""
    commit, blob, value = columns.commit, columns.blob, columns.value
    if not (_all(commit, int) and blob.__class__ is value.__class__ is list and len(commit) == len(blob) == len(value)):
        return False
    if commit and not (min(commit) >= 0 and max(commit) < len(columns.commits)):
        return False
    return set(map(type, blob)) <= _KINDS and set(map(type, value)) <= _KINDS


def _summary_header(key: dict, head: str, following: int) -> bytes:
    """The summary's three lines of header: its format, its key, and the commit it was made
    at with the place in the log of the commit after it."""
    where = json.dumps({"head": head, "next": following}, separators=(",", ":")).encode("utf-8")
    return SUMMARY_FORMAT + _header(key)[len(FORMAT) :] + where + b"\n"


def _summary_where(stream: BinaryIO, key: dict) -> tuple[str, int] | None:
    """The commit and the next place in the log that the summary's header names, the stream
    left at its pickle; None for another format or key, or a damaged header."""
    if stream.readline() != SUMMARY_FORMAT or stream.readline() != _header(key)[len(FORMAT) :]:
        return None
    where = json.loads(stream.readline())
    head, following = where["head"], where["next"]
    if head.__class__ is not str or following.__class__ is not int or following < 0:
        return None
    return head, following


def summary_head(cache_dir: Path, key: dict) -> tuple[str, int] | None:
    """The commit the summary was made at and the place in the log of the commit after it,
    read from its header alone (a build, which needs the whole histories, reads no more
    of it); None if it was made for another key or is damaged."""
    try:
        with (cache_dir / _DATES).open("rb") as stream:
            return _summary_where(stream, key)
    except (*DAMAGE, OSError):
        return None


def summary(cache_dir: Path, key: dict, head: str) -> dict[str, Summary] | None:
    """Each file's first date and last change of value at `head`, or None if the summary
    was made at another commit, for another key, or is damaged in any way."""
    try:
        with (cache_dir / _DATES).open("rb") as stream, caches.uncollected(loading=True):
            where = _summary_where(stream, key)
            if where is None or where[0] != head:
                return None
            raw = _Unpickler(stream).load()
            return _from_columns(raw["dates"], raw["names"], raw["created"], raw["changed"], raw["values"])
    except Exception:  # noqa: BLE001  a damaged cache fails in any way unpickling can
        return None


def _from_columns(dates: list, names: list, created: list, changed: list, values: list) -> dict[str, Summary] | None:
    """The summary from its columns, each checked whole (at the speed of C, as the history's):
    text for the dates and names, indexes into the dates, a value text or none, one name
    each; None if one is not so (`fromisoformat` raises ValueError for a date that is not one)."""
    if not (_all(dates, str) and _all(names, str) and _all(created, int) and _all(changed, int)):
        return None
    if values.__class__ is not list or not set(map(type, values)) <= _KINDS:
        return None
    if not len(names) == len(created) == len(changed) == len(values):
        return None
    if names and (min(created) < 0 or min(changed) < 0 or max(max(created), max(changed)) >= len(dates)):
        return None
    at = list(map(datetime.fromisoformat, dates)).__getitem__
    found = dict(zip(names, zip(map(at, created), map(at, changed), values, strict=True), strict=True))
    return found if len(found) == len(names) else None


COMMIT_FIELDS = ("sha", "when", "name", "email", "pull_request", "position")
"""The columns of what the events of each commit share, in the order of `file_history.Shared`."""


def _commits(columns: dict) -> list[tuple]:
    """What the events of each commit share, from its columns, each checked whole: text, a
    date, a pull request, a position, all of one length. Raises TypeError, KeyError or ValueError."""
    shas, whens, names, emails, numbers, positions = (columns[field] for field in COMMIT_FIELDS)
    if not (_all(shas, str) and _all(whens, str) and _all(names, str) and _all(emails, str)):
        raise TypeError("a commit of the history cache is damaged")
    if not (numbers.__class__ is list and set(map(type, numbers)) <= {int, type(None)} and _all(positions, int)):
        raise TypeError("a pull request or a position of the history cache is damaged")
    return list(zip(shas, map(datetime.fromisoformat, whens), names, emails, numbers, positions, strict=True))


def checked_commit(
    sha: str, when: str, name: str, email: str, number: int | None
) -> tuple[str, datetime, str, str, int | None]:
    """A commit as a cache file stores it, checked: its id, author and email are text, its
    date is one, its pull request a number or none. Raises TypeError or ValueError."""
    if not (sha.__class__ is name.__class__ is email.__class__ is str):
        raise TypeError("a commit of the history cache is damaged")
    if number is not None and number.__class__ is not int:
        raise TypeError("a pull request of the history cache is damaged")
    return sha, datetime.fromisoformat(when), name, email, number


def save(cache_dir: Path, key: dict, head: str, files: dict[str, FileHistory]) -> None:
    """Save the histories and their summary, both as of `head`."""
    commits: dict[tuple, int] = {}
    commit: list[int] = []
    blob: list[str | None] = []
    value: list[str | None] = []
    ends, digests = [], []
    for entry in files.values():
        for e in entry.events:
            shared = (e.commit, e.when.isoformat(), e.name, e.email, e.pull_request, e.position)
            commit.append(commits.setdefault(shared, len(commits)))
            blob.append(e.blob)
            value.append(e.value)
        ends.append(len(commit))
        digests.append(entry.digest)
    rows = [_shared(column) for column in zip(*commits, strict=True)] if commits else [[] for _ in COMMIT_FIELDS]
    whole: dict[str, object] = {
        **{"head": head, "commits": dict(zip(COMMIT_FIELDS, rows, strict=True))},
        **{"names": list(files), "digests": digests},
        **{"ends": ends, "commit": commit, "blob": _shared(blob), "value": _shared(value)},
    }
    caches.write_pickle(cache_dir / _WHOLE, _header(key), whole)
    with suppress(OSError):
        (cache_dir / _FORMER).unlink(missing_ok=True)
    save_summary(cache_dir, key, head, files)


def _shared(column: Iterable[Any]) -> list[Any]:
    """The column with each equal text the same object, which pickling writes once and then
    refers to: 10,000 blob ids for 60,000 events at 5,000 ideas, 1,000 authors for 44,000 commits."""
    seen: dict[Any, Any] = {}
    return [seen.setdefault(item, item) for item in column]


def save_summary(cache_dir: Path, key: dict, head: str, files: dict[str, FileHistory]) -> None:
    """Save the first date and last change of value of each file, as of `head`: columns
    (the distinct dates once each, as text; each file's name, the indexes of its two dates
    and its value), after a header that `summary_head` reads alone."""
    dates: dict[str, int] = {}
    names: list[str] = []
    created: list[int] = []
    changed: list[int] = []
    values: list[str | None] = []
    for name, entry in files.items():
        last, first = entry.last_change(), entry.created
        if last is not None and first is not None:
            names.append(name)
            created.append(dates.setdefault(first.isoformat(), len(dates)))
            changed.append(dates.setdefault(last[0].isoformat(), len(dates)))
            values.append(last[1])
    columns = {"dates": list(dates), "names": names, "created": created, "changed": changed, "values": _shared(values)}
    caches.write_pickle(cache_dir / _DATES, _summary_header(key, head, next_position(files.values())), columns)
    with suppress(OSError):
        (cache_dir / _FORMER_DATES).unlink(missing_ok=True)
