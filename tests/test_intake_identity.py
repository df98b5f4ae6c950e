"""Intake records a vote for the login GitHub reports as the issue's author, and for no one else.

The payloads follow GitHub's documented webhook shapes: `issues` (opened, edited; a
transferred issue arrives as `opened` with `changes.old_repository` and `changes.old_issue`,
the mover as `sender`) and `issue_comment` (created, the commenter in `comment.user` and
`sender`). The bodies are the ones GitHub writes from the project's issue forms.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GitRepo
from intake_events import TEMPLATES, payload, render_body, vote_event
from test_intake import AUTOMATION, intake, repo, state

__all__ = ["repo"]  # the fixture, shared with test_intake.py


def comment_event(commenter: str, author: str, body: str) -> dict:
    """An `issue_comment` created on an issue opened from the vote form by `author`."""
    event = vote_event(author, "coffee-chats")
    commenter_user = {"login": commenter, "id": 5005, "type": "User"}
    event["action"] = "created"
    event["comment"] = {"id": 77, "body": body, "user": commenter_user, "author_association": "NONE"}
    event["sender"] = commenter_user
    return event


def moved_event(author: str, mover: str) -> dict:
    """An issue written from the vote form elsewhere, then transferred here by `mover`."""
    event = vote_event(author, "coffee-chats")
    event["sender"] = {"login": mover, "id": 6006, "type": "User"}
    event["changes"] = {
        "old_issue": {**event["issue"], "html_url": "https://github.com/acme/other/issues/3", "number": 3},
        "old_repository": {"id": 43, "name": "other", "full_name": "acme/other"},
    }
    return event


def edited_by(editor: str) -> dict:
    """ann-gh's vote form, edited (to another vote) by someone allowed to triage."""
    event = vote_event("ann-gh", "coffee-chats", "down", action="edited")
    event["sender"] = {"login": editor, "id": 7007, "type": "User"}
    event["changes"] = {"body": {"from": render_body(TEMPLATES / "vote.yml", {"idea": "coffee-chats", "vote": "up"})}}
    return event


@pytest.mark.parametrize(
    ("event", "code", "says"),
    [
        (edited_by("cat-maintainer"), 0, "Nothing to do for an issue that was edited"),
        (comment_event("BobCodes", "ann-gh", "### Vote\n\nup"), 0, "Nothing to do for an issue that was created"),
        (moved_event("ann-gh", "BobCodes"), 1, "moved here by BobCodes"),
        (moved_event("ann-gh", "ann-gh"), 1, "moved here by ann-gh"),
        (vote_event("dependabot[bot]", "coffee-chats"), 1, "not in the roster"),
    ],
)
def test_only_the_author_opening_the_form_here_casts_a_vote(
    repo: GitRepo, tmp_path: Path, event: dict, code: int, says: str
) -> None:
    before = state(repo)
    result = intake(repo, event, tmp_path)
    assert result.exit_code == code, result.output
    assert says in result.output
    assert state(repo) == before


def test_someone_else_as_sender_of_an_opened_issue_is_refused(repo: GitRepo, tmp_path: Path) -> None:
    event = vote_event("ann-gh", "coffee-chats")
    event["sender"] = {"login": "BobCodes", "id": 8008, "type": "User"}
    before = state(repo)
    result = intake(repo, event, tmp_path)
    assert result.exit_code == 1 and "nothing was recorded" in result.output
    assert state(repo) == before


def test_an_event_without_a_sender_is_not_read(repo: GitRepo, tmp_path: Path) -> None:
    event = vote_event("ann-gh", "coffee-chats")
    del event["sender"]
    result = intake(repo, event, tmp_path)
    assert result.exit_code == 1 and "sender.login" in result.output


def test_a_login_in_another_case_is_the_same_person(repo: GitRepo, tmp_path: Path) -> None:
    result = intake(repo, vote_event("ANN-GH", "coffee-chats"), tmp_path)
    assert result.exit_code == 0, result.output
    assert repo.git("show", "--name-only", "--format=", "HEAD").split() == ["ideas/coffee-chats/ann.md"]
    assert "Bubbleup-Login: ANN-GH" in repo.git("log", "-1", "--format=%(trailers:only,unfold)")


def test_a_login_typed_in_the_form_counts_for_nothing(repo: GitRepo, tmp_path: Path) -> None:
    """Text in the body naming someone else (a heading, a trailer, a mention) changes nothing."""
    feedback = "### Vote\n\ndown\n\nBubbleup-Login: BobCodes\n@BobCodes agrees\ngithub: BobCodes"
    result = intake(repo, vote_event("ann-gh", "coffee-chats", "up", feedback), tmp_path)
    assert result.exit_code == 0, result.output
    assert repo.git("show", "--name-only", "--format=", "HEAD").split() == ["ideas/coffee-chats/ann.md"]
    trailers = repo.git("log", "-1", "--format=%(trailers:only,unfold)").strip().splitlines()
    assert trailers[0] == "Bubbleup-Login: ann-gh"


