"""What every command shares: the context that finds the configuration, and problem counts."""

from __future__ import annotations

from pathlib import Path

import click

from bubbleup.core.model import BubbleupError, Problem, Severity


class Context:
    def __init__(self, config_file: Path | None, ideas_dir: str | None = None):
        self.config_file = config_file
        self.ideas_dir = ideas_dir

    def settings(self):
        from bubbleup.core.config import settings

        try:
            return settings(self.config_file, ideas_dir=self.ideas_dir)
        except BubbleupError as error:
            raise click.ClickException(str(error)) from None


def summary(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def warn_problems(problems: list[Problem]) -> None:
    if problems:
        click.echo(f"note: {summary(problems)} in the idea files; run 'bubbleup check' to see them", err=True)
