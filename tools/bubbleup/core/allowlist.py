"""GitHub's HTML allowlist, and what becomes of each tag an author types.

People write ideas the way they write on GitHub, so the HTML that GitHub shows is shown
here too (its sanitization allowlist, see docs/file-format.md), and the rest is treated in
one of two ways:

- tags that run code, load other pages or submit data (script, style, iframe, form, ...)
  are *removed* with their attributes, and for script and style with their content;
- any other tag (`<center>`, or `<T>` in `List<T>` written outside code) is *shown as
  text*, which is what the author most likely meant.

Allowed tags are rebuilt from their parsed attributes, keeping only the attributes on the
list: event handlers, `style` and URLs with a scheme other than http, https or mailto are
removed and reported. HTML comments are the author's notes and are never published. nh3
still runs over the whole rendered page text afterwards: this module decides what the
author is told, nh3 is the guarantee.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

ALLOWED_TAGS = frozenset(
    ["a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var"]
)  # fmt: skip
"""GitHub's allowlist of elements (html-pipeline's sanitization filter), plus abbr."""

COMMON_ATTRIBUTES = frozenset(
    ["align", "alt", "colspan", "datetime", "dir", "height", "lang", "open", "rowspan", "scope", "start", "title", "valign", "width"]
)  # fmt: skip
TAG_ATTRIBUTES = {
    "a": frozenset({"href"}),
    "img": frozenset({"src"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite"}),
    "ins": frozenset({"cite"}),
    "q": frozenset({"cite"}),
}
URL_ATTRIBUTES = frozenset(
    {"href", "src", "cite", "action", "formaction", "background", "poster", "xlink:href", "data"}
)
"""Attributes a browser follows as URLs: an unsafe scheme in any of them is reported."""
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

REMOVED_TAGS = frozenset(
    ["applet", "base", "button", "embed", "form", "frame", "frameset", "iframe", "input", "link", "math", "meta", "noembed", "noframes", "noscript", "object", "option", "plaintext", "script", "select", "style", "svg", "template", "textarea", "title", "xmp"]
)  # fmt: skip
"""Tags that run code, load other pages or submit data: removed, and reported as removed."""
RAW_CONTENT_TAGS = frozenset(
    ["iframe", "math", "noembed", "noframes", "noscript", "object", "plaintext", "script", "style", "svg", "template", "textarea", "title", "xmp"]
)  # fmt: skip
"""Removed tags whose content is code or hidden text: removed with everything up to their end tag."""
VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})

_PIECE_KINDS = (
    (r"<!--(?:[^-]|-[^-]|--[^>])*-->", "-->"),  # a comment
    (r"<!---?>", ">"),  # an empty one
    (
        r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z_:][A-Za-z0-9:._-]*(?:\s*=\s*(?:[^\"'=<>`\x00-\x20]+|'[^']*'|\"[^\"]*\"))?)*)\s*(/?)>",
        ">",
    ),  # a tag
    (r"<[?][\s\S]*?[?]>", "?>"),  # a processing instruction
    (r"<![A-Za-z][^>]*>", ">"),  # a declaration
    (r"<!\[CDATA\[[\s\S]*?\]\]>", "]]>"),
)
"""The pieces of HTML in a fragment, tried in this order at each '<', each with the text it ends with."""
_ATTRIBUTE = re.compile(r"([A-Za-z_:][A-Za-z0-9:._-]*)(?:\s*=\s*(?:([^\"'=<>`\x00-\x20]+)|'([^']*)'|\"([^\"]*)\"))?")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\\]")


def link_scheme(destination: str) -> str | None:
    """The scheme a browser would see in a link, after the usual disguises are removed."""
    cleaned = _INVISIBLE.sub("", html.unescape(destination)).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Images:
    """Where the images of one text may come from.

    Attachments are files stored beside an idea (ideas/<slug>/diagram.png), named by their
    path relative to the ideas folder; a text links them relative to its own file, as it
    would on GitHub. Other images are shown as links, so that readers' browsers fetch
    nothing from elsewhere, unless their host is one the configuration allows.
    """

    folder: str = ""
    """The folder of the text's file, relative to the ideas folder ('' for ideas/<slug>.md)."""
    attachments: frozenset[str] = frozenset()
    """Published attachments, relative to the ideas folder (slug/name.png)."""
    prefix: str = ""
    """From the page that shows the text to the generated pages' root, such as '../'."""
    hosts: tuple[str, ...] = ()
    """Hosts that readers' browsers may load images from."""

    def source(self, src: str) -> tuple[str, str]:
        """What an image source is: ('attachment', path), ('allowed', src), ('external', src),
        ('unsafe', scheme) or ('missing', path)."""
        scheme = link_scheme(src)
        if scheme is not None and scheme not in ("http", "https"):
            return "unsafe", scheme
        if scheme is not None or src.strip().startswith("//"):
            host = (urlsplit(src.strip()).hostname or "").lower()
            return ("allowed" if host and host in self.hosts else "external"), src
        path = posixpath.normpath(posixpath.join(self.folder, unquote(src.strip().split("#")[0].split("?")[0])))
        if path in self.attachments:
            return "attachment", path
        return "missing", path

    def url(self, path: str) -> str:
        """Where the page that shows the text finds an attachment."""
        return self.prefix + quote(path)


