"""The kinds of option a configuration field can be: what each accepts and how it says no.

In the manner of mkdocs' `config/config_options.py`: a field of `config.Options` names its
kind (`Number(minimum=1)`, `Choice(...)`, `Patterns()`), and the kind alone checks a value
read from YAML and converts it to the field's type. So adding an option is one field, its
check travels with it, and the MkDocs plugin's `config_scheme` is built from the same kinds
(`site/plugin.py`) instead of guessing types from defaults.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class OptionError(ValueError):
    """A value an option does not accept; the message says what was expected and what came."""


class Kind(Generic[T]):
    """One kind of option. `python_type` is the type of the field that holds it."""

    python_type: type = object

    def check(self, value: object) -> T:
        """The value converted to the field's type.

        Raises:
            OptionError: the value is not of this kind.
        """
        raise NotImplementedError


class Flag(Kind[bool]):
    """true or false (YAML 1.1's yes/no/on/off are booleans too, as PyYAML reads them)."""

    python_type = bool

    def check(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise OptionError(f"expected true or false, got {value!r}")
        return value


class Number(Kind[int]):
    """A whole number of at least `minimum` (a half-life of 0 days would divide by zero)."""

    python_type = int

    def __init__(self, minimum: int = 0) -> None:
        self.minimum = minimum

    def check(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise OptionError(f"expected a number of {self.minimum} or more, got {value!r}")
        return value


class Text(Kind[str]):
    """A string (an empty one means "not set" where the field's docstring says so)."""

    python_type = str

    def check(self, value: object) -> str:
        if not isinstance(value, str):
            raise OptionError(f"expected text, got {value!r}")
        return value


class Choice(Kind[str]):
    """One of a closed set of words."""

    python_type = str

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def check(self, value: object) -> str:
        if value not in self.choices:
            raise OptionError(f"expected one of {', '.join(self.choices)}, got {value!r}")
        return str(value)


class Texts(Kind[tuple[str, ...]]):
    """A list of strings, kept as a tuple so that `Options` stays hashable and frozen."""

    python_type = tuple

    def check(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            raise OptionError(f"expected a list of text, got {value!r}")
        for item in value:
            self.check_item(item)
        return tuple(value)

    def check_item(self, item: str) -> None:
        """A further check of each item; none for plain text."""


class Patterns(Texts):
    """Regular expressions with exactly one group each (the pull request number)."""

    def check_item(self, item: str) -> None:
        try:
            groups = re.compile(item).groups
        except re.error as error:
            raise OptionError(f"{item!r} is not a regular expression: {error}") from None
        if groups != 1:
            raise OptionError(f"{item!r} needs exactly one group, the pull request number")


class Pairs(Kind[tuple[tuple[str, str], ...]]):
    """A mapping of text to text (their word: ours), kept as sorted pairs so that `Options`
    stays hashable and frozen."""

    python_type = tuple

    def check(self, value: object) -> tuple[tuple[str, str], ...]:
        items: Any = value.items() if isinstance(value, dict) else value
        try:
            pairs = tuple(sorted((key, ours) for key, ours in items))
        except (TypeError, ValueError):
            raise OptionError(f"expected a set of 'theirs: ours' pairs, got {value!r}") from None
        if not all(isinstance(key, str) and isinstance(ours, str) for key, ours in pairs):
            raise OptionError(f"expected text on both sides of each pair, got {value!r}")
        return pairs


def option(kind: Kind[Any], default: Any) -> Any:
    """A field of `Options`: its default, and the kind that checks what the file gives.

    The default is checked too, so a wrong default fails at import, not in a user's build.
    """
    kind.check(default)
    return dataclasses.field(default=default, metadata={"kind": kind})


def kind_of(field: dataclasses.Field) -> Kind[Any]:
    """The kind declared for an `Options` field."""
    return field.metadata["kind"]
