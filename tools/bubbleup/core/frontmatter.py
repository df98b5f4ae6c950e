"""Split a Markdown file into YAML front matter and body, keeping every line number.

Why not python-frontmatter or mkdocs' `get_data`: both strip the text (losing the body's
first line) and mkdocs swallows YAML errors. We need the line of every key to report
problems where they are, duplicate keys (which YAML libraries silently merge), and the
exact spelling of each scalar to explain YAML 1.1 surprises (`vote: no` is `False`).

Parsing uses libyaml's composer when it is installed (ten times faster than pure Python
on thousands of files) and builds values from the node tree ourselves.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

TAG_PREFIX = "tag:yaml.org,2002:"
_SCALAR_KINDS = ("str", "bool", "int", "float", "null", "timestamp")


@dataclass(frozen=True)
class Node:
    """A YAML value with where it was written and how.

    Attributes:
        value: a scalar as YAML built it, a `dict[str, Node]` for a mapping, or a
            `list[Node]` for a sequence.
        line: 1-based line in the file.
        kind: the YAML type: str, bool, int, float, null, timestamp, map or seq.
        text: the scalar exactly as written (`no`, `2026-01-02`), for messages.
        quoted: whether the scalar was written in quotes (or as a block).
    """

    value: Any
    line: int
    kind: str
    text: str = ""
    quoted: bool = False

    def plain(self) -> Any:
        """The value without positions: dicts, lists and scalars."""
        if self.kind == "map":
            return {key: node.plain() for key, node in self.value.items()}
        if self.kind == "seq":
            return [node.plain() for node in self.value]
        return self.value


@dataclass(frozen=True)
class Span:
    """Where one top-level key is written in the YAML text, as character offsets.

    Attributes:
        key_start: where the key begins.
        key_end: where the key ends.
        value_start: where its value begins (equal to `value_end` for an empty value).
        value_end: where its value ends, trailing comments of a block not included.
        inline: the value is one plain or quoted scalar on the key's own line, so it can be
            replaced alone and a comment after it stays.
    """

    key_start: int
    key_end: int
    value_start: int
    value_end: int
    inline: bool


@dataclass(frozen=True)
class Layout:
    """How the front matter is written: what the editor needs to change one key in place.

    Attributes:
        opening: the opening `---` line as written, with its line ending.
        source: the YAML text between the two fences.
        closing: the closing line (`---` or `...`) as written.
        flow: whether the mapping is written in braces (`{title: F, authors: [a]}`).
        start: where the mapping begins in `source`.
        end: where it ends (for braces, just after the closing `}`).
        spans: the top-level keys, in the order written.
    """

    opening: str
    source: str
    closing: str
    flow: bool = False
    start: int = 0
    end: int = 0
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """A parsed Markdown file.

    Attributes:
        fields: the top-level keys of the front matter; empty if there is none.
        key_lines: the line of each top-level key (and of `parent.child` keys).
        has_front_matter: whether the file starts with a `---` line.
        body: the text after the front matter, byte for byte.
        body_line: the line on which the body starts.
        problems: (line, message) for duplicate keys and aliases; the parse went on.
        layout: where each part is written, for editing; None without front matter.
    """

    fields: dict[str, Node]
    key_lines: dict[str, int]
    has_front_matter: bool
    body: str
    body_line: int
    problems: list[tuple[int, str]] = field(default_factory=list)
    layout: Layout | None = None


class FrontMatterError(Exception):
    """The front matter cannot be read at all (unclosed, or invalid YAML)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def lines_of(text: str) -> list[str]:
    """Lines ending at "\n" only, as editors and Git count them (not at form feeds or U+2028).

    Every line number Bubbleup reports, and every line the editor replaces, is counted
    this way, so that the reader and the editor never disagree about where a line ends.
    """
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def sections(text: str) -> tuple[str, str | None, str, str, int]:
    """Return (opening line, YAML text or None, closing line, body, line of the body's first line).

    The four texts joined give back `text` exactly.

    Raises:
        FrontMatterError: the front matter is opened but never closed.
    """
    lines = lines_of(text)
    if not lines or lines[0].rstrip() != "---":
        return "", None, "", text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return lines[0], "".join(lines[1:index]), lines[index], "".join(lines[index + 1 :]), index + 2
    raise FrontMatterError(
        1, "front matter opened with '---' on line 1 is never closed: add a line '---' after the last key"
    )


def split(text: str) -> tuple[str | None, str, int]:
    """Return (YAML text or None, body, line of the body's first line)."""
    _, source, _, body, body_line = sections(text)
    return source, body, body_line


