"""Bubbleup's own search entries for the generated pages: the same as the search plugin's,
and no markup but the tags the search plugin keeps."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.site.lean import TAG, Held, hold
from bubbleup.site.search import KEPT, entries, sections, text_of_html
from conftest import GitRepo, idea, vote

HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [link](javascript:alert(3)) a < b > c &amp;'


def build(repo: GitRepo, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build", *args])
    assert result.exit_code == 0, result.output
    site = Path(args[args.index("--site-dir") + 1]) if "--site-dir" in args else repo.root / "site"
    return json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_entries_bubbleup_makes_are_those_the_search_plugin_made(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    text = f"## Why\n\nBecause **bold** and `code`.\n\n### Deeper\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{HOSTILE}\n"
    site_repo.commit(
        {
            "ideas/one.md": idea("One & two's", extra="tags: [alpha]\ncampaign: spring\n", body=text),
            "ideas/two.md": idea(
                "Two",
                extra="status: declined\ndecision: {by: ann, date: 2026-11-01, reason: 'Too *costly*.'}\n",
            ),
            "ideas/three.md": idea("Three", body="```\ncode\n\n## not a heading\n```\n"),
            "ideas/one/bob.md": vote("up", f"Yes.\n\n## A heading in feedback\n\n{HOSTILE}\n"),
            "ideas/one/cat.md": vote("down", "No.\n"),
            "ideas/campaigns.yml": "spring:\n  title: Spring cleaning\n  description: What *should* go?\n",
        }
    )
    ours = build(site_repo)["docs"]
    config = site_repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - bubbleup\n", "  - bubbleup: {enabled: false}\n"))
    theirs = build(site_repo, "--clean", "--site-dir", str(site_repo.root / "plain"))["docs"]
    assert ours == theirs
    locations = {entry["location"] for entry in ours}
    assert {"ideas/one/", "ideas/one/#votes", "ideas/one/#user-content-why", "ideas/people/bob/"} <= locations
    assert "ideas/trending/" not in locations  # the views stay out of search


def test_a_page_whose_contents_do_not_match_its_headings_is_left_to_the_search_plugin() -> None:
    held = Held()
    found = sections(hold("# Title\n\nText.\n\n## Part\n\nMore.\n", held), held)
    assert found is not None
    assert entries(found, "a/", ["#title"], "Title") is None
    made = entries(found, "a/", ["#title", "#part"], "Title")
    assert made == [
        {"location": "a/", "title": "Title", "text": "<p>Text.</p>"},
        {"location": "a/#part", "title": "Part", "text": "<p>More.</p>"},
    ]
    assert sections("# Title\n\n```\n# code\n```\n", Held()) is None


@given(st.text(alphabet=st.sampled_from(list("<>/\"'=ab pscriptul& \n")), max_size=80))
def test_search_text_holds_no_markup_but_bare_kept_tags(fragment: str) -> None:
    text = text_of_html(fragment)
    bare = re.sub(r"</?(?:p|code|pre|li|ol|ul|sub|sup)>", "", text)
    assert "<" not in bare and ">" not in bare


def plain_text_of_html(fragment: str) -> str:
    """The straightforward way (one step per tag, searching the pieces for where an
    element opened): what `text_of_html` must give."""
    pieces: list[str] = []
    preformatted = 0

    def words(data: str) -> None:
        data = html.unescape(data)
        if not data:
            return
        if not preformatted:
            data = " " if data.isspace() else data.replace("\n", " ")
        if not data.isspace():
            pieces.append(html.escape(data, quote=False))
        elif preformatted or not pieces or not pieces[-1].isspace():
            pieces.append(data)

    position = 0
    for tag in TAG.finditer(fragment):
        words(fragment[position : tag.start()])
        position = tag.end()
        closing, name = tag.group(1), tag.group(2).lower()
        if name == "pre":
            preformatted = max(preformatted + (-1 if closing else 1), 0)
        if name not in KEPT:
            continue
        if not closing:
            pieces.append(f"<{name}>")
        elif f"<{name}>" in pieces:
            opened = pieces.index(f"<{name}>")
            if any(not piece.isspace() for piece in pieces[opened + 1 :]):
                pieces.append(f"</{name}>")
            else:
                del pieces[opened:]
    words(fragment[position:])
    return "".join(pieces).strip()


PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<li>",
        "</li>",
        "<ul>",
        "</ul>",
        "<pre>",
        "</pre>",
        "<code>",
        "</code>",
        "<div class='x'>",
        "</div>",
        "<P>",
        '<a href="a>b">',
        "</a>",
        "<br/>",
        "</sup>",
        " ",
        "\n",
        "  \n ",
        "word",
        "a < b",
        "x > y",
        "&amp;",
        "&lt;p&gt;",
        "&#32;",
        "\t",
        "é",
    ]
)


@given(st.lists(PIECES, max_size=30).map("".join) | st.text(max_size=60))
def test_the_search_text_is_what_the_plain_way_gives(fragment: str) -> None:
    assert text_of_html(fragment) == plain_text_of_html(fragment)


def test_the_search_text_of_examples() -> None:
    assert text_of_html("<ul>\n<li>one</li>\n<li> </li>\n</ul>") == "<ul> <li>one</li> <li> </li> </ul>"
    assert text_of_html("<p> </p><p>a</p>") == "<p>a</p>"
    assert text_of_html("<pre>a\n  b</pre>") == "<pre>a\n  b</pre>"
    assert text_of_html("a &lt;script&gt; b") == "a &lt;script&gt; b"
