"""Reproductions of issue 12, each on a real Git repository: what a hostile colleague or a
careless edit did, and the clear message or right result it must give now."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo, idea


def bubbleup(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


@pytest.mark.slow  # a real mkdocs build
def test_ideas_dated_decades_apart_build_with_readable_insights(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/old.md": idea("Old", extra="created: 1990-01-01\n"),
            "ideas/far.md": idea("Far", extra="created: 9999-12-01\n"),
            "ideas/now.md": idea("Now", extra="created: 2026-10-01\n"),
        }
    )
    result = bubbleup(site_repo, "build")
    assert result.exit_code == 0, result.output
    page = (site_repo.root / "docs/ideas/insights.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| 1990-01 |") or line.startswith("| 9999-12 |")]
    assert len(rows) == 2 and page.count("\n| ") < 60  # only the months with ideas: no 96,000 empty rows
    assert (site_repo.root / "site/ideas/insights/index.html").is_file()
