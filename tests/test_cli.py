"""The command line through Click's runner: output formats, exit codes, no tracebacks."""

from __future__ import annotations

import csv
import gc
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli, every_command
from conftest import ROSTER, GitRepo, idea, vote, write

ROOT = Path(__file__).parent.parent


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["-f", str(root / "mkdocs.yml"), *args])


@pytest.fixture
def ideas(tmp_path: Path) -> Path:
    """A folder with three ideas and their votes (no Git history)."""
    write(
        tmp_path,
        {
            "mkdocs.yml": "site_name: Test\n",
            "ideas/people.yml": ROSTER,
            "ideas/alpha.md": idea("Alpha | first", extra="tags: [x]\ncreated: 2026-01-01\n"),
            "ideas/alpha/ann.md": vote("up"),
            "ideas/alpha/bob.md": vote("up", "Yes.\n"),
            "ideas/beta.md": idea(
                "Beta",
                "[bob]",
                extra="status: planned\ndecision: {by: ann, date: 2026-02-01, reason: Go.}\ncreated: 2026-03-01\n",
            ),
            "ideas/beta/cat.md": vote("down", "No.\n"),
            "ideas/gamma.md": idea("Gamma", extra="tags: [x, y]\ncreated: 2026-02-01\n"),
        },
    )
    return tmp_path


def test_check_passes_clean_input(ideas: Path) -> None:
    result = run(ideas, "check")
    assert result.exit_code == 0
    assert result.output == "No problems (3 valid ideas, 3 feedback files).\n"


