"""The `bubbleup` command: parse options, call the core, print. No logic of its own.

Heavy imports (mkdocs, markdown) happen inside the commands that need them, so that
`bubbleup --help` and `bubbleup check` start fast.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from .markup import escape_markdown
from .model import BubbleupError, Problem, Severity, Status
from .tally import SORTS, Tally, rank

FORMATS = ("table", "json", "csv", "markdown")


class _Context:
    def __init__(self, config_file: Path | None, ideas_dir: str | None = None):
        self.config_file = config_file
        self.ideas_dir = ideas_dir

    def settings(self):
        from .config import settings

        try:
            return settings(self.config_file, ideas_dir=self.ideas_dir)
        except BubbleupError as error:
            raise click.ClickException(str(error)) from None


def _summary(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml (default: the nearest one in this folder or above).",
)
@click.option("--ideas-dir", metavar="PATH",
              help="The folder of ideas (default: ideas_dir in mkdocs.yml, else ideas/), such as a folder of RFCs.")
@click.version_option(package_name="bubbleup")
@click.pass_context
def cli(context: click.Context, config_file: Path | None, ideas_dir: str | None) -> None:
    """Bubbleup: ideas, votes and decisions as files in Git, published as a site."""
    context.obj = _Context(config_file, ideas_dir)


def github_command(problem: Problem) -> str:
    """A problem as a GitHub workflow command, which shows it on the changed line."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    return f"::{problem.severity.value} file={prop(problem.path)},line={problem.line},title=bubbleup::{data(problem.message)}"


@cli.command()
@click.option("--format", "output", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools, github for annotations in a GitHub workflow.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--changed-since", metavar="REF",
              help="Only report files changed since REF (and what depends on them), as for a pull request.")
@click.pass_obj
def check(context: _Context, output: str, strict: bool, changed_since: str | None) -> None:
    """Validate every idea, feedback file and the roster.

    Prints each problem as path:line: severity: message, sorted, then a count. Exits 1
    if there is an error (or, with --strict, a warning).
    """
    from .project import snapshot

    settings = context.settings()
    catalog = snapshot(settings).catalog
    problems = list(catalog.problems)
    if changed_since is not None:
        from .gitcmd import changed_since as changed_files, merge_base
        from .review import scope

        try:
            changed = changed_files(settings.root, merge_base(settings.root, changed_since), worktree=True)
        except BubbleupError as error:
            raise click.ClickException(f"--changed-since {changed_since}: {error}") from None
        ideas = settings.ideas_dir.relative_to(settings.root).as_posix()
        config = settings.config_file.name if settings.config_file else "mkdocs.yml"
        problems = scope(problems, changed, catalog, ideas, config)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    failed = errors > 0 or (strict and bool(problems))
    if output == "json":
        report = {
            "problems": [p.as_dict() for p in problems],
            "errors": errors,
            "warnings": len(problems) - errors,
            "ideas": len(catalog.ideas),
            "feedback": len(catalog.feedback),
        }
        click.echo(json.dumps(report, indent=2))
    elif output == "github":
        for problem in problems:
            click.echo(github_command(problem))
        click.echo(_summary(problems))
    else:
        for problem in problems:
            click.echo(str(problem))
        checked = f"{len(catalog.ideas)} valid ideas, {len(catalog.feedback)} feedback files"
        click.echo(f"{_summary(problems)} ({checked})" if problems else f"No problems ({checked}).")
    sys.exit(1 if failed else 0)


@cli.command()
@click.option("--base", required=True, metavar="REF", help="The branch the pull request goes into, such as origin/main.")
@click.option("--author", metavar="HANDLE",
              help="The pull request author's handle; by default each change is judged by its commits' authors.")
@click.pass_obj
def review(context: _Context, base: str, author: str | None) -> None:
    """Summarise a pull request for reviewers, in Markdown.

    Lists each idea it adds or changes with its closest existing ideas (possible
    duplicates), each vote it adds or changes and whether the voter made it, and each
    status change with its reason. Meant for $GITHUB_STEP_SUMMARY.
    """
    from .project import snapshot
    from .review import summary

    settings = context.settings()
    catalog = snapshot(settings).catalog
    try:
        click.echo(summary(settings.root, settings.ideas_dir, catalog, base, author), nl=False)
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None


def _table(rows: list[Tally]) -> str:
    header = ("#", "score", "up", "down", "feedback", "status", "slug", "title")
    lines = [header]
    for position, item in enumerate(rows, 1):
        title = item.idea.title if len(item.idea.title) <= 60 else item.idea.title[:59] + "…"
        lines.append(
            (str(position), f"{item.score:+d}", str(item.up), str(item.down), str(item.feedback),
             item.idea.status.value, item.idea.slug, title)
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    right = {0, 1, 2, 3, 4}
    return "\n".join(
        "  ".join(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip()
        for line in lines
    )


def _markdown(rows: list[Tally]) -> str:
    lines = ["| # | Idea | Status | Score | Up | Down | Feedback |", "|--:|---|---|--:|--:|--:|--:|"]
    for position, item in enumerate(rows, 1):
        lines.append(
            f"| {position} | {escape_markdown(item.idea.title)} | {item.idea.status.value} | {item.score:+d} "
            f"| {item.up} | {item.down} | {item.feedback} |"
        )
    return "\n".join(lines)


def _csv(rows: list[Tally]) -> str:
    buffer = io.StringIO()
    fields = ["slug", "title", "status", "score", "up", "down", "feedback", "tags", "authors", "voters"]
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for item in rows:
        record = item.as_dict()
        for key in ("tags", "authors", "voters"):
            record[key] = " ".join(record[key])  # type: ignore[arg-type]
        writer.writerow(record)
    return buffer.getvalue().rstrip("\n")


@cli.command()
@click.option("--sort", type=click.Choice(SORTS), default="top", show_default=True,
              help="top: net score, ties to the most recent; new: most recent first; trending: recent votes "
                   "count more (half as much every trending_half_life days); discussed: most written feedback.")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in Status]),
              help="Only ideas with this status (repeatable).")
