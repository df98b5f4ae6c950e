"""The benchmark's synthetic repositories are real and valid: they are what the figures
in docs/performance.md were measured on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from generate import generate  # noqa: E402

pytestmark = pytest.mark.slow  # generates synthetic repositories


def head(repo: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_pack_writer_and_fast_import_make_the_same_repository(tmp_path: Path) -> None:
    own = generate(tmp_path / "pack", ideas=60, votes=400, commits=500)
    imported = generate(tmp_path / "fast-import", ideas=60, votes=400, commits=500, fast_import=True)
    assert own == imported and own["commits"] == 500 and own["merges"] > 0
    assert head(tmp_path / "pack") == head(tmp_path / "fast-import")
    subprocess.run(
        ["git", "-C", str(tmp_path / "pack"), "fsck", "--strict", "--no-progress"], check=True, capture_output=True
    )


def test_a_synthetic_repository_checks_clean_and_has_pull_requests(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    generate(repo, ideas=80, votes=600, commits=800)
    config = str(repo / "mkdocs.yml")
    assert CliRunner().invoke(cli, ["-f", config, "check"]).exit_code == 0
    history = CliRunner().invoke(cli, ["-f", config, "history", "--format", "json"]).stdout
    assert '"pull_requests": [\n' in history  # some idea was touched by a numbered pull request
    count = subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"], capture_output=True, text=True)
    assert int(count.stdout) == 800


def test_the_benchmark_pull_request_is_a_clean_one_that_the_scoped_check_sees(tmp_path: Path) -> None:
    from large import fresh_clone, pull_request

    repo = tmp_path / "repo"
    generate(repo, ideas=40, votes=300, commits=300)
    clone = fresh_clone(repo)
    pull_request(clone)
    config = str(clone / "mkdocs.yml")
    checked = CliRunner().invoke(cli, ["-f", config, "check", "--changed-since", "main"])
    assert checked.exit_code == 0, checked.output
    review = CliRunner().invoke(cli, ["-f", config, "review", "--base", "main"])
    assert review.exit_code == 0, review.output
    assert "A shared calendar for meeting rooms" in review.output  # the proposal is in the summary
    assert "Revised: " in review.output  # and the retitled idea
    changed = subprocess.run(
        ["git", "-C", str(clone), "diff", "--name-status", "main"], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert sum(line.startswith("A\t") for line in changed) == 2 and sum(line.startswith("M\t") for line in changed) == 1
