"""The support threshold, the review queue, reviewer scores and the digest."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.core.model import Catalog, Decision, Feedback, Idea, Person, Vote
from bubbleup.core.tally import tally
from bubbleup.core.thresholds import Threshold, progress
from conftest import MKDOCS_YML, GitRepo, idea, vote

ROSTER = "".join(
    f"{h}:\n  name: {h.title()}\n  emails: [{h}@example.com]\n  team: {team}\n"
    for h, team in [
        ("ann", "support"),
        ("bob", "support"),
        ("cat", "support"),
        ("dan", "sales"),
        ("eve", "sales"),
        ("fay", "engineering"),
    ]
)
CONFIG = MKDOCS_YML.replace(
    "  - bubbleup\n", "  - bubbleup:\n      threshold_votes: 3\n      threshold_teams: 2\n      response_days: 10\n"
)


def when(month: int, day: int) -> str:
    return f"2026-{month:02d}-{day:02d}T10:00:00+00:00"


def person(handle: str) -> str:
    return f"{handle.title()} <{handle}@example.com>"


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


def test_the_threshold_needs_votes_from_enough_teams() -> None:
    roster = {
        h: Person(h, h, (), team)
        for h, team in [("ann", "support"), ("bob", "support"), ("cat", "support"), ("dan", "sales")]
    }
    ideas = {"one": Idea("one", "One", "ideas/one.md", ("ann",))}

    def state(*votes: tuple[str, str]):
        catalog = Catalog(ideas, tuple(Feedback("one", h, Vote(v), "", f"{h}.md") for h, v in votes), roster)
        return progress(tally(catalog)["one"], roster, Threshold(votes=3, teams=2))

    one_team = state(("ann", "up"), ("bob", "up"), ("cat", "up"))
    assert (one_team.net, one_team.teams, one_team.votes_needed, one_team.teams_needed) == (3, 1, 0, 1)
    assert not one_team.reached  # one team cannot push an idea alone
    assert state(("ann", "up"), ("bob", "up"), ("dan", "up")).reached
    assert state(("ann", "up"), ("bob", "up"), ("dan", "up"), ("cat", "down")).votes_needed == 1
    without_roster = progress(
        tally(Catalog(ideas, (Feedback("one", "x", Vote.UP, "", "x.md"),)))["one"], None, Threshold(votes=1, teams=2)
    )
    assert without_roster.reached  # no roster: no teams, the team rule does not apply


@pytest.fixture
def company(git_repo: GitRepo) -> GitRepo:
    """Three ideas gathering votes on known dates."""
    git_repo.commit({"mkdocs.yml": CONFIG, "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER}, when=when(1, 1))
    git_repo.commit(
        {"ideas/early.md": idea("Early"), "ideas/late.md": idea("Late"), "ideas/quiet.md": idea("Quiet")},
        when=when(1, 2),
    )
    for day, slug, handle in [
        (3, "early", "ann"),
        (4, "early", "bob"),
        (5, "early", "dan"),  # crosses on 01-05
        (10, "late", "cat"),
        (11, "late", "eve"),
        (20, "late", "fay"),  # crosses on 01-20
        (12, "quiet", "ann"),
    ]:
        git_repo.commit({f"ideas/{slug}/{handle}.md": vote("up")}, author=person(handle), when=when(1, day))
    return git_repo


def test_the_queue_is_oldest_first_and_marks_overdue(company: GitRepo) -> None:
    from bubbleup.core.config import settings
    from bubbleup.git.snapshot import snapshot

    state = snapshot(settings(company.root / "mkdocs.yml"), now=datetime(2026, 1, 25, 12, tzinfo=UTC))
    assert [(w.item.idea.slug, w.since.date(), w.days, w.overdue) for w in state.queue] == [
        ("early", date(2026, 1, 5), 20, True),
        ("late", date(2026, 1, 20), 5, False),
    ]


def test_check_strict_fails_on_overdue_ideas_when_told_to(company: GitRepo) -> None:
    assert run(company, "check", "--strict").exit_code == 0  # not told to: overdue is not a problem
    config = (
        (company.root / "mkdocs.yml")
        .read_text()
        .replace("response_days: 10\n", "response_days: 10\n      overdue_warnings: true\n")
    )
    (company.root / "mkdocs.yml").write_text(config)
    result = run(company, "check", "--strict")
    assert result.exit_code == 1
    assert "ideas/early.md:1: warning: overdue: ready for review since 2026-01-05" in result.output
    assert run(company, "check").exit_code == 0  # a warning, so only strict fails


def test_queue_command_lists_the_waiting_ideas(company: GitRepo) -> None:
    rows = json.loads(run(company, "queue", "--format", "json").output)
    assert [(r["slug"], r["state"], r["waiting_since"][:10], r["overdue"]) for r in rows] == [
        ("early", "ready for review", "2026-01-05", True),
        ("late", "ready for review", "2026-01-20", True),
    ]


@pytest.mark.slow
def test_the_digest_reports_a_period_from_history(company: GitRepo) -> None:
    company.commit(
        {
            "ideas/late.md": idea(
                "Late", extra="status: planned\ndecision: {by: dan, date: 2026-01-22, reason: Sales needs it.}\n"
            )
        },
        author=person("dan"),
        when=when(1, 22),
    )
    company.commit({"ideas/fresh.md": idea("Fresh", extra="created: 2026-01-21\n")}, when=when(1, 21))
    content = json.loads(run(company, "digest", "--since", "2026-01-15", "--format", "json").output)
    assert [e["slug"] for e in content["new_ideas"]] == ["fresh"]
    assert [(e["slug"], e["gained"]) for e in content["gaining_support"]] == [("late", 1)]  # fay on 01-20
    # late crossed on 01-20 but is planned since 01-22: no longer ready for review (issue 12)
    assert content["crossed_threshold"] == []
    before = json.loads(
        run(company, "digest", "--since", "2026-01-01", "--format", "json").output
    )  # early crossed on 01-05 and still waits for a decision
    assert [(e["slug"], e["crossed"][:10]) for e in before["crossed_threshold"]] == [("early", "2026-01-05")]
    assert [(e["slug"], e["date"], e["reason"]) for e in content["decisions"]] == [
        ("late", "2026-01-22", "Sales needs it.")
    ]
    assert [e["slug"] for e in content["overdue"]] == ["early"]
    markdown = run(company, "digest", "--since", "2026-01-15").output
    assert "## Decisions" in markdown and "Sales needs it." in markdown
    assert run(company, "digest", "--since", "last week").exit_code == 2


def test_scores_are_averaged_over_reviewers() -> None:
    decision = Decision(
        "ann",
        date(2026, 1, 1),
        "Why.",
        {"ann": {"impact": 4, "effort": 2}, "bob": {"impact": 5}, "cat": {"impact": 3, "effort": 4}},
    )
    assert decision.averages(("impact", "effort")) == {"impact": 4.0, "effort": 3.0}
    assert decision.averages(("cost",)) == {}


@pytest.mark.slow  # a real mkdocs build
def test_scores_reach_the_page_and_the_matrix(company: GitRepo) -> None:
    company.commit(
        {
            "ideas/late.md": idea(
                "Late",
                extra=(
                    "status: under-review\ndecision:\n  by: dan\n  date: 2026-01-22\n  reason: Looking.\n"
                    "  scores:\n    dan: {impact: 5, effort: 2}\n    eve: {impact: 4, effort: 3}\n"
                ),
            )
        },
        when=when(1, 22),
    )
    assert run(company, "build").exit_code == 0
    page = (company.root / "site/ideas/late/index.html").read_text()
    assert "Reviewer scores (average of 2, 1 to 5): impact 4.5, effort 2.5" in page
    queue = (company.root / "site/ideas/queue/index.html").read_text()
    assert queue.count('class="point"') == 1 and "Impact against effort" in queue


def test_tally_threshold_and_digest_count_a_duplicate_alike(git_repo: GitRepo) -> None:
    """One rule for the votes that count: a voter whose own file on the original has no vote
    counts through the duplicate, and among duplicates the first by slug wins, in the score,
    in the moment the threshold was crossed and in the digest's gains (issue 12)."""
    from bubbleup.core.config import settings
    from bubbleup.git.snapshot import snapshot

    config = MKDOCS_YML.replace("  - bubbleup\n", "  - bubbleup:\n      threshold_votes: 2\n")
    duplicate = "status: duplicate\nduplicate-of: coffee\ndecision: {by: ann, date: 2026-01-02, reason: Same.}\n"
    git_repo.commit({"mkdocs.yml": config, "docs/index.md": "# Home\n"}, when=when(1, 1))
    git_repo.commit(
        {
            "ideas/coffee.md": idea("Coffee"),
            "ideas/coffee-again.md": idea("Coffee again", extra=duplicate),
            "ideas/coffee-too.md": idea("Coffee too", extra=duplicate),
        },
        when=when(1, 2),
    )
    git_repo.commit({"ideas/coffee/bob.md": vote("up")}, author=person("bob"), when=when(1, 3))
    git_repo.commit({"ideas/coffee/ann.md": vote("none", "Nice.\n")}, author=person("ann"), when=when(1, 4))
    git_repo.commit({"ideas/coffee-again/ann.md": vote("up")}, author=person("ann"), when=when(1, 5))
    git_repo.commit({"ideas/coffee-again/cat.md": vote("up")}, author=person("cat"), when=when(1, 6))
    git_repo.commit({"ideas/coffee-too/cat.md": vote("down")}, author=person("cat"), when=when(1, 7))

    state = snapshot(settings(git_repo.root / "mkdocs.yml"), now=datetime(2026, 1, 25, 12, tzinfo=UTC))
    coffee = state.tallies["coffee"]
    assert coffee.votes == {"bob": Vote.UP, "ann": Vote.UP, "cat": Vote.UP}  # coffee-again before coffee-too
    assert coffee.score == 3 and coffee.merged_from == ("coffee-again", "coffee-too")
    assert progress(coffee, state.catalog.roster, state.threshold).reached
    assert [moment.date() for moment in state.crossed["coffee"]] == [date(2026, 1, 5)]  # bob, then ann's merged up
    assert [(w.item.idea.slug, w.since.date()) for w in state.queue] == [("coffee", date(2026, 1, 5))]
    content = json.loads(run(git_repo, "digest", "--since", "2026-01-04T12:00:00+00:00", "--format", "json").output)
    assert [(e["slug"], e["gained"]) for e in content["gaining_support"]][:1] == [("coffee", 2)]
