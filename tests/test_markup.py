"""Untrusted text: what check reports, and what the renderer lets through."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core.markup import inline, link_scheme, render, scan


@pytest.mark.parametrize(
    "destination, scheme",
    [
        ("javascript:alert(1)", "javascript"),
        ("  JaVaScRiPt:alert(1)", "javascript"),
        ("java&#115;cript:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("data:text/html,x", "data"),
        ("https://example.com", "https"),
        ("../other/", None),
        ("#section", None),
    ],
)
def test_link_scheme_sees_through_disguises(destination: str, scheme: str | None) -> None:
    assert link_scheme(destination) == scheme


def test_scan_reports_each_unsafe_link_form() -> None:
    text = "\n".join(
        [
            "[a](javascript:alert(1))",
            "[b]( <vbscript:x> )",
            "<javascript:alert(2)>",
            "",
            "[ref]: data:text/html,x",
            "[ok](https://example.com) <https://example.com> [mail](mailto:a@b.c) [rel](../x/)",
        ]
    )
    assert [line for line, _ in scan(text, first_line=10)] == [10, 11, 12, 14]


def test_scan_reports_html_but_not_code_comments_or_autolinks() -> None:
    text = "\n".join(
        [
            "Plain <center>centred</center>",
            "`<b>in a span</b>` and <!-- a comment -->",
            "```",
            "<script>in a fence</script>",
            "```",
            "<div",
            "  onclick=x>",
            "a < b and c > d, <https://example.com>, <me@example.com>",
        ]
    )
    found = scan(text)
    assert [line for line, _ in found] == [1, 6]
    assert found[0][1].startswith("shown as text, not as HTML: <center>, </center>;")
    assert found[1][1].startswith("removed for safety: the onclick attribute;")


def test_render_removes_scripts_handlers_unsafe_links_and_images() -> None:
    from html.parser import HTMLParser

    rendered = render(
        "Hi <script>alert(1)</script><img src=x onerror=alert(2)>\n\n"
        "[x](javascript:alert(3)) [ok](https://ok.example) <a href='https://ok.example' onclick='alert(4)'>ok</a>\n\n"
        "<iframe src='https://evil.example'></iframe><style>body{}</style> ![img](https://tracker.example/x.png)"
    )

    class Elements(HTMLParser):
        found: list[tuple[str, list]] = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, attrs))

    parser = Elements()
    parser.feed(rendered)
    tags = {tag for tag, _ in parser.found}
    assert not tags & {"script", "img", "iframe", "style"}, tags
    assert not [name for _, attrs in parser.found for name, _ in attrs if name.startswith("on")]
    assert not [value for _, attrs in parser.found for _, value in attrs if "javascript:" in (value or "").lower()]
    assert '<a href="https://ok.example" rel="noopener noreferrer nofollow">ok</a>' in rendered
    assert "alert(1)" not in rendered  # a script goes with its content
    assert '<a href="https://tracker.example/x.png"' not in rendered  # no image from elsewhere, not even as a link here


def test_render_keeps_ordinary_markdown() -> None:
    html = render("## Problem\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\n<b>x</b>\n```\n")
    assert '<h2 id="user-content-problem">Problem</h2>' in html and "<li>one</li>" in html and "<td>1</td>" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<s>gone</s>" in render("~~gone~~")


def test_inline_leaves_no_markdown_or_html_syntax() -> None:
    escaped = inline('Title {: onclick="x"} <b>*[x](y)*</b> & | C#\nnext')
    assert not set(escaped) & set("{}<>*[]|\n")
    assert escaped.startswith("Title &#123;: onclick")
    assert inline("Plain title - with dashes: 2026.") == "Plain title - with dashes: 2026."


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n\t\u2028\x85é\\`*_{}[]<>#!|~^=&-.:")) | st.text())
def test_inline_escapes_as_it_did_character_by_character(value: str) -> None:
    """`inline` translates in one pass; the reference escapes one character at a time."""
    from bubbleup.core.markup import _MARKDOWN_SPECIAL

    flat = " ".join(value.split())
    assert inline(value) == "".join(f"&#{ord(char)};" if char in _MARKDOWN_SPECIAL else char for char in flat)


LINK_PIECES = st.sampled_from(
    [
        " ",
        "\n",
        "\u00a0",
        "\u3000",
        ".",
        "..",
        ":",
        "//",
        "@",
        "-",
        "_",
        "<",
        ">",
        "|",
        "x",
        "W",
        "www",
        "WWW",
        "http",
        "HTTPS",
        "ftp",
        "mailto",
        "localhost",
        "LOCALHO\u017fT",
        "\u212a",
        "com",
        "org",
        "de",
        "xn--p1ai",
        "рф",
        "1",
        "12",
        "255",
        "\u0661",
        "é",
        "!",
        "(",
        ")",
        "\u2018",
        "#",
        "ab",
        "\u0130",
    ]
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(LINK_PIECES, max_size=12).map("".join) | st.text())
def test_the_quick_link_test_lets_through_whatever_linkifys_own_would(text: str) -> None:
    """Rendering asks a cheap pattern before linkify's own first test (core/markup.py):
    the two together answer as linkify's alone, so the same links are found."""
    from linkify_it import LinkifyIt

    from bubbleup.core.markup import _markdown

    assert _markdown().linkify.pretest(text) == LinkifyIt().pretest(text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<b>",
                "</b>",
                "<script>x</script>",
                '<a href="javascript:x">',
                "<img src=x onerror=y>",
                "- [ ] ",
                "[^1]\n\n[^1]: note",
                "# Head",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "<!-- c -->",
                "`code`",
                "*em*",
                "https://example.com",
                "<input type=checkbox>",
                '<p class="x" style="y">',
                "text",
                "\n\n",
                " ",
            ]
        ),
        max_size=10,
    ).map("".join)
)
@pytest.mark.slow
def test_the_reusable_sanitizer_cleans_as_nh3_clean(text: str) -> None:
    """Rendering cleans with one nh3 `Cleaner` built once; `nh3.clean` with the same rules,
    on every call, is the reference."""
    import nh3

    from bubbleup.core.allowlist import NO_IMAGES
    from bubbleup.core.markup import _convert, _nh3_options, _read

    parser, tokens, env = _read(text, NO_IMAGES)
    expected = nh3.clean(parser.renderer.render(tokens, parser.options, env), **_nh3_options()).strip()
    assert _convert(text, NO_IMAGES) == expected
