"""Intake: issues opened from the project's forms become commits made as the person the host vouches for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.write import forms
from conftest import GitRepo, idea
from intake_events import ROSTER, TEMPLATES, install_templates, payload, render_body, vote_event, write_event

AUTOMATION = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"


@pytest.fixture
def repo(site_repo: GitRepo) -> GitRepo:
    """A site with a roster that knows GitHub logins, the forms, an open, a declined and a duplicate idea."""
    install_templates(site_repo.root)
    declined = "status: declined\ndecision:\n  by: cat\n  date: 2026-10-02\n  reason: Too costly this year.\n"
    duplicate = (
        "status: duplicate\nduplicate-of: coffee-chats\ndecision:\n  by: cat\n  date: 2026-10-02\n  reason: Same.\n"
    )
    site_repo.commit(
        {
            "ideas/people.yml": ROSTER,
            "ideas/coffee-chats.md": idea("Coffee chats with leadership", "[bob]"),
            "ideas/gym.md": idea("A gym in every office", "[bob]", declined),
            "ideas/chats-with-bosses.md": idea("Chats with bosses", "[bob]", duplicate),
        },
        "ideas and forms",
    )
    return site_repo


def intake(repo: GitRepo, event: dict, tmp_path: Path):
    path = write_event(tmp_path / "event.json", event)
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "intake", "--event", str(path)])


def state(repo: GitRepo) -> tuple[str, str, str]:
    """HEAD, the branches and the working tree's status: what a refusal must leave alone."""
    return (
        repo.git("rev-parse", "HEAD"),
        repo.git("branch", "-a"),
        repo.git("status", "--porcelain", "--untracked-files=all"),
    )


def test_a_vote_from_the_form_is_one_commit_authored_by_the_person(repo: GitRepo, tmp_path: Path) -> None:
    before = repo.git("rev-parse", "HEAD").strip()
    result = intake(repo, vote_event("ann-gh", "coffee-chats", "up", "Yes:\n\nonce a month."), tmp_path)
    assert result.exit_code == 0, result.output
    assert "@ann-gh, thank you" in result.output and "ideas/coffee-chats/ann.md" in result.output
    assert repo.git("rev-parse", "HEAD~1").strip() == before
    assert repo.git("show", "--name-only", "--format=", "HEAD").split() == ["ideas/coffee-chats/ann.md"]
    people = repo.git("log", "-1", "--format=%an <%ae>|%cn <%ce>")
    assert people.strip() == f"Ann Example <ann@example.com>|{AUTOMATION}"
    trailers = repo.git("log", "-1", "--format=%(trailers:only,unfold)").strip().splitlines()
    assert trailers == ["Bubbleup-Login: ann-gh", "Bubbleup-Source: https://github.com/acme/ideas/issues/7"]
    assert (repo.root / "ideas/coffee-chats/ann.md").read_text() == "---\nvote: up\n---\nYes:\n\nonce a month.\n"
    assert repo.git("status", "--porcelain") == ""


