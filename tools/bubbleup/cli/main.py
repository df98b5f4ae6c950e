"""The `bubbleup` command group. It names the commands; the commands never import it.

Each command parses its options, calls the core and prints. A command's module is
imported only when that command runs (`Commands`), and heavy imports (mkdocs, markdown)
happen inside the commands that need them, so that `bubbleup --help` starts fast and
`bubbleup build` loads what building needs, not what voting or intake do.
"""

from __future__ import annotations

import gc
import importlib
from gettext import gettext
from pathlib import Path

import click

from bubbleup.cli.common import Context
from bubbleup.cli.terminal import make_output_inert

# Each command: its name, the module that defines it, and the first paragraph of its help,
# which `bubbleup --help` shortens to the width of the terminal as Click does (a test keeps
# each in step with the command's own help).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("check", "check", "Validate every idea, feedback file and the roster."),
    ("review", "check", "Summarise a pull request for reviewers, in Markdown."),
    ("tally", "tally", "Count the votes and print the ideas ranked."),
    ("build", "site", "Validate, tally, generate the idea pages and build the site into site/."),
    ("serve", "site", "Preview the site, regenerating pages and reloading the browser when ideas change."),
    ("new", "participate", "Propose an idea: create ideas/<slug>.md from the template."),
    ("vote", "participate", "Vote for an idea, against it, or give feedback: write ideas/<slug>/<you>.md."),
    ("decide", "participate", "Move an idea through the workflow and record who decided, when and why."),
    (
        "intake",
        "intake",
        "Record what an issue opened from a Bubbleup form asks: a vote, a customer's voice or a proposal, "
        "as the person who opened it.",
    ),
    (
        "history",
        "history",
        "Show what Git says about each idea (or one): dates, authors, pull requests, status changes and votes "
        "over time.",
    ),
    (
        "audit",
        "history",
        "Check every vote against Git history: who cast it, who changed it, and whether the idea was rewritten "
        "after it was cast (docs/audit.md explains each finding).",
    ),
    (
        "queue",
        "manage",
        "List the ideas that need a decision: ready for review (over the support threshold) or under review, "
        "the longest waiting first, with overdue ones marked.",
    ),
    (
        "digest",
        "manage",
        "Summarise a period for management: new ideas, the ideas gaining the most support, ideas that crossed "
        "the threshold, decisions with their reasons, and overdue ideas. With --person, what changed for one "
        "person instead.",
    ),
)


class Commands(click.Group):
    """A group that imports a command's module only when the command is asked for.

    Importing every command's module cost a tenth of a second on every run: `build` paid
    for the modules that write votes, read issues and summarise periods. The command list
    of `--help` is made from `COMMANDS` alone, without importing any of them.
    """

    def list_commands(self, context: click.Context) -> list[str]:
        return sorted(name for name, _, _ in COMMANDS)

    def get_command(self, context: click.Context, name: str) -> click.Command | None:
        for command, module, _ in COMMANDS:
            if command == name:
                found = getattr(importlib.import_module(f"bubbleup.cli.{module}"), name)
                assert isinstance(found, click.Command)
                return found
        return None

    def format_commands(self, context: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, each with its shortened help, as Click's own group makes it
        (`Command.get_short_help_str` on the first paragraph) but without the commands."""
        summaries = {name: click.Command(name, help=summary) for name, _, summary in COMMANDS}
        limit = formatter.width - 6 - max(len(name) for name in summaries)
        rows = [(name, summaries[name].get_short_help_str(limit)) for name in self.list_commands(context)]
        with formatter.section(gettext("Commands")):
            formatter.write_dl(rows)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml (default: the nearest one in this folder or above).",
)
@click.option(
    "--ideas-dir",
    metavar="PATH",
    help="The folder of ideas (default: ideas_dir in mkdocs.yml, else ideas/), such as a folder of RFCs.",
)
@click.version_option(package_name="bubbleup")
@click.pass_context
def cli(context: click.Context, config_file: Path | None, ideas_dir: str | None) -> None:
    """Bubbleup: ideas, votes and decisions as files in Git, published as a site."""
    make_output_inert()  # names, titles and subjects are printed: no escape sequence reaches the terminal
    context.obj = Context(config_file, ideas_dir)


def every_command() -> dict[str, click.Command]:
    """Each command by name, its module imported: what tests and documentation look at."""
    context = click.Context(cli)
    return {name: command for name in cli.list_commands(context) if (command := cli.get_command(context, name))}


def main() -> None:
    # A command builds hundreds of thousands of long-lived objects (one per file, per vote,
    # per commit) and almost no reference cycles; with the default threshold (700 new
    # objects) the collector walks them all again and again: 40% of a warm `check` of
    # 10,000 ideas. Collecting a hundred times less often leaves memory as it was.
    gc.set_threshold(100_000, 50, 100)
    # What the caches load stays to the end of a command: frozen, it is never walked again
    # (core/caches.py; `serve`, which runs for hours, turns this off).
    from bubbleup.core import caches

    caches.freeze_loaded(True)
    cli(prog_name="bubbleup")


if __name__ == "__main__":  # `python -m bubbleup.cli.main`, as the installed `bubbleup` script does
    main()
