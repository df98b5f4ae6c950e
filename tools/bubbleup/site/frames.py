"""Generated pages written from frames, not through the theme's templates one by one.

An idea page, a person's page or a tag's page differs from the next one of its kind only
in a few places: its title, its content, its table of contents, its address. Material
spends about two milliseconds rendering its templates for each page anyway (the header,
the navigation, the footer), which at thousands of pages was the largest part of a
build. So for each shape of page (the folder it is in, its template, its front matter
other than the title, whether the content has its own `<h1>`), the theme renders one
page whose title, content, address and first anchor are markers, and the table of
contents partial once more on its own. Cut at the markers, that is the frame; each page
of the shape is the frame with its own values put in, and its own table of contents
(the only partial still rendered per page).

What is put in must come out of the templates unchanged for this to hold: a title of
plain words (no `&`, `<`, `>` or quotes, which filters would escape or strip), an
address of plain characters. A marker that a template changed (cut, encoded, upper
case) makes the shape unframed. Every shape's first page is rendered by the theme as
well and compared; so is every sixteenth page after it. A difference, which should
never happen, drops the frames and builds every page again the ordinary way, so the
output is always what the theme alone would have written. Tests compare whole sites
built with and without frames, byte for byte.
"""

from __future__ import annotations

import copy
import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from bubbleup.site.search import toc_items

TITLE = "Bbuptitlemark Bbupframe"
CONTENT = "Bbupcontentmark"
ANCHOR = "bbupanchormark"
NAME = "bbupnamemark"
SLUG = "bbupslugmark"
MARKS = ("bbuptitlemark", "bbupcontentmark", "bbupanchormark", "bbupnamemark", "bbupslugmark")
SLOTS = re.compile("(\x00[TCNIS])")
PLAIN = re.compile(r"[^\s<>&\"'\x00]+(?: [^\s<>&\"'\x00]+)*")
"""A title (of the page or of a table of contents item) that templates print unchanged."""
PLAIN_SLUG = re.compile(r"[A-Za-z0-9._-]+")
TOC_PARTIAL = '{% import "partials/language.html" as lang with context %}{% include "partials/toc.html" %}'
CHECK_EVERY = 16


@dataclass
class Frame:
    parts: list[str]
    """Literal text and slots (\\x00T table of contents, \\x00C content, \\x00N title,
    \\x00I first anchor, \\x00S the page's own name in its address)."""

    def fill(self, values: dict[str, str]) -> str:
        return "".join(values.get(part, part) for part in self.parts)


