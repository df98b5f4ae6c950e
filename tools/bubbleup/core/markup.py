"""Untrusted text: one reading of Markdown for `check` and for the site.

Anyone can open a pull request, so idea and feedback text is hostile until proven
otherwise; and people write it the way they write on GitHub. So there is one parser
(markdown-it-py with GitHub Flavored Markdown: tables, task lists, strikethrough,
autolinks, footnotes, heading anchors) and one pass over its tokens
(`_policy`) that decides what each piece of HTML, each link and each image becomes
(allowlist.py). `scan` reports those decisions with their lines; `render` turns the same
tokens into HTML and passes it through nh3, an allowlist sanitizer, which is the
guarantee whichever site builder runs afterwards. Code (indented, fenced, inline) is
never HTML, because the parser says so, not a regular expression.

`inline` escapes short values (titles, names) for generated Markdown pages, so that no
Markdown extension (attribute lists, for one) can read syntax into them.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import Callable
from typing import Any, Protocol

from bubbleup.core.allowlist import (
    ALLOWED_TAGS,
    COMMON_ATTRIBUTES,
    NO_IMAGES,
    SAFE_SCHEMES,
    TAG_ATTRIBUTES,
    Findings,
    Images,
    clean_fragment,
    link_scheme,
)

__all__ = [
    "SAFE_SCHEMES",
    "Images",
    "link_scheme",
    "scan",
    "tokens",
    "render",
    "plain",
    "without_comments",
    "has_html",
    "inline",
    "escape_markdown",
]

ANCHOR_PREFIX = "user-content-"
"""Heading ids get GitHub's prefix, so that they cannot clash with the page's own ids."""
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)|<(![A-Za-z\[]|\?)")
_parser: Any = None
_MAY_LINK = re.compile(r"localhost|www\.|\.\S|[:@]|//", re.IGNORECASE)
"""What every link that linkify can find holds: a scheme (which ends in ':' or is '//'),
'@', 'localhost', 'www.', or a dot before a domain's name or a number. linkify's own
first test looks for the same things with a pattern of a thousand Unicode characters,
tried at every position of every paragraph (a tenth of the rendering of plain prose);
this one rules most paragraphs out first, and where it finds something linkify's test
decides, so the links found are the same."""


def _markdown() -> Any:
    """The one markdown-it parser of the run, with GitHub's extensions and our policy rule."""
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.anchors import anchors_plugin
        from mdit_py_plugins.anchors.index import slugify
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.tasklists import tasklists_plugin

        parser = MarkdownIt("commonmark", {"html": True, "linkify": True}).enable(["table", "strikethrough", "linkify"])
        parser.validateLink = lambda url: True  # type: ignore[method-assign]  # our policy decides, and tells
        parser.use(tasklists_plugin).use(footnote_plugin)
        parser.use(anchors_plugin, min_level=1, max_level=6, slug_func=lambda title: ANCHOR_PREFIX + slugify(title))
        # Right after inline parsing, before task lists add their (trusted) checkboxes.
        parser.core.ruler.after("inline", "bubbleup_policy", _policy)
        linkify = parser.linkify
        if linkify is not None:
            exact = linkify.pretest
            linkify.pretest = lambda text: _MAY_LINK.search(text) is not None and exact(text)
        _parser = parser
    return _parser


def _policy(state: Any) -> None:
    """Decide, token by token, what the HTML, links and images of a text become."""
    findings: Findings = state.env["findings"]
    images: Images = state.env["images"]
    line = 0
    for token in state.tokens:
        if token.map:
            line = token.map[0]
        if token.type == "html_block":
            token.content = clean_fragment(token.content, line, findings, images)[0]
        elif token.type in ("th_open", "td_open") and "style" in token.attrs:
            token.attrs["align"] = str(token.attrs.pop("style")).removeprefix("text-align:")
        elif token.type == "inline" and token.children:
            token.children = _inline(token.children, line, findings, images)


def _inline(children: list, line: int, findings: Findings, images: Images) -> list:
    """The inline tokens of one block, with HTML, links and images decided."""
    kept: list = []
    open_raw: str | None = None  # inside <script>...</script> written inline: dropped to its end
    links = 0
    for child in children:
        if open_raw is not None:
            if child.type == "html_inline" and re.match(rf"</{open_raw}\s*>", child.content, re.IGNORECASE):
                open_raw = None
        elif child.type == "html_inline":
            child.content, open_raw = clean_fragment(child.content, line, findings, images)
            kept.append(child)
        elif child.type == "image":
            kept.extend(_image(child, line, findings, images, inside_link=links > 0))
        else:
            links += (child.type == "link_open") - (child.type == "link_close")
            if child.type == "link_open":
                _link(child, line, findings)
            kept.append(child)
        line += child.content.count("\n") + (child.type in ("softbreak", "hardbreak"))
    return kept