@click.option("--tag", "tags", multiple=True, help="Only ideas with this tag (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many ideas.")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def tally(context: _Context, sort: str, statuses: tuple[str, ...], tags: tuple[str, ...],
          limit: int | None, output: str) -> None:
    """Count the votes and print the ideas ranked.

    Ideas with errors are left out; a line on stderr says how many problems
    `bubbleup check` would list.
    """
    from .project import snapshot

    settings = context.settings()
    state = snapshot(settings)
    half_life = float(settings.options.trending_half_life)
    rows = rank(state.tallies.values(), sort, [Status(s) for s in statuses], tags, limit, state.now, half_life)
    if output == "json":
        click.echo(json.dumps([item.as_dict(state.now, half_life) for item in rows], indent=2, ensure_ascii=False))
    elif output == "csv":
        click.echo(_csv(rows))
    elif output == "markdown":
        click.echo(_markdown(rows))
    else:
        click.echo(_table(rows))
    _warn_problems(list(state.catalog.problems))


def _warn_problems(problems: list[Problem]) -> None:
    if problems:
        click.echo(f"note: {_summary(problems)} in the idea files; run 'bubbleup check' to see them", err=True)


@cli.command()
@click.option("--strict", is_flag=True, help="Fail on any problem instead of leaving broken ideas out.")
@click.option("--audience", type=click.Choice(["internal", "public"]),
              help="public: only ideas marked public, without names, feedback or roster data (default: the configured "
                   "audience, internal).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to build (default: site_dir of mkdocs.yml; site-public/ for the public audience).")
@click.option("--builder", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="The site builder to run on the generated pages.")
@click.option("-v", "--verbose", is_flag=True, help="Show the site builder's progress.")
@click.pass_obj
def build(context: _Context, strict: bool, audience: str | None, site_dir: Path | None, builder: str,
          verbose: bool) -> None:
    """Validate, tally, generate the idea pages and build the site into site/.

    An idea with errors is reported and left out; the rest of the site is built. The
    previous site/ is replaced only when the new build succeeds.
    """
    from .project import snapshot
    from .site import generate, log_to_stderr, run_mkdocs, run_zensical

    settings = context.settings()
    state = snapshot(settings)
    problems = list(state.catalog.problems)
    for problem in problems:
        click.echo(str(problem), err=True)
    if state.history_warning:
        click.echo(f"warning: {state.history_warning}", err=True)
    if strict and problems:
        raise click.ClickException(f"{_summary(problems)}; --strict builds nothing until they are fixed")
    log_to_stderr(verbose)
    audience = audience or settings.options.audience
    target = site_dir.resolve() if site_dir else settings.site_dir
    if site_dir is None and audience == "public" and audience != settings.options.audience:
        target = settings.site_dir.with_name(settings.site_dir.name + "-public")
    try:
        written = generate(state, audience)
        (run_zensical if builder == "zensical" else run_mkdocs)(settings, strict, target)
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    where = target.relative_to(settings.root) if target.is_relative_to(settings.root) else target
    left_out = f", {len(state.catalog.left_out)} left out (see above)" if state.catalog.left_out else ""
    click.echo(
        f"Built {len(state.catalog.ideas)} idea pages{left_out} ({len(written.written)} pages rewritten). "
        f"Open {where / 'index.html'}"
    )


@cli.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("-v", "--verbose", is_flag=True, help="Show the site builder's progress.")
@click.pass_obj
def serve(context: _Context, dev_addr: str, verbose: bool) -> None:
    """Preview the site, regenerating pages and reloading the browser when ideas change.

    Regeneration on change needs the bubbleup plugin in mkdocs.yml's plugins list.
    """
    from .project import snapshot
    from .site import generate, log_to_stderr, quiet_material

    settings = context.settings()
    if settings.config_file is None:
        raise click.ClickException(f"no mkdocs.yml in {settings.root} or above; the site needs one")
    state = snapshot(settings)
    _warn_problems(list(state.catalog.problems))
    log_to_stderr(True)
    try:
        generate(state)
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    quiet_material()
    from mkdocs.commands.serve import serve as mkdocs_serve

    if not settings.plugin_enabled:
        click.echo("warning: the bubbleup plugin is not in mkdocs.yml, so pages are not regenerated on change", err=True)
    # Called directly with livereload=True: mkdocs' own CLI needs --livereload with Click > 8.2.1.
    mkdocs_serve(config_file=str(settings.config_file), livereload=True, dev_addr=dev_addr)


def main() -> None:
    cli(prog_name="bubbleup")


# The commands that change files live in their own module; importing it registers them.
from . import cli_participate  # noqa: E402,F401
from . import cli_history  # noqa: E402,F401
from . import cli_manage  # noqa: E402,F401
