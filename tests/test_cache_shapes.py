"""The parse and parts caches check the shape of what they loaded (git/parse_cache.py,
git/parts_cache.py): a field of the wrong kind, in any entry, sets the whole file aside.
(Checking a field at a time over every entry, with `set(map(type, ...))`, was measured
too: no quicker than these loops on Python 3.11.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bubbleup.core.file_check import Checked
from bubbleup.core.model import Feedback, Vote
from bubbleup.git import parse_cache, parts_cache

WHEN = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)


def _parts() -> dict[str, Any]:
    """A well-formed parts cache of two ideas, the second with no vote and no date."""
    tally = ({"ann": Vote.UP}, {"acme": Vote.DOWN}, 2, ("other",), date(2026, 9, 1), {"ann": WHEN})
    line = (WHEN, WHEN, ("Ann",), (12,), ((WHEN, "proposed"),), None)
    return {
        "one": ("key-one", (tally, line, [WHEN])),
        "two": ("key-two", (({}, {}, 0, (), None, {}), (None, None, (), (), (), "date unknown"), [])),
    }


def _tally(entry: tuple, at: int, value: object) -> tuple:
    key, (tally, line, crossed) = entry
    return key, ((*tally[:at], value, *tally[at + 1 :]), line, crossed)


def _line(entry: tuple, at: int, value: object) -> tuple:
    key, (tally, line, crossed) = entry
    return key, (tally, (*line[:at], value, *line[at + 1 :]), crossed)


PARTS_DAMAGE: dict[str, Callable[[tuple], object]] = {
    "an entry not a pair": lambda entry: [*entry],
    "an entry of three": lambda entry: (*entry, None),
    "a key not text": lambda entry: (1, entry[1]),
    "parts not a triple": lambda entry: (entry[0], entry[1][:2]),
    "a tally of five fields": lambda entry: (entry[0], (entry[1][0][:5], *entry[1][1:])),
    "votes not a dict": lambda entry: _tally(entry, 0, [Vote.UP]),
    "a vote not a vote": lambda entry: _tally(entry, 0, {"ann": "up"}),
    "a customer's vote not a vote": lambda entry: _tally(entry, 1, {"acme": 1}),
    "feedback not a number": lambda entry: _tally(entry, 2, "2"),
    "merged not a tuple": lambda entry: _tally(entry, 3, ["other"]),
    "created a moment, not a day": lambda entry: _tally(entry, 4, WHEN),
    "a vote cast on a day, not at a moment": lambda entry: _tally(entry, 5, {"ann": date(2026, 9, 1)}),
    "a timeline of five fields": lambda entry: (entry[0], (entry[1][0], entry[1][1][:5], entry[1][2])),
    "created a day": lambda entry: _line(entry, 0, date(2026, 9, 1)),
    "updated text": lambda entry: _line(entry, 1, "2026-10-01"),
    "contributors a list": lambda entry: _line(entry, 2, ["Ann"]),
    "pull requests a list": lambda entry: _line(entry, 3, [12]),
    "status changes a list": lambda entry: _line(entry, 4, []),
    "a label not text": lambda entry: _line(entry, 5, 3),
    "crossings a tuple": lambda entry: (entry[0], (*entry[1][:2], (WHEN,))),
    "a crossing a day": lambda entry: (entry[0], (*entry[1][:2], [date(2026, 9, 1)])),
}


def test_a_well_formed_parts_cache_is_taken() -> None:
    assert parts_cache._well_formed(_parts())
    assert parts_cache._well_formed({})


@pytest.mark.parametrize("slug", ["one", "two"])
@pytest.mark.parametrize("damage", sorted(PARTS_DAMAGE))
def test_a_parts_cache_with_any_field_of_the_wrong_kind_is_set_aside(damage: str, slug: str) -> None:
    kept = _parts()
    kept[slug] = PARTS_DAMAGE[damage](kept[slug])  # type: ignore[assignment]
    assert not parts_cache._well_formed(kept)


def test_a_parts_cache_that_is_not_a_dict_of_text_is_set_aside() -> None:
    assert not parts_cache._well_formed(list(_parts().items()))
    assert not parts_cache._well_formed({1: _parts()["one"]})


def _results() -> dict[str, Any]:
    feedback = Feedback("tea", "ann", Vote.UP, "", "ideas/tea/ann.md", 4)
    return {
        "ideas/tea/ann.md": ("0" * 40, Checked(feedback, (), (1, 1))),
        "ideas/tea.md": ("1" * 40, Checked(None, (), None)),
    }


PARSE_DAMAGE: dict[str, Callable[[tuple], object]] = {
    "an entry not a pair": lambda entry: [*entry],
    "an entry of three": lambda entry: (*entry, None),
    "a blob not text": lambda entry: (b"0" * 40, entry[1]),
    "a result not a result": lambda entry: (entry[0], entry[1].item),
}


@pytest.mark.parametrize("path", ["ideas/tea/ann.md", "ideas/tea.md"])
@pytest.mark.parametrize("damage", sorted(PARSE_DAMAGE))
def test_a_parse_cache_with_any_field_of_the_wrong_kind_is_set_aside(damage: str, path: str) -> None:
    kept = _results()
    assert parse_cache._well_formed(kept) and parse_cache._well_formed({})
    kept[path] = PARSE_DAMAGE[damage](kept[path])
    assert not parse_cache._well_formed(kept)
    assert not parse_cache._well_formed({1: _results()[path]})
    assert not parse_cache._well_formed(list(_results().items()))


def _groups() -> dict[str, Any]:
    """Well-formed groups of an idea folder's plain vote files: names, blobs, feedback, asked."""
    feedback = Feedback("tea", "ann", Vote.UP, "", "ideas/tea/ann.md", 4)
    return {"ideas/tea": (["ann.md"], ["0" * 40], [feedback], ['[["in","ann",true]]'])}


GROUP_DAMAGE: dict[str, Callable[[tuple], object]] = {
    "a group not a tuple": lambda group: [*group],
    "a group of three columns": lambda group: group[:3],
    "a column not a list": lambda group: (tuple(group[0]), *group[1:]),
    "columns of two lengths": lambda group: (group[0], [*group[1], "1" * 40], *group[2:]),
    "a name not text": lambda group: ([b"ann.md"], *group[1:]),
    "a name with a folder": lambda group: (["x/ann.md"], *group[1:]),
    "a blob not text": lambda group: (group[0], [None], *group[2:]),
    "a feedback not a feedback": lambda group: (*group[:2], [Checked(group[2][0], (), (1, 1))], group[3]),
    "an answer not text": lambda group: (*group[:3], [None]),
}


@pytest.mark.parametrize("damage", sorted(GROUP_DAMAGE))
def test_a_parse_cache_with_any_group_of_the_wrong_shape_is_set_aside(damage: str) -> None:
    assert parse_cache._well_formed_cache((_results(), _groups())) and parse_cache._well_formed_cache(({}, {}))
    groups = _groups()
    groups["ideas/tea"] = GROUP_DAMAGE[damage](groups["ideas/tea"])
    assert not parse_cache._well_formed_cache((_results(), groups))
    assert not parse_cache._well_formed_cache((_results(), {1: _groups()["ideas/tea"]}))
    assert not parse_cache._well_formed_cache(_results())  # the format before groups
    assert not parse_cache._well_formed_cache([_results(), _groups()])