def parse(text: str) -> Document:
    """Parse a Markdown file with optional YAML front matter.

    Raises:
        FrontMatterError: the front matter is unclosed, is not valid YAML, or is not a mapping.
    """
    opening, source, closing, body, body_line = sections(text)
    if source is None:
        return Document({}, {}, False, body, body_line)
    builder = _Builder(first_line=2)
    root = builder.compose(source)
    if root is None:
        layout = Layout(opening, source, closing, start=len(source), end=len(source))
        return Document({}, {}, True, body, body_line, layout=layout)
    if not isinstance(root, yaml.MappingNode):
        raise FrontMatterError(
            builder.line_of(root), "front matter must be a set of 'key: value' lines, found a single value or a list"
        )
    fields = builder.mapping(root, prefix="")
    layout = Layout(
        opening,
        source,
        closing,
        flow=bool(root.flow_style),
        start=root.start_mark.index,
        end=root.end_mark.index,
        spans=builder.spans(root),
    )
    return Document(fields, builder.key_lines, True, body, body_line, builder.problems, layout)


def parse_yaml(source: str) -> tuple[Node | None, dict[str, int], list[tuple[int, str]]]:
    """Parse a whole YAML file (such as the roster) into nodes, with key lines and problems."""
    builder = _Builder(first_line=1)
    root = builder.compose(source)
    if root is None:
        return None, {}, []
    return builder.node(root), builder.key_lines, builder.problems


def scalar_text(text: str, key: str, default: str) -> str:
    """A top-level key's value as written (`up`, `planned`), or `default` when the file, its
    front matter or the key cannot be read: for past versions of a file, which must never stop
    a command, read with the same splitting and YAML as the current one. Only the node tree
    is composed (no values built, no spans), since history asks this of every version."""
    try:
        source = sections(text)[1]
        root = _Builder(first_line=2).compose(source) if source is not None else None
    except FrontMatterError:
        return default
    if not isinstance(root, yaml.MappingNode):
        return default
    for key_node, value_node in root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            if not isinstance(value_node, yaml.ScalarNode) or value_node.tag == TAG_PREFIX + "null":
                return default
            return str(value_node.value).strip() or default
    return default


MAX_DEPTH = 16
"""How deeply values may nest. The deepest key Bubbleup reads is four levels down
(decision.scores.<reviewer>.<criterion>); a limit keeps hostile files such as 500 nested
brackets from exhausting Python's stack in every command."""


