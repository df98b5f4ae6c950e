"""How the objects of two builds of one process are compared, and a dataclass written
out, for the digests of the generated pages (site/recipes.py).

Under the preview, an unchanged idea's tally, timeline and feedback are the very same
objects from one build to the next (git/carry.py, core/resident.py): a page whose objects
are the same ones has the same digest, and comparing them by identity is much quicker
than writing them out again. Objects are compared by identity, not equality (two equal
dicts in another order are written out differently); strings and integers by value.
"""

from __future__ import annotations

import dataclasses
from typing import Any


def identical(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new, strict=True))


def same(old: object, new: object) -> bool:
    """The very same object, or a string or integer of the same value."""
    return old is new or (type(old) is type(new) and type(old) in (str, int) and old == new)


def field_values(item: object) -> tuple[object, ...]:
    """A dataclass's field values, for a digest: several times quicker to write out than
    the object."""
    attributes = getattr(item, "__dict__", None)
    if attributes is not None:
        return tuple(attributes.values())
    return tuple(getattr(item, name) for name in field_names(type(item)))


_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(kind: type) -> tuple[str, ...]:
    found = _NAMES.get(kind)
    if found is None:
        found = _NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return found


def shallow_same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """`same`, and dicts, lists and tuples whose keys and items are, in the same
    order, and dataclasses whose fields are."""
    return len(old) == len(new) and all(
        same(a, b) or _same_float(a, b) or _same_items(a, b) or _same_fields(a, b)
        for a, b in zip(old, new, strict=True)
    )


def _same_fields(old: object, new: object) -> bool:
    """Two dataclasses of one kind whose fields are the same (a threshold made again)."""
    if type(old) is not type(new) or not dataclasses.is_dataclass(old):
        return False
    return all(same(a, b) or _same_float(a, b) for a, b in zip(field_values(old), field_values(new), strict=True))


def _same_float(old: object, new: object) -> bool:
    return type(old) is float and type(new) is float and repr(old) == repr(new)


def _same_items(old: Any, new: Any) -> bool:
    if type(old) is not type(new) or type(old) not in (dict, list, tuple) or len(old) != len(new):
        return False
    if isinstance(old, dict):
        return all(identical(a, b) for a, b in zip(old.items(), new.items(), strict=True))
    return all(same(a, b) for a, b in zip(old, new, strict=True))