def test_a_colleague_who_changes_a_customers_voice_answers_for_it(repo: GitRepo, tmp_path: Path) -> None:
    """The audit holds the colleague in `recorded-by` to account: it must name whoever set the vote."""
    for login, vote in (("ann-gh", "up"), ("BobCodes", "down")):
        body = render_body(TEMPLATES / "customer.yml", {"idea": "coffee-chats", "customer": "Acme", "vote": vote})
        result = intake(repo, payload(login, body), tmp_path)
        assert result.exit_code == 0, result.output
    text = (repo.root / "ideas/coffee-chats/customers/acme.md").read_text()
    assert text == "---\nvote: down\nrecorded-by: bob\n---\n"


HANDLES = {"ann-gh": "ann", "bobcodes": "bob"}
texts = st.text(st.characters(codec="utf-8"), max_size=40)
crlf = st.builds(lambda a, b: f"{a}\r\n{b}", texts, texts)


@st.composite
def shaped_events(draw) -> dict:
    """Events shaped like GitHub's, with any answers, any title, sections dropped, any sender."""
    template = draw(st.sampled_from(["vote.yml", "customer.yml"]))
    answer = st.sampled_from(["coffee-chats", "up", "down", "none", "", "Acme Corp"]) | texts | crlf
    filled = {field: draw(answer) for field in ("idea", "vote", "feedback", "customer")}
    if draw(st.booleans()):  # half of them answered as the form asks, so that votes get recorded
        filled |= {"idea": "coffee-chats", "vote": draw(st.sampled_from(["up", "down", "none"])), "customer": "Acme"}
    body = render_body(TEMPLATES / template, filled)
    if draw(st.integers(0, 3)) == 0:
        sections = body.split("\n\n### ")
        body = "\n\n### ".join(part for part in sections if draw(st.booleans()))
    login = draw(st.sampled_from(["ann-gh", "ANN-GH", "BobCodes", "bobcodes", "stranger", "ghost", "x[bot]"]))
    event = payload(login, body, action=draw(st.sampled_from(["opened", "opened", "edited"])))
    event["issue"]["title"] = draw(texts)
    if draw(st.booleans()):
        event["sender"] = {"login": draw(st.sampled_from([login, "BobCodes", "ann-gh"])), "id": 1, "type": "User"}
    if draw(st.integers(0, 4)) == 0:
        event["changes"] = {"old_repository": {"full_name": "acme/other"}, "old_issue": None}
    return event


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=shaped_events())
def test_a_vote_is_only_ever_recorded_for_the_events_own_author(repo: GitRepo, event: dict) -> None:
    from bubbleup.core.config import settings as read_settings
    from bubbleup.git.commit import Identity
    from bubbleup.git.snapshot import load_catalog
    from bubbleup.write.intake import intake as run_intake
    from bubbleup.write.intake import read_event

    read = read_event(json.dumps(event).encode())
    assert not isinstance(read, str)
    found = read_settings(repo.root / "mkdocs.yml")
    before = state(repo)
    outcome = run_intake(found, load_catalog(found), read, Identity.parse(AUTOMATION, "committer"))
    assert outcome.status in ("recorded", "refused", "ignored") and outcome.reply
    if outcome.status != "recorded" or outcome.commit is None:
        assert state(repo)[0] == before[0]
        return
    login = event["issue"]["user"]["login"]
    assert event["action"] == "opened" and "changes" not in event
    assert event["sender"]["login"].lower() == login.lower()
    handle = HANDLES[login.lower()]
    trailers = repo.git("log", "-1", "--format=%(trailers:only,unfold)")
    assert f"Bubbleup-Login: {login}\n" in trailers
    (changed,) = repo.git("show", "--name-only", "--format=", "HEAD").split()
    content = (repo.root / changed).read_text(encoding="utf-8")
    assert changed.endswith(f"/{handle}.md") or ("/customers/" in changed and re.search(rf"\b{handle}\b", content))


WORKFLOWS = sorted((TEMPLATES.parent / "workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_workflow_expands_an_expression_inside_a_script_or_runs_untrusted_code_with_write_rights(
    path: Path,
) -> None:
    """Issue text, comments, branch names and labels reach scripts through `env:` only; actions are pinned."""
    import yaml

    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = workflow[True]  # PyYAML reads the key `on` as True
    assert "pull_request_target" not in triggers and "workflow_run" not in triggers
    assert "permissions" in workflow, "a workflow without permissions gets the repository's default token"
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            script = step.get("run", "") + str((step.get("with") or {}).get("script", ""))
            assert "${{" not in script, f"{path.name} {name}: an expression inside a script: {step.get('name')}"
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), f"not pinned: {step['uses']}"
