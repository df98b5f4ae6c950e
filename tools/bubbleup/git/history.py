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

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bubbleup.core import frontmatter
from bubbleup.core.config import DEFAULTS
from bubbleup.git import runner

CACHE_VERSION = 4
_MARKER = "bubbleup-commit"
_FIELDS = 7
_FORMAT = f"--format=%x00{_MARKER}%x00%H%x00%P%x00%aI%x00%cI%x00%an%x00%ae%x00%s%x00"


@dataclass(slots=True)
class Event:
    """One commit's change to one file."""

    commit: str
    when: datetime
    name: str
    email: str
    blob: str | None
    """The file's content after the commit (None once deleted)."""
    value: str | None = None
    """The idea's status or the feedback's vote after the commit."""
    pull_request: int | None = None
    position: int = 0
    """The commit's place in the log, parents before children: what orders the events of
    different files (author dates are whatever the author typed, backdated or not)."""

    def as_list(self) -> list:
        return [
            self.commit,
            self.when.isoformat(),
            self.name,
            self.email,
            self.blob,
            self.value,
            self.pull_request,
            self.position,
        ]

    @classmethod
    def from_list(cls, raw: list) -> Event:
        return cls(raw[0], datetime.fromisoformat(raw[1]), raw[2], raw[3], raw[4], raw[5], raw[6], raw[7])


@dataclass
class FileHistory:
    """Every commit that changed one file, oldest first, under its latest name."""

    events: list[Event] = field(default_factory=list)

    @property
    def created(self) -> datetime | None:
        return self.events[0].when if self.events else None

    @property
    def updated(self) -> datetime | None:
        return self.events[-1].when if self.events else None

    @property
    def authors(self) -> list[tuple[str, str]]:
        """(name, email) of each commit author, newest first, each once."""
        return list(dict.fromkeys((e.name, e.email) for e in reversed(self.events)))

    @property
    def pull_requests(self) -> list[int]:
        return sorted({e.pull_request for e in self.events if e.pull_request is not None})

    def changes(self) -> list[Event]:
        """The events that changed the value (status or vote), the first one included."""
        if len(self.events) < 2:  # most files: one commit added them
            return list(self.events)
        found, previous = [], object()
        for event in self.events:
            if event.value != previous:
                found.append(event)
                previous = event.value
        return found


@dataclass(frozen=True)
class History:
    """File histories by path (relative to the site's root), and what limits them."""

    files: dict[str, FileHistory]
    warning: str | None = None
    shallow: bool = False
    commits_read: int = 0
    """How many commits this read parsed (fewer than all when the cache was used)."""

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)

    def value_changes(self, path: str) -> list[tuple[datetime, str | None]]:
        """When the file's value (a vote, a status) took each of its values, oldest first."""
        entry = self.files.get(path)
        return [(event.when, event.value) for event in entry.changes()] if entry else []

    def created(self, path: str) -> datetime | None:
        entry = self.files.get(path)
        return entry.created if entry else None


@dataclass(slots=True)
class _Commit:
    sha: str
    parents: list[str]
    when: datetime
    name: str
    email: str
    subject: str
    changes: list[tuple[str, str, list[str]]]  # (status letter, new blob, paths)


def _parse(output: str) -> list[_Commit]:
    """The commits of a `git log -z` in the `_FORMAT` layout.

    Every field is NUL-terminated and read by position, so no byte an author can put in
    a name or a subject (a record separator, a newline, the marker itself) can shift a
    field: git refuses NUL in names and commit messages. A record that does not have the
    expected shape is skipped rather than trusted.
    """
    tokens = output.split("\0")
    commits: list[_Commit] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token != _MARKER:
            continue  # the separators git adds between records
        fields = tokens[position : position + _FIELDS]
        position += _FIELDS
        if len(fields) < _FIELDS:
            break
        sha, parents, authored, committed, name, email, subject = fields
        changes: list[tuple[str, str, list[str]]] = []
        while position < len(tokens):
            meta = tokens[position].lstrip("\n")
            if not meta:
                position += 1
                continue
            if not meta.startswith(":"):
                break
            parts = meta.split()
            count = 2 if parts and len(parts) >= 5 and parts[4][:1] in ("R", "C") else 1
            paths = tokens[position + 1 : position + 1 + count]
            position += 1 + count
            if len(parts) >= 5 and len(paths) == count and all(paths):
                changes.append((parts[4][0], parts[3], paths))
        commits.append(_Commit(sha, parents.split(), _moment(authored, committed), name, email, subject, changes))
    return commits


