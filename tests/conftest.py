"""Shared fixtures: real Git repositories with fixed authors and dates, and a site to build."""

from __future__ import annotations

import gc
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

# No time limit per example: a property test is about what comes out, and its timing on a
# machine shared with builds (CI's two cores, a parallel run) is noise. Examples still
# counted and shrunk as usual; each test sets its own number of examples where it matters.
settings.register_profile("bubbleup", deadline=None)
settings.load_profile("bubbleup")

MKDOCS_YML = """\
site_name: Test ideas
theme:
  name: material
  font: false
plugins:
  - search
  - bubbleup
not_in_nav: |
  /ideas/*.md
nav:
  - Home: index.md
  - All ideas: ideas/index.md
"""

ROSTER = """\
ann:
  name: Ann Example
  emails: [ann@example.com]
  team: support
bob:
  name: Bob Example
  emails: [bob@example.com]
  team: sales
cat:
  name: Cat Example
  emails: [cat@example.com]
  team: engineering
"""


@pytest.fixture(autouse=True)
def _nothing_stays_frozen():
    """A serving build freezes what is alive once (core/caches.py `settle`): one test's
    freeze must not keep what later tests leave for the collector."""
    yield
    gc.unfreeze()


def write(root: Path, files: dict[str, str | bytes]) -> None:
    """Write files (text or bytes) under root, making folders as needed."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


class GitRepo:
    """A real Git repository in tmp_path whose commits have a fixed author and date."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(
        self, *args: str, author: str = "Ann Example <ann@example.com>", when: str = "2026-10-01T10:00:00+00:00"
    ) -> str:
        name, email = author[:-1].split(" <")
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": when,
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(self.root),
        }
        result = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return result.stdout

    def commit(self, files: dict[str, str | bytes], message: str = "change", **kwargs) -> None:
        write(self.root, files)
        self.git("add", "-A", **kwargs)
        self.git("commit", "-q", "-m", message, **kwargs)

    def merge(self, branch: str, message: str, **kwargs) -> None:
        """Merge `branch` into the current one with a merge commit, as a pull request's
        merge button does (`--no-ff`), whatever the branches' shapes."""
        self.git("merge", "-q", "--no-ff", "-m", message, branch, **kwargs)


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    """An empty Git repository with a fixed author and date."""
    return GitRepo(tmp_path / "repo")


