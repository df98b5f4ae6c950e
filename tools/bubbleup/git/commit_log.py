"""The commits of one `git log` pass over the ideas folder, and the pull requests that brought
them in (git/history.py indexes them by file)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bubbleup.core import frontmatter
from bubbleup.git import runner
from bubbleup.git.history_journal import Change

_MARKER = "bubbleup-commit"
_FIELDS = 7
_FORMAT = f"--format=%x00{_MARKER}%x00%H%x00%P%x00%aI%x00%cI%x00%an%x00%ae%x00%s%x00"


@dataclass(slots=True)
class Commit:
    sha: str
    parents: list[str]
    when: datetime
    name: str
    email: str
    subject: str
    changes: list[Change]  # (status letter, new blob, paths, value: None until read)


def parse(output: str) -> list[Commit]:
    """The commits of a `git log -z` in the `_FORMAT` layout.

    Every field is NUL-terminated and read by position, so no byte an author can put in
    a name or a subject (a record separator, a newline, the marker itself) can shift a
    field: git refuses NUL in names and commit messages. A record that does not have the
    expected shape is skipped rather than trusted.
    """
    tokens = output.split("\0")
    commits: list[Commit] = []
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
        changes: list[Change] = []
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
                changes.append((parts[4][0], parts[3], paths, None))
        commits.append(Commit(sha, parents.split(), _moment(authored, committed), name, email, subject, changes))
    return commits


def _moment(authored: str, committed: str) -> datetime:
    """The author date; the commit date if the author date is not one Python reads."""
    for text in (authored, committed):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            continue
    return datetime.fromtimestamp(0, UTC)


def pull_requests(commits: list[Commit], head: str, patterns: list[re.Pattern]) -> dict[str, int]:
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
        number = number_in(commit.subject, patterns)
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
            number = number_in(commit.subject, patterns)
            if number is not None:
                credited[commit.sha] = number
    return credited


def number_in(subject: str, patterns: list[re.Pattern]) -> int | None:
    """The pull request a commit's subject names, by the first pattern that matches."""
    for pattern in patterns:
        match = pattern.search(subject)
        if match:
            return int(match.group(1))
    return None


def log(root: Path, prefix: str, revisions: str, paths: list[str] | None) -> list[Commit]:
    """The commits of `revisions`, parents first (`in_graph_order`), with their changes under
    the ideas folder (and with `paths`, every commit that touched one of them:
    `--full-history`, in Git's order, as their parents may be commits the walk left out)."""
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
    commits = parse(output)
    return in_graph_order(commits) if paths is None else commits  # a path-limited walk: Git's order


def in_graph_order(commits: list[Commit]) -> list[Commit]:
    """The commits parents first, each merge after its first parent's whole history, then
    what its other parents brought in. Git's `--topo-order` may put a branch's commits
    either side of the main line's, and differently for the whole log than for the commits
    since a cached head; this order, where the cached head is on the head's first-parent
    line, is the cached commits' followed by the new ones', as a fresh read orders them
    (git/history.py reads from the cache only then), so events keep one order either way."""
    by_sha = {commit.sha: commit for commit in commits}
    done: set[str] = set()
    ordered: list[Commit] = []
    for tip in reversed(commits):  # git lists the tips last (--reverse)
        if tip.sha in done:
            continue
        done.add(tip.sha)
        stack = [(tip, 0)]
        while stack:
            commit, index = stack[-1]
            if index == len(commit.parents):
                stack.pop()
                ordered.append(commit)
                continue
            stack[-1] = (commit, index + 1)
            parent = by_sha.get(commit.parents[index])
            if parent is not None and parent.sha not in done:
                done.add(parent.sha)
                stack.append((parent, 0))
    return ordered


def on_first_parents(commits: list[Commit], earlier: str, head: str) -> bool:
    """Whether `earlier` is on the first-parent line of `head`, given the commits between them."""
    by_sha = {commit.sha: commit for commit in commits}
    sha = head
    while sha in by_sha:
        parents = by_sha[sha].parents
        sha = parents[0] if parents else ""
    return sha == earlier


def graph(root: Path, revisions: str) -> list[Commit]:
    """The commits of `revisions` with their parents and subjects, without their changes:
    what crediting pull requests reads (git/history_credit.py)."""
    return parse(runner.log(root, "-z", _FORMAT, revisions))


def value_key(path: str, prefix: str) -> str | None:
    """Which front matter key is a file's value: an idea's status, a feedback's vote (None
    for a file that is neither)."""
    if not path.endswith(".md"):
        return None
    return "vote" if "/" in path[len(prefix) :] else "status"


def front_value(data: bytes, key: str) -> str:
    """A front matter key's value in one past version of a file, read as the loader reads it."""
    default = "proposed" if key == "status" else "none"
    return frontmatter.scalar_text(data.decode("utf-8", "replace").removeprefix("\ufeff"), key, default)
