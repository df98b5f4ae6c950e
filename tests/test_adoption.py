"""An existing folder of proposals with headers of its own, read through the configuration's
mapping (status_map, key_map, extra_keys) without rewriting a file."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.core.adoption import Adoption, author_name
from bubbleup.core.config import OptionProblem, Options
from bubbleup.core.frontmatter import parse
from bubbleup.core.model import Status
from bubbleup.core.validate import idea
from conftest import GitRepo

ADOPTED = """\
  - bubbleup:
      status_map: {Final: done, Accepted: planned, Draft: proposed, Rejected: declined}
      key_map: {author: authors, created-on: created}
      extra_keys: [discussions-to, pep]
"""

PEP_LIKE = """\
---
pep: 9001
title: A better import system
author: Jane Doe <jane@example.com>, Bob Example <bob@example.com>
status: Final
created-on: 2020-01-02
discussions-to: https://discuss.example.com/t/9001
---
## Abstract

Imports that are fast.
"""


def test_a_header_of_their_own_reads_through_the_mapping() -> None:
    adoption = Adoption((("Final", "done"),), (("author", "authors"),), ("discussions-to", "pep"))
    text = PEP_LIKE.replace(
        "author: Jane Doe <jane@example.com>, Bob Example <bob@example.com>",
        "author: [Jane Doe <jane@example.com>, bob]",
    )
    result, problems = idea("ideas/better-imports.md", "better-imports", parse(text), None, adoption=adoption)
    assert result is not None, problems
    assert result.status is Status.DONE and result.decision is None
    assert result.author_names == ("Jane Doe",) and result.authors == ("bob",)
    assert result.metadata == (("discussions-to", "https://discuss.example.com/t/9001"), ("pep", "9001"))
    assert [p.message for p in problems] == ["unknown key 'created-on' is ignored; did you mean 'created'?"]


def test_without_the_mapping_the_same_file_has_errors() -> None:
    result, problems = idea("ideas/better-imports.md", "better-imports", parse(PEP_LIKE), None)
    assert result is None
    assert any("status: expected one of" in p.message for p in problems)


def test_author_names_keep_the_name_and_drop_the_email() -> None:
    assert author_name("Jane Doe <jane@example.com>") == ("Jane Doe", "jane@example.com")
    assert author_name("jane@example.com") == ("jane", "jane@example.com")
    assert author_name("  Guido  van Rossum ") == ("Guido van Rossum", None)


def test_the_options_check_their_pairs() -> None:
    options = Options.from_mapping({"status_map": {"Final": "done"}, "extra_keys": ["pep"]})
    assert options.status_map == (("Final", "done"),)
    with pytest.raises(OptionProblem, match="status_map"):
        Options.from_mapping({"status_map": ["Final"]})
    with pytest.raises(OptionProblem, match="text on both sides"):
        Options.from_mapping({"status_map": {"Final": True}})


@pytest.mark.slow  # a real mkdocs build
def test_an_adopted_folder_builds_with_names_and_metadata(site_repo: GitRepo) -> None:
    config = site_repo.root / "mkdocs.yml"
    text = config.read_text().replace("  - bubbleup\n", ADOPTED)
    roster = (site_repo.root / "ideas/people.yml").read_text()
    site_repo.commit(
        {
            "mkdocs.yml": text,
            "ideas/people.yml": roster,
            "ideas/better-imports.md": PEP_LIKE.replace(", Bob Example <bob@example.com>", "").replace(
                "author: Jane Doe <jane@example.com>",
                "author: [Jane Doe <jane@example.com>, Bob Example <bob@example.com>]",
            ),
        },
        "adopt",
    )
    runner = CliRunner()
    checked = runner.invoke(cli, ["-f", str(config), "check"])
    assert checked.exit_code == 0 and checked.output.startswith("No problems"), checked.output
    assert runner.invoke(cli, ["-f", str(config), "build"]).exit_code == 0
    page = (site_repo.root / "site/ideas/better-imports/index.html").read_text()
    facts = " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())
    assert "proposed by Bob Example, Jane Doe" in facts  # Bob matched to the roster by his email
    assert "discussions-to: https://discuss.example.com/t/9001" in facts and "pep: 9001" in facts
    assert "jane@example.com" not in page
