"""The scoped pull request check equals the full check restricted to the changed files.

One real repository (roster, campaigns, a vote budget, overdue warnings, a duplicate, a
broken idea, an image shown from another idea's folder) on main; Hypothesis picks which
files a pull request adds, breaks or deletes, committed or left in the working tree, and
both checks run on the same files at the same moment.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.core import frontmatter
from bubbleup.core.config import settings as load_settings
from bubbleup.git import review, review_similar, scoped
from bubbleup.git.review import scope
from bubbleup.git.runner import changed_since
from bubbleup.git.snapshot import snapshot
from conftest import ROSTER, GitRepo, idea, vote

NOW = datetime(2026, 12, 1, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
CONFIG = """\
site_name: Scoped
plugins:
  - bubbleup:
      vote_budget: 2
      overdue_warnings: true
      threshold_votes: 1
      response_days: 5
"""


def duplicate(of: str) -> str:
    return f"status: duplicate\nduplicate-of: {of}\ndecision:\n  by: ann\n  date: 2026-10-02\n  reason: Same.\n"


BASE = {
    "mkdocs.yml": CONFIG,
    "docs/index.md": "# Home\n",
    "ideas/people.yml": ROSTER,
    "ideas/campaigns.yml": "q4:\n  title: Q4\n  opens: 2026-10-01\n  closes: 2026-10-31\n",
    "ideas/alpha.md": idea("Alpha", extra="campaign: q4\n"),
    "ideas/alpha/ann.md": vote("up"),
    "ideas/alpha/bob.md": vote("up"),
    "ideas/alpha/diagram.png": PNG,
    "ideas/beta.md": idea("Beta idea", body="See ![the diagram](alpha/diagram.png).\n"),
    "ideas/gamma.md": idea("Gamma", extra=duplicate("alpha"), body="A <center>warning</center> of its own.\n"),
    "ideas/gamma/cat.md": vote("up"),
    "ideas/delta.md": idea("Delta", extra="status: bogus\n"),
    "ideas/delta/ann.md": vote("up"),
    "ideas/epsilon.md": idea("Epsilon"),
    "ideas/epsilon/ann.md": vote("up"),
    "ideas/epsilon/customers/acme.md": "---\nvote: up\nrecorded-by: bob\n---\nAcme asked.\n",
}

EDITS: dict[str, dict[str, str | None]] = {
    "a vote over ann's budget": {"ideas/beta/ann.md": vote("up")},
    "a vote YAML reads as false": {"ideas/epsilon/bob.md": vote("no")},
    "a retitled idea": {"ideas/alpha.md": idea("Alpha, retitled", extra="campaign: q4\n")},
    "a broken idea": {"ideas/alpha.md": idea("Alpha", extra="status: maybe\n")},
    "a duplicate's original becomes a duplicate": {"ideas/alpha.md": idea("Alpha", extra=duplicate("beta"))},
    "a new duplicate of a duplicate": {"ideas/zeta.md": idea("Zeta", extra=duplicate("gamma"))},
    "a new idea in the campaign, late": {"ideas/eta.md": idea("Eta", extra="campaign: q4\n")},
    "a deleted idea": {"ideas/alpha.md": None},
    "a vote on no idea": {"ideas/nothing/ann.md": vote("up")},
    "an image from another folder, missing": {"ideas/beta.md": idea("Beta", body="![d](epsilon/none.png)\n")},
    "a vote showing another folder's image": {"ideas/epsilon/cat.md": vote("up", "![d](../alpha/diagram.png)\n")},
    "a customer recorded by a stranger": {"ideas/alpha/customers/globex.md": "---\nvote: up\nrecorded-by: zed\n---\n"},
    "a closed idea gives votes back": {
        "ideas/epsilon.md": idea(
            "Epsilon", extra="status: done\ndecision:\n  by: ann\n  date: 2026-11-02\n  reason: Shipped.\n"
        )
    },
    "a file that does not belong": {"ideas/notes.txt": "notes\n"},
    "an unknown voter": {"ideas/gamma/zed.md": vote("down")},
}


@pytest.fixture(scope="module")
def main_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base repository, committed over a few days, to copy for each pull request."""
    repo = GitRepo(tmp_path_factory.mktemp("scoped") / "main")
    for day, (name, content) in enumerate(BASE.items(), start=1):
        repo.commit({name: content}, f"add {name}", when=f"2026-10-{day:02d}T10:00:00+00:00")
    return repo.root