def _moment(authored: str, committed: str) -> datetime:
    """The author date; the commit date if the author date is not one Python reads."""
    for text in (authored, committed):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            continue
    return datetime.fromtimestamp(0, UTC)


def _pull_requests(commits: list[_Commit], head: str, patterns: list[re.Pattern]) -> dict[str, int]:
    """Which pull request brought each commit in (for the commits given)."""
    by_sha = {c.sha: c for c in commits}
    mainline, sha = [], head
    while sha in by_sha:
        mainline.append(sha)
        sha = by_sha[sha].parents[0] if by_sha[sha].parents else ""
    on_mainline = set(mainline)
    credited: dict[str, int] = {}
    for sha in reversed(mainline):
        commit = by_sha[sha]
        number = _number(commit.subject, patterns)
        if number is None or len(commit.parents) < 2:
            continue
        stack = list(commit.parents[1:])
        while stack:
            branch = stack.pop()
            if branch in by_sha and branch not in on_mainline and branch not in credited:
                credited[branch] = number
                stack.extend(by_sha[branch].parents)
    for commit in commits:
        if commit.sha not in credited and len(commit.parents) < 2:
            number = _number(commit.subject, patterns)
            if number is not None:
                credited[commit.sha] = number
    return credited


def _number(subject: str, patterns: list[re.Pattern]) -> int | None:
    for pattern in patterns:
        match = pattern.search(subject)
        if match:
            return int(match.group(1))
    return None


def _apply(files: dict[str, FileHistory], commits: list[_Commit], credited: dict[str, int], prefix: str) -> None:
    """Add the commits' changes (parents first) to the file index, moving renamed files."""
    first = 1 + max((event.position for entry in files.values() for event in entry.events), default=-1)
    for position, commit in enumerate(commits, first):
        for status, blob, paths in commit.changes:
            path = f"{prefix}{paths[-1]}"
            if status in ("R", "C") and len(paths) == 2:
                old = files.pop(f"{prefix}{paths[0]}", None) if status == "R" else None
                if old is not None:
                    files.setdefault(path, FileHistory()).events[:0] = old.events
            if status == "D":
                files.pop(path, None)
                continue
            files.setdefault(path, FileHistory()).events.append(
                Event(
                    commit.sha, commit.when, commit.name, commit.email, blob, None, credited.get(commit.sha), position
                )
            )


def front_value(data: bytes, key: str) -> str:
    """A front matter key's value in one past version of a file, read as the loader reads it."""
    default = "proposed" if key == "status" else "none"
    return frontmatter.scalar_text(data.decode("utf-8", "replace").removeprefix("\ufeff"), key, default)


def _fill_values(root: Path, files: dict[str, FileHistory], prefix: str) -> None:
    """Read the status of each idea version and the vote of each feedback version."""
    wanted: dict[str, list[tuple[Event, str]]] = {}
    for path, entry in files.items():
        if not path.endswith(".md"):
            continue
        key = "vote" if "/" in path[len(prefix) :] else "status"
        for event in entry.events:
            if event.value is None and event.blob:
                wanted.setdefault(event.blob, []).append((event, key))
    for blob, data in runner.read_blobs(root, wanted).items():
        for event, key in wanted[blob]:
            event.value = front_value(data, key)


def _cache_path(cache_dir: Path | None) -> Path | None:
    return cache_dir / "history.json" if cache_dir is not None else None


