"""`bubbleup intake`: an issue opened from a Bubbleup form becomes a vote or a proposal."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click

from bubbleup.cli.common import Context
from bubbleup.core.model import BubbleupError


def write_outputs(values: dict[str, str]) -> None:
    """Tell the workflow what happened, through $GITHUB_OUTPUT when it is set."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    lines = []
    for key, value in values.items():
        delimiter = f"bubbleup_{secrets.token_hex(8)}"
        lines.append(f"{key}<<{delimiter}\n{value}\n{delimiter}\n")
    with open(target, "a", encoding="utf-8") as stream:
        stream.write("".join(lines))


@click.command()
@click.option(
    "--event",
    "event_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="GITHUB_EVENT_PATH",
    help="The webhook event, as JSON (default: $GITHUB_EVENT_PATH, which GitHub Actions sets).",
)
@click.option(
    "--committer",
    metavar="'NAME <EMAIL>'",
    help="Who commits for the automation (default: the intake_committer option).",
)
@click.pass_obj
def intake(context: Context, event_file: Path | None, committer: str | None) -> None:
    """Record what an issue opened from a Bubbleup form asks: a vote, a customer's voice or
    a proposal, as the person who opened it.

    Prints the reply to post on the issue (Markdown). Exits 0 when recorded (or when the
    issue is not from a Bubbleup form: nothing to do), 1 when refused; a refusal writes
    nothing and says why. With $GITHUB_OUTPUT set, also writes `outcome` (recorded,
    refused or ignored) and, for a proposal, `branch` and `title` there.
    """
    from bubbleup.git.commit import Identity
    from bubbleup.git.snapshot import load_catalog
    from bubbleup.write.intake import REFUSED, read_event
    from bubbleup.write.intake import intake as run_intake

    if event_file is None:
        raise click.ClickException("no event: pass --event FILE, or run in GitHub Actions ($GITHUB_EVENT_PATH)")
    try:
        raw = event_file.read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {event_file}: {error.strerror}") from None
    event = read_event(raw)
    if isinstance(event, str):
        write_outputs({"outcome": "error"})
        raise click.ClickException(f"{event_file}: {event}")
    settings = context.settings()
    try:
        automation = Identity.parse(committer or settings.options.intake_committer, "committer")
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    outcome = run_intake(settings, load_catalog(settings), event, automation)
    write_outputs({"outcome": outcome.status, "branch": outcome.branch or "", "title": outcome.title or ""})
    click.echo(outcome.reply)
    sys.exit(1 if outcome.status == REFUSED else 0)