def _link(token: Any, line: int, findings: Findings) -> None:
    """Unsafe links lose their target (the text stays); links to a heading get its prefix."""
    href = str(token.attrGet("href") or "")
    scheme = link_scheme(href)
    if scheme is not None and scheme not in SAFE_SCHEMES:
        findings.add(line, "removed", f"a '{scheme}:' link")
        del token.attrs["href"]
    elif href.startswith("#") and not href.startswith("#" + ANCHOR_PREFIX):
        token.attrSet("href", "#" + ANCHOR_PREFIX + href[1:])


def _image(token: Any, line: int, findings: Findings, images: Images, *, inside_link: bool) -> list:
    """An image stays an image (an attachment, or from an allowed host), or becomes a link or its text."""
    from markdown_it.token import Token

    src = str(token.attrGet("src") or "")
    alt = token.content or src
    kind, where = images.source(src)
    text = Token("text", "", 0, content=alt)
    if kind == "attachment":
        findings.attachments.add(where)
        token.attrSet("src", images.url(where))
        return [token]
    if kind == "allowed":
        return [token]
    if kind == "unsafe":
        findings.add(line, "removed", f"a '{where}:' image")
        return [text]
    if kind == "missing":
        findings.add(line, "image", repr(src))
        return [text]
    if inside_link:  # an external badge inside a link: the link is enough
        return [text]
    return [Token("link_open", "a", 1, attrs={"href": src}), text, Token("link_close", "a", -1)]


def _read(text: str, images: Images) -> tuple[Any, list, dict]:
    findings = Findings()
    env: dict = {"findings": findings, "images": images, "docId": hashlib.sha1(text.encode()).hexdigest()[:8]}
    parser = _markdown()
    try:
        tokens = parser.parse(text, env)
    except RecursionError:  # absurdly deep nesting: show the text rather than lose the page
        tokens = parser.parse("    " + text.replace("\n", "\n    "), env)
    return parser, tokens, env


def tokens(text: str) -> list:
    """The block tokens of a text, as the renderer reads them (for titles and the like)."""
    return _read(text, NO_IMAGES)[1]


def scan(text: str, first_line: int = 1, images: Images = NO_IMAGES) -> list[tuple[int, str]]:
    """What the renderer will remove, show as text or leave out of a text, for `check`.

    Args:
        first_line: the text's first line in its file, so that lines are the file's.
        images: where the text's images may come from.

    Returns:
        (line, message) pairs, in order.
    """
    if "<" not in text and "![" not in text and "](" not in text and "]:" not in text:
        return []  # nothing here can be HTML, a link with a scheme or an image: no parse needed
    _, _, env = _read(text, images)
    findings: Findings = env["findings"]
    for reference in (env.get("references") or {}).values():  # defined, used or not
        scheme = link_scheme(str(reference.get("href", "")))
        if scheme is not None and scheme not in SAFE_SCHEMES:
            findings.add((reference.get("map") or [0])[0], "removed", f"a '{scheme}:' link")
    return findings.messages(first_line)


_GENERATED_CLASSES = {
    "ul": {"contains-task-list"},
    "li": {"task-list-item", "footnote-item"},
    "input": {"task-list-item-checkbox"},
    "section": {"footnotes"},
    "hr": {"footnotes-sep"},
    "ol": {"footnotes-list"},
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
}
"""Classes that the task list and footnote extensions write; an author's tags have none."""


@functools.cache
def _nh3_options() -> dict:
    attributes = {tag: set(COMMON_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset())) for tag in ALLOWED_TAGS}
    for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "a"):
        attributes[tag].add("id")
    attributes["input"] = {"checked"}
    attributes["section"] = set()
    return {
        "tags": set(ALLOWED_TAGS) | {"input", "section"},
        "attributes": attributes,
        "allowed_classes": _GENERATED_CLASSES,
        "tag_attribute_values": {"input": {"type": {"checkbox"}}},
        "set_tag_attribute_values": {"input": {"disabled": "disabled"}},
        "url_schemes": set(SAFE_SCHEMES),
        "link_rel": "noopener noreferrer nofollow",
        "strip_comments": True,
    }


