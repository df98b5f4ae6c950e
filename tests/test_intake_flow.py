"""The whole path through the host: an issue, intake, a push to origin, the site, the audit."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import MKDOCS_YML, GitRepo, idea
from intake_events import ROSTER, install_templates, vote_event, write_event


def clone(origin: Path, target: Path) -> GitRepo:
    subprocess.run(["git", "clone", "-q", str(origin), str(target)], check=True, capture_output=True)
    repo = GitRepo.__new__(GitRepo)
    repo.root = target
    return repo


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["-f", str(root / "mkdocs.yml"), *args])


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A bare "origin" holding a site with a roster that knows logins, the forms and one idea."""
    seed = GitRepo(tmp_path / "seed")
    install_templates(seed.root)
    seed.commit(
        {
            "mkdocs.yml": MKDOCS_YML,
            "docs/index.md": "# Home\n",
            "ideas/people.yml": ROSTER,
            "ideas/coffee-chats.md": idea("Coffee chats with leadership", "[bob]"),
        },
        "site",
    )
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(seed.root), str(bare)], check=True, capture_output=True)
    return bare


@pytest.mark.slow  # a real mkdocs build
def test_a_vote_through_the_host_reaches_the_site_and_the_audit_trusts_it(origin: Path, tmp_path: Path) -> None:
    ci = clone(origin, tmp_path / "ci")
    event = write_event(tmp_path / "event.json", vote_event("ann-gh", "coffee-chats", "up", "Monthly, please."))
    result = run(ci.root, "intake", "--event", str(event))
    assert result.exit_code == 0, result.output
    ci.git("push", "-q", "origin", "HEAD:main")

    # A colleague pushes a vote for Cat, committed with Cat's email: commit metadata anyone can type.
    elsewhere = clone(origin, tmp_path / "elsewhere")
    elsewhere.commit(
        {"ideas/coffee-chats/cat.md": "---\nvote: up\n---\n"}, "vote", author="Cat Example <cat@example.com>"
    )
    elsewhere.git("push", "-q", "origin", "HEAD:main")

    reader = clone(origin, tmp_path / "reader")
    built = run(reader.root, "build")
    assert built.exit_code == 0, built.output
    page = BeautifulSoup((reader.root / "site/ideas/coffee-chats/index.html").read_text(), "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "2 up" in text and "Monthly, please." in text and "Ann Example" in text

    audit = run(reader.root, "audit", "--format", "json")
    findings = json.loads(audit.output)
    assert {(f["voter"], f["kind"]) for f in findings} == {("cat", "unvouched")}
    summary = run(reader.root, "audit").output
    assert "1 of 2 votes were recorded through the host" in summary


def test_a_vote_committed_as_the_automation_without_the_login_is_not_vouched(origin: Path, tmp_path: Path) -> None:
    """Trailers naming a login that maps to someone else do not make a vote the voter's."""
    repo = clone(origin, tmp_path / "work")
    env = {
        **os.environ,
        "GIT_COMMITTER_NAME": "github-actions[bot]",
        "GIT_COMMITTER_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
        "GIT_AUTHOR_NAME": "Ann Example",
        "GIT_AUTHOR_EMAIL": "ann@example.com",
    }
    (repo.root / "ideas/coffee-chats").mkdir()
    (repo.root / "ideas/coffee-chats/ann.md").write_text("---\nvote: up\n---\n")
    subprocess.run(["git", "add", "-A"], cwd=repo.root, check=True, env=env)
    message = "Vote\n\nBubbleup-Login: BobCodes\nBubbleup-Source: https://github.com/acme/ideas/issues/9\n"
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo.root, check=True, env=env)
    findings = json.loads(run(repo.root, "audit", "--format", "json").output)
    assert [(f["voter"], f["kind"]) for f in findings] == [("ann", "cast-by-someone-else")]
    assert "login BobCodes through the host" in findings[0]["message"]


def forge(repo: GitRepo, path: str, login: str) -> None:
    """Commit a vote as a pull request could: committer and trailers typed to imitate intake."""
    env = {
        **os.environ,
        "GIT_COMMITTER_NAME": "github-actions[bot]",
        "GIT_COMMITTER_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
        "GIT_AUTHOR_NAME": "Bob Example",
        "GIT_AUTHOR_EMAIL": "bob@example.com",
    }
    (repo.root / path).parent.mkdir(parents=True, exist_ok=True)
    (repo.root / path).write_text("---\nvote: up\n---\n")
    subprocess.run(["git", "add", "-A"], cwd=repo.root, check=True, env=env)
    message = f"Vote\n\nBubbleup-Login: {login}\nBubbleup-Source: https://github.com/acme/ideas/issues/9\n"
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo.root, check=True, env=env)


def test_a_pull_request_carrying_a_commit_that_imitates_intake_fails_the_check(origin: Path, tmp_path: Path) -> None:
    """History alone cannot tell such a commit from intake's (the audit counts it as vouched),
    so the pull request's check, which knows its author from the host, refuses it."""
    repo = clone(origin, tmp_path / "work")
    forge(repo, "ideas/coffee-chats/ann.md", "ann-gh")  # authored with Bob's email
    audit = json.loads(run(repo.root, "audit", "--format", "json").output)
    assert audit == []  # what history alone says: Ann's vote, vouched for by the host
    checked = run(repo.root, "check", "--changed-since", "origin/main", "--login", "mallory")
    assert checked.exit_code != 0
    assert "claims to be made by the intake automation" in checked.output
    assert "ideas/coffee-chats/ann.md" in checked.output
    # The pull requests intake itself opens (BUBBLEUP_INTAKE_PUSH=pull-request) have a bot as author.
    by_intake = run(repo.root, "check", "--changed-since", "origin/main", "--login", "github-actions[bot]")
    assert "claims to be made by the intake automation" not in by_intake.output


def test_an_ordinary_pull_request_is_not_taken_for_an_imitation(origin: Path, tmp_path: Path) -> None:
    repo = clone(origin, tmp_path / "work")
    repo.commit({"ideas/coffee-chats/ann.md": "---\nvote: up\n---\n"}, "vote", author="Ann Example <ann@example.com>")
    checked = run(repo.root, "check", "--changed-since", "origin/main", "--login", "ann-gh")
    assert checked.exit_code == 0, checked.output
    assert "intake automation" not in checked.output
