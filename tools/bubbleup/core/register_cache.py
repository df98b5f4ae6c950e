"""The roster and the campaigns as the last command read them, kept in the cache folder for
the next one (core/registers.py keeps them in memory, which serves the preview server).

Parsing people.yml took 0.08 CPU s of every one-vote rebuild at 5,000 ideas (1,000
people), though it had not changed. What `registers` makes of a register is a function of
its kind, its path, its text and the code of `core/` (with PyYAML, which reads it): so it
is kept with its text, under a digest of that code, and taken back only while the text is
the same, character for character.

A pickle, like the parse cache (git/parse_cache.py) and for the same reasons: it is only
ever read from the project's own cache folder, unpickling is restricted to the classes a
register is made of, and what it loaded is checked for its shape; a damaged, truncated or
foreign file is set aside, and the registers are only parsed again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from bubbleup.core import caches, registers
from bubbleup.core.model import Campaign, Person, Problem

FORMAT = b"bubbleup registers 1\n"
NAME = "registers.pickle"
_VALUES = {"roster": Person, "campaigns": Campaign}
"""What each kind of register holds, by name."""


class _Unpickler(caches.Restricted):
    """Builds only what a register is made of: anything else is a foreign file."""

    allowed = frozenset(
        {
            ("datetime", "date"),
            *(("bubbleup.core.model", name) for name in ("Person", "Campaign", "Problem", "Severity")),
        }
    )
    what = "the registers cache"


def _code() -> bytes:
    """The version of the code that reads a register: Bubbleup's core and PyYAML."""
    digest = hashlib.sha256(caches.versions(("bubbleup", "PyYAML")).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest().encode()


class RegisterCache:
    """What the last command read of the registers, given back to `registers` when made
    (None: no cache folder, nothing is read or kept)."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.path = cache_dir / NAME if cache_dir is not None else None
        self.code = _code() if self.path is not None else b""
        self.restored = self._read()
        registers.remember(self.restored)

    def save(self) -> None:
        """Keep what `registers` read, if it is not exactly what was given back."""
        read = registers.remembered()
        restored = self.restored
        if self.path is None or (read.keys() == restored.keys() and all(read[key] is restored[key] for key in read)):
            return
        caches.write_pickle(self.path, FORMAT + self.code + b"\n", read)

    def _read(self) -> dict[tuple[str, str], registers.Read]:
        kept = caches.read_pickle(self.path, FORMAT + self.code + b"\n", _Unpickler)
        return kept if _well_formed(kept) else {}


def _well_formed(kept: Any) -> bool:
    """Registers by kind and path, each with its text, what it holds and its problems."""
    if kept.__class__ is not dict:
        return False
    for where, entry in kept.items():
        if where.__class__ is not tuple or len(where) != 2 or where[0] not in _VALUES or where[1].__class__ is not str:
            return False
        if entry.__class__ is not tuple or len(entry) != 2 or entry[0].__class__ is not str:
            return False
        found = entry[1]
        if found.__class__ is not tuple or len(found) != 2 or found[1].__class__ is not tuple:
            return False
        value, problems = found
        if not set(map(type, problems)) <= {Problem}:
            return False
        if value is not None and (value.__class__ is not dict or not set(map(type, value)) <= {str}):
            return False
        if value is not None and not set(map(type, value.values())) <= {_VALUES[where[0]]}:
            return False
    return True
