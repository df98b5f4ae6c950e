"""Change keys of a file's front matter and keep every other byte as it was.

A round-trip YAML library (ruamel.yaml) re-emits the whole document and may still
re-indent or re-wrap what it did not need to touch. Editing the text where the key is
keeps comments, key order, quoting, spacing and the body byte for byte, which is what a
reviewer wants to see in a pull request's diff: only the lines that changed.

- A key whose value is one plain or quoted scalar on one line: only the value is
  replaced, so a comment after it stays.
- Any other existing key: its lines are replaced.
- A new key: its lines go after a chosen key (or at the end of the front matter).
- A removed key: its lines go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from bubbleup.core.frontmatter import FrontMatterError, dump_value, render_value, split
from bubbleup.core.model import BubbleupError

REMOVE = object()
"""A value for `edit_front_matter` that removes the key."""


@dataclass(frozen=True)
class _Span:
    first_line: int  # 0-based, within the YAML text
    end_line: int  # exclusive
    value_start: int | None  # character offsets of a one-line scalar value, if it is one
    value_end: int | None


def _spans(source: str) -> dict[str, _Span]:
    """The lines of each top-level key (pure-Python loader: its offsets are characters)."""
    loader = yaml.SafeLoader(source)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise BubbleupError("front matter is not a set of 'key: value' lines")
    spans: dict[str, _Span] = {}
    for key, value in root.value:
        end = value.end_mark
        end_line = end.line if end.column == 0 else end.line + 1
        one_line = (
            isinstance(value, yaml.ScalarNode)
            and value.style in (None, "'", '"')
            and value.start_mark.line == value.end_mark.line
            and value.start_mark.line == key.start_mark.line
        )
        spans.setdefault(
            str(key.value),
            _Span(
                key.start_mark.line,
                max(end_line, key.start_mark.line + 1),
                value.start_mark.index if one_line else None,
                value.end_mark.index if one_line else None,
            ),
        )
    return spans


def _scalar(value: Any) -> str | None:
    """A scalar's one-line YAML form, or None for mappings and lists."""
    return None if isinstance(value, (dict, list, tuple)) else dump_value(value)


def _position(key: str, spans: dict[str, _Span], after: dict[str, str], end: int) -> int:
    """Where a new key goes: after its anchor, or after the anchor's anchor if that is new too."""
    seen = {key}
    anchor = after.get(key)
    while anchor is not None and anchor not in spans and anchor not in seen:
        seen.add(anchor)
        anchor = after.get(anchor)
    return spans[anchor].end_line if anchor in spans else end


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
        source, body, body_line = split(text)
    except FrontMatterError as error:
        raise BubbleupError(error.message, line=error.line) from None
    if source is None:
        raise BubbleupError("the file has no front matter to edit")
    try:
        spans = _spans(source)
    except yaml.YAMLError as error:
        raise BubbleupError(f"invalid YAML in front matter: {error}") from None
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    replacements: list[tuple[int, int, list[str]]] = []  # (first line, end line, new lines)
    inserts: dict[int, list[str]] = {}
    for key, value in changes.items():
        span = spans.get(key)
        if value is REMOVE:
            if span:
                replacements.append((span.first_line, span.end_line, []))
            continue
        rendered = [line + newline for line in render_value(key, value).splitlines()]
        if span is None:
            inserts.setdefault(_position(key, spans, after or {}, len(lines)), []).extend(rendered)
            continue
        scalar = _scalar(value)
        if span.value_start is not None and span.value_end is not None and scalar is not None:
            line_text = lines[span.first_line]
            start = span.value_start - offsets[span.first_line]
            end = span.value_end - offsets[span.first_line]
            replacements.append((span.first_line, span.first_line + 1, [line_text[:start] + scalar + line_text[end:]]))
        else:
            replacements.append((span.first_line, span.end_line, rendered))

    result: list[str] = []
    replaced = {first: (end, new) for first, end, new in replacements}
    index = 0
    while index <= len(lines):
        result.extend(inserts.get(index, []))
        if index == len(lines):
            break
        if index in replaced:
            end, new = replaced[index]
            result.extend(new)
            index = end
            continue
        result.append(lines[index])
        index += 1
    first_line = text.splitlines(keepends=True)[0]
    closing = text.splitlines(keepends=True)[body_line - 2]
    return first_line + "".join(result) + closing + body
