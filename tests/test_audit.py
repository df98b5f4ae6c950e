"""The audit and the history command on real repositories with fixed authors and dates."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.core.config import settings
from bubbleup.core.tally import rank
from bubbleup.git.audit import likeness
from bubbleup.git.snapshot import snapshot
from conftest import GitRepo, idea, vote

ANN = "Ann Example <ann@example.com>"
BOB = "Bob Example <bob@example.com>"
CAT = "Cat Example <cat@example.com>"
TEXT = (
    "We should hold a monthly coffee chat where any employee can meet a director for half an hour "
    "and talk about what slows their team down.\n"
)


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


def when(day: int) -> str:
    return f"2026-10-{day:02d}T10:00:00+00:00"


@pytest.fixture
def clean(site_repo: GitRepo) -> GitRepo:
    """An idea by Ann; Bob and Cat each commit their own vote."""
    site_repo.commit(
        {"ideas/coffee.md": idea("Coffee chats", body=TEXT)}, "Propose coffee chats", author=ANN, when=when(1)
    )
    site_repo.commit({"ideas/coffee/bob.md": vote("up")}, "Bob votes", author=BOB, when=when(2))
    site_repo.commit(
        {"ideas/coffee/cat.md": vote("down", "Too many meetings.\n")}, "Cat votes", author=CAT, when=when(3)
    )
    return site_repo


def test_a_clean_repository_has_no_findings(clean: GitRepo) -> None:
    result = run(clean, "audit", "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("0 findings about 2 votes.\n0 of 2 votes were recorded through the host")


def test_each_kind_of_suspicious_vote_is_found(clean: GitRepo) -> None:
    clean.commit({"ideas/coffee/dan.md": ""}, when=when(4))  # placeholder removed below
    clean.git("rm", "-q", "ideas/coffee/dan.md", when=when(4))
    clean.git("commit", "-q", "-m", "cleanup", when=when(4))
    clean.commit(
        {"ideas/coffee/cat.md": vote("up", "Too many meetings.\n")}, "Flip cat's vote", author=BOB, when=when(5)
    )
    clean.commit({"ideas/coffee/ann.md": vote("up")}, "Ann votes for her own idea", author=ANN, when=when(6))
    clean.commit(
        {
            "ideas/coffee.md": idea(
                "Coffee chats",
                body="Replace all meetings with a quarterly offsite in Lisbon, paid for by the training budget.\n",
            )
        },
        "Rewrite",
        author=ANN,
        when=when(7),
    )
    (clean.root / "ideas/coffee/bob.md").write_text(vote("down"))  # changed, not committed
    result = run(clean, "audit", "--format", "json", "--strict")
    assert result.exit_code == 1
    found = {(f["path"], f["kind"]) for f in json.loads(result.output)}
    assert found == {
        ("ideas/coffee/cat.md", "cast-by-someone-else"),
        ("ideas/coffee/cat.md", "cast-before-rewrite"),  # the flipped vote predates the rewrite too
        ("ideas/coffee/ann.md", "own-idea"),
        ("ideas/coffee/ann.md", "cast-before-rewrite"),
        ("ideas/coffee/bob.md", "not-committed"),
    }
    text = run(clean, "audit").output
    assert "cat's up vote was committed by bob (Bob Example <bob@example.com>)" in text
    assert "ann voted up on 2026-10-06; since then the idea was rewritten (only" in text


def test_a_vote_changed_by_someone_else_after_it_was_cast(clean: GitRepo) -> None:
    clean.commit({"ideas/coffee/bob.md": vote("up", "Adding a comment for Bob.\n")}, "Edit", author=CAT, when=when(8))
    findings = json.loads(run(clean, "audit", "--format", "json").output)
    assert [(f["path"], f["kind"]) for f in findings] == [("ideas/coffee/bob.md", "changed-by-someone-else")]
    assert "changed by cat (Cat Example <cat@example.com>)" in findings[0]["message"]


@pytest.mark.slow  # a real mkdocs build
def test_history_reports_dates_people_pull_requests_and_votes(clean: GitRepo) -> None:
    clean.git("switch", "-q", "-c", "decide")
    clean.commit(
        {
            "ideas/coffee.md": idea(
                "Coffee chats",
                extra="status: planned\ndecision: {by: ann, date: 2026-10-09, reason: Agreed.}\n",
                body=TEXT,
            )
        },
        "Plan it",
        author=ANN,
        when=when(9),
    )
    clean.git("switch", "-q", "main")
    clean.merge("decide", "Merge pull request #7 from ann/decide", when=when(10))
    result = run(clean, "history", "coffee", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["created"] == when(1) and record["updated"] == when(9)
    assert record["authors"] == [{"name": "Ann Example", "email": "ann@example.com"}]
    assert record["pull_requests"] == [7]
    assert record["status_changes"] == [{"date": when(1), "status": "proposed"}, {"date": when(9), "status": "planned"}]
    cat = next(v for v in record["votes"] if v["voter"] == "cat")
    assert [(c["date"], c["vote"], c["by"]["email"]) for c in cat["changes"]] == [(when(3), "down", "cat@example.com")]
    table = run(clean, "history").output.splitlines()
    assert table[1].split() == [
        "coffee",
        "2026-10-01",
        "2026-10-09",
        "1",
        "#7",
        "proposed",
        "(2026-10-01)",
        "→",
        "planned",
        "(2026-10-09)",
        "2",
    ]
    config = (clean.root / "mkdocs.yml").read_text() + "repo_url: https://github.com/acme/ideas\n"
    (clean.root / "mkdocs.yml").write_text(config)
    assert run(clean, "build").exit_code == 0
    page = (clean.root / "site/ideas/coffee/index.html").read_text()
    assert '<a href="https://github.com/acme/ideas/pull/7">#7</a>' in page
    assert "2026-10-09: Planned" in page and 'proposed by Ann Example <time datetime="2026-10-01"' in page


def test_trending_counts_recent_votes_more(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/old-favourite.md": idea("Old favourite"), "ideas/rising.md": idea("Rising")}, when=when(1))
    site_repo.commit(
        {
            "ideas/old-favourite/ann.md": vote("up"),
            "ideas/old-favourite/bob.md": vote("up"),
            "ideas/old-favourite/cat.md": vote("up"),
        },
        when="2026-06-01T10:00:00+00:00",
    )
    site_repo.commit({"ideas/rising/ann.md": vote("up"), "ideas/rising/bob.md": vote("up")}, when=when(20))
    state = snapshot(settings(site_repo.root / "mkdocs.yml"), now=datetime(2026, 10, 22, tzinfo=UTC))
    tallies = state.tallies.values()
    assert [t.idea.slug for t in rank(tallies, "top")] == ["old-favourite", "rising"]
    assert [t.idea.slug for t in rank(tallies, "trending", now=state.now)] == ["rising", "old-favourite"]
    rising = state.tallies["rising"].trending(state.now)
    age = (state.now - datetime(2026, 10, 20, 10, tzinfo=UTC)).total_seconds() / 86_400
    assert rising == pytest.approx(2 * 0.5 ** (age / 14))


def test_a_folder_of_rfcs_without_front_matter_still_works(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.commit(
        {
            "text/0001-private-fields.md": "# Private fields\n\nMake fields private by default.\n",
            "text/0002-match-guards.md": "Match guards\n============\n\nAllow guards.\n",
        },
        "RFCs",
        author=BOB,
        when=when(1),
    )
    runner = CliRunner()
    monkeypatch.chdir(git_repo.root)  # no mkdocs.yml: the folder the command runs in is the root
    tally = json.loads(runner.invoke(cli, ["--ideas-dir", "text", "tally", "--format", "json"]).stdout)
    history = json.loads(runner.invoke(cli, ["--ideas-dir", "text", "history", "--format", "json"]).stdout)
    check = runner.invoke(cli, ["--ideas-dir", "text", "check"])
    assert [(r["slug"], r["title"]) for r in tally] == [  # no votes, same day: by slug
        ("0001-private-fields", "Private fields"),
        ("0002-match-guards", "Match guards"),
    ]
    assert {h["slug"]: h["authors"][0]["email"] for h in history} == {
        "0001-private-fields": "bob@example.com",
        "0002-match-guards": "bob@example.com",
    }
    assert check.exit_code == 0 and check.output.count("warning: missing front matter") == 2


def test_a_rewrite_with_a_backdated_author_date_is_still_found(clean: GitRepo) -> None:
    # The rewrite is committed after both votes, but claims (as its author date) to predate them.
    rewrite = idea("Coffee chats", body="Replace all meetings with a quarterly offsite in Lisbon, paid by training.\n")
    clean.commit({"ideas/coffee.md": rewrite}, "Rewrite", author=ANN, when=when(1))
    found = {(f["path"], f["kind"]) for f in json.loads(run(clean, "audit", "--format", "json").output)}
    assert found == {("ideas/coffee/bob.md", "cast-before-rewrite"), ("ideas/coffee/cat.md", "cast-before-rewrite")}


def test_a_rewrite_hidden_by_renaming_the_idea_is_still_found(clean: GitRepo) -> None:
    clean.git("mv", "ideas/coffee.md", "ideas/coffee-talks.md")
    clean.git("mv", "ideas/coffee", "ideas/coffee-talks")
    clean.git("commit", "-q", "-m", "Rename", when=when(4))
    rewrite = idea("Coffee chats", body="Replace all meetings with a quarterly offsite in Lisbon, paid by training.\n")
    clean.commit({"ideas/coffee-talks.md": rewrite}, "Rewrite", author=ANN, when=when(5))
    found = {(f["path"], f["kind"]) for f in json.loads(run(clean, "audit", "--format", "json").output)}
    assert ("ideas/coffee-talks/bob.md", "cast-before-rewrite") in found


def test_a_shallow_clone_is_not_audited_and_nobody_is_blamed(clean: GitRepo, tmp_path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{clean.root}", str(shallow)], check=True)
    for args in (["audit"], ["audit", "--strict", "--format", "json"]):
        result = CliRunner().invoke(cli, ["-f", str(shallow / "mkdocs.yml"), *args])
        assert result.exit_code == 1
        assert result.output.startswith("Error: the audit needs the full history: this is a shallow clone")
        assert "git fetch --unshallow" in result.output and "committed by" not in result.output


def test_the_rewrite_check_is_linear_in_the_idea_s_length(clean: GitRepo) -> None:
    # An 8 KB idea of repeated words took difflib 52 s per vote; 200 KB over ten minutes.
    old, new = "yes " * 50_000, "yes no " * 25_000
    started = time.perf_counter()
    assert likeness(old, new) == 0.0  # "yes yes" no longer stands anywhere
    assert time.perf_counter() - started < 2
    clean.commit({"ideas/coffee.md": idea("Coffee chats", body="yes " * 2_000)}, when=when(4))
    clean.commit({"ideas/coffee/ann.md": vote("up")}, author=ANN, when=when(5))
    clean.commit({"ideas/coffee.md": idea("Coffee chats", body="yes no " * 1_000)}, when=when(6))
    started = time.perf_counter()
    found = json.loads(run(clean, "audit", "--format", "json").output)
    assert time.perf_counter() - started < 10
    assert ("ideas/coffee/ann.md", "cast-before-rewrite") in {(f["path"], f["kind"]) for f in found}


@given(st.text(max_size=300), st.text(max_size=300))
def test_likeness_is_a_symmetric_share(old: str, new: str) -> None:
    share = likeness(old, new)
    assert 0.0 <= share <= 1.0 and share == likeness(new, old)
    assert likeness(old, old) == 1.0


def test_likeness_agrees_with_the_words_in_order_on_common_edits() -> None:
    words = [f"w{i % 37}x{i % 11}" for i in range(400)]
    text = " ".join(words)
    assert likeness(text, text + " " + text) == 2 / 3  # as much again: 2 * 400 / 1200
    assert likeness(text, " ".join(w if i % 4 else "new" for i, w in enumerate(words))) == 0.75
    assert likeness(text, " ".join(f"other{i}" for i in range(400))) == 0.0
