"""Search entries for the generated pages, made from the Markdown that Bubbleup wrote.

Material's search plugin indexes a page by running Python's HTML parser over all of
its HTML; for thousands of idea pages that was a fifth of the build. Bubbleup knows the
shape of the pages it writes: headings in Markdown (whose anchors the page's table of
contents gives), blocks of sanitized HTML (held out by site/lean.py, whose headings carry
their own ids), and short lines between them. So it cuts a page into the same sections
(one per heading, the first at the page's own address), with the same kind of text
(words, and only the paragraph, list and code tags the search plugin keeps), and tells
the search plugin to skip the page. A page it cannot read that way (fenced code, a table
of contents that does not match its headings) is left to the search plugin.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bubbleup.site.lean import BLOCK_TAGS, FENCE, TAG, Held

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
HTML_HEADING = re.compile(r"""<h([1-6])\b(?:[^>"']|"[^"]*"|'[^']*')*?\bid="([^"]*)"[^>]*>(.*?)</h\1\s*>""", re.S)
PLACEHOLDER_LINE = re.compile(r"^bubbleuphtml[0-9a-f]{16}$")
KEPT = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
"""The tags the search plugin keeps in an entry's text; every other tag is dropped."""
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
EMPHASIS = re.compile(r"\*+")
RAW_HTML = re.compile(rf"<({BLOCK_TAGS})[\s>/]")
CODE = re.compile(r"`([^`]+)`")
TAGS_SPLIT = re.compile(TAG.pattern)
"""`TAG`, to split by: text, a tag's closing slash and its name, text, and so on."""


@dataclass
class Section:
    """A heading and the HTML under it, up to the next heading."""

    title: str | None = None
    """None for text before the first heading (titled by the page)."""
    heading: int | None = None
    """The heading's place among the page's Markdown headings (whose anchors the table
    of contents gives); None for a heading of sanitized HTML, or no heading."""
    anchor: str = ""
    """The id of a heading of sanitized HTML."""
    html: list[str] = field(default_factory=list)


def text_of_html(fragment: str) -> str:
    """What the search plugin keeps of a piece of HTML: its words, escaped again, and
    the kept tags, bare (an element with no words in it is dropped); white space is
    folded outside <pre>. A stray < or > is escaped, so no other markup can come through.

    Called for every section of every generated page, so it walks the fragment's pieces
    as one list (text, then each tag's closing slash and name) and keeps, rather than
    looks for, where each kept tag was first opened and where the last piece that is not
    white space is."""
    if "<" not in fragment:
        words = html.unescape(fragment)
        return "" if words.isspace() else html.escape(words.replace("\n", " "), quote=False).strip()
    parts = TAGS_SPLIT.split(fragment)
    pieces: list[str] = []
    opened: dict[str, int] = {}  # a kept tag's first opening among the pieces
    solid: list[int] = []  # where the pieces that are not white space are
    preformatted = 0
    for number in range(0, len(parts), 3):
        words = html.unescape(parts[number]) if "&" in parts[number] else parts[number]
        if words:
            if not preformatted:
                words = " " if words.isspace() else words.replace("\n", " ")
            if not words.isspace():
                solid.append(len(pieces))
                pieces.append(html.escape(words, quote=False))
            elif preformatted or not pieces or not pieces[-1].isspace():
                pieces.append(words)
        if number + 2 >= len(parts):
            break
        closing, name = parts[number + 1], parts[number + 2].lower()
        if name == "pre":
            preformatted = max(preformatted + (-1 if closing else 1), 0)
        if name not in KEPT:
            continue
        if not closing:
            opened.setdefault(name, len(pieces))
            solid.append(len(pieces))
            pieces.append(f"<{name}>")
        elif name in opened:
            start = opened[name]
            if solid[-1] > start:
                solid.append(len(pieces))
                pieces.append(f"</{name}>")
            else:  # nothing but white space since it opened: the element goes
                del pieces[start:], solid[-1]
                opened = {tag: where for tag, where in opened.items() if where < start}
    return "".join(pieces).strip()


def html_of_line(line: str) -> str:
    """A line of the page's own Markdown (untrusted values in it are already escaped)
    as the HTML it becomes, as far as search is concerned: links become their labels,
    code spans code, and emphasis goes."""
    line = CODE.sub(lambda match: f"<code>{match.group(1)}</code>", LINK.sub(r"\1", line))
    return EMPHASIS.sub("", line)


def html_of_chunk(lines: list[str]) -> str:
    """Lines of Markdown between blank lines: a list, a paragraph, or HTML that
    `lean.hold` left in place."""
    if RAW_HTML.match(lines[0]):
        return "\n".join(lines)
    if all(LIST_MARKER.match(line) for line in lines):
        items = "\n".join(f"<li>{html_of_line(LIST_MARKER.sub('', line))}</li>" for line in lines)
        return f"<ul>\n{items}\n</ul>"
    return f"<p>{html_of_line(chr(10).join(lines))}</p>"


def sections(markdown: str, held: Held) -> list[Section] | None:
    """The sections of a page whose HTML blocks `lean.hold` took out (before `restore`
    puts them back); None for a page with fenced code, which is left whole.

    As in the search plugin, the text after a block whose headings are nested in it (an
    idea's text, in its <div>) goes back to the section the block started in."""
    if FENCE.search(markdown):
        return None
    found: list[Section] = []
    current: Section | None = None
    chunk: list[str] = []

    def add(piece: str) -> None:
        nonlocal current
        if current is None:
            current = Section()
            found.append(current)
        current.html.append(piece)

    for line in [*markdown.splitlines(), ""]:
        heading = HEADING.match(line)
        block = held.blocks.get(line.strip()) if PLACEHOLDER_LINE.match(line.strip()) else None
        if line.strip() and heading is None and block is None:
            chunk.append(line.strip())
            continue
        if chunk:
            add(html_of_chunk(chunk))
            chunk = []
        if heading:
            current = Section(text_of_html(html_of_line(heading.group(2))), sum(s.heading is not None for s in found))
            found.append(current)
        if block is not None:
            outer = current
            position = 0
            for match in HTML_HEADING.finditer(block):
                add(block[position : match.start()])
                current = Section(text_of_html(match.group(3)), anchor=match.group(2))
                found.append(current)
                position = match.end()
            add(block[position:])
            if position and not block.startswith("<h"):
                current = outer
    return found


def entries(found: list[Section], url: str, anchors: list[str], title: str) -> list[dict[str, str]] | None:
    """The search entries of a page at `url` from its sections, given the anchors of its
    table of contents in order; None when they do not match the page's Markdown headings
    (a heading the table of contents leaves out), so that the search plugin indexes it."""
    if sum(1 for section in found if section.heading is not None) != len(anchors):
        return None
    result = []
    for number, section in enumerate(found):
        if number == 0:
            location = url
        elif section.heading is not None:
            location = url + anchors[section.heading]
        else:
            location = f"{url}#{section.anchor}" if section.anchor else url
        heading = title if section.title is None else section.title
        result.append({"location": location, "title": heading, "text": text_of_html("\n".join(section.html))})
    return result


def toc_items(toc: Iterable[Any]) -> Iterator[Any]:
    """Every item of a table of contents, depth first, in page order."""
    for item in toc:
        yield item
        yield from toc_items(item.children)


def index_page(plugins: Iterable[object], page: Any, found: list[Section]) -> bool:
    """Add a page's entries to Material's search index and have its search plugin skip
    the page (`search: exclude`, which it honours); False, and nothing changed, when
    there is no enabled Material search plugin or the sections do not fit the page."""
    index = None
    for plugin in plugins:
        candidate = getattr(plugin, "search_index", None)
        if type(plugin).__module__.startswith("material.plugins.search") and isinstance(
            getattr(candidate, "entries", None), list
        ):
            index = candidate
    if index is None:
        return False
    anchors = [item.url for item in toc_items(page.toc)]
    made = entries(found, page.url, anchors, str(page.meta.get("title") or page.title))
    if made is None:
        return False
    index.entries.extend(made)
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return True


def hide_from_search(page: Any, plugins: Any, own: object) -> tuple[Any, str] | None:
    """Take the HTML of a page that search skips out of the page while Material's search
    plugin sees it, and give back what to put back (None: nothing was taken).

    Material's plugin removes `data-search-*` attributes from every page it is shown, with
    a pattern that starts with an optional space, which the regular expression engine
    tries at every character: 0.15 s for the views at 5,000 ideas, which have no such
    attribute and are not searched (`search: exclude`). Only when the page has none, it is
    excluded, and no other plugin but this one and Material's search sees the page between.
    """
    content = page.content
    if not isinstance(content, str) or "data-search-" in content:
        return None
    if not (page.meta.get("search") or {}).get("exclude"):
        return None
    for method in plugins.events.get("page_context", ()):
        owner = getattr(method, "__self__", None)
        if owner is not own and not type(owner).__module__.startswith("material.plugins.search"):
            return None
    page.content = ""
    return page, content
