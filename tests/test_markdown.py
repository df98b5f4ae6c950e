"""Golden cases for idea text: each tests/markdown/<name>.md beside the sanitized HTML the
site shows (<name>.html) and what check reports (<name>.txt). Regenerate after a
deliberate change with BUBBLEUP_UPDATE_GOLDEN=1 and read the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core.allowlist import ALLOWED_TAGS, REMOVED_TAGS
from bubbleup.core.markup import Images, plain, render, scan, without_comments

CASES = Path(__file__).parent / "markdown"
UPDATE = os.environ.get("BUBBLEUP_UPDATE_GOLDEN") == "1"


def _golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.md")))
def test_golden(case: str) -> None:
    text = (CASES / f"{case}.md").read_text(encoding="utf-8")
    _golden(CASES / f"{case}.html", render(text) + "\n")
    _golden(CASES / f"{case}.txt", "".join(f"{line}: {message}\n" for line, message in scan(text)))


def elements(html: str) -> list:
    return BeautifulSoup(html, "html.parser").find_all(True)


def test_every_github_construct_renders() -> None:
    page = BeautifulSoup(
        "".join(
            render((CASES / f"{c}.md").read_text())
            for c in (
                "table",
                "task-list",
                "strikethrough",
                "autolink",
                "footnotes",
                "heading-anchors",
                "details",
                "inline-html",
                "definition-list",
                "code",
            )
        ),
        "html.parser",
    )
    assert page.find("table") and page.find("th", align="left") and page.find("td", align="right")
    boxes = page.find_all("input")
    assert [box.get("type") for box in boxes] == ["checkbox", "checkbox"]
    assert all(box.has_attr("disabled") for box in boxes) and boxes[1].has_attr("checked")
    assert [s.get_text() for s in page.find_all("s")] == ["$9", "wrong"]
    links = [a["href"] for a in page.find_all("a", href=True)]
    assert {
        "http://www.example.com",
        "https://example.org/path?q=1",
        "https://example.net",
        "mailto:ann@example.com",
    } <= set(links)
    assert page.find("section", class_="footnotes") and page.find("sup", class_="footnote-ref")
    assert page.find("h2", id="user-content-rollout-plan") and "#user-content-rollout-plan" in links
    assert page.find("details").find("summary").get_text() == "Numbers behind it"
    assert page.find("details").find("table")
    for tag in ("sup", "sub", "kbd", "br", "abbr", "ins", "del", "dl", "dt", "dd"):
        assert page.find(tag), tag
    assert page.find("abbr")["title"] == "Open Source Program Office"
    assert "../other-idea/" in links
    assert "struct List&lt;T&gt;" in str(page.find("pre"))


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
def test_hostile_attributes_leave_every_allowed_tag(tag: str) -> None:
    text = (
        f'Start <{tag} onclick="alert(1)" onmouseover=alert(2) style="position:fixed" id="nav" class="md-header" '
        f'href="javascript:alert(3)" src="jAvAsCrIpT:alert(4)" cite="data:text/html,x" title="kept">x</{tag}> end\n'
    )
    html = render(text)
    for element in elements(html):
        for name, value in element.attrs.items():
            assert not name.startswith("on") and name not in ("style", "id", "class", "src", "cite"), (tag, html)
            assert "alert" not in str(value), (tag, html)
    assert "alert" not in html and "javascript" not in html.lower()
    reported = " ".join(message for _, message in scan(text))
    assert "the onclick attribute" in reported and "the onmouseover attribute" in reported
    assert "the style attribute" in reported and "'javascript:'" in reported


@pytest.mark.parametrize("tag", sorted(REMOVED_TAGS))
def test_unsafe_tags_are_removed_and_reported(tag: str) -> None:
    text = f"Before <{tag} src=x>payload</{tag}> after\n\n<{tag}>\nblock payload\n</{tag}>\n"
    html = render(text)
    assert not [e for e in elements(html) if e.name == tag], html
    assert f"<{tag}>" in scan(text)[0][1] and scan(text)[0][1].startswith("removed for safety")


def test_code_and_autolinks_never_produce_findings() -> None:
    text = (CASES / "code.md").read_text() + "\n\n<https://example.com> <me@example.com> `<script>` ``<b>``\n"
    assert scan(text) == []


def test_comments_are_never_published() -> None:
    text = (CASES / "comments.md").read_text()
    assert "secret" not in render(text) and "secret" not in plain(text)
    assert "secret" not in without_comments(text) and "Still visible." in without_comments(text)
    assert "a comment in code is shown" in without_comments((CASES / "code.md").read_text())


def test_an_unclosed_comment_hides_the_rest_and_says_so() -> None:
    text = "Shown.\n\n<!-- never closed\n\nhidden words\n"
    assert "hidden" not in render(text)
    assert scan(text) == [(3, "HTML comment never closed with -->: the text after it is not published")]


def test_images_attachments_hosts_and_links() -> None:
    images = Images(folder="", attachments=frozenset({"bike-to-work/route.png"}), prefix="../", hosts=("img.example",))
    html = render(
        "![route](bike-to-work/route.png) ![x](https://img.example/a.png) ![y](https://other.example/b.png)", images
    )
    assert '<img src="../bike-to-work/route.png" alt="route">' in html
    assert '<img src="https://img.example/a.png" alt="x">' in html
    assert '<a href="https://other.example/b.png" rel="noopener noreferrer nofollow">y</a>' in html
    feedback = Images(folder="bike-to-work", attachments=images.attachments, prefix="../../")
    assert '<img src="../../bike-to-work/route.png" alt="r">' in render(
        "![r](route.png) ![up](../../etc/passwd.png)", feedback
    )
    assert "passwd" not in render("![up](../../etc/passwd.png)", feedback).split("alt")[0]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdefghijklmnopqrstuvwxyz:!-`\n#[]()*~|&;")), max_size=80))
def test_no_text_can_smuggle_a_handler_or_a_script(text: str) -> None:
    hostile = text.replace("x", "<img src=x onerror=alert(1)>").replace("s", "<script>alert(1)</script>")
    html = render(hostile)
    for element in elements(html):
        assert element.name not in ("script", "iframe", "style", "svg", "form")
        assert not [name for name in element.attrs if name.startswith("on")]
        assert "javascript:" not in str(element.attrs.get("href", "")).lower()
    scan(hostile)  # never raises