class _Builder:
    """Turns a composed YAML node tree into `Node`s; refuses aliases (no billion laughs)."""

    def __init__(self, first_line: int):
        self.first_line = first_line
        self.key_lines: dict[str, int] = {}
        self.problems: list[tuple[int, str]] = []
        self.source = ""
        self.breaks: list[int] = []  # where each line of `source` ends: line numbers by bisection

    def line_at(self, index: int) -> int:
        """The file line of a character offset: YAML also breaks lines at U+2028 and friends."""
        return self.first_line + bisect_left(self.breaks, index)  # a count per node was quadratic

    def line_of(self, node: yaml.Node) -> int:
        return self.line_at(node.start_mark.index)

    def compose(self, source: str) -> yaml.Node | None:
        self.source = source
        self.breaks = [match.start() for match in re.finditer("\n", source)]
        loader = _Loader(source)
        try:
            return loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = self.line_at(mark.index) if mark else self.first_line
            what = error.problem or error.context or "invalid YAML"
            column = f" (column {mark.column + 1})" if mark else ""
            raise FrontMatterError(line, f"invalid YAML: {what}{column}") from None
        except yaml.reader.ReaderError as error:  # control characters and the like
            character = error.character
            code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
            raise FrontMatterError(
                self.line_at(error.position), f"invalid YAML: {error.reason} (character U+{code:04X}); remove it"
            ) from None
        except yaml.YAMLError as error:
            raise FrontMatterError(self.first_line, f"invalid YAML: {' '.join(str(error).split())}") from None
        except RecursionError:  # only the pure-Python composer recurses; libyaml stops at 1,000 levels
            raise FrontMatterError(
                self.first_line, f"values nest too deeply; at most {MAX_DEPTH} levels of brackets or indentation"
            ) from None
        finally:
            loader.dispose()

    def too_deep(self, node: yaml.Node, depth: int) -> bool:
        """Whether `node` lies deeper than MAX_DEPTH, noted as a problem once per value."""
        if depth <= MAX_DEPTH:
            return False
        self.problems.append(
            (self.line_of(node), f"values nest more than {MAX_DEPTH} levels deep here; flatten the value")
        )
        return True

    def node(self, node: yaml.Node, seen: set[int] | None = None, depth: int = 1) -> Node:
        seen = set() if seen is None else seen
        if id(node) in seen:
            self.problems.append((self.line_of(node), "YAML anchors and aliases (& and *) are not allowed here"))
            return Node(None, self.line_of(node), "null")
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and self.too_deep(node, depth):
            return Node(None, self.line_of(node), "null")
        if isinstance(node, yaml.MappingNode):
            seen.add(id(node))
            return Node(self.mapping(node, "", seen, depth), self.line_of(node), "map")
        if isinstance(node, yaml.SequenceNode):
            seen.add(id(node))
            return Node([self.node(item, seen, depth + 1) for item in node.value], self.line_of(node), "seq")
        assert isinstance(node, yaml.ScalarNode)  # the YAML composer makes only these three kinds of node
        kind = node.tag[len(TAG_PREFIX) :] if node.tag.startswith(TAG_PREFIX) else "str"
        if kind not in _SCALAR_KINDS:  # explicit tags such as !!binary or !custom: keep the text
            return Node(node.value, self.line_of(node), "str", node.value, bool(node.style))
        try:
            value = _constructor.construct_object(node)
        except Exception:  # noqa: BLE001 - a timestamp like 2026-13-45, or !!int "" : keep the text
            value, kind = node.value, "str"
        return Node(value, self.line_of(node), kind, node.value, bool(node.style))

    def mapping(
        self, node: yaml.MappingNode, prefix: str, seen: set[int] | None = None, depth: int = 1
    ) -> dict[str, Node]:
        seen = set() if seen is None else seen
        seen.add(id(node))
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            line = self.line_of(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append((line, "keys must be plain words, not lists or mappings"))
                continue
            key = str(key_node.value)
            if key in result:
                first = self.key_lines.get(prefix + key, result[key].line)
                self.problems.append((line, f"duplicate key '{prefix}{key}': it is already set on line {first}"))
                continue
            self.key_lines.setdefault(prefix + key, line)
            if id(value_node) in seen:
                self.problems.append((line, f"'{prefix}{key}': YAML aliases (*name) are not allowed here"))
                continue
            if isinstance(value_node, yaml.MappingNode) and not self.too_deep(value_node, depth + 1):
                seen.add(id(value_node))
                value = Node(self.mapping(value_node, f"{prefix}{key}.", seen, depth + 1), line, "map")
            else:
                value = self.node(value_node, seen, depth + 1)
            if value.kind in ("map", "seq") and value.line != line:
                value = replace(value, line=line)  # a block on the next lines: point at its key
            result[key] = value
        return result

    def spans(self, root: yaml.MappingNode) -> dict[str, Span]:
        """Where each top-level key and its value are written (the first of duplicates)."""
        found: dict[str, Span] = {}
        for key_node, value_node in root.value:
            start, end = value_node.start_mark.index, self.content_end(value_node)
            inline = (
                isinstance(value_node, yaml.ScalarNode)
                and value_node.style in (None, "", "'", '"')  # libyaml writes "" for plain
                and start < end
                and "\n" not in self.source[key_node.start_mark.index : end]
            )
            key = str(key_node.value)
            found.setdefault(
                key, Span(key_node.start_mark.index, key_node.end_mark.index, start, max(start, end), inline)
            )
        return found

    def content_end(self, node: yaml.Node) -> int:
        """Where a value's text ends: a block collection's end mark also covers the comments
        and blank lines after it, which belong to whatever follows."""
        while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(last, tuple) else last
        end = node.end_mark.index
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            end = len(self.source[:end].rstrip(" \t\r\n"))
        return end


class _Dumper(yaml.SafeDumper):
    """Writes a string that holds a line break (\\n, U+0085, U+2028...) in double quotes with
    escapes, so that every value stays on one line and the editor's line counting holds."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(mark in value for mark in "\n\r\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_value(value: Any, *, flow: bool = False) -> str:
    """One YAML value on one line, quoted wherever YAML would misread it ('no', '2026').

    With `flow`, the value is written to sit inside braces or brackets, where a comma or
    a bracket in a plain value would end it early.
    """
    data = [value] if flow else value
    written = yaml.dump(data, Dumper=_Dumper, default_flow_style=True, allow_unicode=True, width=1_000_000_000)
    written = written.removesuffix("...\n").rstrip("\n")
    return written[1:-1] if flow else written


def render_value(key: str, value: Any) -> str:
    """`key: value` as YAML lines: mappings as blocks, lists in brackets, scalars on one line."""
    if isinstance(value, dict):
        return f"{key}:\n" + "".join(f"  {name}: {dump_value(item)}\n" for name, item in value.items())
    return f"{key}: {dump_value(value)}\n"
