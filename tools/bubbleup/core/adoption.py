"""Reading an existing folder of proposals as ideas: their keys and statuses, in our words.

A team adopting Bubbleup has proposals already, with headers of their own (`status: Final`,
`author: Jane Doe <jane@example.com>`, `discussions-to: ...`). The configuration maps their
statuses and keys to ours and declares the keys to keep (`status_map`, `key_map`,
`extra_keys`); this module applies that mapping to a file's fields before validation, so
the folder reads without a flood of errors and without rewriting a single file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bubbleup.core.frontmatter import Node

_EMAIL = re.compile(r"<?([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>?")


@dataclass(frozen=True)
class Adoption:
    """The mapping from the configuration (empty: ideas are read as written)."""

    statuses: tuple[tuple[str, str], ...] = ()
    keys: tuple[tuple[str, str], ...] = ()
    extra: tuple[str, ...] = ()

    def rename(self, fields: dict[str, Node]) -> tuple[dict[str, Node], set[str]]:
        """Their keys renamed to ours (a key of ours already present wins), and which of
        our keys came through the map."""
        mapped = {theirs.lower(): ours for theirs, ours in self.keys}
        renamed: dict[str, Node] = {}
        through: set[str] = set()
        for key, node in fields.items():
            ours = mapped.get(key.lower())
            if ours is not None and ours not in fields:
                renamed[ours] = node
                through.add(ours)
            else:
                renamed.setdefault(key, node)
        return renamed, through

    def metadata(self, fields: dict[str, Node]) -> tuple[tuple[str, str], ...]:
        """The declared extra keys' values, as text to show; they are taken out of `fields`."""
        found = []
        for key in self.extra:
            node = fields.pop(key, None)
            if node is None:
                continue
            values = node.value if node.kind == "seq" else [node]
            text = ", ".join(" ".join(str(item.value).split()) for item in values if item.kind != "map")
            if text:
                found.append((key, text))
        return tuple(found)

    def status(self, value: str) -> str | None:
        """Our status for one of theirs, or None when the map does not name it."""
        wanted = value.strip().lower()
        return next((ours for theirs, ours in self.statuses if theirs.lower() == wanted), None)


NO_ADOPTION = Adoption()


def author_name(text: str) -> tuple[str, str | None]:
    """A free-text author as a name to show and an email to match against the roster:
    'Jane Doe <jane@example.com>' is ('Jane Doe', 'jane@example.com'). The email is never shown."""
    email = _EMAIL.search(text)
    name = " ".join(_EMAIL.sub("", text).replace("()", "").split()).strip(" ,;") if email else " ".join(text.split())
    return (name or (email.group(1).split("@")[0] if email else text.strip())), (
        email.group(1).lower() if email else None
    )
