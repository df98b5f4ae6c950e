"""The title of a document written without front matter, as its readers would name it.

Folders of existing proposals (RFCs, KEPs, design documents) have no front matter, and
their first heading is often a section ("Summary"), not a title. So, in order:

1. a leading `# Heading` (the document's first block), unless it names a section;
2. a header list at the top, such as `- Feature Name: const_generics` or `- Title: ...`;
3. the file name made readable: `0001-private-fields.md` is "Private fields".
"""

from __future__ import annotations

import re

from bubbleup.core import markup

SECTION_NAMES = frozenset(
    {
        "summary", "abstract", "motivation", "introduction", "overview", "background", "description",
        "context", "table of contents", "problem", "proposal", "status", "rationale", "goals", "tl;dr",
    }
)  # fmt: skip
"""First headings that name a section of the document, not the document."""
TITLE_KEYS = ("title", "feature name", "feature", "name", "proposal")
"""Keys of a header list, in order of preference, whose value is the document's title."""
_HEADER_ITEM = re.compile(r"^\s*([A-Za-z][A-Za-z ._-]{0,40}?)\s*:\s*(.+?)\s*$")
_IDENTIFIER = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*")
"""A feature name written as an identifier (const_generics), to be made readable."""
_PLACEHOLDER = re.compile(r"^\(.*\)$|^<.*>$|^n/?a$|^none$|^tbd$|^\?+$", re.IGNORECASE)


def title_of(text: str, stem: str) -> str:
    """The best title a document gives for itself (see the module's docstring)."""
    blocks = markup.tokens(text)
    return _leading_heading(blocks) or _header_list(blocks) or readable(stem)


def _inline_text(token) -> str:
    return " ".join("".join(c.content for c in token.children or [] if c.type in ("text", "code_inline")).split())


def _leading_heading(blocks: list) -> str | None:
    if len(blocks) < 2 or blocks[0].type != "heading_open" or blocks[0].tag != "h1":
        return None
    title = _inline_text(blocks[1])
    if not title or title.lower().strip(" :.") in SECTION_NAMES:
        return None
    return title


def _header_list(blocks: list) -> str | None:
    """`- Key: value` items in the first list of the document, before any other text."""
    values: dict[str, str] = {}
    for token in blocks:
        if token.type in ("heading_open", "heading_close") or token.type.startswith("bullet_list"):
            if token.type == "bullet_list_close":
                break
            continue
        if token.type == "inline" and token.level > 1:  # inside a list item
            match = _HEADER_ITEM.match(_inline_text(token))
            if match:
                values.setdefault(match.group(1).strip().lower(), match.group(2).replace("`", "").strip())
        elif token.type == "inline" and values:
            break
        elif token.type in ("paragraph_open", "paragraph_close", "list_item_open", "list_item_close", "inline"):
            continue
        else:
            break
    for key in TITLE_KEYS:
        value = values.get(key, "")
        if value and not _PLACEHOLDER.match(value):
            name, _, rest = value.partition(" ")
            return f"{readable(name)} {rest}".strip() if _IDENTIFIER.fullmatch(name) else value
    return None


def readable(name: str) -> str:
    """A file or feature name as words: `0001-private-fields` is "Private fields"."""
    words = re.sub(r"^\d+[-_. ]+", "", name)
    words = " ".join(re.split(r"[-_]+", words)).strip() or name
    return words[:1].upper() + words[1:]
