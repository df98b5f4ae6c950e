"""digest --person: what changed for one person, from Git history."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo, idea, vote

BOB = "Bob Example <bob@example.com>"
DECLINED = "status: declined\ndecision:\n  by: cat\n  date: 2026-10-20\n  reason: Too costly.\n"


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


def test_a_person_hears_of_decisions_feedback_and_support_for_what_they_follow(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/mine.md": idea("Mine", "[ann]"),
            "ideas/theirs.md": idea("Theirs", "[bob]"),
            "ideas/other.md": idea("Other", "[cat]"),
        },
        when="2026-10-01T09:00:00+00:00",
    )
    site_repo.commit({"ideas/theirs/ann.md": vote("up")}, when="2026-10-02T09:00:00+00:00")
    site_repo.commit({"ideas/mine/bob.md": vote("up", "Love it.\n")}, author=BOB, when="2026-10-16T09:00:00+00:00")
    site_repo.commit(
        {"ideas/theirs.md": idea("Theirs", "[bob]", DECLINED), "ideas/other.md": idea("Other", "[cat]", DECLINED)},
        when="2026-10-20T09:00:00+00:00",
    )
    result = run(site_repo, "digest", "--person", "ann", "--since", "2026-10-15", "--format", "json")
    assert result.exit_code == 0, result.output
    content = json.loads(result.output)
    assert [(d["slug"], d["yours"]) for d in content["decisions"]] == [
        ("theirs", False)
    ]  # not "other": ann does not follow it
    assert content["new_feedback_on_your_ideas"] == [{"slug": "mine", "title": "Mine", "from": "bob"}]
    assert content["support_for_your_ideas"] == [{"slug": "mine", "title": "Mine", "gained": 1}]
    markdown = run(site_repo, "digest", "--person", "ann", "--since", "2026-10-15").output
    assert markdown.startswith("# For Ann Example: from 2026-10-15")
    assert "- **Theirs** (`theirs`) (you voted): declined on 2026-10-20. Too costly." in markdown
    assert run(site_repo, "digest", "--person", "nobody").exit_code == 2