@dataclass
class Frames:
    """The frames of one build, by shape; None for a shape that cannot be framed."""

    env: Any
    nav: Any
    pages: Any
    frames: dict[tuple, Frame | None] = field(default_factory=dict)
    tocs: dict[tuple, Frame | None] = field(default_factory=dict)
    framed: int = 0
    toc_partial: Any = None

    def __post_init__(self) -> None:
        self.toc_partial = self.env.from_string(TOC_PARTIAL)

    def shape(self, page) -> tuple | None:
        """What a page shares with the others of its kind; None when its own values
        would not pass through the templates unchanged."""
        meta = dict(page.meta)
        title = meta.pop("title", None)
        stem = _stem(page)
        if not isinstance(title, str) or not PLAIN.fullmatch(title) or not page.file.src_uri.endswith(".md"):
            return None
        if not PLAIN_SLUG.fullmatch(stem) or any(mark in title.lower() for mark in MARKS):
            return None
        try:
            fixed = json.dumps(meta, sort_keys=True)
        except (TypeError, ValueError):
            return None
        first = _first(page)
        return (
            posixpath.dirname(page.file.src_uri),
            stem in ("index", "README"),  # a folder's own page has another kind of address
            fixed,
            "<h1" in page.content,
            None if first is None else first.level,
        )

    def toc(self, page, context) -> str:
        """The table of contents partial for the page: from a frame of its structure
        (levels and nesting) when every title is plain, else rendered."""
        items = list(toc_items(page.toc.items))
        structure = _structure(page.toc.items)
        if structure is None or not all(PLAIN.fullmatch(item.title) for item in items):
            return self.toc_partial.render(context)
        if structure not in self.tocs:
            output = self.toc_partial.render(context)
            frame = self._toc_frame(page, context)
            values = _toc_values(items)
            self.tocs[structure] = frame if frame is not None and frame.fill(values) == output else None
            return output
        frame = self.tocs[structure]
        return frame.fill(_toc_values(items)) if frame is not None else self.toc_partial.render(context)

    def _toc_frame(self, page, context) -> Frame | None:
        """The partial rendered for a table of contents of the same structure whose
        titles and anchors are markers, cut at them."""
        real = page.toc
        marked = copy.deepcopy(real)
        items = list(toc_items(marked.items))
        for number, item in enumerate(items):
            item.title, item.id = f"Bbuptocname{number}x", f"bbuptocid{number}x"
        page.toc = marked
        try:
            output = self.toc_partial.render(context)
        finally:
            page.toc = real
        parts = TOC_SLOTS.split(output)
        if sum(1 for part in parts if TOC_SLOTS.fullmatch(part)) != output.lower().count("bbuptoc") or not items:
            return None
        return Frame([part for part in parts if part])

    def values(self, page, context) -> dict[str, str]:
        first = _first(page)
        return {
            "\x00T": self.toc(page, context),
            "\x00C": page.content,
            "\x00N": page.meta["title"],
            "\x00I": first.id if first is not None else "",
            "\x00S": _stem(page),
        }

    def make(self, page, config, template) -> Frame | None:
        """Render the page's shape with markers, and cut it at them."""
        from mkdocs.commands.build import get_context
        from mkdocs.structure.files import File
        from mkdocs.structure.pages import Page
        from mkdocs.structure.toc import get_toc

        folder = posixpath.dirname(page.file.src_uri)
        file = File.generated(config, posixpath.join(folder, SLUG + ".md"), content="")
        if page.file.edit_uri is not None:
            file.edit_uri = file.src_uri
        marked = Page(None, file, config)
        stem = _stem(page)
        for mine, theirs in ((file.url, page.file.url), (marked.edit_url, page.edit_url)):
            if (mine.replace(SLUG, stem) if mine is not None else None) != theirs:
                return None
        marked.markdown = ""
        marked.meta = {**page.meta, "title": TITLE}
        marked.content = ("<h1" if "<h1" in page.content else "") + CONTENT
        first = _first(page)
        tokens: list[Any] = []
        if first is not None:
            tokens.append(
                {"level": first.level, "id": ANCHOR, "name": NAME, "html": NAME, "data-toc-label": "", "children": []}
            )
        marked.toc = get_toc(tokens)
        marked.active = True
        context = get_context(self.nav, self.pages, config, marked)
        output = template.render(context)
        toc = self.toc_partial.render(context)
        if output.count(toc) != 1:
            return None
        output = output.replace(toc, "\x00T")
        for mark, slot in ((marked.content, "\x00C"), (TITLE, "\x00N"), (ANCHOR, "\x00I"), (SLUG, "\x00S")):
            output = output.replace(mark, slot)
        if any(mark in output.lower() for mark in MARKS):
            return None
        return Frame([part for part in SLOTS.split(output) if part])

    def render(self, page, config, context, template) -> tuple[str, bool]:
        """The page's HTML, and whether a frame made it. A shape's first page, and every
        `CHECK_EVERY`th framed page, is rendered by the templates too; a difference
        raises `Disagreement`."""
        shape = self.shape(page)
        if shape is None:
            return template.render(context), False
        key = (*shape, page.meta.get("template", "main.html"))
        if key not in self.frames:
            output = template.render(context)
            frame = self.make(page, config, template)
            if frame is not None and frame.fill(self.values(page, context)) != output:
                frame = None
            self.frames[key] = frame
            return output, False
        frame = self.frames[key]
        if frame is None:
            return template.render(context), False
        output = frame.fill(self.values(page, context))
        self.framed += 1
        if self.framed % CHECK_EVERY == 0 and output != template.render(context):
            raise Disagreement(page.file.src_uri)
        return output, True


TOC_SLOTS = re.compile(r"(Bbuptocname\d+x|bbuptocid\d+x)")


def _stem(page) -> str:
    """The page's own name in its address: its file's name without `.md`."""
    return posixpath.splitext(posixpath.basename(page.file.src_uri))[0]


def _first(page):
    """The page's first table of contents item, if it has any."""
    return page.toc.items[0] if page.toc.items else None


def _structure(items) -> tuple | None:
    """Levels and nesting of a table of contents; None when an item has more than a
    title, an anchor and children (a theme's own attributes)."""
    shape = []
    for item in items:
        children = _structure(item.children)
        if children is None or set(vars(item)) - {"title", "id", "level", "children", "active"}:
            return None
        shape.append((item.level, children))
    return tuple(shape)


def _toc_values(items) -> dict[str, str]:
    values = {}
    for number, item in enumerate(items):
        values[f"Bbuptocname{number}x"], values[f"bbuptocid{number}x"] = item.title, item.id
    return values


class Disagreement(Exception):
    """A frame or a skeleton gave other HTML than the theme or Python-Markdown would."""