def render(text: str, images: Images = NO_IMAGES) -> str:
    """Markdown to sanitized HTML, as GitHub would show it, with no script, event handler,
    unsafe URL or comment, and no image fetched from elsewhere.

    The same text (a feedback shown on its idea's page and on its author's) is rendered
    once; a text that shows no image is the same wherever it is shown.
    """
    if not may_show_images(text):
        images = NO_IMAGES
    return _render(text, images)


def may_show_images(text: str) -> bool:
    """Whether a text has an image's syntax at all (Markdown's or an <img> tag). Most
    texts have none, and are then the same wherever they are shown: this is asked before
    anything is made for their images (50,000 feedback texts a build at 5,000 ideas)."""
    return "![" in text or ("<" in text and "<img" in text.lower())


class Memory(Protocol):
    def html(self, text: str, convert: Callable[[], str]) -> str: ...


_memory: Memory | None = None


def remember(memory: Memory | None) -> None:
    """Let `memory` (the site's cache between builds) keep the HTML of texts that show no
    image, whose HTML depends on the text alone; None forgets it."""
    global _memory
    _memory = memory
    _render.cache_clear()


@functools.lru_cache(maxsize=65_536)
def _render(text: str, images: Images) -> str:
    if _memory is not None and images is NO_IMAGES:
        return _memory.html(text, lambda: _convert(text, images))
    return _convert(text, images)


def _convert(text: str, images: Images) -> str:
    parser, tokens, env = _read(text, images)
    return _sanitizer()(parser.renderer.render(tokens, parser.options, env)).strip()


@functools.cache
def _sanitizer() -> Callable[[str], str]:
    """nh3 with our rules. Since nh3 0.3 a `Cleaner` builds the rules once: `nh3.clean`
    converts the allowlist from Python on every call, which cost more than the cleaning."""
    import nh3

    if hasattr(nh3, "Cleaner"):
        return nh3.Cleaner(**_nh3_options()).clean
    return functools.partial(nh3.clean, **_nh3_options())


def plain(text: str, limit: int | None = None) -> str:
    """The words of a text, as a reader sees them on its page, on one line: for summaries
    (the feed) that must hold nothing the page would not show, comments least of all."""
    import nh3

    words = " ".join(html.unescape(nh3.clean(render(text), tags=set())).split())
    return words if limit is None or len(words) <= limit else words[: limit - 1].rstrip() + "…"


def without_comments(text: str) -> str:
    """The Markdown text without its HTML comments (a comment shown in code stays), for
    outputs that carry Markdown as it is written, such as a decision's reason in ideas.json."""
    _, _, env = _read(text, NO_IMAGES)
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    kept, position = [], 0
    for line, comment in env["findings"].comments:
        found = text.find(comment, max(position, starts[min(line, len(starts) - 1)]))
        if found >= 0:
            kept.append(text[position:found])
            position = found + len(comment)
    return "".join(kept) + text[position:]


def attachments_shown(text: str, images: Images) -> set[str]:
    """The attachments (paths relative to the ideas folder) that a text shows as images."""
    if not may_show_images(text):  # most texts show none: no second parse
        return set()
    return _read(text, images)[2]["findings"].attachments


def has_html(value: str) -> bool:
    """Whether a front matter value holds something a browser would read as a tag."""
    return bool(_TAG.search(value)) or "<!--" in value


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>#!|~^=&")
"""What can start syntax in the middle of a line: HTML (<, &), emphasis and code, links
and images ([ ] !), attribute lists ({ }), table cells (|), closing hashes of a heading,
and the marks of common extensions (~ ^ =). Not the rest of the punctuation: every
reference costs the site builder an inline match, and titles are full of dashes."""
_REFERENCES = {ord(char): f"&#{ord(char)};" for char in _MARKDOWN_SPECIAL}
"""Each special character's numeric reference, for `str.translate` (one pass in C: pages
escape hundreds of thousands of titles and names a build)."""


@functools.lru_cache(maxsize=65_536)  # the same titles and names, on many pages
def inline(value: str) -> str:
    """Escape a short untrusted value for a generated Markdown page.

    Every character that Markdown, its extensions or HTML could read as syntax in the
    middle of a line becomes a numeric character reference, which renders as the
    character itself; line breaks become spaces. Callers never put a value at the start
    of a line, where - + . and 1. would matter.
    """
    return " ".join(value.split()).translate(_REFERENCES)


def escape_markdown(value: str) -> str:
    """Backslash-escape what Markdown would read as syntax, for text pasted into Markdown
    elsewhere (a pull request summary, a chat): one line, no links, no HTML, no tables broken."""
    flat = " ".join(value.split())
    return "".join("\\" + char if char in "\\`*_[]<>|#!~" else char for char in flat)
