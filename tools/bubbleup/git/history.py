"""Git history in one pass: when each file changed, by whom, in which pull request, to what.

Running git once per file is what makes date plugins slow on big sites. Here one
`git log --raw` over the whole history (restricted to the ideas folder's changes) is
indexed by path, following renames, and one `git cat-file --batch` reads the status of
each idea version and the vote of each feedback version. The result is cached per
commit under .bubbleup-cache/, and the next run reads only the commits since.

Pull requests are found from commit subjects: a merge commit that matches one of the
patterns ("Merge pull request #12 from ...") credits every commit its branch brought in;
any other matching commit ("Subject (#12)", a squash merge) credits itself.

No repository, a repository without commits, and a shallow clone degrade to a warning
(with dates labelled as unknown or possibly too recent), never a crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bubbleup.core.config import DEFAULTS
from bubbleup.git import commit_log, history_credit, history_journal, runner
from bubbleup.git.commit_log import Commit
from bubbleup.git.file_history import Event, FileHistory, Summary, next_position

if TYPE_CHECKING:
    from bubbleup.core.model import Feedback

CACHE_VERSION = 8
_SHALLOW = "shallow clone: dates from Git may be too recent; fetch the full history (fetch-depth: 0)"


class History:
    """File histories by path (relative to the site's root), and what limits them.

    Read from the cache at the same commit, a history holds at first only what dates ideas
    and votes: each file's first date and its last change of value (`Summary`). The whole
    histories (`files`) are read when something first asks for them, so that `tally`,
    which needs only those dates, does not make an event for each of 116,000 changes.
    """

    def __init__(
        self,
        files: dict[str, FileHistory] | None = None,
        warning: str | None = None,
        shallow: bool = False,
        commits_read: int = 0,
        *,
        summary: dict[str, Summary] | None = None,
        whole: Callable[[], History] | None = None,
    ):
        self._files = files
        self._summary = summary
        self._whole = whole
        self.warning = warning
        self.shallow = shallow
        self.commits_read = commits_read
        """How many commits this read parsed (fewer than all when the cache was used)."""

    @property
    def files(self) -> dict[str, FileHistory]:
        if self._files is None:
            whole = self._whole() if self._whole is not None else History({})
            self._files, self.commits_read = whole.files, whole.commits_read
        return self._files

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)

    def value_changes(self, path: str) -> list[tuple[datetime, str | None]]:
        """When the file's value (a vote, a status) took each of its values, oldest first."""
        entry = self.files.get(path)
        return [(event.when, event.value) for event in entry.changes()] if entry else []

    def created(self, path: str) -> datetime | None:
        if self._files is None and self._summary is not None:
            known = self._summary.get(path)
            return known[0] if known else None
        entry = self.files.get(path)
        return entry.created if entry else None

    def cast(self, feedback: Iterable[Feedback], now: datetime) -> dict[str, datetime]:
        """By path, when each feedback file's current vote was cast: its last change of value
        if that was to this vote, else `now` (uncommitted, or changed since). Read from the
        summary while this history holds only it, one lookup per file (not a call of
        `last_change`: 100,000 at 10,000 ideas); `_value_` is the vote's value as Enum keeps
        it (`.value` costs a descriptor call per file)."""
        cast: dict[str, datetime] = {}
        if self._files is None and self._summary is not None:
            known = self._summary.get
            for item in feedback:
                dated = known(path := item.path)
                cast[path] = dated[1] if dated is not None and dated[2] == item.vote._value_ else now
            return cast
        for item in feedback:
            last = self.last_change(path := item.path)
            cast[path] = last[0] if last is not None and last[1] == item.vote._value_ else now
        return cast

    def last_change(self, path: str) -> tuple[datetime, str | None] | None:
        """When the file's value last changed, and to what (None for a file Git does not know)."""
        if self._files is None and self._summary is not None:
            known = self._summary.get(path)
            return (known[1], known[2]) if known else None
        entry = self.files.get(path)
        return entry.last_change() if entry is not None else None


def _apply(
    files: dict[str, FileHistory],
    commits: list[Commit],
    credited: dict[str, int],
    prefix: str,
    first: int,
) -> list[list[Event | None]]:
    """Add the commits' changes (parents first) to the file index, moving renamed files.

    The commits take the places in the log from `first` on. Returns each commit's events, one per change (None for a deletion),
    so that the values read for them can be kept in the journal."""
    made: list[list[Event | None]] = []
    for position, commit in enumerate(commits, first):
        events: list[Event | None] = []
        made.append(events)
        for status, blob, paths, value in commit.changes:
            path = f"{prefix}{paths[-1]}"
            if status in ("R", "C") and len(paths) == 2:
                old = files.pop(f"{prefix}{paths[0]}", None) if status == "R" else None
                if old is not None:
                    files.setdefault(path, FileHistory()).events[:0] = old.events
            if status == "D":
                files.pop(path, None)
                events.append(None)
                continue
            event = Event(
                commit.sha, commit.when, commit.name, commit.email, blob, value, credited.get(commit.sha), position
            )
            files.setdefault(path, FileHistory()).events.append(event)
            events.append(event)
    return made


front_value = commit_log.front_value


def _fill_values(root: Path, files: dict[str, FileHistory], prefix: str, commits: list[Commit]) -> None:
    """Read the status of each idea version and the vote of each feedback version, for the
    files the commits changed (the others' values were read before; a file renamed to .md
    holds its earlier versions among its events, read now)."""
    wanted: dict[str, list[tuple[Event, str]]] = {}
    touched = {f"{prefix}{paths[-1]}" for commit in commits for _, _, paths, _ in commit.changes}
    for path in touched:
        key, entry = commit_log.value_key(path, prefix), files.get(path)
        if key is None or entry is None:
            continue
        for event in entry.events:
            if event.value is None and event.blob:
                wanted.setdefault(event.blob, []).append((event, key))
    for blob, data in runner.read_blobs(root, wanted).items():
        for event, key in wanted[blob]:
            event.value = front_value(data, key)


def _summarised(
    root: Path, folder: Path, patterns: tuple[str, ...], cache: Path, key: dict, head: str, prefix: str
) -> History | None:
    """A history that starts from the cache's summary of dates, brought to `head` by the
    journal and by the commits since (git/history_dates.py); its whole histories are read
    at `head` when first asked for."""
    from bubbleup.git import history_dates

    found = history_dates.dates(root, cache, key, head, prefix, [re.compile(p) for p in patterns])
    if found is None:
        return None
    summary, commits_read = found

    def load() -> History:
        return read(root, folder, patterns, cache, whole=head)

    return History(None, commits_read=commits_read, summary=summary, whole=load)


@dataclass
class _Restored:
    """The cache as a run found it: the histories at `base`, with the journal replayed on them."""

    base: str
    journal: history_journal.Journal | None
    files: dict[str, FileHistory]

    @property
    def head(self) -> str:
        return self.journal.head if self.journal is not None else self.base

    def add(self, first: int, commits: list[Commit], made: list[list[Event | None]], credited: dict) -> None:
        """Note the commits this run read after the cache's head, with the values read for them."""
        entries = []
        for commit, events in zip(commits, made, strict=True):
            changes = [
                (status, blob, paths, event.value if event is not None else None)
                for (status, blob, paths, _), event in zip(commit.changes, events, strict=True)
            ]
            entry = history_journal.Entry(
                commit.sha, commit.when, commit.name, commit.email, credited.get(commit.sha), changes
            )
            entries.append(entry)
        journal = self.journal or history_journal.Journal(self.base, self.base, [])
        self.journal = history_journal.Journal(self.base, commits[-1].sha, [*journal.batches, (first, entries)])


def _restore(root: Path, cache: Path, key: dict, head: str, prefix: str) -> _Restored | None:
    """The histories the cache holds, brought forward by its journal when the journal leads
    towards `head` (one that does not, after a rebase or a reset, is set aside)."""
    from bubbleup.git import history_cache

    loaded = history_cache.load(cache, key)
    if loaded is None:
        return None
    base, files = loaded
    journal = history_journal.load(cache, key, base)
    if journal is not None and journal.head != head and not runner.is_ancestor(root, journal.head, head):
        journal = None
    if journal is not None:
        for first, entries in journal.batches:
            commits = [Commit(e.sha, [], e.when, e.name, e.email, "", e.changes) for e in entries]
            credited = {e.sha: e.pull_request for e in entries if e.pull_request is not None}
            _apply(files, commits, credited, prefix, first)
            if any(change[0] == "R" for e in entries for change in e.changes):
                _fill_values(root, files, prefix, commits)  # a file renamed to .md: its earlier values
    return _Restored(base, journal, files)


def _keep(
    cache: Path,
    key: dict,
    restored: _Restored | None,
    head: str,
    files: dict[str, FileHistory],
    fresh: tuple | None,
    whole: bool = False,
) -> None:
    """Keep what this run read: in the journal when `files` are the cache's brought forward
    by new commits only (not `whole`: older events changed too)."""
    follows = restored is not None and files is restored.files
    if restored is not None and follows and fresh is not None and not whole:
        restored.add(*fresh)
    _store(cache, key, restored if follows else None, head, files, fold=whole)


def _store(
    cache: Path, key: dict, restored: _Restored | None, head: str, files: dict[str, FileHistory], fold: bool = False
) -> None:
    """Keep the histories at `head`: in the journal while it is short and the summary it
    brings forward is sound, else whole with the summary (`fold`: whole even so), which
    starts the journal afresh."""
    from bubbleup.git import history_cache

    journal = restored.journal if restored is not None else None
    short = not fold and journal is not None and journal.head == head and journal.size <= history_journal.FOLD_AFTER
    if journal is not None and short and (history_cache.summary_head(cache, key) or ("",))[0] == journal.base:
        history_journal.save(cache, key, journal)
    elif journal is None and restored is not None and restored.base == head:
        history_cache.save_summary(cache, key, head, files)
    else:
        history_cache.save(cache, key, head, files)
        history_journal.drop(cache)


def _journal_next(restored: _Restored | None, files: dict[str, FileHistory]) -> int | None:
    """Where the journal that `files` were brought forward by leaves off in the log, if any."""
    if restored is None or files is not restored.files or restored.journal is None:
        return None
    return restored.journal.next


def _commits_to_read(
    root: Path, prefix: str, restored: _Restored | None, head: str, revisions: str, paths: list[str] | None
) -> tuple[dict[str, FileHistory], list[Commit]]:
    """The histories to add to (the cache's, or none) and the commits to add to them.

    The cache's are brought forward only when its head is on the head's first-parent line:
    then the commits since follow the cached ones in the order a fresh read gives them
    (`commit_log.in_graph_order`). A head merged in from a branch, after a build on that
    branch, is read afresh instead: the main line's commits go before the branch's, so
    each file's events, and which commit cast a vote, would otherwise differ."""
    if restored is not None and runner.is_ancestor(root, restored.head, head):
        commits = commit_log.log(root, prefix, f"{restored.head}..{head}", None)
        if commit_log.on_first_parents(commits, restored.head, head):
            return restored.files, commits
    return {}, commit_log.log(root, prefix, revisions, paths)


def _read_commits(
    root: Path,
    prefix: str,
    commits: list[Commit],
    head: str,
    patterns: list[re.Pattern],
    files: dict[str, FileHistory],
    following: int | None,
) -> tuple[int, list[Commit], list[list[Event | None]], dict[str, int]] | None:
    """Add `commits` to `files`, with their values, the first at the place in
    the log `following` (by default, after every event `files` holds); what was read is returned
    (the first commit's place in the log, the commits, their events, their pull requests)
    for the journal, or None if there was no commit to read."""
    first = _next_position(files) if following is None else following
    credited = commit_log.pull_requests(commits, head, patterns)
    made = _apply(files, commits, credited, prefix, first)
    _fill_values(root, files, prefix, commits)
    return (first, commits, made, credited) if commits else None


def _recredited(
    root: Path, restored: _Restored | None, files: dict, fresh: tuple | None, head: str, patterns: list[re.Pattern]
) -> bool:
    """Whether the commits just read onto the cache's histories change the pull requests of
    older commits (git/history_credit.py); if so, every event is credited again as a fresh
    read credits it, and the histories must be kept whole (the journal adds commits only)."""
    if restored is None or files is not restored.files or fresh is None:
        return False
    if history_credit.hold(root, restored.head, head, fresh[1], patterns):
        return False
    history_credit.recredit(root, head, patterns, files)
    return True


def _next_position(files: dict[str, FileHistory]) -> int:
    """The place in the log of the next commit read: after every event the index holds
    (and every commit of the cache it was read from, `file_history.next_position`)."""
    return next_position(files.values())


def read(
    root: Path,
    folder: Path,
    patterns: tuple[str, ...] = DEFAULTS.pull_request_patterns,
    cache_dir: Path | None = None,
    since: str | None = None,
    paths: list[str] | None = None,
    whole: str | None = None,
    dates: bool = True,
) -> History:
    """Read the history of every file under `folder` (or of `paths` only).

    Args:
        root: the site's root (paths are made relative to it).
        folder: the ideas folder.
        patterns: regular expressions with one group, the pull request number.
        cache_dir: where to keep the cache; None for no cache.
        since: only the commits after this one (for a pull request's own changes).
        paths: only these files and folders (git/scoped.py), without the cache: a file renamed
            into one from a path not among them is dated from the rename; pull requests come
            from squash subjects only.
        whole: the head whose whole histories to read (a `History` read from the cache's
            summary reads them so, when first asked, at the head the summary was for).
        dates: start from the cache's summary of dates (not when the whole histories will be read).
    """

    state = runner.repository_state(root)
    if state not in (None, "shallow"):
        return History({}, f"{state}: dates come from front matter only")
    warning = _SHALLOW if state == "shallow" else None
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    prefix = "" if relative == "." else relative + "/"
    compiled = [re.compile(p) for p in patterns]
    head = whole or runner.head(root)
    key = {"version": CACHE_VERSION, "folder": prefix, "patterns": list(patterns), "shallow": state == "shallow"}
    if paths == []:
        return History({}, warning, state == "shallow", 0)
    cache = None if since or paths is not None else cache_dir
    summarised = (
        _summarised(root, folder, patterns, cache, key, head, prefix) if cache and dates and not whole else None
    )
    if summarised is not None:
        summarised.warning, summarised.shallow = warning, state == "shallow"
        return summarised
    revisions = f"{since}..{head}" if since else head
    restored = _restore(root, cache, key, head, prefix) if cache is not None else None
    if restored is not None and restored.head == head:
        if cache is not None and whole is None and dates:  # the summary was missing or damaged
            _store(cache, key, restored, head, restored.files, fold=restored.journal is not None)
        return History(restored.files, warning, state == "shallow", 0)
    files, commits = _commits_to_read(root, prefix, restored, head, revisions, paths)
    fresh = _read_commits(root, prefix, commits, head, compiled, files, _journal_next(restored, files))
    recredited = _recredited(root, restored, files, fresh, head, compiled)
    if cache is not None:
        _keep(cache, key, restored, head, files, fresh, recredited)
    return History(files, warning, state == "shallow", len(fresh[1]) if fresh else 0)
