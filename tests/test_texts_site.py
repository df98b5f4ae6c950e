"""End to end for idea text: an idea written as on GitHub passes check and shows every
construct on its page; HTML comments reach no published file, for either audience."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo, idea, vote

GITHUB_STYLE = """\
## Options <!-- SECRET-HEADING -->

| Option | Cost |
|--------|-----:|
| Fruit  | 5    |

- [x] asked the team
- [ ] ask finance

This is ~~expensive~~ cheap; see www.example.com. E = mc<sup>2</sup>,<br>next line.

<details>
<summary>A code sample</summary>

    struct List<T> {
        items: Vec<T>,
    }

</details>

![a basket of fruit](fruit/basket.png)

<!--
SECRET-BLOCK: the author's note
-->
"""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


@pytest.mark.slow  # a real mkdocs build
def test_an_idea_written_as_on_github_passes_check_and_shows_everything(site_repo: GitRepo) -> None:
    site_repo.commit(
        {"ideas/fruit.md": idea("Fruit on Fridays", body=GITHUB_STYLE), "ideas/fruit/basket.png": PNG}, "idea"
    )
    checked = run(site_repo, "check")
    assert checked.exit_code == 0 and checked.output.startswith("No problems"), checked.output
    assert run(site_repo, "build").exit_code == 0
    page = BeautifulSoup((site_repo.root / "site/ideas/fruit/index.html").read_text(), "html.parser")
    text = page.find(class_="bubbleup-text")
    assert text.find("table") and text.find("td", align="right")
    assert [box.has_attr("checked") for box in text.find_all("input", type="checkbox")] == [True, False]
    assert text.find("s").get_text() == "expensive" and text.find("a", href="http://www.example.com")
    assert text.find("sup").get_text() == "2" and text.find("br")
    assert text.find("details").find("summary").get_text() == "A code sample"
    assert "struct List<T>" in text.find("details").find("pre").get_text()
    assert text.find("img", alt="a basket of fruit")["src"] == "../fruit/basket.png"
    assert (site_repo.root / "site/ideas/fruit/basket.png").read_bytes() == PNG


@pytest.mark.slow  # a real mkdocs build
def test_comments_reach_no_published_file(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/fruit.md": idea(
                "Fruit on Fridays",
                extra="visibility: public\nstatus: planned\ndecision:\n  by: bob\n  date: 2026-11-03\n"
                "  reason: Agreed. <!-- SECRET-REASON -->\n",
                body="Intro <!-- SECRET-EXCERPT --> words.\n\n"
                + GITHUB_STYLE
                + "\nText <!-- SECRET-INLINE --> more.\n",
            ),
            "ideas/fruit/bob.md": vote("up", "Yes! <!-- SECRET-FEEDBACK -->\n"),
            "ideas/fruit/basket.png": PNG,
        },
        "idea",
    )
    for audience in ("internal", "public"):
        result = run(site_repo, "build", "--audience", audience)
        assert result.exit_code == 0, result.output
        published = [p for p in (site_repo.root / "site").rglob("*") if p.is_file()]
        assert any(p.name == "feed.xml" for p in published) and any(p.name == "ideas.json" for p in published)
        assert any(p.name == "search_index.json" for p in published)
        leaks = [str(p) for p in published if b"SECRET" in p.read_bytes()]
        assert leaks == [], (audience, leaks)
        page = (site_repo.root / "site/ideas/fruit/index.html").read_text()
        assert "Agreed." in page and "more." in page
    generated = [p for p in (site_repo.root / "docs/ideas").rglob("*") if p.is_file()]
    assert [str(p) for p in generated if b"SECRET" in p.read_bytes()] == []
    assert Path(site_repo.root / "ideas/fruit.md").read_text().count("SECRET") == 5  # the source keeps them
