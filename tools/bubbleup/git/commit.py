"""Commits that Bubbleup makes itself: one change, its author, its committer, its trailers.

Made with GitPython from a private index built on the base commit's tree, so a commit
holds exactly the files it names (nothing else the user had staged) and is made without
checking anything out: `--branch` commits onto a new branch that starts at the default
branch while the user's working tree and HEAD stay where they were, and `intake` commits
a vote as the person the host vouches for, with the automation as committer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bubbleup.core.model import BubbleupError

TRAILER_LOGIN = "Bubbleup-Login"
"""The trailer naming the host login that acted (the issue's or pull request's author)."""
TRAILER_SOURCE = "Bubbleup-Source"
"""The trailer naming the issue or pull request the change came from (its URL)."""


@dataclass(frozen=True)
class Identity:
    """A name and an email, as Git records an author or a committer."""

    name: str
    email: str

    @classmethod
    def parse(cls, text: str, what: str) -> Identity:
        """`Name <email>` into an identity.

        Raises:
            BubbleupError: the text is not of that form.
        """
        text = text.strip()
        if not text.endswith(">") or " <" not in text:
            raise BubbleupError(f"{what}: expected 'Name <email>', got {text!r}")
        name, _, email = text[:-1].rpartition(" <")
        if not name.strip() or "@" not in email or any(c in name + email for c in "<>\n\r\0"):
            raise BubbleupError(f"{what}: expected 'Name <email>', got {text!r}")
        return cls(name.strip(), email.strip())

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def with_trailers(message: str, trailers: list[tuple[str, str]]) -> str:
    """The message with `Key: value` trailers in a final paragraph, as git interpret-trailers reads them."""
    message = message.rstrip("\n")
    if not trailers:
        return message + "\n"
    lines = [f"{key}: {' '.join(str(value).split())}" for key, value in trailers]
    return message + "\n\n" + "\n".join(lines) + "\n"


def _repository(root: Path):
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise BubbleupError(f"{root} is not in a Git repository") from None


def default_branch(root: Path) -> str:
    """The branch new work starts from: origin's default branch, else main or master, else HEAD.

    A remote-tracking branch is preferred to the local one, so that a pull request starts
    from what is published even when the local branch is behind.
    """
    repository = _repository(root)
    refs = {ref.path for ref in repository.refs}
    try:
        target = repository.git.symbolic_ref("--quiet", "refs/remotes/origin/HEAD").strip()
    except Exception:  # noqa: BLE001 - no origin/HEAD: fall back to the usual names
        target = ""
    if target in refs:
        return target.removeprefix("refs/remotes/").removeprefix("refs/heads/")
    for name in ("main", "master"):
        for ref in (f"refs/remotes/origin/{name}", f"refs/heads/{name}"):
            if ref in refs:
                return ref.removeprefix("refs/remotes/").removeprefix("refs/heads/")
    return "HEAD"


def commit_files(
    root: Path,
    changes: dict[Path, bytes | None],
    message: str,
    *,
    branch: str | None = None,
    base: str | None = None,
    author: Identity | None = None,
    committer: Identity | None = None,
    trailers: list[tuple[str, str]] | None = None,
) -> str:
    """Commit `changes` (a path's new bytes, or None to delete it) and return the commit id.

    Args:
        branch: create this branch at the new commit, from `base` (default: the default
            branch), leaving HEAD, the index and the working tree alone. Without it, the
            commit goes on top of the current branch, and the index entries of the changed
            paths are updated to match (the working tree is expected to hold the change).
        author, committer: default to Git's configuration, as `git commit` does.

    Raises:
        BubbleupError: not a repository, the branch exists, a path is outside the
            repository, or Git refuses.
    """
    import git

    repository = _repository(root)
    top = Path(repository.working_tree_dir or root).resolve()
    relative = {}
    for path, data in changes.items():
        resolved = Path(os.path.abspath(path))
        if not resolved.is_relative_to(top):
            raise BubbleupError(f"{path} is outside the repository {top}")
        relative[resolved.relative_to(top).as_posix()] = data
    if branch is not None and f"refs/heads/{branch}" in {ref.path for ref in repository.refs}:
        raise BubbleupError(f"branch {branch!r} already exists; delete it or pick another change")
    try:
        parent = repository.commit(base or (default_branch(root) if branch else "HEAD"))
    except (git.BadName, ValueError):
        raise BubbleupError(
            f"cannot find the commit to start from ({base or 'HEAD'}); is anything committed yet?"
        ) from None
    try:
        tree = _tree(repository, parent, relative)
        commit = git.Commit.create_from_tree(
            repository,
            tree,
            with_trailers(message, trailers or []),
            parent_commits=[parent],
            head=False,
            author=git.Actor(author.name, author.email) if author else None,
            committer=git.Actor(committer.name, committer.email) if committer else None,
        )
        if branch is not None:
            repository.create_head(branch, commit)
        else:
            _advance(repository, parent, commit, list(relative))
    except (git.GitCommandError, ValueError, OSError) as error:
        raise BubbleupError(f"git refused the commit: {' '.join(str(error).split())}") from None
    return commit.hexsha


def _tree(repository, parent, changes: dict[str, bytes | None]):
    """The parent's tree with `changes` applied, built in memory (the repository's index is never read or written)."""
    from io import BytesIO

    from git import IndexFile
    from git.index.typ import BaseIndexEntry, IndexEntry
    from gitdb.base import IStream

    index = IndexFile(repository, os.path.join(repository.git_dir, "bubbleup-unused-index"))
    index.entries = {}
    for item in parent.tree.traverse():
        if item.type in ("blob", "commit"):  # files, links and submodules keep their modes
            index.entries[(item.path, 0)] = IndexEntry.from_base(BaseIndexEntry((item.mode, item.binsha, 0, item.path)))
    for path, data in changes.items():
        index.entries.pop((path, 0), None)
        if data is not None:
            stored = repository.odb.store(IStream("blob", len(data), BytesIO(data)))
            index.entries[(path, 0)] = IndexEntry.from_base(BaseIndexEntry((0o100644, stored.binsha, 0, path)))
    if not index.entries:
        raise BubbleupError("the commit would hold no files at all")
    return index.write_tree()


def _advance(repository, parent, commit, paths: list[str]) -> None:
    """Move the current branch to `commit` and bring the changed paths' index entries along."""
    if repository.head.is_detached:
        raise BubbleupError("HEAD is detached; switch to a branch first")
    if repository.head.commit != parent:
        raise BubbleupError("the branch moved while committing; try again")
    repository.head.reference.set_commit(commit, logmsg=f"commit: {commit.summary}")
    repository.git.reset("-q", "HEAD", "--", *paths)


def branches(root: Path, prefix: str) -> set[str]:
    """Names of local and remote-tracking branches that start with `prefix` (without the remote)."""
    try:
        repository = _repository(root)
    except BubbleupError:
        return set()
    found = set()
    for ref in repository.refs:
        path = ref.path
        if path.startswith("refs/heads/"):
            name = path.removeprefix("refs/heads/")
        elif path.startswith("refs/remotes/"):
            name = path.removeprefix("refs/remotes/").partition("/")[2]
        else:
            continue
        if name.startswith(prefix):
            found.add(name)
    return found
