"""Taking part: new, vote and decide on real repositories; edits keep every other byte."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.core.drafts import slugify, unique_slug
from bubbleup.core.loader import load
from bubbleup.core.model import BubbleupError, Status, Vote
from bubbleup.core.tally import tally
from bubbleup.write.edit import REMOVE, edit_front_matter
from bubbleup.write.participate import decide, revote
from conftest import GitRepo, idea, vote, write


def run(repo: GitRepo, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args], input=input)


@pytest.fixture
def repo(site_repo: GitRepo) -> GitRepo:
    """The site repository with two ideas, and git's user.email set to Ann's."""
    site_repo.commit(
        {
            "ideas/campaigns.yml": "q4:\n  title: What should we do in Q4?\n",
            "ideas/coffee-chats.md": idea(
                "Coffee chats with leadership", body="## Problem\n\nNobody talks to leadership.\n"
            ),
            "ideas/night-lunches.md": idea("Lunches for the night shift", "[bob]"),
        }
    )
    site_repo.git("config", "user.email", "ann@example.com")
    return site_repo


def test_round_trip_edit_changes_only_the_value() -> None:
    original = (
        "---\n# Ann's vote, changed twice\nvote:   up    # was down\n"
        "extra:  [a,   b]\nquote: 'single'\n---\n\n  Body with  spaces\r\n\nand no final newline"
    )
    edited = edit_front_matter(original, {"vote": "down"})
    assert edited == original.replace("vote:   up ", "vote:   down ")


def test_adding_and_removing_keys_keeps_the_other_lines() -> None:
    original = "---\ntitle: T  # keep\nstatus: proposed\ntags: [x]   # and this\n---\nBody\n"
    edited = decide(
        original, Status.PROPOSED, Status.DUPLICATE, "bob", date(2026, 11, 2), "Same  as\nthe other.", "other"
    )
    assert edited == (
        "---\ntitle: T  # keep\nstatus: duplicate\ndecision:\n  by: bob\n  date: 2026-11-02\n"
        "  reason: Same as the other.\nduplicate-of: other\ntags: [x]   # and this\n---\nBody\n"
    )
    back = decide(edited, Status.DUPLICATE, Status.PROPOSED, "bob", date(2026, 11, 3), "Not the same after all.")
    assert back == original


def test_values_yaml_would_misread_are_quoted() -> None:
    edited = edit_front_matter("---\na: 1\n---\n", {"vote": "no", "when": "2026-01-01", "list": ["a, b", "yes"]})
    assert edited == "---\na: 1\nvote: 'no'\nwhen: '2026-01-01'\nlist: ['a, b', 'yes']\n---\n"
    assert edit_front_matter("---\na: 1\n---\n", {"a": REMOVE}) == "---\n---\n"


def test_revote_keeps_the_body_unless_told() -> None:
    existing = "---\nvote: up\n# why\n---\nMy long feedback.\n\nTwo paragraphs.\n"
    assert revote(existing, Vote.DOWN) == existing.replace("vote: up", "vote: down")
    assert revote(existing, Vote.DOWN, "Changed.") == "---\nvote: down\n# why\n---\nChanged.\n"
    assert revote("Plain feedback.\n", Vote.UP) == "---\nvote: up\n---\nPlain feedback.\n"


def test_slugs_are_stable_and_unique() -> None:
    assert slugify("Café  crème: for ALL teams!") == "cafe-creme-for-all-teams"
    assert slugify("!!!") == "idea"
    assert len(slugify("word " * 40)) <= 76
    assert unique_slug("Coffee chats", {"coffee-chats", "coffee-chats-2"}) == "coffee-chats-3"
    assert unique_slug("Index", set()) == "index-2"


def test_new_lists_similar_ideas_and_writes_nothing_when_declined(repo: GitRepo) -> None:
    result = run(repo, "new", "Coffee chats with the leadership team", input="n\n")
    assert result.exit_code == 0, result.output
    assert "coffee-chats  Coffee chats with leadership" in result.output
    assert "Nothing written" in result.output
    assert not any(p.name.startswith("coffee-chats-with") for p in (repo.root / "ideas").iterdir())


def test_new_creates_a_valid_idea_from_the_template(repo: GitRepo) -> None:
    result = run(repo, "new", "Coffee chats", "--tag", "culture", "--campaign", "q4", "--yes")
    assert result.exit_code == 0, result.output
    path = repo.root / "ideas/coffee-chats-2.md"  # coffee-chats is taken: never overwritten
    text = path.read_text()
    assert text.startswith(
        "---\ntitle: Coffee chats\nauthors: [ann]\nstatus: proposed\ntags: [culture]\ncampaign: q4\n"
    )
    assert "## Problem" in text and "## Who benefits" in text
    # valid; only the untouched template's prompts are noted, so the author fills them in
    assert [(p.severity.value, p.message[:30]) for p in load(repo.root, repo.root / "ideas").problems] == [
        ("warning", "the template's prompts are sti")
    ]
    assert "Created ideas/coffee-chats-2.md (not committed)" in result.output
    assert repo.git("status", "--porcelain") == "?? ideas/coffee-chats-2.md\n"


def test_new_needs_to_know_who_you_are(repo: GitRepo) -> None:
    repo.git("config", "user.email", "stranger@example.com")
    result = run(repo, "new", "Something else entirely", "--yes")
    assert result.exit_code == 1 and "cannot tell who you are" in result.output
    assert run(repo, "new", "Something else entirely", "--yes", "--author", "bob").exit_code == 0
    result = run(repo, "new", "Third thing", "--yes", "--author", "bob", "--campaign", "q5")
    assert result.exit_code == 1 and "campaign 'q5' is not defined; the campaigns are: q4" in result.output


def test_vote_writes_edits_and_withdraws(repo: GitRepo) -> None:
    path = repo.root / "ideas/coffee-chats/ann.md"
    assert run(repo, "vote", "coffee-chats", "-m", "Yes, monthly.").exit_code == 0
    assert path.read_text() == "---\nvote: up\n---\nYes, monthly.\n"
    path.write_text("---\nvote: up  # first thought\n---\nYes, monthly.\n")
    assert run(repo, "vote", "coffee-chats", "--down").exit_code == 0
    assert path.read_text() == "---\nvote: down  # first thought\n---\nYes, monthly.\n"
    assert run(repo, "vote", "coffee-chats", "--withdraw").exit_code == 0
    assert path.read_text() == "---\nvote: none  # first thought\n---\nYes, monthly.\n"  # the text stays
    assert run(repo, "vote", "night-lunches", "--as", "cat").exit_code == 0
    assert run(repo, "vote", "night-lunches", "--as", "cat", "--withdraw").exit_code == 0
    assert not (repo.root / "ideas/night-lunches/cat.md").exists()  # a bare vote is removed
    result = run(repo, "vote", "no-such-idea")
    assert result.exit_code == 1 and "there is no such idea" in result.output


def test_a_customer_vote_is_recorded_apart(repo: GitRepo) -> None:
    result = run(repo, "vote", "coffee-chats", "--as", "bob", "--on-behalf-of", "acme-corp", "-m", "Acme wants it.")
    assert result.exit_code == 0, result.output
    text = (repo.root / "ideas/coffee-chats/customers/acme-corp.md").read_text()
    assert text == "---\nvote: up\nrecorded-by: bob\n---\nAcme wants it.\n"
    catalog = load(repo.root, repo.root / "ideas")
    counted = tally(catalog)["coffee-chats"]
    assert (counted.up, counted.customers_up) == (0, ["acme-corp"])


def test_votes_made_on_two_branches_merge_without_conflict(repo: GitRepo) -> None:
    assert run(repo, "vote", "coffee-chats", "--as", "bob", "--branch").exit_code == 0
    result = run(repo, "vote", "coffee-chats", "--as", "cat", "--down", "--branch")
    assert result.exit_code == 0, result.output
    assert "committed it on the new branch vote/coffee-chats-cat (from main)" in result.output
    repo.merge("vote/coffee-chats-bob", "Merge bob")
    repo.merge("vote/coffee-chats-cat", "Merge cat")
    counted = tally(load(repo.root, repo.root / "ideas"))["coffee-chats"]
    assert (counted.up_voters, counted.down_voters) == (["bob"], ["cat"])


def test_branch_commits_only_the_change(repo: GitRepo) -> None:
    write(repo.root, {"docs/index.md": "# Home, edited but not part of the vote\n"})
    repo.git("add", "docs/index.md")  # staged, and still not part of the vote
    assert run(repo, "vote", "coffee-chats", "--branch").exit_code == 0
    assert repo.git("show", "--name-only", "--format=%s", "vote/coffee-chats-ann").split("\n")[:3] == [
        "Vote on coffee-chats: ann up",
        "",
        "ideas/coffee-chats/ann.md",
    ]
    assert repo.git("status", "--porcelain") == "M  docs/index.md\n"


def test_branches_start_at_the_default_branch_and_leave_the_user_where_they_were(repo: GitRepo) -> None:
    """`new --branch` then `vote --branch`: two independent pull requests, and HEAD never moves."""
    repo.git("switch", "-q", "-c", "my-work")
    head = repo.git("rev-parse", "HEAD")
    assert run(repo, "new", "Free fruit", "--yes", "--branch").exit_code == 0
    assert run(repo, "vote", "coffee-chats", "--down", "-m", "No.", "--branch").exit_code == 0
    assert run(repo, "decide", "night-lunches", "planned", "--reason", "Yes.", "--branch").exit_code == 0
    assert (repo.git("rev-parse", "HEAD"), repo.git("branch", "--show-current")) == (head, "my-work\n")
    assert repo.git("status", "--porcelain") == ""  # each change lives on its branch only
    main = repo.git("rev-parse", "main")
    for branch in ("idea/free-fruit", "vote/coffee-chats-ann", "decide/night-lunches-planned"):
        assert repo.git("rev-parse", f"{branch}~1") == main
        assert len(repo.git("show", "--name-only", "--format=", branch).split()) == 1
    assert "status: planned" in repo.git("show", "decide/night-lunches-planned:ideas/night-lunches.md")


def test_a_branch_that_cannot_be_made_leaves_the_working_tree_as_it_was(repo: GitRepo) -> None:
    """`new --branch` twice: the branch exists the second time, and nothing is left behind."""
    assert run(repo, "new", "Free fruit", "--yes", "--branch").exit_code == 0
    result = run(repo, "new", "Free fruit", "--yes", "--branch")
    assert result.exit_code == 1 and "nothing changed: could not commit ideas/free-fruit" in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output, result.output
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    before = (repo.root / "ideas/coffee-chats.md").read_bytes()
    repo.git("branch", "vote/coffee-chats-ann")  # a branch of that name already there
    result = run(repo, "vote", "coffee-chats", "--down", "-m", "No.", "--branch")
    assert result.exit_code == 1 and "nothing changed" in result.output, result.output
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    assert (repo.root / "ideas/coffee-chats.md").read_bytes() == before


def test_decide_writes_the_decision_and_refuses_invalid_transitions(repo: GitRepo) -> None:
    path = repo.root / "ideas/coffee-chats.md"
    result = run(repo, "decide", "coffee-chats", "planned", "--reason", "Leadership agreed.", "--date", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert (
        "status: planned\ndecision:\n  by: ann\n  date: 2026-11-02\n  reason: Leadership agreed.\n" in path.read_text()
    )
    before = path.read_bytes()
    result = run(repo, "decide", "coffee-chats", "proposed", "--reason", "Oops.")
    assert result.exit_code == 1
    assert (
        "cannot go from planned to proposed; from planned it can go to: under-review, in-progress, done, declined"
        in result.output
    )
    assert path.read_bytes() == before
    assert load(repo.root, repo.root / "ideas").problems == ()


@pytest.mark.slow  # a real mkdocs build
def test_a_duplicate_merges_its_voters_once_into_the_original(repo: GitRepo) -> None:
    write(
        repo.root,
        {
            "ideas/coffee-chats/bob.md": vote("up"),
            "ideas/night-lunches/bob.md": vote("up"),
            "ideas/night-lunches/cat.md": vote("up"),
        },
    )
    result = run(
        repo,
        "decide",
        "night-lunches",
        "duplicate",
        "--duplicate-of",
        "coffee-chats",
        "--reason",
        "Same.",
        "--by",
        "bob",
    )
    assert result.exit_code == 0, result.output
    counted = tally(load(repo.root, repo.root / "ideas"))
    assert counted["coffee-chats"].up_voters == ["bob", "cat"]
    assert (
        run(repo, "decide", "coffee-chats", "duplicate", "--duplicate-of", "night-lunches", "--reason", "x").exit_code
        == 1
    )
    assert run(repo, "build").exit_code == 0
    page = (repo.root / "site/ideas/night-lunches/index.html").read_text()
    assert 'This idea is a duplicate of <a href="../coffee-chats/">Coffee chats with leadership</a>' in page


@pytest.mark.slow  # a real mkdocs build
def test_without_a_github_repo_pages_show_the_commands(repo: GitRepo) -> None:
    assert run(repo, "build").exit_code == 0
    page = (repo.root / "site/ideas/coffee-chats/index.html").read_text()
    assert "bubbleup vote coffee-chats" in page and "Vote against" not in page


def test_transitions_refused_in_the_core_leave_nothing_half_done() -> None:
    with pytest.raises(BubbleupError, match="needs --duplicate-of"):
        decide("---\nstatus: proposed\n---\n", Status.PROPOSED, Status.DUPLICATE, "a", date(2026, 1, 1), "x")
    with pytest.raises(BubbleupError, match="needs a reason"):
        decide("---\nstatus: proposed\n---\n", Status.PROPOSED, Status.PLANNED, "a", date(2026, 1, 1), "  ")


def test_vote_refuses_a_declined_idea_with_its_reason_and_writes_nothing(repo: GitRepo) -> None:
    assert (
        run(repo, "decide", "night-lunches", "declined", "--reason", "No budget.", "--date", "2026-11-02").exit_code
        == 0
    )
    result = run(repo, "vote", "night-lunches")
    assert result.exit_code == 1 and "declined on 2026-11-02: No budget." in result.output
    assert not (repo.root / "ideas/night-lunches/ann.md").exists()


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
from bubbleup.cli.main import cli
cli(sys.argv[1:], prog_name="bubbleup")
"""


@pytest.mark.slow
def test_a_full_disk_gives_one_error_and_changes_nothing(repo: GitRepo) -> None:
    import subprocess
    import sys

    idea_file = repo.root / "ideas/coffee-chats.md"
    before = idea_file.read_bytes()
    commands = (
        ["vote", "coffee-chats", "-m", "A long thought. " * 20],
        ["decide", "coffee-chats", "planned", "--reason", "Agreed for the first quarter of next year. " * 3],
    )
    for command in commands:
        result = subprocess.run(
            [sys.executable, "-c", FULL_DISK, "-f", str(repo.root / "mkdocs.yml"), *command],
            capture_output=True,
            text=True,
            cwd=repo.root,
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert (
            result.stderr.startswith("Error: cannot write ideas/coffee-chats")
            and "nothing was changed" in result.stderr
        )
    assert idea_file.read_bytes() == before
    assert not (repo.root / "ideas/coffee-chats").exists() or not list((repo.root / "ideas/coffee-chats").iterdir())
    assert not [p for p in (repo.root / "ideas").iterdir() if p.name.endswith(".tmp")]
