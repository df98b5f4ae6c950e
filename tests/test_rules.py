"""Rules that need Git dates: campaign windows, the vote budget and ideas dated in the
future, on real repositories."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.core.model import Catalog, Idea
from bubbleup.core.rules import future_created
from conftest import MKDOCS_YML, GitRepo, idea, vote

CAMPAIGNS = "onboarding:\n  title: How do we halve onboarding time?\n  opens: 2026-10-01\n  closes: 2026-11-30\n"


def check(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "check", *args])


def test_ideas_filed_outside_the_campaign_window_are_flagged(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/campaigns.yml": CAMPAIGNS})
    site_repo.commit(
        {"ideas/in-time.md": idea("In time", extra="campaign: onboarding\n")}, when="2026-10-15T09:00:00+00:00"
    )
    site_repo.commit(
        {"ideas/too-late.md": idea("Too late", extra="campaign: onboarding\n")}, when="2026-12-05T09:00:00+00:00"
    )
    site_repo.commit(
        {"ideas/backdated.md": idea("Backdated", extra="campaign: onboarding\ncreated: 2026-11-01\n")},
        when="2026-12-06T09:00:00+00:00",
    )
    result = check(site_repo)
    assert result.exit_code == 0  # a warning: the idea is still an idea
    assert result.output.splitlines()[:-1] == [
        "ideas/too-late.md:1: warning: campaign: filed on 2026-12-05, outside the window of 'onboarding' "
        "(2026-10-01 to 2026-11-30)"
    ]


def test_votes_over_the_budget_are_reported_newest_first_and_still_counted(site_repo: GitRepo) -> None:
    site_repo.commit({"mkdocs.yml": MKDOCS_YML.replace("  - bubbleup\n", "  - bubbleup:\n      vote_budget: 2\n")})
    site_repo.commit(
        {
            "ideas/one.md": idea("One"),
            "ideas/two.md": idea("Two"),
            "ideas/three.md": idea("Three"),
            "ideas/shipped.md": idea(
                "Shipped", extra="status: done\ndecision: {by: ann, date: 2026-09-01, reason: Done.}\n"
            ),
        }
    )
    site_repo.commit({"ideas/shipped/bob.md": vote("up")}, when="2026-10-01T09:00:00+00:00")  # given back: done
    site_repo.commit({"ideas/three/bob.md": vote("up")}, when="2026-10-02T09:00:00+00:00")
    site_repo.commit({"ideas/one/bob.md": vote("down")}, when="2026-10-03T09:00:00+00:00")
    site_repo.commit({"ideas/two/bob.md": vote("up")}, when="2026-10-04T09:00:00+00:00")
    site_repo.commit({"ideas/two/cat.md": vote("none", "Just a comment.\n")}, when="2026-10-05T09:00:00+00:00")
    result = check(site_repo)
    assert result.exit_code == 1
    assert result.output.splitlines()[:-1] == [
        "ideas/two/bob.md:1: error: bob has 3 open votes, over the budget of 2 (vote_budget): three, one, two; "
        "withdraw one, for example: bubbleup vote two --withdraw"
    ]
    rows = json.loads(
        CliRunner().invoke(cli, ["-f", str(site_repo.root / "mkdocs.yml"), "tally", "--format", "json"]).stdout
    )
    assert {r["slug"]: r["up"] for r in rows}["two"] == 1


@pytest.mark.slow
def test_an_idea_dated_in_the_future_is_an_error(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/future.md": idea("Future", extra="created: 2099-01-01\n"),
            "ideas/past.md": idea("Past", extra="created: 2026-01-05\n"),
        }
    )
    for command in (["check"], ["build"]):
        result = CliRunner().invoke(cli, ["-f", str(site_repo.root / "mkdocs.yml"), *command])
        problems = [line for line in result.output.splitlines() if "created:" in line]
        assert len(problems) == 1, result.output
        assert re.fullmatch(
            r"ideas/future.md:1: error: created: 2099-01-01 is in the future \(today is \d{4}-\d\d-\d\d\); "
            r"give the day the idea was written, or leave created out to use its first commit",
            problems[0],
        )
    assert check(site_repo).exit_code == 1


def test_tomorrow_is_not_the_future_for_an_author_ahead_of_the_build() -> None:
    dated = {
        slug: Idea(slug=slug, title=slug, path=f"ideas/{slug}.md", created=day)
        for slug, day in [
            ("today", date(2026, 10, 26)),
            ("tomorrow", date(2026, 10, 27)),
            ("later", date(2026, 10, 28)),
        ]
    }
    problems = future_created(Catalog(ideas=dated, feedback=()), date(2026, 10, 26))
    assert [problem.path for problem in problems] == ["ideas/later.md"]