@pytest.fixture
def site_repo(git_repo: GitRepo) -> GitRepo:
    """A Git repository with mkdocs.yml, a home page and a roster, committed."""
    git_repo.commit({"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER}, "site")
    return git_repo


def idea(title: str, authors: str = "[ann]", extra: str = "", body: str = "Some text.\n") -> str:
    """The text of an idea file."""
    return f"---\ntitle: {title}\nauthors: {authors}\n{extra}---\n{body}"


def duplicate(title: str, of: str, authors: str = "[ann]") -> str:
    """An idea marked a duplicate of `of`, with the decision that merged it."""
    merged = f"status: duplicate\nduplicate-of: {of}\ndecision: {{by: ann, date: 2026-10-02, reason: Same.}}\n"
    return idea(title, authors=authors, extra=merged)


def vote(value: str, text: str = "") -> str:
    """The text of a feedback file."""
    return f"---\nvote: {value}\n---\n{text}"


def build_site(repo: GitRepo, *args: str):
    """`bubbleup build` on the repository, in this process; it must succeed."""
    from click.testing import CliRunner

    from bubbleup.cli.main import cli

    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build", *args])
    assert result.exit_code == 0, result.output
    return result


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by path, with its bytes: two sites compared whole."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def on_disk(repo: GitRepo) -> dict[str, str]:
    """The generated pages as written under docs/ideas, by path, without the marker file."""
    from bubbleup.site.pages import MARKER

    folder = repo.root / "docs/ideas"
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in folder.rglob("*")
        if path.is_file() and path.name != MARKER
    }


def with_folders_trusted(repo: GitRepo, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> GitRepo:
    """`repo` with `files` committed, whose idea folders the folders cache trusts as soon as
    they are listed (core/folder_cache.py waits two seconds otherwise)."""
    from bubbleup.core import folder_cache

    monkeypatch.setattr(folder_cache, "RACY", 0)
    repo.commit(files, "ideas")
    return repo


def apply_change(repo: GitRepo, change: tuple) -> None:
    """One step of the random histories the generation tests draw: ("vote", slug, handle,
    value, text), ("customer", slug, recorder), ("unvote", slug, handle), ("rename",
    handle, name) in the roster, ("title", slug, title), ("status", slug, status), or
    ("commit",) of everything so far."""
    kind, *rest = change
    root = repo.root
    if kind == "vote":
        write(root, {f"ideas/{rest[0]}/{rest[1]}.md": vote(rest[2], rest[3])})
    elif kind == "customer":
        write(
            root,
            {f"ideas/{rest[0]}/customers/acme.md": f"---\nvote: up\nrecorded-by: {rest[1]}\n---\nAcme wants it.\n"},
        )
    elif kind == "unvote":
        (root / f"ideas/{rest[0]}/{rest[1]}.md").unlink(missing_ok=True)
    elif kind == "rename":
        people = root / "ideas/people.yml"
        head, _, tail = people.read_text().partition(f"{rest[0]}:\n  name: ")
        people.write_text(f"{head}{rest[0]}:\n  name: {rest[1]}\n" + tail.split("\n", 1)[1])
    elif kind in ("title", "status"):
        path = root / f"ideas/{rest[0]}.md"
        lines = [line for line in path.read_text().split("\n") if not line.startswith(f"{kind}:")]
        path.write_text("\n".join([lines[0], f"{kind}: {rest[1]}", *lines[1:]]))
    else:
        repo.git("add", "-A")
        repo.git("commit", "-q", "--allow-empty", "-m", "change")


@pytest.fixture
def recalled(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The ideas whose parts each snapshot took from the parts cache."""
    from bubbleup.git import parts_cache

    found: list[set[str]] = []
    original = parts_cache.PartsCache.recall

    def recall(self: parts_cache.PartsCache, keys: dict) -> dict:
        parts = original(self, keys)
        found.append(set(parts))
        return parts

    monkeypatch.setattr(parts_cache.PartsCache, "recall", recall)
    return found


def journaled(path: Path) -> tuple[bytes, dict]:
    """A `caches.Journaled` file (`path` as its owner names it, or its journal's) as it is
    kept: its header (the format, and the keys it was made for) and what it holds."""
    import pickle

    kept = path if path.suffix == ".pickle" else path.with_suffix(".pickle")
    first, second, content = kept.read_bytes().split(b"\n", 2)
    return first + b"\n" + second + b"\n", pickle.loads(content)


def rejournal(path: Path, header: bytes, content: object) -> None:
    """Write a `caches.Journaled` file (or its journal) under `header` with `content` in it."""
    import pickle

    kept = path if path.suffix == ".pickle" else path.with_suffix(".pickle")
    kept.write_bytes(header + pickle.dumps(content))


def as_json(path: Path) -> dict:
    """A `caches.Journaled` file as its JSON of format 1 held it: its format and code beside
    its token and entries (tests that damage a field read and write it this way)."""
    import json

    header, content = journaled(path)
    return {**json.loads(header.split(b"\n")[1]), **content}


def as_journaled(path: Path, text: bytes | str) -> None:
    """Write as a `caches.Journaled` file what a JSON file of format 1 held (`text`: its
    format and code go to the header, the rest is pickled); what is no JSON object, as it is."""
    import json

    from bubbleup.core.caches import JOURNALED

    data = text.encode() if isinstance(text, str) else text
    try:
        raw = json.loads(data)
    except ValueError:
        raw = None
    if not isinstance(raw, dict):
        kept = path if path.suffix == ".pickle" else path.with_suffix(".pickle")
        kept.write_bytes(data)
        return
    expected = {key: raw.pop(key) for key in ("code", "format") if key in raw}
    rejournal(path, JOURNALED + json.dumps(expected, sort_keys=True, separators=(",", ":")).encode() + b"\n", raw)
