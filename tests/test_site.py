"""End to end: real Git repositories, real mkdocs builds, and the HTML a reader gets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.core.config import settings
from bubbleup.core.markup import link_scheme
from bubbleup.core.model import BubbleupError, Catalog, Decision, Feedback, Idea, Person, Status, Vote
from bubbleup.core.tally import tally
from bubbleup.site.build import MARKER, run_mkdocs, write_pages
from bubbleup.site.context import Site
from bubbleup.site.recipes import render_pages
from conftest import GitRepo, idea, vote, write


def build(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build", *args])


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(path: Path) -> str:
    return " ".join(soup(path).get_text(" ").split())


@pytest.mark.slow  # a real mkdocs build
def test_build_publishes_every_valid_idea_and_leaves_broken_ones_out(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/coffee-chats.md": idea(
                "Coffee chats with leadership", extra="tags: [culture]\n", body="## Problem\n\nNobody *talks*.\n"
            ),
            "ideas/coffee-chats/bob.md": vote("up", "Count me in.\n"),
            "ideas/coffee-chats/cat.md": vote("down", "Too many meetings.\n"),
            "ideas/coffee-chats/ann.md": vote("up"),
            "ideas/night-shift.md": idea("Night shift lunches", "[bob]"),
            "ideas/broken.md": idea("Broken", extra="status: maybe\n"),
            "ideas/broken/ann.md": vote("up"),
        },
        "ideas",
        when="2026-11-02T09:00:00+00:00",
    )
    result = build(site_repo)
    assert result.exit_code == 0, result.output
    assert "ideas/broken.md:4: error: status: expected one of" in result.output
    site = site_repo.root / "site"
    assert (site / "index.html").is_file()
    pages = {p.name for p in (site / "ideas").iterdir() if (p / "index.html").is_file()}
    assert {"coffee-chats", "night-shift"} <= pages and "broken" not in pages
    assert pages - {"coffee-chats", "night-shift"} == {
        "campaigns",
        "decisions",
        "discussed",
        "new",
        "trending",
        "roadmap",
        "tags",
        "teams",
        "people",
        "recognition",
        "insights",
        "queue",
    }
    assert (site / "ideas/status/proposed/index.html").is_file()

    page = text_of(site / "ideas/coffee-chats/index.html")
    assert "+1 net · 2 up · 1 down · 2 feedback" in page
    assert re.search(r"Up \(2\): Ann Example ?, Bob Example", page) and "Down (1): Cat Example" in page
    assert "Count me in." in page and "Too many meetings." in page
    assert "proposed by Ann Example on 2026-11-02" in page
    html = (site / "ideas/coffee-chats/index.html").read_text(encoding="utf-8")
    assert 'proposed by Ann Example <time datetime="2026-11-02">on 2026-11-02</time>' in html
    index = text_of(site / "ideas/index.html")
    assert re.search(
        r"1 \+1 Coffee chats with leadership Proposed · 2 up · 1 down · 2 feedback · proposed \d+ \w+ ago 2 \+0 Night",
        index,
    ), index
    assert "1 idea file with errors is not shown" in index
    links = [a["href"] for a in soup(site / "ideas/index.html").select("article a[href]")]
    assert "coffee-chats/" in links and "night-shift/" in links


def test_the_generated_folder_is_ignored_by_git_in_the_demo() -> None:
    root = Path(__file__).parent.parent
    ignored = subprocess.run(
        ["git", "check-ignore", "docs/ideas/x.md", "site/index.html"], cwd=root, capture_output=True, text=True
    )
    assert ignored.stdout.split() == ["docs/ideas/x.md", "site/index.html"]


HOSTILE = '</title><script>alert("pwned-title")</script> {: onclick="pwned()"} & more'


def hostile_catalog() -> Catalog:
    """Ideas and feedback that never went through check, as if check had a bug."""
    body = (
        "Hello <script>alert('pwned-1')</script><img src=x onerror=\"pwned2()\">\n\n"
        '[click](javascript:pwned3()) [enc](jav&#x09;ascript:pwned4()) <a href="javascript:pwned5()">a</a>\n\n'
        '<svg onload="pwned6()"><use href="data:image/svg+xml,x"/></svg>'
        '<iframe src="javascript:pwned7()"></iframe><form action="javascript:pwned8()"><button>go</button></form>\n\n'
        '{: onclick="pwned9()"}\n'
    )
    ideas = {
        "hostile": Idea(
            slug="hostile",
            title=HOSTILE,
            path="ideas/hostile.md",
            authors=("eve",),
            text=body,
            tags=("<b onmouseover=pwned10()>",),
            campaign="<script>pwned11</script>",
            status=Status.PLANNED,
            decision=Decision("eve", date(2026, 11, 1), "[why](javascript:pwned12()) <script>pwned13</script>"),
        ),
        "plain": Idea(
            slug="plain",
            title="Plain",
            path="ideas/plain.md",
            authors=("eve",),
            status=Status.DUPLICATE,
            duplicate_of="hostile",
        ),
    }
    feedback = (
        Feedback(idea="hostile", handle="eve", vote=Vote.UP, text="<script>pwned14()</script>", path="x"),
        Feedback(
            idea="hostile",
            handle="eve",
            vote=Vote.UP,
            text="[x](javascript:pwned15())",
            path="y",
            customer="<img src=x onerror=pwned16()>",
        ),
    )
    roster = {"eve": Person("eve", '<img src=x onerror="pwned17()">Eve', ("eve@example.com",))}
    return Catalog(ideas=ideas, feedback=feedback, roster=roster)


@pytest.mark.slow  # a real mkdocs build
def test_hostile_text_runs_nothing_on_the_published_pages(site_repo: GitRepo) -> None:
    config = settings(site_repo.root / "mkdocs.yml")
    catalog = hostile_catalog()
    site = Site.of(catalog, tally(catalog), datetime.now(UTC), pull_request_url="https://x/{number}")
    write_pages(config.pages_dir, render_pages(site))
    run_mkdocs(config, strict=False)
    pages = list((site_repo.root / "site").rglob("*.html"))
    assert len(pages) > 3
    for page in pages:
        document = soup(page)
        for element in document.find_all(True):
            for name, value in element.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                assert not name.lower().startswith("on"), (page, element)
                assert "javascript:" not in value.lower(), (page, element)
                if name in ("href", "src", "action", "formaction", "srcdoc", "data", "xlink:href"):
                    # what a browser would see as the scheme: only safe ones, or none (a relative URL,
                    # such as jav%09ascript:..., which no browser runs)
                    assert link_scheme(value) in (None, "http", "https", "mailto"), (page, element)
                assert name not in ("style", "srcdoc") or "pwned" not in value, (page, element)
            if element.name in ("script", "iframe", "object", "embed", "form", "img", "style"):
                assert "pwned" not in str(element), (page, element)
            if element.name == "svg":  # our charts: the text may say pwned, but nothing in them runs
                assert element.find("script") is None and element.find("foreignobject") is None, page
    hostile = soup(site_repo.root / "site/ideas/hostile/index.html")
    assert hostile.title.get_text().startswith(HOSTILE)  # shown as text, not run
    assert hostile.find("h1").get_text().strip() == HOSTILE
    assert "Eve" in hostile.get_text()


@pytest.mark.slow  # a real mkdocs build
def test_strict_builds_nothing_when_there_is_a_problem(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/fine.md": idea("Fine")})
    assert build(site_repo).exit_code == 0
    before = (site_repo.root / "site/ideas/index.html").read_bytes()
    write(site_repo.root, {"ideas/fine/ann.md": vote("maybe")})
    result = build(site_repo, "--strict")
    assert result.exit_code == 1
    assert "ideas/fine/ann.md:2: error: vote: expected one of up, down, none; got 'maybe'" in result.output
    assert "--strict builds nothing" in result.output
    assert (site_repo.root / "site/ideas/index.html").read_bytes() == before


@pytest.mark.slow  # a real mkdocs build
def test_a_failed_site_build_keeps_the_previous_site(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/fine.md": idea("Fine")})
    assert build(site_repo).exit_code == 0
    before = (site_repo.root / "site/index.html").read_bytes()
    config = (site_repo.root / "mkdocs.yml").read_text()
    write(
        site_repo.root,
        {"mkdocs.yml": config.replace("  - Home: index.md\n", "  - Home: index.md\n  - Gone: missing.md\n")},
    )
    result = build(site_repo, "--strict")
    assert result.exit_code == 1 and "the site build failed" in result.output
    assert "Traceback" not in result.output
    assert (site_repo.root / "site/index.html").read_bytes() == before
    assert [p.name for p in site_repo.root.iterdir() if p.name.startswith("site")] == ["site"]


def test_pages_are_rewritten_only_when_their_content_changes(tmp_path: Path) -> None:
    folder = tmp_path / "docs/ideas"
    first = write_pages(folder, {"index.md": "A", "one.md": "1", "two.md": "2"})
    assert first.written == ("index.md", "one.md", "two.md")
    stamp = (folder / "one.md").stat().st_mtime_ns
    second = write_pages(folder, {"index.md": "B", "one.md": "1"})
    assert second.written == ("index.md",) and second.removed == ("two.md",) and second.unchanged == 1
    assert (folder / "one.md").stat().st_mtime_ns == stamp
    assert sorted(p.name for p in folder.iterdir()) == [MARKER, "index.md", "one.md"]


def test_a_folder_bubbleup_did_not_make_is_never_emptied(tmp_path: Path) -> None:
    write(tmp_path, {"docs/ideas/handwritten.md": "mine"})
    with pytest.raises(BubbleupError, match="was not made by bubbleup"):
        write_pages(tmp_path / "docs/ideas", {"index.md": "A"})
    assert (tmp_path / "docs/ideas/handwritten.md").read_text() == "mine"


@pytest.mark.slow  # a real mkdocs build
def test_a_plain_mkdocs_build_generates_the_pages_through_the_plugin(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/fine.md": idea("Fine idea"), "ideas/fine/bob.md": vote("up")})
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=site_repo.root, env=env, check=True)
    assert "+1 net · 1 up · 0 down" in text_of(site_repo.root / "site/ideas/fine/index.html")


@pytest.mark.slow  # a real mkdocs build
def test_a_duplicate_of_a_broken_idea_does_not_stop_the_build(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/orig.md": idea("Original", extra="status: bogus\n"),
            "ideas/dup.md": idea(
                "Copy",
                extra="status: duplicate\nduplicate-of: orig\ndecision: {by: ann, date: 2026-11-01, reason: Same.}\n",
            ),
        }
    )
    result = build(site_repo)
    assert result.exit_code == 0, result.output
    assert re.search(r"Copy ?: duplicate of an idea not shown", text_of(site_repo.root / "site/ideas/index.html"))


@pytest.mark.slow  # a real mkdocs build
def test_deeply_nested_text_is_shown_not_fatal(site_repo: GitRepo) -> None:
    nested = "".join("    " * depth + "- x\n" for depth in range(300))
    site_repo.commit({"ideas/deep.md": idea("Deep", body=nested)})
    result = build(site_repo)
    assert result.exit_code == 0, result.output
    assert (site_repo.root / "site/ideas/deep/index.html").is_file()


@pytest.mark.slow  # a real mkdocs build
def test_a_rebuild_after_one_vote_rewrites_only_what_changed(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two"), "ideas/three.md": idea("Three")})
    assert build(site_repo).exit_code == 0
    site = site_repo.root / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    (site / "stale.html").write_text("left over")
    site_repo.commit({"ideas/two/bob.md": vote("up")})
    assert build(site_repo).exit_code == 0
    changed = {p.relative_to(site).as_posix() for p, stamp in before.items() if p.stat().st_mtime_ns != stamp}
    assert "ideas/two/index.html" in changed
    assert "ideas/one/index.html" not in changed and "ideas/three/index.html" not in changed
    assert not (site / "stale.html").exists()
    assert "1 up" in text_of(site / "ideas/two/index.html")
