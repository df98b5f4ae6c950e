"""Git: the only module that runs it. History is read in one pass over the log.

Running git once per file is what makes date plugins slow on big sites; one
`git log --name-status` over the ideas folder, indexed by path, costs about as much as
git itself. Renames are followed, so an idea keeps its creation date when its file moves.
No repository, a shallow clone, or a file not yet committed degrade to "unknown" with one
warning, never a crash.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

_RECORD = "\x1e"
_FIELD = "\x1f"


@dataclass
class FileHistory:
    """When a file was first and last committed, and by whom (newest first)."""

    created: datetime | None = None
    updated: datetime | None = None
    authors: list[tuple[str, str]] = field(default_factory=list)
    """(name, email) of each commit author, newest first, each once."""


@dataclass(frozen=True)
class History:
    """File histories by repository-relative path, and why they may be incomplete."""

    files: dict[str, FileHistory]
    warning: str | None = None

    def created(self, path: str) -> datetime | None:
        entry = self.files.get(path)
        return entry.created if entry else None


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8", errors="replace"
    )


def read(root: Path, folder: Path) -> History:
    """Read the history of every file under `folder` in one `git log` pass."""
    try:
        probe = _git(root, "rev-parse", "--is-shallow-repository")
    except FileNotFoundError:
        return History({}, "git is not installed; dates come from front matter only")
    if probe.returncode != 0:
        return History({}, f"{root} is not a Git repository; dates come from front matter only")
    warning = None
    if probe.stdout.strip() == "true":
        warning = "this is a shallow clone, so dates from Git may be too recent; fetch with full history (fetch-depth: 0)"
    relative = folder.resolve().relative_to(root.resolve()).as_posix() or "."
    log = _git(
        root,
        "log",
        f"--format={_RECORD}%aI{_FIELD}%an{_FIELD}%ae",
        "--name-status",
        "-M",
        "--no-color",
        "--relative",
        "--",
        relative,
    )
    if log.returncode != 0:  # a repository without commits, for one
        return History({}, warning)
    return History(parse_log(log.stdout), warning)


def parse_log(output: str) -> dict[str, FileHistory]:
    """Index `git log --name-status` output (newest commit first) by each file's latest path."""
    files: dict[str, FileHistory] = {}
    renamed_to: dict[str, str] = {}
    for record in output.split(_RECORD)[1:]:
        header, _, changes = record.partition("\n")
        when, name, email = header.split(_FIELD)
        moment = datetime.fromisoformat(when)
        for line in changes.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status, path = parts[0], parts[-1]
            current = renamed_to.get(path, path)
            if status.startswith(("R", "C")) and len(parts) == 3:
                renamed_to[parts[1]] = current
            entry = files.setdefault(current, FileHistory())
            entry.updated = entry.updated or moment
            entry.created = moment
            if (name, email) not in entry.authors:
                entry.authors.append((name, email))
    return files


def user_email(root: Path) -> str | None:
    """The email of `git config user.email`, which tells who is voting or proposing."""
    try:
        result = _git(root, "config", "user.email")
    except FileNotFoundError:
        return None
    return result.stdout.strip() or None


def commit_on_branch(root: Path, branch: str, paths: list[Path], message: str) -> None:
    """Create `branch` from the current commit and commit only `paths` on it.

    The working tree's other changes are carried along untouched and stay uncommitted.

    Raises:
        BubbleupError: not a repository, the branch exists, or git refuses.
    """
    from .model import BubbleupError

    if _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").returncode == 0:
        raise BubbleupError(f"branch {branch!r} already exists; delete it or pick another change")
    relative = [str(path.resolve().relative_to(root.resolve())) for path in paths]
    for args in (("switch", "-c", branch), ("add", "-A", "--", *relative), ("commit", "-q", "-m", message, "--", *relative)):
        result = _git(root, *args)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise BubbleupError(f"git {args[0]} failed: {detail[-1] if detail else 'no output'}")


def _checked(root: Path, *args: str) -> str:
    from .model import BubbleupError

    try:
        result = _git(root, *args)
    except FileNotFoundError:
        raise BubbleupError("git is not installed") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BubbleupError(f"git {args[0]} failed: {detail[-1] if detail else 'no output'}")
    return result.stdout


def merge_base(root: Path, ref: str) -> str:
    """The commit where the current branch left `ref`: what a pull request is compared with."""
    return _checked(root, "merge-base", ref, "HEAD").strip()


def changed_since(root: Path, base: str, *, worktree: bool) -> list[str]:
    """Repository-relative paths changed since `base` (committed, and with `worktree` also
    uncommitted and untracked files)."""
    target = [] if worktree else ["HEAD"]
    paths = _checked(root, "diff", "--name-only", "--no-renames", "--relative", "-z", base, *target).split("\0")
    if worktree:
        paths += _checked(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return sorted({path for path in paths if path})


def changes_since(root: Path, base: str, folder: Path) -> dict[str, FileHistory]:
    """The files under `folder` that the commits since `base` touched, with their authors
    (one `git log base..HEAD` pass)."""
    relative = folder.resolve().relative_to(root.resolve()).as_posix() or "."
    output = _checked(root, "log", f"--format={_RECORD}%aI{_FIELD}%an{_FIELD}%ae", "--name-status", "-M",
                      "--no-color", "--relative", f"{base}..HEAD", "--", relative)
    return parse_log(output)


def file_at(root: Path, revision: str, path: str) -> str | None:
    """A file's text at a revision, or None if it did not exist there."""
    result = _git(root, "show", f"{revision}:{path}")
    return result.stdout if result.returncode == 0 else None
