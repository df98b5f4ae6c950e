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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bubbleup.core import frontmatter
from bubbleup.core.config import DEFAULTS
from bubbleup.git import runner
from bubbleup.git.file_history import Event, FileHistory, Summary

CACHE_VERSION = 4
_MARKER = "bubbleup-commit"
_FIELDS = 7
_FORMAT = f"--format=%x00{_MARKER}%x00%H%x00%P%x00%aI%x00%cI%x00%an%x00%ae%x00%s%x00"


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

    def last_change(self, path: str) -> tuple[datetime, str | None] | None:
        """When the file's value last changed, and to what (None for a file Git does not know)."""
        if self._files is None and self._summary is not None:
            known = self._summary.get(path)
            return (known[1], known[2]) if known else None
        entry = self.files.get(path)
        if entry is None or not entry.events:
            return None
        last = entry.changes()[-1]
        return last.when, last.value


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


def _summarised(
    root: Path, folder: Path, patterns: tuple[str, ...], cache: Path, key: dict, head: str
) -> History | None:
    """A history that starts from the cache's summary of dates at `head`, if there is one;
    its whole histories are read at `head` when first asked for."""
    from bubbleup.git import history_cache

    summary = history_cache.summary(cache, key, head)
    if summary is None:
        return None

    def load() -> History:
        return read(root, folder, patterns, cache, whole=head)

    return History(None, summary=summary, whole=load)


def read(
    root: Path,
    folder: Path,
    patterns: tuple[str, ...] = DEFAULTS.pull_request_patterns,
    cache_dir: Path | None = None,
    since: str | None = None,
    paths: list[str] | None = None,
    whole: str | None = None,
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
    """
    from bubbleup.git import history_cache

    state = runner.repository_state(root)
    if state not in (None, "shallow"):
        return History({}, f"{state}: dates come from front matter only")
    warning = None
    if state == "shallow":
        warning = "shallow clone: dates from Git may be too recent; fetch the full history (fetch-depth: 0)"
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    prefix = "" if relative == "." else relative + "/"
    compiled = [re.compile(p) for p in patterns]
    head = whole or runner.head(root)
    key = {"version": CACHE_VERSION, "folder": prefix, "patterns": list(patterns), "shallow": state == "shallow"}
    if paths == []:
        return History({}, warning, state == "shallow", 0)
    cache = None if since or paths is not None else cache_dir
    summarised = _summarised(root, folder, patterns, cache, key, head) if cache and not whole else None
    if summarised is not None:
        summarised.warning, summarised.shallow = warning, state == "shallow"
        return summarised
    files: dict[str, FileHistory] = {}
    revisions = f"{since}..{head}" if since else head
    cached = history_cache.load(cache, key)
    if cached is not None:
        cached_head, cached_files = cached
        if cached_head == head:
            if cache is not None and whole is None:  # the summary was missing or damaged
                history_cache.save_summary(cache, key, head, cached_files)
            return History(cached_files, warning, state == "shallow", 0)
        if runner.is_ancestor(root, cached_head, head):
            files, revisions = cached_files, f"{cached_head}..{head}"
    commits = _log(root, prefix, revisions, paths)
    _apply(files, commits, _pull_requests(commits, head, compiled), prefix)
    _fill_values(root, files, prefix)
    if cache is not None:
        history_cache.save(cache, key, head, files)
    return History(files, warning, state == "shallow", len(commits))
