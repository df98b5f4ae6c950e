"""Two audiences from one repository: the public site leaks nothing internal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from browsing import PUBLISHED, copy_demo
from bubbleup.cli.main import cli
from bubbleup.core.frontmatter import parse
from conftest import GitRepo

pytestmark = pytest.mark.slow  # both audiences' sites are real mkdocs builds of the demo

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    """The bundled demo, committed into a fresh repository and built for both audiences."""
    repo = copy_demo(tmp_path_factory.mktemp("demo") / "repo")
    for audience in ("internal", "public"):
        result = CliRunner().invoke(
            cli, ["-f", str(repo.root / "mkdocs.yml"), "build", "--audience", audience], env=PUBLISHED
        )
        assert result.exit_code == 0, result.output
    return repo


def internal_strings(root: Path) -> set[str]:
    """Everything the public must not see: people, internal ideas, feedback, customers."""
    roster = yaml.safe_load((root / "ideas/people.yml").read_text())
    found: set[str] = set()
    for handle, person in roster.items():
        found |= {handle, person["name"], *person["emails"]}
    for path in (root / "ideas").glob("*.md"):
        fields = parse(path.read_text()).fields
        if fields.get("visibility") is None or fields["visibility"].value != "public":
            found |= {path.stem, fields["title"].value}
    for path in (root / "ideas").glob("*/**/*.md"):
        body = parse(path.read_text()).body
        found |= {line.strip()[:60] for line in body.splitlines() if len(line.strip()) >= 25}
        if path.parent.name == "customers":
            found.add(path.stem)
    return found


def published_text(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): p.read_text(errors="replace")
        for p in site.rglob("*")
        if p.suffix in (".html", ".json", ".xml")
    }


def test_the_public_site_contains_no_internal_string(demo: GitRepo) -> None:
    secrets = internal_strings(demo.root)
    assert len(secrets) > 50
    public = published_text(demo.root / "site-public")
    leaks = {(name, secret) for name, text in public.items() for secret in secrets if secret in text}
    assert leaks == set()
    internal = "\n".join(published_text(demo.root / "site").values())
    roster = yaml.safe_load((demo.root / "ideas/people.yml").read_text())
    names = [person["name"] for person in roster.values()]
    assert all(name in internal for name in names)  # the same search finds them where they belong


def test_the_public_site_shows_the_public_ideas(demo: GitRepo) -> None:
    public_ideas = [
        p.stem for p in (demo.root / "ideas").glob("*.md") if re.search(r"^visibility: public$", p.read_text(), re.M)
    ]
    assert len(public_ideas) >= 3
    site = demo.root / "site-public/ideas"
    published = {p.name for p in site.iterdir() if (p / "index.html").is_file()}
    assert set(public_ideas) <= published
    page = (site / public_ideas[0] / "index.html").read_text()
    assert "net" in page and "up" in page
    assert "Vote for" not in page and "issues/new" not in page
    data = (site / "ideas.json").read_text()
    assert '"audience": "public"' in data and '"voters"' not in data


INTERNAL_PAGES = ("people", "recognition", "insights", "queue", "teams")


def test_internal_pages_are_absent_from_the_public_site_its_navigation_and_search(demo: GitRepo) -> None:
    public, internal = demo.root / "site-public", demo.root / "site"
    for name in INTERNAL_PAGES:
        assert (internal / "ideas" / name / "index.html").is_file(), name
        assert not (public / "ideas" / name).exists(), name
    home = (public / "index.html").read_text()
    nav = re.findall(r'href="([^"]*)"', home.split('class="md-nav md-nav--primary"')[1].split("</nav>")[0])
    assert nav and not [link for link in nav for name in INTERNAL_PAGES if f"ideas/{name}" in link]
    index = json.loads((public / "search/search_index.json").read_text())
    assert not [
        doc["location"] for doc in index["docs"] for name in INTERNAL_PAGES if f"ideas/{name}" in doc["location"]
    ]
    assert "Decisions" in home and "Needs a decision" not in home
