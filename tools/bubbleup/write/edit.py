"""Change keys of a file's front matter and keep every other byte as it was.

A round-trip YAML library (ruamel.yaml) re-emits the whole document and may still
re-indent or re-wrap what it did not need to touch. Editing the text where the key is
keeps comments, key order, quoting, spacing, line endings and the body byte for byte,
which is what a reviewer wants to see in a pull request's diff: only the lines that changed.

Where each key is comes from the one front matter reader (`core.frontmatter`): its key
spans and its line splitting, so the reader and the editor never disagree about a line.

- A key whose value is one plain or quoted scalar on one line: only the value is
  replaced, so a comment after it stays.
- Any other existing key: its lines are replaced.
- A new key: its lines go after a chosen key (or at the end of the front matter).
- A removed key: its lines go.
- Front matter written in braces (`{title: F, authors: [a]}`) is edited inside the
  braces, value by value, so it stays one valid mapping.
"""

from __future__ import annotations

import bisect
from typing import Any

from bubbleup.core.frontmatter import FrontMatterError, Layout, dump_value, lines_of, parse, render_value
from bubbleup.core.model import BubbleupError

REMOVE = object()
"""A value for `edit_front_matter` that removes the key."""

_Edit = tuple[int, int, str]
"""Replace the characters from start to end of the YAML text with new text."""


def edit_front_matter(text: str, changes: dict[str, Any], after: dict[str, str] | None = None) -> str:
    """Apply `changes` (key to new value, or `REMOVE`) to the front matter of `text`.

    Args:
        text: the whole file.
        changes: the keys to set or remove, in the order new keys should appear.
        after: for a new key, the existing key it should follow (else it goes last).

    Raises:
        BubbleupError: the file has no front matter or it cannot be parsed.
    """
    try:
        document = parse(text)
    except FrontMatterError as error:
        raise BubbleupError(error.message, line=error.line) from None
    layout = document.layout
    if layout is None:
        raise BubbleupError("the file has no front matter to edit")
    edit = _flow_edits if layout.flow else _block_edits
    edits = edit(layout, changes, after or {})
    source = layout.source
    pieces: list[str] = []
    position = 0
    for start, end, new in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        pieces.append(source[position:start] + new)
        position = max(position, end)
    pieces.append(source[position:])
    return layout.opening + "".join(pieces) + layout.closing + document.body


def _anchor(key: str, layout: Layout, after: dict[str, str]) -> str | None:
    """The existing key a new key follows: its anchor, or the anchor's anchor if that is new too."""
    seen = {key}
    anchor = after.get(key)
    while anchor is not None and anchor not in layout.spans and anchor not in seen:
        seen.add(anchor)
        anchor = after.get(anchor)
    return anchor if anchor in layout.spans else None


def _newline(layout: Layout) -> str:
    """The file's own line ending, so a CRLF file stays CRLF."""
    return "\r\n" if layout.opening.endswith("\r\n") else "\n"


def _block_edits(layout: Layout, changes: dict[str, Any], after: dict[str, str]) -> list[_Edit]:
    """Edits to a mapping written one key per line."""
    source, newline = layout.source, _newline(layout)
    starts = [0]  # where each line begins; the source always ends with a line ending
    for line in lines_of(source):
        starts.append(starts[-1] + len(line))

    def line_start(index: int) -> int:
        return starts[bisect.bisect_right(starts, index) - 1]

    def line_end(index: int) -> int:
        """Where the line after the one holding the character before `index` begins."""
        return starts[min(bisect.bisect_left(starts, index), len(starts) - 1)]

    first_key = min((span.key_start for span in layout.spans.values()), default=0)
    indent = " " * (first_key - line_start(first_key))  # a mapping may be indented as a whole

    def lines(key: str, value: Any) -> str:
        return "".join(indent + line + newline for line in render_value(key, value).split("\n")[:-1])

    edits: list[_Edit] = []
    for key, value in changes.items():
        span = layout.spans.get(key)
        if span is None:
            if value is not REMOVE:
                anchor = _anchor(key, layout, after)
                where = line_end(layout.spans[anchor].value_end) if anchor else len(source)
                edits.append((where, where, lines(key, value)))
            continue
        first, last = line_start(span.key_start), line_end(max(span.value_end, span.key_end))
        if value is REMOVE:
            edits.append((first, last, ""))
        elif span.inline and not isinstance(value, (dict, list, tuple)):
            edits.append((span.value_start, span.value_end, dump_value(value)))
        else:
            edits.append((first, last, lines(key, value)))
    return edits


def _flow_edits(layout: Layout, changes: dict[str, Any], after: dict[str, str]) -> list[_Edit]:
    """Edits inside a mapping written in braces: values are replaced where they are."""
    source = layout.source
    order = list(layout.spans)
    edits: list[_Edit] = []
    for key, value in changes.items():
        span = layout.spans.get(key)
        if value is REMOVE:
            if span is not None:
                edits.append(_flow_removal(source, layout, order.index(key)))
            continue
        written = dump_value(value, flow=True)
        if span is None:
            anchor = _anchor(key, layout, after) or (order[-1] if order else None)
            if anchor is None:  # `{}`: new keys go just inside the brace
                separator = ", " if any(start == layout.start + 1 for start, _, _ in edits) else ""
                edits.append((layout.start + 1, layout.start + 1, f"{separator}{key}: {written}"))
            else:
                where = layout.spans[anchor].value_end
                edits.append((where, where, f", {key}: {written}"))
        elif span.value_start < span.value_end:
            edits.append((span.value_start, span.value_end, written))
        else:  # `{a: , b}`: a key without a value is written again with one
            end = max(span.value_end, span.key_end)
            edits.append((span.key_start, end, f"{key}: {written}"))
    return edits


def _flow_removal(source: str, layout: Layout, index: int) -> _Edit:
    """The characters that go with the key at `index` of a braced mapping: the key, its value
    and one comma, so that the mapping around it stays valid."""
    spans = list(layout.spans.values())
    span = spans[index]
    end = max(span.value_end, span.key_end)
    rest = source[end:]
    comma = len(rest) - len(rest.lstrip(" \t"))
    if rest[comma : comma + 1] == ",":
        following = rest[comma + 1 :]
        return span.key_start, end + comma + 1 + len(following) - len(following.lstrip(" \t")), ""
    if index > 0:  # the last key: the comma before it goes
        previous = spans[index - 1]
        return max(previous.value_end, previous.key_end), end, ""
    return span.key_start, end, ""