def test_check_lists_every_problem_sorted_then_a_count(ideas: Path) -> None:
    write(
        ideas,
        {
            "ideas/zeta.md": idea("Zeta", extra="priority: high\n"),
            "ideas/alpha/dan.md": vote("no"),
            "ideas/beta.md": "---\ntitle: [\n---\n",
        },
    )
    result = run(ideas, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines == [
        "ideas/alpha/dan.md:1: error: file name: 'dan' is not in the roster; a feedback file is named after its author's handle",
        "ideas/alpha/dan.md:2: error: vote: expected one of up, down, none; got no, which YAML reads as false",
        "ideas/beta.md:3: error: invalid YAML: did not find expected node content (column 1)",
        "ideas/zeta.md:4: warning: unknown key 'priority' is ignored; expected one of title, authors, status, tags, campaign, visibility, created, decision, duplicate-of",
        "3 errors, 1 warning (3 valid ideas, 2 feedback files)",
    ]


def test_check_json_has_the_same_problems(ideas: Path) -> None:
    write(ideas, {"ideas/zeta.md": idea("Zeta", extra="priority: high\n"), "ideas/alpha/dan.md": vote("no")})
    text = run(ideas, "check").output.splitlines()[:-1]
    result = run(ideas, "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [f"{p['path']}:{p['line']}: {p['severity']}: {p['message']}" for p in report["problems"]] == text
    assert (report["errors"], report["warnings"], report["ideas"]) == (2, 1, 4)


def test_warnings_pass_unless_strict(ideas: Path) -> None:
    write(ideas, {"ideas/zeta.md": idea("Zeta", extra="priority: high\n")})
    assert run(ideas, "check").exit_code == 0
    assert run(ideas, "check", "--strict").exit_code == 1


def test_tally_json_has_the_documented_fields(ideas: Path) -> None:
    result = run(ideas, "tally", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["slug"] for r in rows] == ["alpha", "gamma", "beta"]  # +2, then 0 (newer first), then -1
    alpha = rows[0]
    for key in ("slug", "title", "status", "tags", "authors", "up", "down", "score", "feedback", "voters"):
        assert key in alpha
    assert (alpha["up"], alpha["down"], alpha["score"], alpha["feedback"], alpha["voters"]) == (
        2,
        0,
        2,
        1,
        ["ann", "bob"],
    )
    assert rows[2]["status"] == "planned" and rows[2]["score"] == -1


def test_tally_filters_sorts_and_limits(ideas: Path) -> None:
    def slugs(*args: str) -> list[str]:
        return [r["slug"] for r in json.loads(run(ideas, "tally", "--format", "json", *args).output)]

    assert slugs("--sort", "new") == ["beta", "gamma", "alpha"]
    assert slugs("--tag", "x") == ["alpha", "gamma"]
    assert slugs("--status", "planned", "--status", "proposed", "--limit", "1") == ["alpha"]
    assert run(ideas, "tally", "--status", "maybe").exit_code == 2


def test_tally_table_csv_and_markdown(ideas: Path) -> None:
    table = run(ideas, "tally").output.splitlines()
    assert table[0].split() == ["#", "score", "up", "down", "feedback", "status", "slug", "title"]
    assert table[1].split()[:7] == ["1", "+2", "2", "0", "1", "proposed", "alpha"]
    rows = list(csv.DictReader(io.StringIO(run(ideas, "tally", "--format", "csv").output)))
    assert rows[0]["title"] == "Alpha | first" and rows[0]["voters"] == "ann bob"
    markdown = run(ideas, "tally", "--format", "markdown").output
    assert "| 1 | Alpha \\| first | proposed | +2 | 2 | 0 | 1 |" in markdown


def test_tally_holds_the_collector_while_it_loads_counts_and_prints(
    ideas: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What tally makes all stays to the end: a collection on the way only walks it again."""
    from bubbleup.cli import tally as command
    from bubbleup.git import snapshot

    seen: list[bool] = []
    load, rank = snapshot.snapshot, command.rank

    def watched(function):
        def call(*args, **kwargs):
            seen.append(gc.isenabled())
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(snapshot, "snapshot", watched(load))
    monkeypatch.setattr(command, "rank", watched(rank))
    assert gc.isenabled()
    assert run(ideas, "tally", "--format", "json").exit_code == 0
    assert seen == [False, False] and gc.isenabled()


def test_after_check_tally_check_the_next_tally_reads_nothing_again(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's order (benchmarks/large.py): no command leaves a cache the other sets
    aside, so the second tally parses no file, lists no idea folder and reads no commit."""
    from bubbleup.core import file_check, folder_cache, loader
    from bubbleup.git import commit_log

    monkeypatch.setattr(folder_cache, "RACY", 0)  # folders trusted as soon as listed
    files = {"ideas/alpha.md": idea("Alpha"), "ideas/alpha/ann.md": vote("up"), "ideas/alpha/bob.md": vote("down")}
    files |= {"ideas/beta.md": idea("Beta", "[bob]"), "ideas/beta/ann.md": vote("up", "Yes.\n")}
    git_repo.commit({"mkdocs.yml": "site_name: Test\n", "ideas/people.yml": ROSTER, **files})
    for command in (["check"], ["tally", "--format", "json"], ["check"]):
        assert run(git_repo.root, *command).exit_code == 0
    work: list[str] = []

    def noted(module: object, name: str) -> None:
        function = getattr(module, name)

        def call(*args, **kwargs):
            place = Path(args[0]) if name == "scandir" else git_repo.root
            if place.is_relative_to(git_repo.root):  # not the code's own folders, read for the caches' keys
                work.append(f"{name} {place.relative_to(git_repo.root).as_posix()}")
            return function(*args, **kwargs)

        monkeypatch.setattr(module, name, call)

    noted(file_check, "check")
    noted(commit_log, "log")
    noted(loader.os, "scandir")
    result = run(git_repo.root, "tally", "--format", "json")
    assert result.exit_code == 0 and [row["score"] for row in json.loads(result.output)] == [1, 0]
    assert work == ["scandir ideas"]  # the ideas folder only: no file checked, no folder listed, no commit read


def test_tally_notes_problems_on_stderr(ideas: Path) -> None:
    write(ideas, {"ideas/broken.md": "---\ntitle: x\n"})
    result = CliRunner().invoke(cli, ["-f", str(ideas / "mkdocs.yml"), "tally", "--format", "json"])
    assert result.exit_code == 0
    assert "1 error, 0 warnings in the idea files" in result.stderr
    assert json.loads(result.stdout)[0]["slug"] == "alpha"


def test_configuration_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    write(tmp_path, {"mkdocs.yml": "site_name: x\nplugins:\n  - bubbleup:\n      ideas_dir: ../../etc\n"})
    result = run(tmp_path, "check")
    assert result.exit_code == 1 and "ideas_dir must be inside" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    write(tmp_path, {"mkdocs.yml": "site_name: x\nplugins:\n  - bubbleup:\n      colour: blue\n"})
    assert "unknown option 'colour'" in run(tmp_path, "check").output
    write(tmp_path, {"mkdocs.yml": b"site_name: caf\xe9\n"})
    result = run(tmp_path, "check")
    assert result.exit_code == 1 and "mkdocs.yml:1: not valid UTF-8" in result.output
    write(tmp_path, {"mkdocs.yml": "site_name: x\nplugins:\n  bubbleup:\n    max_file_size: -1\n"})
    assert "max_file_size: expected a number of 0 or more" in run(tmp_path, "check").output
    write(tmp_path, {"mkdocs.yml": "site_name: [\n"})
    result = run(tmp_path, "check")
    assert result.exit_code == 1 and re.search(r"mkdocs.yml:\d+: invalid YAML", result.output)


def test_every_command_has_help_and_is_documented() -> None:
    reference = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    for name, command in every_command().items():
        assert command.help and len(command.help) > 20, name
        assert f"## `bubbleup {name}`" in reference, name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
        for parameter in command.params:
            for option in parameter.opts:
                if option.startswith("--") and option != "--help":
                    assert option in reference, f"{name} {option} is not in docs/cli.md"
    for parameter in cli.params:  # the options before the command: -f, --ideas-dir, --version
        for option in parameter.opts:
            assert option.startswith("-") and f"`{option}" in reference, f"{option} is not in docs/cli.md"


def test_the_readme_examples_name_ideas_of_the_demo() -> None:
    """A new user runs the README's commands in order on a fresh clone: a vote or a
    decision on the idea `new --branch` just made fails, since that idea is only on its
    branch, so the examples name ideas the demo holds."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = re.findall(r"^bubbleup (?:vote|decide) ([a-z0-9-]+)", readme, re.MULTILINE)
    assert named
    for slug in named:
        assert (ROOT / "ideas" / f"{slug}.md").is_file(), slug


def hand_count(root: Path) -> dict[str, tuple[set[str], set[str]]]:
    """Votes read straight from the files with a regular expression, independent of the loader."""
    counts: dict[str, tuple[set[str], set[str]]] = {}
    for folder in (root / "ideas").iterdir():
        if folder.is_dir():
            up, down = counts.setdefault(folder.name, (set(), set()))
            for path in folder.glob("*.md"):
                match = re.search(r"^vote:\s*(up|down)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
                if match:
                    (up if match.group(1) == "up" else down).add(path.stem)
    return counts


def test_demo_checks_clean_and_its_tally_agrees_with_a_hand_count() -> None:
    config = str(ROOT / "mkdocs.yml")
    assert CliRunner().invoke(cli, ["-f", config, "check", "--strict"]).exit_code == 0
    rows = {
        r["slug"]: r for r in json.loads(CliRunner().invoke(cli, ["-f", config, "tally", "--format", "json"]).stdout)
    }
    counts = hand_count(ROOT)
    duplicates = {slug: r["duplicate_of"] for slug, r in rows.items() if r["duplicate_of"]}
    assert duplicates, "the demo needs a duplicate"
    for slug, row in rows.items():
        up, down = (set(s) for s in counts.get(slug, (set(), set())))
        for copy, original in duplicates.items():
            if original == slug:
                copy_up, copy_down = counts.get(copy, (set(), set()))
                up |= {h for h in copy_up if h not in down}
                down |= {h for h in copy_down if h not in up}
        assert (row["up"], row["down"]) == (len(up), len(down)), slug
        assert sorted(row["voters"]) == sorted(up | down), slug
