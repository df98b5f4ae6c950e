"""What every command shares: the context that finds the configuration, the `--format`
option and JSON printing, and problem counts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bubbleup.core.config import Settings
    from bubbleup.core.model import Problem
    from bubbleup.git.commit import Identity


class Context:
    """What the group's options give every command; the configuration is read once, on demand
    (so `--help` never touches mkdocs.yml), and then passed down."""

    def __init__(self, config_file: Path | None, ideas_dir: str | None = None):
        self.config_file = config_file
        self.ideas_dir = ideas_dir
        self._settings: Settings | None = None

    def settings(self) -> Settings:
        from bubbleup.core.config import settings
        from bubbleup.core.model import BubbleupError

        if self._settings is None:
            try:
                self._settings = settings(self.config_file, ideas_dir=self.ideas_dir)
            except BubbleupError as error:
                raise click.ClickException(str(error)) from None
        return self._settings


def count(number: int, noun: str) -> str:
    """A number with its noun, plural unless one: "1 valid idea", "3 changed files"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def automation(settings: Settings) -> Identity:
    """Who commits for the intake automation (the intake_committer option), whose commits
    the host vouches for; a one-line error when the option is not `NAME <EMAIL>`."""
    from bubbleup.core.model import BubbleupError
    from bubbleup.git.commit import Identity

    try:
        return Identity.parse(settings.options.intake_committer, "intake_committer")
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None


def summary(problems: list[Problem]) -> str:
    from bubbleup.core.model import Severity

    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def warn_problems(problems: list[Problem]) -> None:
    if problems:
        click.echo(f"note: {summary(problems)} in the idea files; run 'bubbleup check' to see them", err=True)


def output_format(*choices: str, help: str | None = None) -> Callable:
    """The `--format` option of a command that prints data: the first choice is the default,
    and the command receives it as `output`. One declaration, so that every command spells,
    shows and checks its formats the same way."""
    return click.option(
        "--format",
        "output",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=help or f"How to print the result: {', '.join(choices)}.",
    )


def echo_json(data: object) -> None:
    """Print `--format json` output: indented, and with text as written (not \\u escapes)."""
    from bubbleup.core.indented_json import dumps

    click.echo(dumps(data))