def pull_request(main_repo: Path, target: Path, edits: list[str], commit: bool) -> GitRepo:
    """A copy of the base repository on a branch `pr` with these edits (committed or not)."""
    shutil.copytree(main_repo, target)
    repo = GitRepo.__new__(GitRepo)
    repo.root = target
    repo.git("switch", "-q", "-c", "pr")
    for edit in edits:
        for name, content in EDITS[edit].items():
            path = target / name
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
    if commit and edits:
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "pull request", when="2026-11-20T10:00:00+00:00")
    return repo


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(sorted(EDITS)), unique=True, max_size=3), commit=st.booleans())
@example(edits=["a deleted idea", "a new idea in the campaign, late"], commit=True)  # Git sees a rename
def test_the_scoped_check_finds_what_the_full_check_finds_in_the_changed_files(
    main_repo: Path, tmp_path_factory: pytest.TempPathFactory, edits: list[str], commit: bool
) -> None:
    repo = pull_request(main_repo, tmp_path_factory.mktemp("pr") / "repo", edits, commit)
    settings_ = load_settings(repo.root / "mkdocs.yml")
    base = repo.git("merge-base", "main", "HEAD").strip()
    changed = changed_since(repo.root, base, worktree=True)
    full = snapshot(settings_, now=NOW)
    narrow = scoped.snapshot(settings_, set(changed), base, now=NOW)
    expected = scope(full.catalog.problems, changed, full.catalog, "ideas")
    assert scope(narrow.catalog.problems, changed, narrow.catalog, "ideas") == expected
    assert len(narrow.catalog.ideas) <= len(full.catalog.ideas)


def test_the_cli_says_what_it_read_and_loads_everything_when_the_roster_changes(
    main_repo: Path, tmp_path: Path
) -> None:
    repo = pull_request(main_repo, tmp_path / "repo", ["a vote over ann's budget"], commit=True)
    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "check", "--changed-since", "main"])
    assert result.output.splitlines()[-1].endswith("read for 1 changed file)"), result.output
    assert "ideas/beta/ann.md:1: error: ann has 3 open votes" in result.output
    (repo.root / "ideas/people.yml").write_text(ROSTER + "dan:\n  name: Dan\n  emails: [dan@example.com]\n")
    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "check", "--changed-since", "main"])
    assert "read for" not in result.output  # every file depends on the roster: all were checked
    assert "ideas/delta.md:4: error: status" in result.output


def test_the_scoped_review_equals_the_review_of_the_full_catalog(main_repo: Path, tmp_path: Path) -> None:
    edits = ["a new idea in the campaign, late", "a retitled idea", "a vote over ann's budget"]
    repo = pull_request(main_repo, tmp_path / "repo", edits, commit=True)
    settings_ = load_settings(repo.root / "mkdocs.yml")
    _, narrow = review.pull_request(settings_, "main")
    wide = review.assess(repo.root, settings_.ideas_dir, snapshot(settings_).catalog, "main")
    assert narrow == wide
    assert "| Delta" not in narrow.markdown  # as like as the others, but broken: never offered
    assert narrow.markdown.count("(`epsilon`)") == 2  # offered for both the new and the retitled idea


@settings(max_examples=300, deadline=None)
@given(
    value=st.text(alphabet=st.sampled_from("aZ09 :#\"'\\-[]{}&*!|>%@`?,\t\r\x85\u2028é"), max_size=12),
    quoted=st.booleans(),
    after=st.sampled_from(["", "\n", "\nauthors: [ann]\n", "\n  more\n", "\n\n  more\n", "\n# note\n", "\ntitle: x\n"]),
)
def test_the_quick_title_is_yamls_or_none(value: str, quoted: bool, after: str) -> None:
    source = f'title: "{value}"{after}' if quoted else f"title: {value}{after}"
    quick = review_similar.quick_title(source)
    assert quick is None or quick.strip() == frontmatter.scalar_text(f"---\n{source}\n---\n", "title", "")
