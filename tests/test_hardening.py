"""Reproductions of issue 12, each on a real Git repository: what a hostile colleague or a
careless edit did, and the clear message or right result it must give now."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from conftest import GitRepo, idea, write


def bubbleup(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


@pytest.mark.slow  # a real mkdocs build
def test_ideas_dated_decades_apart_build_with_readable_insights(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/old.md": idea("Old", extra="created: 1990-01-01\n"),
            "ideas/far.md": idea("Far", extra="created: 9999-12-01\n"),
            "ideas/now.md": idea("Now", extra="created: 2026-10-01\n"),
        }
    )
    result = bubbleup(site_repo, "build")
    assert result.exit_code == 0, result.output
    page = (site_repo.root / "docs/ideas/insights.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line in ("<td>1990-01</td>", "<td>9999-12</td>")]
    assert len(rows) == 2 and page.count("<tr>") < 60  # only the months with ideas: no 96,000 empty rows
    assert (site_repo.root / "site/ideas/insights/index.html").is_file()


NAMED_INDEX_ROSTER = """\
ann:
  name: Ann Example
  emails: [ann@example.com]
  team: index
index:
  name: Ivy Index
  emails: [ivy@example.com]
  team: Sales
bob:
  name: Bob Example
  emails: [bob@example.com]
  team: sales
cat:
  name: Cat Example
  emails: [cat@example.com]
  team: SALES!
dan:
  name: Dan Example
  emails: [dan@example.com]
  team: 営業
eve:
  name: Eve Example
  emails: [eve@example.com]
  team: 開発
