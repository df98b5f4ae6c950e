"""The only module that starts Git. Everything else asks it.

Keeping every `git` process here makes the cost of Git visible (the history pass runs
two processes however large the repository: one `git log`, one `git cat-file --batch`)
and gives one place to turn Git's failures into messages.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

from bubbleup.core.model import BubbleupError


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in `root` and return what it printed, whatever its exit status.

    Raises:
        FileNotFoundError: git is not installed.
    """
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8", errors="replace"
    )


def checked(root: Path, *args: str) -> str:
    """Run git and return its output, or raise its last line of complaint."""
    try:
        result = run(root, *args)
    except FileNotFoundError:
        raise BubbleupError("git is not installed") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BubbleupError(f"git {args[0]} failed: {detail[-1] if detail else 'no output'}")
    return result.stdout


def repository_state(root: Path) -> str | None:
    """None if `root` is in a usable repository; otherwise why not, for a warning."""
    try:
        probe = run(root, "rev-parse", "--is-shallow-repository")
    except FileNotFoundError:
        return "git is not installed"
    if probe.returncode != 0:
        return f"{root} is not a Git repository"
    if run(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        return "the repository has no commits yet"
    return "shallow" if probe.stdout.strip() == "true" else None


def prefix(root: Path) -> str:
    """Where `root` sits inside its repository ("" at the top, "site/" in a subfolder)."""
    return checked(root, "rev-parse", "--show-prefix").strip()


def head(root: Path) -> str:
    return checked(root, "rev-parse", "HEAD").strip()


def is_ancestor(root: Path, older: str, newer: str) -> bool:
    return run(root, "merge-base", "--is-ancestor", older, newer).returncode == 0


def log(root: Path, *args: str) -> str:
    return checked(root, "log", "--no-color", *args)


def read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of many objects, read by one `git cat-file --batch`.

    An object is a blob id or `<commit>:<path from the repository's top>`; one that does
    not exist is left out of the result.
    """
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    result = subprocess.run(
        ["git", "-C", str(root), "cat-file", "--batch"], input="\n".join(wanted).encode() + b"\n", capture_output=True
    )
    output, contents, position = result.stdout, {}, 0
    for blob in wanted:
        end = output.find(b"\n", position)
        if end < 0:
            break  # git stopped early: what it did not print is treated as missing
        header = output[position:end].rsplit(b" ", 2)
        position = end + 1
        if len(header) < 3 or header[-1] == b"missing" or not header[2].isdigit():
            continue  # "<name> missing", "<name> ambiguous", or no such path at that commit
        size = int(header[2])
        contents[blob] = output[position : position + size]
        position += size + 1
    return contents


def object_ids(root: Path, names: Iterable[str]) -> dict[str, str]:
    """The object id of each name (`<commit>:./<path>` for a file as it was at a commit), by
    one `git cat-file --batch-check`; a name that names nothing is left out."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return {}
    result = subprocess.run(
        ["git", "-C", str(root), "cat-file", "--batch-check"],
        input="\n".join(wanted).encode() + b"\n",
        capture_output=True,
    )
    found = {}
    for name, line in zip(wanted, result.stdout.decode("utf-8", "replace").split("\n"), strict=False):
        parts = line.rsplit(" ", 2)
        if len(parts) == 3 and parts[1] == "blob":
            found[name] = parts[0]
    return found


def user_email(root: Path) -> str | None:
    """The email of `git config user.email`, which tells who is voting or proposing."""
    try:
        result = run(root, "config", "user.email")
    except FileNotFoundError:
        return None
    return result.stdout.strip() or None


def merge_base(root: Path, ref: str) -> str:
    """The commit where the current branch left `ref`: what a pull request is compared with."""
    return checked(root, "merge-base", ref, "HEAD").strip()


def changed_since(root: Path, base: str, *, worktree: bool) -> list[str]:
    """Paths (relative to `root`) changed since `base`: committed, and with `worktree` also
    uncommitted and untracked files.

    A file that differs between `base` and the working tree differs between `base` and HEAD
    or between HEAD and the working tree: those two diffs are quick (a diff of two trees, and
    one through the index), where `git diff base` alone compares every file of a fresh clone
    (13 s at 110,000 files). Their paths are then compared with `base` as that would.
    """
    diff = ("diff", "--name-only", "--no-renames", "--relative", "-z")
    paths = checked(root, *diff, base, "HEAD").split("\0")
    if worktree:
        edited = [path for path in checked(root, *diff, "HEAD").split("\0") if path]
        candidates = sorted({f":(literal){path}" for path in paths + edited if path})
        if len(candidates) >= 1000:  # too many to name: the one slow diff
            paths = checked(root, *diff, base).split("\0")
        elif candidates:
            paths = checked(root, *diff, base, "--", *candidates).split("\0")
        paths += checked(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return sorted({path for path in paths if path})


def file_at(root: Path, revision: str, path: str) -> str | None:
    """A file's text at a revision (path relative to `root`), or None if it did not exist there."""
    result = run(root, "show", f"{revision}:./{path}")
    return result.stdout if result.returncode == 0 else None


def unchanged_blobs(root: Path, folder: str) -> Callable[[], dict[str, str]]:
    """The blob id of each regular file under `folder` (relative to `root`, as are the keys)
    whose text Git knows to be the one in its index: tracked, not modified, not marked
    assume-unchanged or skip-worktree, not in a merge conflict. Empty outside a repository.

    `git ls-files` lists the index and `git diff-files` names the files that differ from it
    (it looks at every file: half a second at 110,000 files). Both start at once and run
    while the caller works (walks the folder, reads its cache); calling the result waits for
    them and returns the blob ids.
    """
    command = ["git", "-C", str(root)]
    try:
        listing = subprocess.Popen(
            [*command, "ls-files", "-s", "-v", "-z", "--", folder], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except FileNotFoundError:
        return dict
    modified = subprocess.Popen(
        [*command, "diff-files", "--name-only", "--relative", "-z", "--", folder],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )

    def collect() -> dict[str, str]:
        listed, changes = listing.communicate()[0], modified.communicate()[0]
        if listing.returncode != 0 or modified.returncode != 0:
            return {}
        return blobs_of(listed, changes)

    return collect


_REGULAR = re.compile("\0H 100(?:644|755) ([^ \t\0]*) 0\t([^\0]*)")
"""A line of `git ls-files -s -v -z` for a regular file Git holds as it is (after the NUL
that ends the line before): tag H, mode, blob id, stage 0, a tab and the path, to the next NUL."""


def blobs_of(listed: bytes, changes: bytes) -> dict[str, str]:
    """By path, the blob id of each regular file that `git ls-files -s -v -z` lists (`listed`)
    as held in stage 0, but for those `git diff-files --name-only -z` names (`changes`).

    The lines are found by one expression over the whole text (paths decoded as the
    file system gives them, undecodable bytes kept as escapes): a loop over 110,000 lines,
    each split and decoded apart, took 0.25 billion instructions of every `check`."""
    text = "\0" + listed.decode("utf-8", "surrogateescape")  # each line after a NUL, the first too
    blobs = {path: blob for blob, path in _REGULAR.findall(text)}
    for path in changes.decode("utf-8", "surrogateescape").split("\0"):
        blobs.pop(path, None)
    return blobs


CONVERTING = frozenset({"text", "eol", "crlf", "filter", "ident", "working-tree-encoding"})
"""The attributes that make Git write a file other than as its blob holds it, once set."""
_OTHER_KIND = re.compile(r"\.([A-Za-z0-9]+)$")


def converts(root: Path, folder: str) -> Callable[[], bool]:
    """Whether Git may write the files under `folder` (relative to `root`) other than as
    their blobs hold them, so that a blob id does not stand for the bytes read: line ends
    converted (core.autocrlf true or input, or the attributes text, eol, crlf), a filter,
    ident or an encoding set in an attributes file that applies to Markdown files there
    (the repository's, its info/attributes, the user's and the system's). A file only
    there in the working tree, below `folder`, is not looked for.

    Started at once and run while the caller works, like `unchanged_blobs`.
    """
    command = ["git", "-C", str(root)]
    try:
        settings = subprocess.Popen(
            [*command, "config", "-z", "--get-regexp", r"^core\.(autocrlf|attributesfile)$"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        return lambda: False
    places = subprocess.Popen(
        [*command, "rev-parse", "--git-path", "info/attributes"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    below = "**/.gitattributes" if folder in ("", ".") else f"{folder}/**/.gitattributes"
    tracked = subprocess.Popen(
        [*command, "ls-files", "-z", "--", f":(glob){below}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )

    def collect() -> bool:
        found = dict(
            entry.partition("\n")[::2]
            for entry in settings.communicate()[0].decode("utf-8", "replace").split("\0")
            if entry
        )
        own = places.communicate()[0].decode("utf-8", "surrogateescape").strip()
        inside = [name for name in tracked.communicate()[0].decode("utf-8", "surrogateescape").split("\0") if name]
        if found.get("core.autocrlf", "false").lower() in ("true", "input", "yes", "on", "1"):
            return True
        files = [root / own] if own else []
        parts = Path(folder).parts
        files += [root.joinpath(*parts[:depth], ".gitattributes") for depth in range(len(parts) + 1)]
        files += [root / name for name in inside]
        files.append(Path(os.path.expanduser(found.get("core.attributesfile", "")) or _user_attributes()))
        if not os.environ.get("GIT_ATTR_NOSYSTEM"):
            files.append(Path("/etc/gitattributes"))
        return any(_converting(path) for path in files)

    return collect


def _user_attributes() -> str:
    """Where Git reads the user's attributes when core.attributesFile is not set."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "git", "attributes")


def _converting(path: Path) -> bool:
    """Whether an attributes file sets one of the converting attributes for a pattern that
    may match a Markdown file (`*.png filter=lfs -text` does not)."""
    try:
        text = path.read_text("utf-8", "replace")
    except OSError:
        return False
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        pattern, attributes = words[0], words[1:]
        if not any(attribute.partition("=")[0] in CONVERTING for attribute in attributes):
            continue  # none set: `-text` and `!eol` unset them, which converts nothing
        kind = _OTHER_KIND.search(pattern.rsplit("/", 1)[-1])
        if kind is None or kind.group(1).lower() == "md" or pattern.startswith("[attr]"):
            return True
    return False
