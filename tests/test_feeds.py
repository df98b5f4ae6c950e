"""The Atom feed (ideas/feed.xml), read back from a real build as a feed reader would."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo, idea

pytestmark = pytest.mark.slow  # real mkdocs builds

ATOM = "{http://www.w3.org/2005/Atom}"
DECIDED = "status: planned\ndecision:\n  by: cat\n  date: 2026-10-09\n  reason: >-\n    Agreed   for\n    Q1.\n"
HOSTILE = 'Tea & "cake" for teams < 3 ]]> &amp; more'


def build(repo: GitRepo) -> ElementTree.Element:
    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build"])
    assert result.exit_code == 0, result.output
    return ElementTree.parse(repo.root / "site/ideas/feed.xml").getroot()


def text(element: ElementTree.Element, name: str) -> str:
    found = element.find(ATOM + name)
    assert found is not None and found.text, f"no {name} in {element.tag}"
    return found.text


def moment(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"{value} has no time zone (RFC 3339 needs one)"
    return parsed


def test_the_feed_is_atom_with_an_entry_per_new_idea_and_decision(site_repo: GitRepo) -> None:
    # The escape character (\x1b) may stand in an idea's text, but XML cannot carry it.
    site_repo.commit(
        {"ideas/coffee-chats.md": idea("Coffee chats", body="Meet\x1b\n\nleadership.\n")},
        when="2026-10-02T09:00:00+00:00",
    )
    site_repo.commit({"ideas/night-lunches.md": idea(f"'{HOSTILE}'", "[bob]")}, when="2026-10-05T09:00:00+00:00")
    site_repo.commit(
        {"ideas/coffee-chats.md": idea("Coffee chats", extra=DECIDED, body="Meet\x1b\n\nleadership.\n")},
        when="2026-10-10T09:00:00+00:00",
    )
    feed = build(site_repo)

    assert feed.tag == ATOM + "feed"
    assert text(feed, "title") == "Test ideas: new ideas and decisions"
    assert text(feed, "id") and text(feed.find(ATOM + "author"), "name") == "Test ideas"
    entries = feed.findall(ATOM + "entry")
    assert [text(e, "title") for e in entries] == [
        "Planned: Coffee chats",
        f"New idea: {HOSTILE}",  # escaped in the XML, so it reads back as the same text
        "New idea: Coffee chats",
    ]
    dates = [moment(text(e, "updated")) for e in entries]
    assert [d.date().isoformat() for d in dates] == ["2026-10-09", "2026-10-05", "2026-10-02"]
    assert moment(text(feed, "updated")) == dates[0]  # the feed is as new as its newest entry
    assert len({text(e, "id") for e in entries}) == 3
    # Rendered, sanitized HTML (not raw Markdown), as Atom's content of type html.
    assert [text(e, "content") for e in entries] == [
        "<p>Agreed   for Q1.</p>",
        "<p>Some text.</p>",
        "<p>Meet</p>\n<p>leadership.</p>",
    ]
    assert {e.find(ATOM + "content").get("type") for e in entries} == {"html"}  # type: ignore[union-attr]
    assert {element.tag for element in feed.iter()} <= {ATOM + name for name in ATOM_ELEMENTS}  # no <script>
    for entry, slug in zip(entries, ["coffee-chats", "night-lunches", "coffee-chats"], strict=True):
        link = entry.find(ATOM + "link")
        assert link is not None and link.get("rel", "alternate") == "alternate"
        # A relative link resolves against the feed's own address, to the idea's page.
        target = urlparse(urljoin("https://ideas.example.com/ideas/feed.xml", link.get("href"))).path
        assert target == f"/ideas/{slug}/"
        assert (site_repo.root / "site" / target.strip("/") / "index.html").is_file()


ATOM_ELEMENTS = ("feed", "title", "id", "updated", "author", "name", "entry", "link", "content")


def test_with_a_site_url_links_are_absolute_and_the_newest_fifty_are_kept(site_repo: GitRepo) -> None:
    config = site_repo.root / "mkdocs.yml"
    site_repo.commit({"mkdocs.yml": config.read_text() + "site_url: https://ideas.example.com/\n"})
    for day in range(1, 28):
        files = {f"ideas/idea-{day}-{n}.md": idea(f"Idea {day} {n}") for n in (1, 2)}
        site_repo.commit(files, when=f"2026-10-{day:02d}T09:00:00+00:00")
    entries = build(site_repo).findall(ATOM + "entry")
    assert len(entries) == 50
    assert text(entries[0], "title") in {"New idea: Idea 27 1", "New idea: Idea 27 2"}
    oldest_kept = min(moment(text(e, "updated")) for e in entries)
    assert oldest_kept.date().isoformat() == "2026-10-03"  # 54 ideas, 2 a day: the first two days drop out
    for entry in entries:
        href = entry.find(ATOM + "link").get("href")  # type: ignore[union-attr]
        slug = text(entry, "title").removeprefix("New idea: ").lower().replace(" ", "-")
        assert href == f"https://ideas.example.com/ideas/{slug}/"
        assert (Path(site_repo.root) / "site/ideas" / slug / "index.html").is_file()


def test_each_idea_has_a_feed_to_follow_it_with_its_decisions_and_feedback(site_repo: GitRepo) -> None:
    config = site_repo.root / "mkdocs.yml"
    site_repo.commit({"mkdocs.yml": config.read_text() + "site_url: https://ideas.example.com/\n"})
    site_repo.commit({"ideas/coffee-chats.md": idea("Coffee chats", body="Meet **leadership**.\n")})
    site_repo.commit(
        {"ideas/coffee-chats/bob.md": "---\nvote: up\n---\nYes, *monthly*.\n"}, when="2026-10-04T09:00:00+00:00"
    )
    site_repo.commit({"ideas/coffee-chats.md": idea("Coffee chats", extra=DECIDED, body="Meet **leadership**.\n")})
    build(site_repo)
    path = site_repo.root / "site/ideas/coffee-chats/feed.xml"
    feed = ElementTree.parse(path).getroot()
    assert text(feed, "title") == "Test ideas: Coffee chats"
    entries = {text(e, "title"): e for e in feed.findall(ATOM + "entry")}
    assert set(entries) == {"Planned: Coffee chats", "Bob Example on Coffee chats", "New idea: Coffee chats"}
    assert text(entries["New idea: Coffee chats"], "content") == "<p>Meet <strong>leadership</strong>.</p>"
    assert text(entries["Bob Example on Coffee chats"], "content") == "<p>Yes, <em>monthly</em>.</p>"
    assert {e.find(ATOM + "link").get("href") for e in entries.values()} == {
        "https://ideas.example.com/ideas/coffee-chats/"
    }  # type: ignore[union-attr]
    page = (site_repo.root / "site/ideas/coffee-chats/index.html").read_text()
    assert 'href="feed.xml"' in page


def test_an_idea_feeds_relative_links_lead_to_its_page(site_repo: GitRepo) -> None:
    """Without site_url, a link in ideas/<slug>/feed.xml resolves against that address."""
    site_repo.commit({"ideas/coffee-chats.md": idea("Coffee chats", body="Meet.\n")})
    build(site_repo)
    feed_path = "ideas/coffee-chats/feed.xml"
    feed = ElementTree.parse(site_repo.root / "site" / feed_path).getroot()
    hrefs = {e.find(ATOM + "link").get("href") for e in feed.findall(ATOM + "entry")}  # type: ignore[union-attr]
    assert hrefs, "the idea's feed has no entry"
    for href in hrefs:
        target = urlparse(urljoin("https://site.example/" + feed_path, href)).path.lstrip("/")
        assert (site_repo.root / "site" / target / "index.html").is_file(), f"{href} leads nowhere"