"""


def generated(repo: GitRepo) -> dict[str, str]:
    """Generate the pages of a real repository (no site build) and read them back."""
    from bubbleup.core.config import settings
    from bubbleup.git.snapshot import snapshot
    from bubbleup.site.build import generate

    config = settings(repo.root / "mkdocs.yml")
    generate(snapshot(config))
    folder = config.pages_dir
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.md")}


def links(page: str) -> list[str]:
    """The pages a generated page links to in its own folder."""
    return [target for target in re.findall(r"\]\(([^)#]+\.md)\)", page) if "/" not in target]


def test_names_that_collide_get_pages_of_their_own(site_repo: GitRepo) -> None:
    handles = ["ann", "index", "bob", "cat", "dan", "eve"]
    site_repo.commit(
        {
            "ideas/people.yml": NAMED_INDEX_ROSTER,
            "ideas/campaigns.yml": "index:\n  title: The index campaign\n",
            **{
                f"ideas/by-{handle}.md": idea(f"By {handle}", f"[{handle}]", "tags: [index]\ncampaign: index\n")
                for handle in handles
            },
        }
    )
    pages = generated(site_repo)
    for folder, title in (("tags", "Ideas by tag"), ("teams", "Ideas by team"), ("people", "People")):
        assert f"# {title}" in pages[f"{folder}/index.md"], folder  # the list is not overwritten
    assert "# Campaigns" in pages["campaigns/index.md"]
    team_pages = [name for name in pages if name.startswith("teams/") and name != "teams/index.md"]
    assert len(team_pages) == 6  # index, Sales, sales, SALES!, and two teams in Japanese: six pages
    assert "teams/sales.md" in team_pages and sum("--" in name for name in team_pages) == 5
    assert any(name.startswith("people/index--") for name in pages)
    assert any(name.startswith("tags/index--") for name in pages)
    assert any(name.startswith("campaigns/index--") for name in pages)
    for folder in ("tags", "teams", "people", "campaigns"):  # every link from a list leads to its page
        for target in links(pages[f"{folder}/index.md"]):
            assert f"{folder}/{target}" in pages, (folder, target)


@given(name=st.text(max_size=30))
def test_page_names_are_safe_and_never_shared(name: str) -> None:
    from bubbleup.site.context import page_name

    page = page_name(name)
    assert re.fullmatch(r"[a-z0-9-]+\.md", page) and page != "index.md" and len(page) <= 80
    assert page_name(name) == page
    other = name + "x"
    assert page_name(other) != page


def test_a_mistyped_ideas_dir_is_one_error_and_the_site_stays(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/one.md": idea("One")})
    site = {"site/index.html": "<p>the published site</p>\n", "site/ideas/one/index.html": "<p>One</p>\n"}
    write(site_repo.root, site)
    config = site_repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - bubbleup\n", "  - bubbleup:\n      ideas_dir: idaes\n"))
    for command in (["build"], ["check"], ["tally"], ["new", "Another idea", "--author", "ann"]):
        result = bubbleup(site_repo, *command)
        assert result.exit_code == 1, (command, result.output)
        assert result.output.startswith(f"Error: {config}:") and result.output.count("\n") == 1, result.output
        assert "ideas_dir: the ideas folder idaes does not exist" in result.output
    assert {name: (site_repo.root / name).read_text() for name in site} == site
    assert not (site_repo.root / "idaes").exists() and not (site_repo.root / "docs/ideas").exists()


def test_outside_a_project_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["new", "Foo", "--author", "ann"], ["build"], ["check"], ["vote", "foo"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1 and result.output.count("\n") == 1, (command, result.output)
        assert result.output.startswith("Error: not in a Bubbleup project: there is no mkdocs.yml and no ideas/")
    assert list(tmp_path.iterdir()) == []


def test_build_without_mkdocs_yml_writes_no_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"ideas/foo.md": idea("Foo")})
    monkeypatch.chdir(tmp_path / "ideas")  # the project is found from a folder inside it
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0
    result = CliRunner().invoke(cli, ["build"])
    assert (
        result.exit_code == 1
        and result.output == f"Error: no mkdocs.yml in {tmp_path} or above; the site needs one (see README)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ideas"]


@pytest.mark.slow  # a real mkdocs build
def test_the_public_build_counts_the_ideas_it_published(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/open.md": idea("Open", extra="visibility: public\n"),
            "ideas/inside.md": idea("Inside"),
            "ideas/also-inside.md": idea("Also inside"),
        }
    )
    result = bubbleup(site_repo, "build", "--audience", "public")
    assert result.exit_code == 0, result.output
    assert "Built 1 idea page, 2 internal not published (" in result.output
    assert not (site_repo.root / "site-public/ideas/inside").exists()


def test_an_idea_sent_with_the_template_untouched_is_noted(site_repo: GitRepo) -> None:
    from bubbleup.core.drafts import idea_text

    text = idea_text("Quiet mornings", ["ann"], None)
    site_repo.commit({"ideas/quiet-mornings.md": text})
    result = bubbleup(site_repo, "check")
    line = text.split("\n").index("What is wrong today, and who feels it?") + 1
    assert result.exit_code == 0  # a warning: the idea is valid and shown
    assert f"ideas/quiet-mornings.md:{line}: warning: the template's prompts are still in Problem, Proposal, " in (
        result.output
    )
    assert bubbleup(site_repo, "check", "--strict").exit_code == 1
    filled = text.replace("What is wrong today, and who feels it?", "Meetings fill every morning.")
    site_repo.commit({"ideas/quiet-mornings.md": filled})
    assert "still in Proposal, Expected impact, Who benefits:" in bubbleup(site_repo, "check").output
    site_repo.commit({"ideas/quiet-mornings.md": idea("Quiet mornings", body="## Problem\n\nMeetings.\n")})
    assert bubbleup(site_repo, "check").output.startswith("No problems")


def test_escape_sequences_never_reach_the_terminal(site_repo: GitRepo) -> None:
    # A commit author's name is typed by whoever commits, and the audit and history print it.
    site_repo.commit({"ideas/one.md": idea("One", body="# \x1b]0;pwned\x07 \x9b2J Title\n\nText.\n")})
    site_repo.commit({"ideas/one/bob.md": "---\nvote: up\n---\n"}, author="Eve \x1b[2J\x1b]0;x\x07 <eve@example.com>")
    outputs = []
    for args in (["audit"], ["audit", "--format", "json"], ["history", "--format", "json"], ["tally"], ["check"]):
        result = bubbleup(site_repo, *args)
        outputs.append(result.output)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), (args, result.output)
    assert "committed by Eve \\u001b" in outputs[0]  # shown, not obeyed
    assert json.loads(outputs[1])[0]["message"].startswith("bob's up vote was committed by Eve \x1b")  # same data


def test_printable_keeps_text_and_escapes_controls() -> None:
    from bubbleup.cli.terminal import printable

    assert printable("a\tb\nc é 漢 \u2028") == "a\tb\nc é 漢 \u2028"
    assert printable("\x1b[31m\r\x00\x7f\x9b") == "\\u001b[31m\\u000d\\u0000\\u007f\\u009b"


@given(st.text(st.characters(max_codepoint=0xC2, blacklist_categories=()) | st.characters(blacklist_categories=())))
def test_printable_escapes_exactly_what_the_expression_finds(text: str) -> None:
    """Text found free of control characters by its bytes is the text the expression leaves:
    every character of U+0000 to U+00C2 (each byte around the bounds), surrogates, any other."""
    from bubbleup.cli.terminal import _CONTROL, printable

    assert printable(text) == _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def test_a_deleted_roster_is_said_in_check_audit_and_review(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/one/bob.md": "---\nvote: up\n---\n"})
    site_repo.git("switch", "-q", "-c", "drop-roster")
    site_repo.git("rm", "-q", "ideas/people.yml")
    site_repo.git("commit", "-q", "-m", "No more roster")
    warning = "there is no roster (ideas/people.yml), so identities are not checked"
    for args in (["check"], ["audit"]):
        result = bubbleup(site_repo, *args)
        assert result.stderr.count(warning) == 1, (args, result.stderr)
    report = json.loads(bubbleup(site_repo, "check", "--format", "json").output)  # stdout stays one JSON object
    assert [note[:40] for note in report["notes"]] == [warning[:40]]
    assert f"::warning title=bubbleup::{warning}" in bubbleup(site_repo, "check", "--format", "github").stdout
    assert f"> **Warning:** {warning}" in bubbleup(site_repo, "review", "--base", "main").stdout
    site_repo.git("switch", "-q", "main")
    assert warning not in bubbleup(site_repo, "check").stderr


@pytest.mark.slow  # a real mkdocs build
def test_a_new_project_without_docs_builds_at_once_and_says_it_has_no_home_page(git_repo: GitRepo) -> None:
    """A new project may have no docs/ folder: the first build makes it (mkdocs reads its
    configuration while the pages are made, and wants the folder), and, with no
    docs/index.md, says so instead of pointing at a home page that is not there."""
    from conftest import MKDOCS_YML, ROSTER

    git_repo.commit({"mkdocs.yml": MKDOCS_YML, "ideas/people.yml": ROSTER, "ideas/one.md": idea("One")})
    result = bubbleup(git_repo, "build")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(
        "The site is in site, without a home page: write docs/index.md to give it one."
    ), result.output
    assert (git_repo.root / "site/ideas/one/index.html").is_file()
    write(git_repo.root, {"docs/index.md": "# Home\n"})
    result = bubbleup(git_repo, "build")
    assert result.exit_code == 0 and "Open site/index.html" in result.output, result.output
