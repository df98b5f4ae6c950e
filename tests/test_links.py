"""The site's buttons: they open the host's forms prefilled, and closed ideas show their outcome."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.core.config import settings
from bubbleup.site.links import host, pull_request_url
from bubbleup.write import forms
from conftest import GitRepo, idea, write
from intake_events import TEMPLATES


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


def configured(repo: GitRepo, extra: str):
    write(repo.root, {"mkdocs.yml": (repo.root / "mkdocs.yml").read_text() + extra})
    return settings(repo.root / "mkdocs.yml")


def form_ids(name: str) -> set[str]:
    form = yaml.safe_load((TEMPLATES / name).read_text())
    return {element["id"] for element in form["body"] if "id" in element}


@pytest.mark.parametrize("vote", ["up", "down", "none"])
def test_a_vote_button_opens_the_vote_form_with_the_idea_and_the_vote(site_repo: GitRepo, vote: str) -> None:
    links = host(configured(site_repo, "repo_url: https://github.com/acme/ideas\n"))
    assert links is not None and links.kind == "github"
    parts = urlsplit(links.vote_url("coffee-chats", vote))
    assert (parts.netloc, parts.path) == ("github.com", "/acme/ideas/issues/new")
    query = parse_qs(parts.query, strict_parsing=True)
    assert query["template"] == ["vote.yml"] and query["idea"] == ["coffee-chats"] and query["vote"] == [vote]
    assert {"idea", "vote"} <= form_ids("vote.yml")  # the ids the link fills in are the form's
    assert forms.vote_word(query["vote"][0]) == vote  # and intake reads what the link fills in


def test_github_enterprise_is_github_on_another_domain_and_other_hosts_get_no_buttons(site_repo: GitRepo) -> None:
    found = configured(site_repo, "repo_url: https://git.acme.example/org/ideas\n")
    assert host(found) is None and pull_request_url(found) is None
    config = (
        (site_repo.root / "mkdocs.yml").read_text().replace("  - bubbleup\n", "  - bubbleup:\n      host: github\n")
    )
    write(site_repo.root, {"mkdocs.yml": config})
    enterprise = settings(site_repo.root / "mkdocs.yml")
    links = host(enterprise)
    assert links is not None
    assert links.propose_url() == "https://git.acme.example/org/ideas/issues/new?template=idea.yml"
    assert pull_request_url(enterprise) == "https://git.acme.example/org/ideas/pull/{number}"


def test_gitlab_gets_a_prefilled_issue_in_the_forms_shape(site_repo: GitRepo) -> None:
    links = host(configured(site_repo, "repo_url: https://gitlab.acme.example/team/ideas\n"))
    assert links is not None and links.kind == "gitlab"
    parts = urlsplit(links.vote_url("coffee-chats", "down"))
    assert parts.path == "/team/ideas/-/issues/new"
    query = parse_qs(parts.query, keep_blank_values=True)
    assert query["issue[title]"] == ["Vote against: coffee-chats"]
    form = forms.Form(forms.VOTE_FORM, forms.DEFAULT_LABELS[forms.VOTE_FORM])
    assert forms.answers(query["issue[description]"][0], form) == {
        "idea": "coffee-chats",
        "vote": "down",
        "feedback": "",
    }


@pytest.mark.slow  # a real mkdocs build
def test_open_ideas_have_the_buttons_and_closed_ones_their_outcome(site_repo: GitRepo) -> None:
    declined = "status: declined\ndecision:\n  by: cat\n  date: 2026-10-02\n  reason: Too costly.\n"
    duplicate = (
        "status: duplicate\nduplicate-of: coffee-chats\ndecision:\n  by: cat\n  date: 2026-10-02\n  reason: Same.\n"
    )
    site_repo.commit(
        {
            "mkdocs.yml": (site_repo.root / "mkdocs.yml").read_text() + "repo_url: https://github.com/acme/ideas\n",
            "ideas/coffee-chats.md": idea("Coffee chats with leadership"),
            "ideas/gym.md": idea("A gym", extra=declined),
            "ideas/chats.md": idea("Chats", extra=duplicate),
        }
    )
    assert run(site_repo, "build").exit_code == 0

    def page(slug: str) -> BeautifulSoup:
        return BeautifulSoup((site_repo.root / f"site/ideas/{slug}/index.html").read_text(), "html.parser")

    buttons = {a.get_text(strip=True): a["href"] for a in page("coffee-chats").select(".bubbleup-actions a")}
    assert set(buttons) == {"Vote for", "Vote against", "Give feedback"}
    assert parse_qs(urlsplit(buttons["Vote against"]).query)["idea"] == ["coffee-chats"]
    gym = page("gym")
    outcome = next(p for p in gym.find_all("p") if "takes no more votes" in p.text)
    assert not gym.select(".bubbleup-actions") and " ".join(outcome.text.split()).startswith("Declined on 2026-10-02")
    chats = next(p for p in page("chats").find_all("p") if "takes no more votes" in p.text).find("a")
    assert chats is not None and chats.text == "Coffee chats with leadership" and chats["href"] == "../coffee-chats/"
    index = BeautifulSoup((site_repo.root / "site/ideas/index.html").read_text(), "html.parser")
    assert index.find("a", string="Propose an idea")["href"].endswith("issues/new?template=idea.yml")


def test_the_demo_roster_names_logins() -> None:
    """The demo shows the two-click path: its roster maps people to logins."""
    roster = yaml.safe_load((Path(__file__).parent.parent / "ideas/people.yml").read_text())
    assert sum("github" in person for person in roster.values()) >= 3


@pytest.mark.slow  # a real mkdocs build of the demo
def test_every_open_idea_of_the_demo_has_buttons_that_open_the_vote_form_with_that_idea(tmp_path: Path) -> None:
    from browsing import PUBLISHED, copy_demo

    demo = copy_demo(tmp_path / "demo")
    result = CliRunner().invoke(cli, ["-f", str(demo.root / "mkdocs.yml"), "build"], env=PUBLISHED)
    assert result.exit_code == 0, result.output
    closed = {"declined", "done", "duplicate"}
    checked = 0
    for source in sorted((demo.root / "ideas").glob("*.md")):
        status = re.search(r"^status: (\S+)", source.read_text(), re.M)
        page = BeautifulSoup((demo.root / f"site/ideas/{source.stem}/index.html").read_text(), "html.parser")
        links = {a.get_text(strip=True): a["href"] for a in page.select(".bubbleup-actions a")}
        if status and status.group(1) in closed:
            assert not links, source.stem
            continue
        assert set(links) == {"Vote for", "Vote against", "Give feedback"}, source.stem
        for label, vote in (("Vote for", "up"), ("Vote against", "down"), ("Give feedback", "none")):
            parts = urlsplit(links[label])
            query = parse_qs(parts.query)
            assert parts.path == "/northwind-labs/ideas/issues/new"
            assert (query["template"], query["idea"], query["vote"]) == (["vote.yml"], [source.stem], [vote])
        checked += 1
    assert checked >= 5