NO_IMAGES = Images()
"""A text with no attachments and no allowed hosts: every image is a link or its text."""


@dataclass
class Findings:
    """What check tells the author about a text's HTML, links and images, by line."""

    by_line: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    comments: list[tuple[int, str]] = field(default_factory=list)
    """The HTML comments taken out, with the (0-based) line each starts on."""
    attachments: set[str] = field(default_factory=set)
    """The attachments the text shows, so that only those are published."""

    def add(self, line: int, kind: str, what: str) -> None:
        items = self.by_line.setdefault(line, {}).setdefault(kind, [])
        if what not in items:
            items.append(what)

    def messages(self, first_line: int = 1) -> list[tuple[int, str]]:
        """(line, message) pairs in order; `first_line` is the text's first line in its file."""
        found = []
        for line in sorted(self.by_line):
            for kind, items in self.by_line[line].items():
                found.append((first_line + line, MESSAGES[kind].format(", ".join(items))))
        return found


MESSAGES = {
    "removed": "removed for safety: {}; the rest is published (the HTML allowed is listed in docs/file-format.md)",
    "text": "shown as text, not as HTML: {}; only the tags GitHub allows are rendered (listed in docs/file-format.md); "
    "to show code, put it in `backticks`",
    "image": "image not published: {}; store png, jpg, gif or webp files in the idea's folder (ideas/<slug>/) "
    "and link them relative to the text, such as ![diagram](<slug>/diagram.png)",
    "comment": "{}",
}


def clean_fragment(content: str, line: int, findings: Findings, images: Images) -> tuple[str, str | None]:
    """Treat the HTML an author typed: keep what is allowed, remove what is unsafe, show the rest as text.

    Args:
        content: raw HTML from the Markdown parser (an HTML block, or one inline tag).
        line: the fragment's first line in the text (0-based), for findings.

    Returns:
        The fragment to render, and the name of a script-like tag left open at its end
        (inline, its content follows in the next tokens and must be dropped too).
    """
    out: list[str] = []
    position = 0
    for match in _pieces(content):
        out.append(content[position : match.start()])
        position = match.end()
        here = line + content.count("\n", 0, match.start())
        piece = match.group(0)
        if piece.startswith("<!-"):
            findings.comments.append((here, piece))
            continue
        name = (match.group(2) or "").lower()
        if not name:
            findings.add(here, "text", _short(piece))
            out.append(html.escape(piece))
        elif name in REMOVED_TAGS:
            if not match.group(1):  # its end tag goes too, without a second word
                findings.add(here, "removed", f"<{name}>")
            if name in RAW_CONTENT_TAGS and not match.group(1):
                end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(content, position)
                if end is None:
                    return "".join(out), name
                position = end.end()
        elif name in ALLOWED_TAGS:
            out.append(_allowed(match, name, here, findings, images))
        else:
            findings.add(here, "text", f"<{match.group(1)}{match.group(2)}>")
            out.append(html.escape(piece))
    rest = content[position:]
    if "<!--" in rest:  # a comment never closed hides the rest, as it would on GitHub
        findings.add(
            line + content.count("\n", 0, position),
            "comment",
            "HTML comment never closed with -->: the text after it is not published",
        )
        rest = rest.split("<!--", 1)[0]
    out.append(rest)
    return "".join(out), None


