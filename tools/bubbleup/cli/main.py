"""The `bubbleup` command group. It adds the commands; the commands never import it.

Each command parses its options, calls the core and prints. Heavy imports (mkdocs,
markdown) happen inside the commands that need them, so that `bubbleup --help` starts fast.
"""

from __future__ import annotations

import gc
from pathlib import Path

import click

from bubbleup.cli import check, history, intake, manage, participate, site, tally
from bubbleup.cli.common import Context
from bubbleup.cli.terminal import make_output_inert
from bubbleup.core import caches


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


for command in (
    check.check,
    check.review,
    tally.tally,
    site.build,
    site.serve,
    participate.new,
    participate.vote,
    participate.decide,
    intake.intake,
    history.history,
    history.audit,
    manage.queue,
    manage.digest,
):
    cli.add_command(command)


def main() -> None:
    # A command builds hundreds of thousands of long-lived objects (one per file, per vote,
    # per commit) and almost no reference cycles; with the default threshold (700 new
    # objects) the collector walks them all again and again: 40% of a warm `check` of
    # 10,000 ideas. Collecting a hundred times less often leaves memory as it was.
    gc.set_threshold(100_000, 50, 100)
    # What the caches load stays to the end of a command: frozen, it is never walked again
    # (core/caches.py; `serve`, which runs for hours, turns this off).
    caches.freeze_loaded(True)
    cli(prog_name="bubbleup")
