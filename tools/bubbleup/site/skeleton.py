"""A lean page's skeleton converted without running Python-Markdown on it.

Once site/lean.py has taken out a generated page's HTML blocks, what is left (its
skeleton) is placeholders, headings and a few sentences: "## Votes", "### Ana Silva ·
votes up", "No written feedback yet." Python-Markdown still costs about a millisecond
and a half on each such page, most of it fixed work for every document. Here the few
shapes a skeleton is made of are converted by filling in HTML that Python-Markdown
itself produced once per build, with the site's own Markdown extensions and options
(`calibrate`): the heading of each level with its anchor and permalink, a paragraph.
Ids come from the table-of-contents extension's own `slugify` and `unique`.

Only plain text is converted this way: words, single spaces and a little punctuation,
which no Markdown extension on the allowlist below reads as markup. A heading may also
hold escaped text, as core/markup.inline writes titles and names: printable characters
other than Markdown's special ones, which stand as numeric references (`&#60;`) that
Python-Markdown copies as they are. Anything else (a link, emphasis, an unknown
extension) returns None and the page goes through Python-Markdown. Tests hold `convert`
equal to Python-Markdown (Hypothesis included), and the plugin checks it again on pages
of every build (site/frames.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import Any

SAFE_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "fenced_code",
        "footnotes",
        "legacy_attrs",
        "md_in_html",
        "meta",
        "sane_lists",
        "tables",
        "toc",
        "pymdownx.details",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.snippets",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        "pymdownx.tasklist",
    }
)
"""Extensions that leave plain text alone (no smart quotes, symbols, emoji or links;
a snippet is a line that starts with `--8<--`, which plain text cannot)."""

PLACEHOLDER = re.compile(r"bubbleuphtml[0-9a-f]{16}")
_WORD = r"\(?[^\W_]+(?:-[^\W_]+)*\)?[.,;:?!]?"
PLAIN = re.compile(rf"(?:{_WORD}|·)(?: (?:{_WORD}|·))*")
"""Text that Python-Markdown copies as it is: words of letters and digits (hyphens
inside, parentheses around), single spaces, one punctuation mark after a word, and the
middle dot."""
SPECIAL = "\\`*_{}[]<>#!|~^=&"
"""The characters that core/markup.inline writes as numeric references."""
_CHARACTER = "(?:[^\\s" + re.escape(SPECIAL) + "]|&#(?:" + "|".join(str(ord(char)) for char in SPECIAL) + ");)"
ESCAPED = re.compile(f"{_CHARACTER}+(?: {_CHARACTER}+)*")
"""Escaped text: words of characters other than Markdown's special ones and numeric
references to those, single spaces between (printable, `str.isprintable`, as well)."""
LIST_START = re.compile(r"\(?\d+[.)]")
"""A sentence starting so would be an ordered list."""
HEADING = re.compile(r"(#{1,6}) (.+)")
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_ID, _TEXT = "\x00i", "\x00t"


@dataclass(frozen=True)
class Calibration:
    """How this build's Python-Markdown writes a heading of each level and a paragraph."""

    headings: dict[int, tuple[str, int | None]]
    """Markdown level: (HTML with the id and text left out, level in the table of
    contents or None when the level is not in it)."""
    slugify: Any
    separator: str


def _name(extension: object) -> str:
    name = extension if isinstance(extension, str) else type(extension).__module__
    return name.removeprefix("markdown.extensions.")


def _flatten(tokens: list[dict]) -> list[dict]:
    flat: list[dict] = []
    for token in tokens:
        flat.append(token)
        flat += _flatten(token.get("children", []))
    return flat


def calibrate(extensions: list, configs: dict) -> Calibration | None:
    """Convert one heading of each level and a paragraph with the site's own Markdown
    settings, and keep the HTML around the id and the text; None when the extensions
    or what they produce fall outside what `convert` can fill in."""
    import markdown

    if not all(_name(extension) in SAFE_EXTENSIONS for extension in extensions):
        return None
    md = markdown.Markdown(extensions=extensions, extension_configs=configs or {})
    if "toc" not in md.treeprocessors:
        return None
    toc = md.treeprocessors["toc"]
    texts = [f"Bbupcal{level}x" for level in range(1, 7)]
    source = "\n\n".join([*(f"{'#' * level} {text}" for level, text in enumerate(texts, 1)), "Bbupcalpara"])
    lines = md.convert(source).split("\n")
    tokens = {token["id"]: token for token in _flatten(getattr(md, "toc_tokens", []))}
    if len(lines) != 7 or lines[6] != "<p>Bbupcalpara</p>":
        return None
    headings: dict[int, tuple[str, int | None]] = {}
    for level, text in enumerate(texts, 1):
        ident = toc.slugify(text, toc.sep)
        if not ident or text in ident or ident in text:
            return None
        template = lines[level - 1].replace(ident, _ID).replace(text, _TEXT)
        token = tokens.get(ident)
        if "bupcal" in template.lower() or (token is not None and set(token) != _TOKEN_KEYS):
            return None
        if token is not None and (token["name"], token["html"], token["data-toc-label"]) != (text, text, ""):
            return None
        headings[level] = (template, token["level"] if token is not None else None)
    return Calibration(headings, toc.slugify, toc.sep)


_TOKEN_KEYS = {"level", "id", "name", "html", "data-toc-label", "children"}


def _escaped(text: str) -> bool:
    """Whether a heading's text is escaped text (`ESCAPED`), which Python-Markdown copies
    into the heading and its table of contents entry as it is. Not a first-level heading's:
    mkdocs takes the page's title from that one in a way of its own."""
    return ESCAPED.fullmatch(text) is not None and text.isprintable()


@dataclass
class Converted:
    """What mkdocs keeps of a page's conversion."""

    html: str
    tokens: list[dict]
    """The table of contents, nested as the toc extension nests it."""
    anchors: set[str]
    title: str | None
    """The text of a first-level heading that opens the page (mkdocs' title from the text)."""


def convert(calibration: Calibration, skeleton: str) -> Converted | None:
    """What Python-Markdown would make of the skeleton, or None when it holds anything
    but placeholders, headings of plain or escaped text and plain sentences."""
    from markdown.extensions.toc import nest_toc_tokens, unique

    text = skeleton.strip("\n")
    if not text:
        return Converted("", [], set(), None)
    html: list[str] = []
    tokens: list[dict] = []
    used: set[str] = set()
    counters: dict[str, int] = {}
    for block in BLANK_LINES.split(text):
        if "\n" in block:
            return None
        if PLACEHOLDER.fullmatch(block):
            html.append(f"<p>{block}</p>")
            continue
        heading = HEADING.fullmatch(block)
        if heading is None:
            if not PLAIN.fullmatch(block) or LIST_START.match(block):
                return None
            html.append(f"<p>{block}</p>")
            continue
        title, depth = heading.group(2), len(heading.group(1))
        if not PLAIN.fullmatch(title) and not (depth > 1 and _escaped(title)):
            return None
        template, level = calibration.headings[depth]
        name = unescape(title) if "&" in title else title  # the toc extension's own step
        ident = unique(calibration.slugify(name, calibration.separator), used, counters)
        html.append(template.replace(_ID, ident).replace(_TEXT, title))
        if level is not None:
            tokens.append({"level": level, "id": ident, "name": title, "html": title, "data-toc-label": ""})
    first = HEADING.fullmatch(text.split("\n", 1)[0])
    title = first.group(2) if first is not None and len(first.group(1)) == 1 else None
    return Converted("\n".join(html), nest_toc_tokens(tokens), used, title)
