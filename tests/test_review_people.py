"""A pull request's review judged by the host's login and the base branch's roster."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo, idea, vote
from intake_events import ROSTER

BOB = "Bob Example <bob@example.com>"


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


@pytest.fixture
def pull_request(site_repo: GitRepo) -> GitRepo:
    """main has a roster with logins, an idea and two votes; the branch `pr` is checked out."""
    site_repo.commit(
        {
            "ideas/people.yml": ROSTER,
            "ideas/coffee-chats.md": idea("Coffee chats with leadership", "[bob]"),
            "ideas/coffee-chats/ann.md": vote("up"),
            "ideas/coffee-chats/cat.md": vote("down"),
        },
        "main ideas",
    )
    site_repo.git("switch", "-q", "-c", "pr")
    return site_repo


def test_the_login_is_judged_by_the_base_branchs_roster_not_the_one_the_pull_request_writes(
    pull_request: GitRepo, monkeypatch, tmp_path
) -> None:
    """Cat has no login on main; a pull request giving her Bob's... own login cannot make its vote hers."""
    rewritten = ROSTER.replace("  team: engineering\n", "  team: engineering\n  github: sneaky\n")
    pull_request.commit({"ideas/people.yml": rewritten, "ideas/coffee-chats/cat.md": vote("up")}, author=BOB)
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    summary = run(pull_request, "review", "--base", "main", "--login", "sneaky").output
    attention = summary.split("### Needs attention\n", 1)[1].split("\n\n", 1)[0]
    assert "**Vote for someone else:** `ideas/coffee-chats/cat.md` (cat): the pull request is by sneaky" in attention
    assert "**Roster:** changes the login of cat (none → sneaky)" in attention
    assert "ready<<" in outputs.read_text() and "\nfalse\n" in outputs.read_text()


def test_deletions_are_shown_first(pull_request: GitRepo) -> None:
    pull_request.git("rm", "-q", "ideas/coffee-chats/ann.md")
    pull_request.git("commit", "-q", "-m", "drop ann's vote")
    summary = run(pull_request, "review", "--base", "main", "--login", "BobCodes").output
    assert "- **Deleted:** `ideas/coffee-chats/ann.md`" in summary
    assert summary.split("\n\n")[3] == "### Needs attention"  # right after the header and the counts


def test_an_authors_own_vote_is_ready_and_a_status_change_mentions_authors_and_voters(
    pull_request: GitRepo, monkeypatch, tmp_path
) -> None:
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    pull_request.commit({"ideas/coffee-chats/bob.md": vote("up", "Yes.\n")}, author=BOB)
    summary = run(pull_request, "review", "--base", "main", "--login", "bobcodes").output
    assert "| `coffee-chats` | bob | — → up | yes |" in summary and "Needs attention" not in summary
    assert "ready<<" in outputs.read_text() and "\ntrue\n" in outputs.read_text()

    outputs.write_text("")
    decided = "status: planned\ndecision:\n  by: cat\n  date: 2026-11-02\n  reason: Agreed.\n"
    pull_request.commit({"ideas/coffee-chats.md": idea("Coffee chats with leadership", "[bob]", decided)})
    summary = run(pull_request, "review", "--base", "main", "--login", "BobCodes").output
    assert "  cc authors @bobcodes; voters @ann-gh" in summary
    written = outputs.read_text()
    assert "**Coffee chats with leadership**: proposed → planned. cc authors @bobcodes; voters @ann-gh" in written
    assert "\nfalse\n" in written  # an idea file changed: not for merging by itself


def test_the_ideas_workflow_passes_the_login_and_only_its_own_repositorys_pull_requests_may_write() -> None:
    from pathlib import Path

    import yaml

    workflow = yaml.safe_load((Path(__file__).parent.parent / ".github/workflows/ideas.yml").read_text())
    assert workflow["jobs"]["review"]["env"]["LOGIN"] == "${{ github.event.pull_request.user.login }}"
    respond = workflow["jobs"]["respond"]
    assert respond["permissions"] == {"pull-requests": "write"}
    assert "head.repo.full_name == github.repository" in respond["if"]
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")


def test_check_warns_on_the_changed_votes_that_are_not_the_pull_request_authors(pull_request: GitRepo) -> None:
    pull_request.commit({"ideas/coffee-chats/bob.md": vote("up"), "ideas/coffee-chats/cat.md": vote("up")}, author=BOB)
    result = run(pull_request, "check", "--changed-since", "main", "--login", "BobCodes")
    assert result.exit_code == 0, result.output  # a warning, not an error
    warned = [line for line in result.output.splitlines() if ": warning: " in line]
    assert warned == [
        "ideas/coffee-chats/cat.md:1: warning: this vote is cat's, but the pull request is by BobCodes (bob); "
        "each person casts their own vote (the site's Vote buttons record it as them)"
    ]
    assert run(pull_request, "check", "--changed-since", "main", "--login", "BobCodes", "--strict").exit_code == 1


def test_a_deleted_roster_needs_attention(pull_request: GitRepo) -> None:
    """Deleting people.yml switches every identity check off: the summary says so first."""
    pull_request.git("rm", "-q", "ideas/people.yml")
    pull_request.git("commit", "-q", "-m", "no more roster")
    summary = run(pull_request, "review", "--base", "main", "--login", "BobCodes").output
    attention = summary.split("### Needs attention\n", 1)[1].split("\n\n", 1)[0]
    assert "- **Deleted:** `ideas/people.yml`" in attention
    assert "**Roster:** deletes people.yml" in attention
