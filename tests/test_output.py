"""What the commands that print data share: one `--format` option, one JSON printer, and
one per-idea record for `history --format json` and the site's ideas.json."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli, every_command
from conftest import GitRepo, idea, vote


def _format_options() -> dict[str, click.Option]:
    found = {}
    for name, command in every_command().items():
        for parameter in command.params:
            if "--format" in getattr(parameter, "opts", ()):
                found[name] = parameter
    return found


def test_every_format_option_is_declared_alike() -> None:
    options = _format_options()
    assert {"check", "tally", "history", "audit", "queue", "digest"} <= set(options)
    for name, option in options.items():
        assert isinstance(option, click.Option) and isinstance(option.type, click.Choice), name
        assert option.name == "output" and option.show_default, name
        assert option.default == option.type.choices[0] and "json" in option.type.choices, name
        assert option.help, name
        result = CliRunner().invoke(cli, [name, "--format", "yaml"])
        assert result.exit_code == 2 and "Invalid value for '--format'" in result.output, name


@pytest.mark.slow
def test_history_and_ideas_json_tell_the_same_history(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/coffee.md": idea("Café chats")}, "Propose (#4)", when="2026-10-01T10:00:00+00:00")
    site_repo.commit({"ideas/coffee/bob.md": vote("up")}, "Bob votes (#5)", when="2026-10-02T10:00:00+00:00")
    planned = idea("Café chats", extra="status: planned\ndecision: {by: ann, date: 2026-10-03, reason: Oui.}\n")
    site_repo.commit({"ideas/coffee.md": planned}, "Plan it", when="2026-10-03T10:00:00+00:00")
    config = str(site_repo.root / "mkdocs.yml")
    output = CliRunner().invoke(cli, ["-f", config, "history", "coffee", "--format", "json"]).stdout
    assert "Café chats" in output  # text as written, not \u escapes
    record = json.loads(output)
    assert CliRunner().invoke(cli, ["-f", config, "build"]).exit_code == 0
    data = json.loads((site_repo.root / "site/ideas/ideas.json").read_text(encoding="utf-8"))
    entry = next(item for item in data["ideas"] if item["slug"] == "coffee")
    for key in ("updated", "pull_requests", "status_changes"):
        assert record[key] == entry[key], key
    assert record["pull_requests"] == [4, 5] and record["updated"] == "2026-10-03T10:00:00+00:00"
    assert [change["status"] for change in record["status_changes"]] == ["proposed", "planned"]
