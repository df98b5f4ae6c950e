"""Untrusted text: find what check must report, and render it safely for the site.

Anyone can open a pull request, so idea and feedback text is hostile until proven
otherwise. Two defences, independent of each other:

1. `scan` reports raw HTML and links with a scheme other than http, https or mailto,
   with their lines, so the pull request check fails before anything is merged.
2. `render` turns the Markdown into HTML with our own fixed set of extensions and passes
   the result through nh3, an allowlist sanitizer, so even text that was never checked
   can carry no script, event handler or `javascript:` URL to the page, whichever site
   builder runs afterwards.

`inline` escapes short values (titles, names) for generated Markdown pages, so that no
Markdown extension (attribute lists, for one) can read syntax into them.
"""

from __future__ import annotations

import functools
import html
import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)|<(![A-Za-z\[]|\?)")
_COMMENT = re.compile(r"<!--.*?-->")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)")
_REFERENCE_OPEN = re.compile(r"^ {0,3}\[[^\]]+\]:\s*$")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\\]")


def link_scheme(destination: str) -> str | None:
    """The scheme a browser would see in a link, after the usual disguises are removed."""
    cleaned = _INVISIBLE.sub("", html.unescape(destination)).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def scan(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """Find raw HTML and unsafe links in Markdown text.

    Code (fenced blocks and `spans`) is skipped: there, `<b>` is shown, not run.
    HTML comments are allowed; the renderer drops them.

    Returns:
        (line, message) pairs, in order.
    """
    found: list[tuple[int, str]] = []
    fence: str | None = None
    in_comment = False
    reference_pending = False
    for offset, line in enumerate(text.split("\n")):
        number = first_line + offset
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening and not in_comment:
            fence = opening.group(1)
            continue
        prose = _CODE_SPAN.sub("", line)
        if in_comment:
            if "-->" not in prose:
                continue
            prose = prose.split("-->", 1)[1]
            in_comment = False
        prose = _COMMENT.sub("", prose)
        if "<!--" in prose:
            prose, in_comment = prose.split("<!--", 1)[0], True
        tags = list(dict.fromkeys(f"<{m.group(1) or m.group(2)}>" for m in _TAG.finditer(prose)))
        if tags:
            found.append(
                (
                    number,
                    f"raw HTML is not allowed: found {', '.join(tags)}; write Markdown instead, "
                    "or put it in `backticks` to show it as text",
                )
            )
        destinations = [m.group(1) for m in _INLINE_LINK.finditer(prose)]
        destinations += [m.group(1) for m in _AUTOLINK.finditer(prose)]
        destinations += [m.group(1) for m in _REFERENCE.finditer(prose)]
        if reference_pending and prose.strip():  # "[ref]:" with its URL on the next line
            destinations.append(prose.split()[0].strip("<>"))
        reference_pending = bool(_REFERENCE_OPEN.match(prose))
        schemes = dict.fromkeys(link_scheme(destination) for destination in destinations)
        for scheme in schemes:
            if scheme is not None and scheme not in SAFE_SCHEMES:
                found.append(
                    (
                        number,
                        f"link to a '{scheme}:' URL is not allowed; "
                        "links may use http, https or mailto, or point within the site",
                    )
                )
    return found


def has_html(value: str) -> bool:
    """Whether a front matter value holds something a browser would read as a tag."""
    return bool(_TAG.search(value)) or "<!--" in value


_ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}}


_converter = None


def _markdown(text: str) -> str:
    """Markdown to HTML with markdown-it-py (CommonMark plus tables and strikethrough, as
    on GitHub, where people write their ideas), one parser for the whole run.

    Raw HTML is off: a tag someone typed is shown as text, not passed on. The parser
    also refuses javascript:, vbscript:, file: and data: links. Both are extra layers;
    nh3 remains the guarantee. It is also about four times faster than Python-Markdown
    on idea texts, which matters at thousands of ideas.
    """
    global _converter
    if _converter is None:
        from markdown_it import MarkdownIt

        _converter = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])
    return _converter.render(text)


@functools.lru_cache(maxsize=65_536)
def render(text: str) -> str:
    """Markdown to sanitized HTML: no script, no event handler, no unsafe URL, no image.

    Raw HTML is shown as text. Images are dropped because they would make readers'
    browsers fetch from anywhere. Headings keep their level but get no ids, so they
    cannot clash with the page's own. The same text (a feedback shown on its idea's page
    and on its author's) is rendered once.
    """
    import nh3

    try:
        converted = _markdown(text)
    except RecursionError:  # absurdly deep nesting: show the text rather than lose the page
        converted = f"<pre>{html.escape(text)}</pre>"
    return nh3.clean(
        converted,
        tags=set(_ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>#!|~^=&")
"""What can start syntax in the middle of a line: HTML (<, &), emphasis and code, links
and images ([ ] !), attribute lists ({ }), table cells (|), closing hashes of a heading,
and the marks of common extensions (~ ^ =). Not the rest of the punctuation: every
reference costs the site builder an inline match, and titles are full of dashes."""


def inline(value: str) -> str:
    """Escape a short untrusted value for a generated Markdown page.

    Every character that Markdown, its extensions or HTML could read as syntax in the
    middle of a line becomes a numeric character reference, which renders as the
    character itself; line breaks become spaces. Callers never put a value at the start
    of a line, where - + . and 1. would matter.
    """
    flat = " ".join(value.split())
    return "".join(f"&#{ord(char)};" if char in _MARKDOWN_SPECIAL else char for char in flat)


def escape_markdown(value: str) -> str:
    """Backslash-escape what Markdown would read as syntax, for text pasted into Markdown
    elsewhere (a pull request summary, a chat): one line, no links, no HTML, no tables broken."""
    flat = " ".join(value.split())
    return "".join("\\" + char if char in "\\`*_[]<>|#!~" else char for char in flat)
