"""Golden cases: each tests/cases/<name>/ holds an ideas/ tree and the problems check must report."""

from __future__ import annotations

from pathlib import Path

import pytest

from bubbleup.core.loader import load

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_case(case: str) -> None:
    folder = CASES / case
    catalog = load(folder, folder / "ideas")
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [str(problem) for problem in catalog.problems] == expected


def test_every_case_reports_something_but_the_valid_one() -> None:
    for folder in CASES.iterdir():
        lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert bool(lines) == (folder.name != "valid"), folder.name


def test_valid_case_loads_every_field() -> None:
    catalog = load(CASES / "valid", CASES / "valid" / "ideas")
    idea = catalog.ideas["good-idea"]
    assert idea.title == "A good idea"
    assert idea.status.value == "planned"
    assert idea.decision is not None and idea.decision.by == "bob" and idea.decision.reason == "Everyone asked for it."
    assert idea.tags == ("customers",) and idea.campaign == "customer-first"
    assert idea.visibility.value == "public" and idea.created.isoformat() == "2026-11-02"
    assert idea.text.startswith("## Problem\n") and idea.text_line == 15
    customer = [f for f in catalog.feedback if f.customer]
    assert [(f.customer, f.handle, f.vote.value) for f in customer] == [("acme-corp", "bob", "up")]


def test_broken_ideas_are_left_out_and_their_feedback_with_them() -> None:
    catalog = load(CASES / "untrusted", CASES / "untrusted" / "ideas")
    # HTML in a body is removed or shown as text with a warning, so the idea stays;
    # HTML in a title is an error, so that idea is left out.
    assert list(catalog.ideas) == ["hostile"]
    assert [item.path for item in catalog.feedback] == ["ideas/hostile/ann.md"]
    assert catalog.left_out == ("ideas/html-title.md",)
