"""Where things are in a YAML node tree (mkdocs.yml's): the line of a key, and a key
set twice, which YAML libraries keep silently, the last one winning."""

from __future__ import annotations

import yaml


def line_of(node: yaml.Node | None, keys: tuple[str | int, ...]) -> int | None:
    """The line of the last key in `keys` (or of the nearest mapping that holds it)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in keys:
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        elif isinstance(node, yaml.MappingNode):
            pairs = [(name, value) for name, value in node.value if getattr(name, "value", None) == key]
            if not pairs:
                return line
            line, node = pairs[0][0].start_mark.line + 1, pairs[0][1]
        else:
            return line
    return line


def repeated_key(node: yaml.Node | None) -> tuple[int, str, int] | None:
    """The first key set twice in one mapping (its line, its dotted name, the line of its
    first setting): YAML libraries, mkdocs' too, keep the last silently, so a second
    `plugins:` would drop the bubbleup plugin of the first without a word. A node that
    aliases reach more than once is looked at once (an alias may even hold itself)."""
    pending: list[tuple[yaml.Node, str]] = [(node, "")] if node is not None else []
    visited: set[int] = set()
    while pending:
        current, prefix = pending.pop()
        if id(current) in visited:
            continue
        visited.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            pending += [(item, prefix) for item in reversed(current.value)]
        elif isinstance(current, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key, _ in current.value:
                name = key.value if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge" else None
                line = key.start_mark.line + 1
                if name is not None and name in seen:
                    return line, prefix + str(name), seen[name]
                if name is not None:
                    seen[name] = line
            pending += [(value, f"{prefix}{getattr(key, 'value', '')}.") for key, value in reversed(current.value)]
    return None