def _pieces(content: str) -> Iterator[re.Match]:
    """The pieces of HTML in a fragment, in order, as one search for any kind would find them.

    Each kind is tried at a '<' only where it can still match (`_possible`). A search for
    all kinds at once tried each of them at every '<', and a kind whose end never comes
    (`<?` or `<!-- --->` repeated, with no `?>` or no `-->` that ends a comment) read to
    the end of the fragment each time: quadratic, so that a 40 kB idea held `check` and
    `build` for a minute and a file at max_file_size for a quarter of an hour.
    """
    last = {end: content.rfind(end) for _, end in _PIECE_KINDS}
    comment_failed = False
    position = content.find("<")
    while position >= 0:
        possible = _possible(content, position, last, comment_failed)
        match = _piece_pattern(possible).match(content, position)
        if possible[0] and content.startswith("<!--", position):
            comment_failed |= not (match and len(match.group(0)) >= 7)  # "<!--->" is the empty kind
        if match is None:
            position = content.find("<", position + 1)
        else:
            yield match
            position = content.find("<", match.end())


_NOT_DASH = re.compile("[^-]")


def _possible(content: str, position: int, last: dict[str, int], comment_failed: bool) -> tuple[bool, ...]:
    """Which kinds of piece may match at `position`: those whose end text occurs further on,
    and a comment, once one has failed, only if it ends before it reads like the failed one.

    A comment's body is read in steps (a character other than '-', '-' and one other, '--'
    and one other than '>'), so every reading steps past each character other than '-' at
    the same place: a comment that failed (read to the end without an end at any step)
    fails again from any later '<!--' unless its first run of dashes ends it, which a run
    of 3k+2 dashes followed by '>' does.
    """
    possible = [last[end] > position for _, end in _PIECE_KINDS]
    if possible[0] and comment_failed and content.startswith("<!--", position):
        other = _NOT_DASH.search(content, position + 4)
        after = other.start() if other else len(content)
        possible[0] = (after - position - 4) % 3 == 2 and content.startswith(">", after)
    return tuple(possible)


@functools.cache
def _piece_pattern(possible: tuple[bool, ...]) -> re.Pattern:
    """One pattern for the kinds that are `possible`; the others never match but keep their
    groups, so that a match's groups are numbered the same whichever kinds are tried."""
    kinds = (kind if ok else "(?!)" + kind for (kind, _), ok in zip(_PIECE_KINDS, possible, strict=True))
    return re.compile("|".join(kinds))


def _short(piece: str) -> str:
    flat = " ".join(piece.split())
    return flat if len(flat) <= 40 else flat[:37] + "..."


def _allowed(match: re.Match, name: str, line: int, findings: Findings, images: Images) -> str:
    """An allowed tag rebuilt with only the attributes on the list."""
    if match.group(1):
        return f"</{name}>"
    allowed = COMMON_ATTRIBUTES | TAG_ATTRIBUTES.get(name, frozenset())
    kept: dict[str, str] = {}
    for attribute in _ATTRIBUTE.finditer(match.group(3)):
        key = attribute.group(1).lower()
        value = next((v for v in attribute.group(2, 3, 4) if v is not None), "")
        if key.startswith("on"):
            findings.add(line, "removed", f"the {key} attribute")
        elif key == "style":
            findings.add(line, "removed", "the style attribute")
        elif key in URL_ATTRIBUTES and (scheme := link_scheme(value)) is not None and scheme not in SAFE_SCHEMES:
            findings.add(line, "removed", f"a '{scheme}:' URL")
        elif key in allowed:
            kept[key] = value
    if name == "img":
        return _image_tag(kept, line, findings, images)
    attributes = "".join(f' {key}="{html.escape(html.unescape(value))}"' for key, value in kept.items())
    return f"<{name}{attributes}>"


def _image_tag(kept: dict[str, str], line: int, findings: Findings, images: Images) -> str:
    src, alt = kept.pop("src", ""), kept.get("alt", "")
    kind, where = images.source(src) if src else ("missing", "")
    label = html.escape(html.unescape(alt or src))
    if kind == "unsafe":
        findings.add(line, "removed", f"a '{where}:' image")
        return label
    if kind == "external":
        return f'<a href="{html.escape(html.unescape(src))}">{label}</a>'
    if kind == "missing":
        findings.add(line, "image", repr(src))
        return label
    if kind == "attachment":
        findings.attachments.add(where)
    kept["src"] = images.url(where) if kind == "attachment" else src
    attributes = "".join(f' {key}="{html.escape(html.unescape(value))}"' for key, value in kept.items())
    return f"<img{attributes}>"