def test_voting_again_changes_the_vote_and_keeps_the_rest(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit({"ideas/coffee-chats/bob.md": "---\nvote: up  # my vote\n---\nGreat.\n"})
    result = intake(repo, vote_event("BOBCODES", "coffee-chats", "Down"), tmp_path)
    assert result.exit_code == 0, result.output
    assert (repo.root / "ideas/coffee-chats/bob.md").read_text() == "---\nvote: down  # my vote\n---\nGreat.\n"


@pytest.mark.parametrize(
    ("event", "says"),
    [
        (vote_event("stranger", "coffee-chats"), "github: stranger"),
        (vote_event("ann-gh", "gym"), "declined on 2026-10-02: Too costly this year."),
        (vote_event("ann-gh", "no-such-idea"), "there is no idea `no-such-idea`"),
        (vote_event("ann-gh", "chats-with-bosses"), "duplicate of `coffee-chats`"),
        (vote_event("ann-gh", "coffee-chats", "maybe"), "write up, down or none"),
        (vote_event("ann-gh", "coffee-chats", "up", "<script>alert(1)</script>"), "cannot be published"),
        (vote_event("ann-gh", "../../etc"), "not the short name of an idea"),
    ],
)
def test_refusals_write_nothing_and_say_why(repo: GitRepo, tmp_path: Path, event: dict, says: str) -> None:
    before = state(repo)
    result = intake(repo, event, tmp_path)
    assert result.exit_code == 1
    assert says in result.output
    assert state(repo) == before


def test_a_relabelled_field_still_works(repo: GitRepo, tmp_path: Path) -> None:
    template = repo.root / ".github/ISSUE_TEMPLATE/vote.yml"
    form = yaml.safe_load(template.read_text())
    form["body"][1]["attributes"]["label"] = "Which idea?"
    template.write_text(yaml.safe_dump(form))
    repo.commit({}, "relabel")
    event = payload("ann-gh", render_body(template, {"idea": "coffee-chats", "vote": "up"}))
    assert "### Which idea?" in event["issue"]["body"]
    result = intake(repo, event, tmp_path)
    assert result.exit_code == 0, result.output
    assert (repo.root / "ideas/coffee-chats/ann.md").is_file()


def test_a_customers_voice_is_recorded_by_the_colleague(repo: GitRepo, tmp_path: Path) -> None:
    body = render_body(
        TEMPLATES / "customer.yml", {"idea": "coffee-chats", "customer": "Acme Corp", "vote": "up", "feedback": "Now!"}
    )
    result = intake(repo, payload("BobCodes", body), tmp_path)
    assert result.exit_code == 0, result.output
    text = (repo.root / "ideas/coffee-chats/customers/acme-corp.md").read_text()
    assert text == "---\nvote: up\nrecorded-by: bob\n---\nNow!\n"
    assert repo.git("log", "-1", "--format=%an").strip() == "Bob Example"


def test_a_proposal_becomes_a_branch_and_leaves_the_checkout_alone(repo: GitRepo, tmp_path: Path) -> None:
    before = state(repo)
    answers = {
        "title": "Free fruit on Fridays",
        "problem": "We snack badly.",
        "proposal": "Fruit.",
        "tags": "wellbeing",
    }
    result = intake(repo, payload("ann-gh", render_body(TEMPLATES / "idea.yml", answers)), tmp_path)
    assert result.exit_code == 0, result.output
    assert "idea/free-fruit-on-fridays" in result.output
    head, branches, status = state(repo)
    assert (head, status) == before[::2] and "idea/free-fruit-on-fridays" in branches
    text = repo.git("show", "idea/free-fruit-on-fridays:ideas/free-fruit-on-fridays.md")
    assert text.startswith(
        "---\ntitle: Free fruit on Fridays\nauthors: [ann]\nstatus: proposed\ntags: [wellbeing]\n---\n"
    )
    assert repo.git("log", "-1", "--format=%an", "idea/free-fruit-on-fridays").strip() == "Ann Example"


def test_an_issue_not_from_a_form_is_ignored(repo: GitRepo, tmp_path: Path) -> None:
    before = state(repo)
    result = intake(repo, payload("ann-gh", "The site is slow."), tmp_path)
    assert result.exit_code == 0 and "not written from a Bubbleup form" in result.output
    assert state(repo) == before


def test_the_forms_labels_match_the_shipped_templates() -> None:
    """A repository without templates still reads issues written from Bubbleup's forms."""
    for name, labels in forms.DEFAULT_LABELS.items():
        form = yaml.safe_load((TEMPLATES / name).read_text())
        shipped = {e["id"]: e["attributes"]["label"] for e in form["body"] if e["type"] != "markdown"}
        assert shipped == labels


def test_github_writes_no_response_for_an_empty_answer() -> None:
    form = forms.Form(forms.VOTE_FORM, forms.DEFAULT_LABELS[forms.VOTE_FORM])
    body = "### Idea\n\ncoffee\n\n### Vote\n\nup\n\n### Feedback\n\n_No response_"
    assert forms.answers(body, form) == {"idea": "coffee", "vote": "up", "feedback": ""}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
answers = st.text(st.characters(codec="utf-8"), max_size=60)


@st.composite
def events(draw) -> bytes:
    """Anything from garbage bytes to well-formed events whose form answers hold any text."""
    kind = draw(st.sampled_from(["bytes", "json", "shaped"]))
    if kind == "bytes":
        return draw(st.binary(max_size=80))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    template = draw(st.sampled_from(["vote.yml", "customer.yml", "idea.yml"]))
    fields = ["idea", "vote", "feedback", "customer", "title", "problem", "proposal", "tags"]
    filled = {field: draw(st.sampled_from(["coffee-chats", "up", ""]) | answers) for field in fields}
    event = payload(draw(st.sampled_from(["ann-gh", "stranger", "-bad-"])), render_body(TEMPLATES / template, filled))
    event["issue"][draw(st.sampled_from(["body", "number", "html_url", "user"]))] = draw(json_values)
    return json.dumps(event).encode()


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=events())
def test_any_event_gives_an_outcome_never_a_traceback(repo: GitRepo, raw: bytes) -> None:
    from bubbleup.core.config import settings as read_settings
    from bubbleup.git.commit import Identity
    from bubbleup.git.snapshot import load_catalog
    from bubbleup.write.intake import intake as run_intake
    from bubbleup.write.intake import read_event

    event = read_event(raw)
    if isinstance(event, str):
        return
    found = read_settings(repo.root / "mkdocs.yml")
    before = state(repo)
    outcome = run_intake(found, load_catalog(found), event, Identity.parse(AUTOMATION, "committer"))
    assert outcome.status in ("recorded", "refused", "ignored") and outcome.reply
    if outcome.status != "recorded":
        assert state(repo) == before


def test_the_intake_workflow_keeps_issue_text_out_of_scripts_and_permissions_narrow() -> None:
    workflow = yaml.safe_load((TEMPLATES.parent / "workflows/intake.yml").read_text())
    assert workflow[True] == {"issues": {"types": ["opened"]}}  # PyYAML reads the key `on` as True
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["intake"]
    assert job["permissions"] == {"contents": "write", "issues": "write", "pull-requests": "write"}
    for step in job["steps"]:
        assert "${{" not in step.get("run", ""), f"an expression inside a script: {step.get('name')}"
    scripts = " ".join(step.get("run", "") for step in job["steps"])
    assert 'bubbleup" intake' in scripts and "gh issue comment" in scripts and "gh issue close" in scripts
    assert "git pull --rebase" in scripts  # retries when the default branch moved