def _load_cache(path: Path | None, key: dict) -> tuple[str, dict[str, FileHistory]] | None:
    """The head and the file histories a previous run saved, or None if there are none
    (or they are damaged, foreign or from another version: only a slower run)."""
    if path is None or not path.is_file():
        return None
    try:
        raw = json.loads(path.read_bytes())
        if not isinstance(raw, dict) or raw.get("key") != key or not isinstance(raw.get("head"), str):
            return None
        commits = [_commit(*row) for row in raw["commits"]]
        files = {}
        for name, rows in raw["files"].items():
            events = []
            for index, blob, value in rows:
                if index < 0 or blob.__class__ not in _TEXT or value.__class__ not in _TEXT:
                    return None
                sha, when, author, email, number, position = commits[index]
                events.append(Event(sha, when, author, email, blob, value, number, position))
            files[name] = FileHistory(events)
        return raw["head"], files
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


_TEXT = (str, type(None))


def _commit(sha: str, when: str, name: str, email: str, number: int | None, position: int) -> tuple:
    """What the events of one commit share, checked: text, a date, a pull request, a position."""
    if not (sha.__class__ is name.__class__ is email.__class__ is str and position.__class__ is int):
        raise TypeError("a commit of the history cache is damaged")
    if number is not None and number.__class__ is not int:
        raise TypeError("a pull request of the history cache is damaged")
    return sha, datetime.fromisoformat(when), name, email, number, position


def _save_cache(path: Path | None, key: dict, head: str, files: dict[str, FileHistory]) -> None:
    """Save the histories with what each commit's events share written once (a commit
    changes many files), which makes the file less than half as large and quicker to read."""
    if path is None:
        return
    from bubbleup.core import caches

    commits: dict[tuple, int] = {}
    rows = {}
    for name, entry in files.items():
        found = []
        for e in entry.events:
            shared = (e.commit, e.when.isoformat(), e.name, e.email, e.pull_request, e.position)
            found.append((commits.setdefault(shared, len(commits)), e.blob, e.value))
        rows[name] = found
    payload = {"key": key, "head": head, "commits": list(commits), "files": rows}
    caches.write(path, json.dumps(payload, separators=(",", ":")).encode("utf-8"))


def _log(root: Path, prefix: str, revisions: str, paths: list[str] | None) -> list[_Commit]:
    """The commits of `revisions`, parents first, with their changes under the ideas folder
    (and with `paths`, every commit that touched one of them: `--full-history`)."""
    within = runner.prefix(root) + prefix  # --relative= counts from the repository's top
    output = runner.log(
        root,
        "--reverse",
        "--topo-order",
        "-z",
        _FORMAT,
        "--raw",
        "--no-abbrev",
        "-M",
        f"--relative={within}" if within else "--relative",
        revisions,
        *(["--full-history", "--", *paths] if paths is not None else []),
    )
    return _parse(output)


def read(
    root: Path,
    folder: Path,
    patterns: tuple[str, ...] = DEFAULTS.pull_request_patterns,
    cache_dir: Path | None = None,
    since: str | None = None,
    paths: list[str] | None = None,
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
    """
    state = runner.repository_state(root)
    if state not in (None, "shallow"):
        return History({}, f"{state}: dates come from front matter only")
    warning = None
    if state == "shallow":
        warning = "shallow clone: dates from Git may be too recent; fetch the full history (fetch-depth: 0)"
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    prefix = "" if relative == "." else relative + "/"
    compiled = [re.compile(p) for p in patterns]
    head = runner.head(root)
    key = {"version": CACHE_VERSION, "folder": prefix, "patterns": list(patterns), "shallow": state == "shallow"}
    if paths == []:
        return History({}, warning, state == "shallow", 0)
    cache = None if since or paths is not None else _cache_path(cache_dir)
    files: dict[str, FileHistory] = {}
    revisions = f"{since}..{head}" if since else head
    cached = _load_cache(cache, key)
    if cached is not None:
        cached_head, cached_files = cached
        if cached_head == head:
            return History(cached_files, warning, state == "shallow", 0)
        if runner.is_ancestor(root, cached_head, head):
            files, revisions = cached_files, f"{cached_head}..{head}"
    commits = _log(root, prefix, revisions, paths)
    _apply(files, commits, _pull_requests(commits, head, compiled), prefix)
    _fill_values(root, files, prefix)
    if cache is not None:
        _save_cache(cache, key, head, files)
    return History(files, warning, state == "shallow", len(commits))
