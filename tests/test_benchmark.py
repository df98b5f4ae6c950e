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
