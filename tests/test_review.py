"""Pull requests: annotations on changed lines, the reviewers' summary, and the workflows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo, idea, vote

ROOT = Path(__file__).parent.parent
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
ANN = "Ann Example <ann@example.com>"
BOB = "Bob Example <bob@example.com>"


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


@pytest.fixture
def pull_request(site_repo: GitRepo) -> GitRepo:
    """main has two ideas (one already broken) and a vote; the branch `pr` is checked out."""
    site_repo.commit(
        {
            "ideas/coffee-chats.md": idea("Coffee chats with leadership", body="Monthly coffee with a director.\n"),
            "ideas/coffee-chats/ann.md": vote("up"),
            "ideas/old-broken.md": idea("Old", extra="status: bogus\n"),
        },
        "main ideas",
    )
    site_repo.git("switch", "-q", "-c", "pr")
    return site_repo


def test_github_annotations_point_at_the_changed_lines(pull_request: GitRepo) -> None:
    pull_request.commit(
        {
            "ideas/new-idea.md": "---\ntitle: New idea\nauthors: [ann]\nstatus: maybe\n---\nText <center>centred</center>\n",
            "ideas/coffee-chats/bob.md": vote("no"),
        },
        author=BOB,
    )
    result = run(pull_request, "check", "--format", "github", "--changed-since", "main")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::error file=ideas/coffee-chats/bob.md,line=2,title=bubbleup::vote: expected one of up, down, none; "
        "got no, which YAML reads as false",
        "::error file=ideas/new-idea.md,line=4,title=bubbleup::status: expected one of proposed, under-review, "
        "planned, in-progress, done, declined, duplicate; got 'maybe'",
        "::warning file=ideas/new-idea.md,line=6,title=bubbleup::shown as text, not as HTML: <center>, </center>; "
        "only the tags GitHub allows are rendered (listed in docs/file-format.md); to show code, put it in `backticks`",
        "2 errors, 1 warning",
    ]
    everything = run(pull_request, "check", "--format", "github").output
    assert "file=ideas/old-broken.md,line=4" in everything  # outside the pull request: left out above


def test_changed_since_includes_what_depends_on_a_changed_idea(pull_request: GitRepo) -> None:
    pull_request.commit({"ideas/coffee-chats/cat.md": vote("up")}, "cat votes")
    pull_request.git("switch", "-q", "main")
    pull_request.git("switch", "-q", "-c", "pr2")
    pull_request.commit({"ideas/coffee-chats.md": idea("Coffee chats", extra="tittle: typo\n")})
    (pull_request.root / "ideas/coffee-chats/dan.md").write_text(vote("up"))  # uncommitted, depends on the idea
    result = run(pull_request, "check", "--changed-since", "main")
    assert [line.split(": ")[0] for line in result.output.splitlines()[:-1]] == [
        "ideas/coffee-chats.md:4",
        "ideas/coffee-chats/dan.md:1",
    ]


def test_github_commands_escape_what_would_break_them() -> None:
    from bubbleup.cli.check import github_command
    from bubbleup.core.model import Problem, Severity

    line = github_command(Problem("ideas/a,b:c.md", 3, Severity.WARNING, "100% sure\nsecond line"))
    assert line == "::warning file=ideas/a%2Cb%3Ac.md,line=3,title=bubbleup::100%25 sure%0Asecond line"


@pytest.mark.slow
def test_review_calls_out_a_vote_made_for_someone_else(pull_request: GitRepo) -> None:
    pull_request.commit({"ideas/coffee-chats/bob.md": vote("up")}, "bob's own vote", author=BOB)
    pull_request.commit(
        {"ideas/coffee-chats/cat.md": vote("down", "Too many meetings.\n")}, "a vote for cat", author=BOB
    )
    pull_request.commit({"ideas/coffee-chats/ann.md": vote("down")}, "ann changes her mind", author=ANN)
    pull_request.commit(
        {
            "ideas/coffee-time.md": idea(
                "Coffee time with the leadership team", "[bob]", body="A monthly coffee with a director.\n"
            )
        },
        author=BOB,
    )
    pull_request.commit(
        {
            "ideas/coffee-chats.md": idea(
                "Coffee chats with leadership",
                extra=("status: planned\ndecision: {by: cat, date: 2026-11-02, reason: Directors agreed.}\n"),
                body="Monthly coffee with a director.\n",
            )
        },
        "decide",
        author=BOB,
    )
    result = run(pull_request, "review", "--base", "main")
    assert result.exit_code == 0, result.output
    summary = result.output
    assert "| `coffee-chats` | bob | — → up | yes |" in summary
    assert "| `coffee-chats` | cat | — → down | **no**: committed by Bob Example \\<bob@example.com\\> |" in summary
    assert "| `coffee-chats` | ann | up → down | yes |" in summary
    assert "#### Coffee time with the leadership team (new)" in summary
    assert re.search(r"\| 0\.\d\d \| Coffee chats with leadership \(`coffee-chats`\) \|", summary)
    assert "- **Coffee chats with leadership**: proposed → planned by cat on 2026-11-02: Directors agreed." in summary
    assert "Recorded in commits by Bob Example \\<bob@example.com\\>, not by cat." in summary
    assert "Only its front matter changed." in summary
    with_author = run(pull_request, "review", "--base", "main", "--author", "bob").output
    assert "| `coffee-chats` | ann | up → down | **no**: the pull request is by bob |" in with_author


def test_review_of_an_unknown_base_is_a_message(pull_request: GitRepo) -> None:
    result = run(pull_request, "review", "--base", "no-such-branch")
    assert result.exit_code == 1 and "git merge-base failed" in result.output and "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_validate_against_githubs_schema(workflow: Path) -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github/workflows" / name).read_text())


def test_workflows_pin_actions_and_never_use_pull_request_target() -> None:
    for workflow in WORKFLOWS:
        text = workflow.read_text()
        assert "pull_request_target" not in yaml.safe_load(text)[True]  # PyYAML reads `on` as True
        for action in re.findall(r"uses:\s*(\S+)", text):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}", action), (
                f"{workflow.name}: {action} is not pinned"
            )


def test_the_pull_request_workflow_checks_summarises_and_builds_strictly() -> None:
    workflow = load("ideas.yml")
    assert workflow[True]["pull_request"]["paths"][0] == "ideas/**"  # PyYAML reads the key `on` as True
    assert workflow["permissions"] == {"contents": "read"}
    steps = " ".join(step.get("run", "") for step in workflow["jobs"]["review"]["steps"])
    assert "check --format github --changed-since" in steps
    assert 'review --base "$BASE" --login "$LOGIN" >> "$GITHUB_STEP_SUMMARY"' in steps
    assert "build --strict" in steps


def test_the_publish_workflow_builds_with_full_history_and_deploys_to_pages() -> None:
    workflow = load("publish.yml")
    assert set(workflow[True]) == {"push", "schedule", "workflow_dispatch"}
    assert workflow["permissions"] == {} and workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert build["steps"][0]["with"]["fetch-depth"] == 0
    assert build["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert build["steps"][-1]["with"]["path"] == "site"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_the_tests_workflow_runs_the_readme_command() -> None:
    readme = (ROOT / "README.md").read_text()
    command = re.findall(r"```sh\n(.*?)\n```", readme, re.S)[1]
    assert command in (ROOT / ".ci/run").read_text()
    assert any(step.get("run") == "bash .ci/run" for step in load("tests.yml")["jobs"]["test"]["steps"])


def test_a_front_matter_change_in_a_checkout_with_crlf_line_ends_is_only_that(pull_request: GitRepo) -> None:
    """Git for Windows checks files out with CRLF line ends (core.autocrlf) while the base
    holds LF: the text is the same, so the summary says only the front matter changed."""
    pull_request.git("config", "core.autocrlf", "true")
    (pull_request.root / "ideas/coffee-chats.md").unlink()
    pull_request.git("checkout", "--", "ideas/coffee-chats.md")
    assert b"\r\n" in (pull_request.root / "ideas/coffee-chats.md").read_bytes()
    changed = idea("Coffee chats with leadership", extra="tags: [people]\n", body="Monthly coffee with a director.\n")
    pull_request.commit({"ideas/coffee-chats.md": changed.replace("\n", "\r\n").encode()}, "review it")
    summary = run(pull_request, "review", "--base", "main").output
    assert "#### Coffee chats with leadership (changed)" in summary
    assert "Only its front matter changed." in summary
    assert "<details><summary>Text</summary>" not in summary
