"""The command group imports a command's module only when that command runs, and its
`--help` still lists every command with the help Click would show for it."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bubbleup.cli.main import COMMANDS, cli, every_command

TOOLS = Path(__file__).parent.parent / "tools"


def test_every_summary_is_the_first_paragraph_of_its_command_help() -> None:
    commands = every_command()
    assert len(commands) == len(COMMANDS)
    for name, module, summary in COMMANDS:
        command = commands[name]
        assert command.name == name and command.help, name
        assert " ".join(command.help.partition("\n\n")[0].split()) == summary, name
        assert getattr(importlib.import_module(f"bubbleup.cli.{module}"), name) is command


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_the_command_list_reads_as_an_eager_group_would_print_it(width: int) -> None:
    """The same help as a plain Click group holding the imported commands, at any width."""
    eager = click.Group(cli.name, params=cli.params, help=cli.help, context_settings=cli.context_settings)
    for name, command in every_command().items():
        eager.add_command(command, name)
    shown = CliRunner().invoke(cli, ["--help"], terminal_width=width)
    expected = CliRunner().invoke(eager, ["--help"], terminal_width=width)
    assert shown.exit_code == 0 and shown.output == expected.output
    assert "Commands:" in shown.output and all(f"  {name} " in shown.output for name, _, _ in COMMANDS)


def test_an_unknown_command_is_refused_as_before() -> None:
    result = CliRunner().invoke(cli, ["bild"])
    assert result.exit_code == 2 and "No such command 'bild'" in result.output


def imported_after(*args: str) -> set[str]:
    """The modules a fresh `bubbleup` process holds after running with `args`."""
    script = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print('\\n' + json.dumps(sorted(sys.modules))))\n"
        "from bubbleup.cli.main import main\n"
        f"sys.argv = ['bubbleup', *{list(args)!r}]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(TOOLS)},
        check=False,
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_help_imports_no_command() -> None:
    modules = imported_after("--help")
    assert not {f"bubbleup.cli.{module}" for _, module, _ in COMMANDS} & modules
    assert not {"bubbleup.core.model", "importlib.metadata", "yaml", "mkdocs", "markdown"} & modules


def test_a_command_imports_its_own_module_only() -> None:
    modules = imported_after("tally", "--help")
    commands = {f"bubbleup.cli.{module}" for _, module, _ in COMMANDS}
    assert commands & modules == {"bubbleup.cli.tally"}
    assert not {"bubbleup.write", "bubbleup.core.drafts", "mkdocs"} & modules
