"""JSON indented as `json.dumps(data, indent=n, ensure_ascii=False)` writes it, quicker.

With `indent`, the standard library leaves its C encoder for a generator per list and
per dict in Python: a second of `tally --format json` at 10,000 ideas, whose rows hold
lists of voters, and of every build's ideas.json at 5,000 ideas. Here each string is escaped by the C escaper the standard library uses
too (a list of texts in which nothing needs escaping, such as handles, is quoted in one
join), and the layout is joined directly. Anything this does not know as the encoder does
(keys that are not text, numbers of other kinds, objects) is left to `json.dumps`
itself, so the text is always the standard library's; a property test compares the two.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from json.encoder import ESCAPE as _ESCAPED  # what encode_basestring escapes
from json.encoder import encode_basestring  # the C function when the C accelerator is there

_WORDS = {True: "true", False: "false", None: "null"}


class _Unusual(Exception):
    """A value whose text is left to the standard library."""


def dumps(data: object, indent: int = 2) -> str:
    """`json.dumps(data, indent=indent, ensure_ascii=False)`, equal to it character for character."""
    parts: list[str] = []
    try:
        _value(data, "\n", parts, " " * indent)
    except (_Unusual, TypeError, RecursionError):
        return json.dumps(data, indent=indent, ensure_ascii=False)
    return "".join(parts)


def dumps_within(data: object, indent: int, depth: int) -> str:
    """`data` as `dumps` writes it `depth` levels inside a document (a list's item, a
    dict's value): its lines after the first indented by that much more, so that texts
    made apart can be joined into one document that `dumps` would have written whole."""
    margin = " " * (indent * depth)
    parts: list[str] = []
    try:
        _value(data, "\n" + margin, parts, " " * indent)
    except (_Unusual, TypeError, RecursionError):  # a JSON string never holds a raw line break
        return json.dumps(data, indent=indent, ensure_ascii=False).replace("\n", "\n" + margin)
    return "".join(parts)


def _value(value: object, newline: str, parts: list[str], step: str) -> None:
    kind = value.__class__
    if kind is str:
        parts.append(encode_basestring(value))  # type: ignore[arg-type]
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is bool or value is None:
        parts.append(_WORDS[value])  # type: ignore[index]
    elif kind is float:  # json's own text (the float's repr) but for nan and infinity, its own words
        parts.append(float.__repr__(value) if math.isfinite(value) else json.dumps(value))  # type: ignore[arg-type]
    elif kind is list or kind is tuple:
        _list(value, newline, parts, step)  # type: ignore[arg-type]
    elif kind is dict:
        _dict(value, newline, parts, step)  # type: ignore[arg-type]
    else:
        raise _Unusual


def _list(items: list | tuple, newline: str, parts: list[str], step: str) -> None:
    if not items:
        parts.append("[]")
        return
    inner = newline + step
    try:  # lists of handles, tags, slugs: one join (which refuses anything but text)
        together = "".join(items)
    except TypeError:
        pass
    else:
        if _ESCAPED.search(together) is None:  # nothing to escape: each text as it is, quoted
            quoted = '",' + inner + '"'
            parts.append(f'[{inner}"{quoted.join(items)}"{newline}]')
        else:
            parts.append(f"[{inner}{(',' + inner).join(map(encode_basestring, items))}{newline}]")
        return
    if items[0].__class__ is dict:
        _records(items, newline, parts, step)
        return
    separator = "[" + inner
    for item in items:
        parts.append(separator)
        _value(item, inner, parts, step)
        separator = "," + inner
    parts.append(newline + "]")


def _records(items: list | tuple, newline: str, parts: list[str], step: str) -> None:
    """A list whose first item is a dict: each dict with the first's keys in its order (the
    rows of `tally --format json`, of ideas.json) written with their lines' starts made once
    for the list rather than once per row, its other items as `_value` writes them."""
    inner = newline + step
    field = inner + step
    keys = list(items[0])
    heads = (
        [("," if index else "{") + field + encode_basestring(key) + ": " for index, key in enumerate(keys)]
        if keys and set(map(type, keys)) == {str}
        else None
    )
    close = inner + "}"
    separator = "[" + inner
    for item in items:
        parts.append(separator)
        separator = "," + inner
        if heads is None or item.__class__ is not dict or [*item] != keys:
            _value(item, inner, parts, step)
            continue
        _members(heads, item.values(), field, parts, step)
        parts.append(close)
    parts.append(newline + "]")


def _dict(mapping: dict, newline: str, parts: list[str], step: str) -> None:
    if not mapping:
        parts.append("{}")
        return
    inner = newline + step
    if set(map(type, mapping)) != {str}:
        raise _Unusual  # json.dumps writes numbers, booleans and None as keys its own way
    heads = [("," if index else "{") + inner + encode_basestring(key) + ": " for index, key in enumerate(mapping)]
    _members(heads, mapping.values(), inner, parts, step)
    parts.append(newline + "}")


def _members(heads: list[str], values: Iterable[object], inner: str, parts: list[str], step: str) -> None:
    """A dict's values, each after its head (the separator, the key and ': '): text, whole
    numbers and null written here, most of a row's values; the rest as `_value` writes
    them, one line deeper (`inner`). `_dict` and `_records` both write their members so."""
    for head, value in zip(heads, values, strict=True):
        kind = value.__class__
        if kind is str:
            parts.append(head + encode_basestring(value))  # type: ignore[arg-type]
        elif kind is int:
            parts.append(head + int.__repr__(value))
        elif value is None:
            parts.append(head + "null")
        else:
            parts.append(head)
            _value(value, inner, parts, step)
