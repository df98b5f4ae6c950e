"""`check` and `review`: what is wrong in the files, and what a pull request changes."""

from __future__ import annotations

import sys

import click

from bubbleup.cli.common import Context, automation, count, echo_json, output_format, summary
from bubbleup.core.model import BubbleupError, Problem, Severity


def github_command(problem: Problem) -> str:
    """A problem as a GitHub workflow command, which shows it on the changed line."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    return f"::{problem.severity.value} file={prop(problem.path)},line={problem.line},title=bubbleup::{data(problem.message)}"


@click.command()
@output_format(
    "text", "json", "github", help="text for people, json for tools, github for annotations in a GitHub workflow."
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only report files changed since REF (and what depends on them), as for a pull request.",
)
@click.option(
    "--login",
    metavar="LOGIN",
    help=(
        "With --changed-since: the pull request author's login; warn on changed votes that are not theirs, "
        "and fail commits that imitate the intake automation."
    ),
)
@click.pass_obj
def check(context: Context, output: str, strict: bool, changed_since: str | None, login: str | None) -> None:
    """Validate every idea, feedback file and the roster.

    Prints each problem as path:line: severity: message, sorted, then a count. Exits 1
    if there is an error (or, with --strict, a warning).
    """
    from bubbleup.git.snapshot import snapshot

    settings = context.settings()
    if changed_since is None:
        state, problems, scoped = snapshot(settings), None, None
    else:
        state, problems, scoped = _pull_request(settings, changed_since, login)
    catalog = state.catalog
    problems = list(catalog.problems) if problems is None else problems
    if state.roster_warning and output == "text":
        click.echo(f"warning: {state.roster_warning}", err=True)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    failed = errors > 0 or (strict and bool(problems))
    if output == "json":
        report = {
            "problems": [p.as_dict() for p in problems],
            "errors": errors,
            "warnings": len(problems) - errors,
            "ideas": len(catalog.ideas),
            "feedback": len(catalog.feedback),
            "scope": "everything" if scoped is None else f"{scoped} changed files and what they depend on",
            "notes": [state.roster_warning] if state.roster_warning else [],
        }
        echo_json(report)
    elif output == "github":
        if state.roster_warning:  # an annotation of its own, beside the log's warning line
            click.echo(f"::warning title=bubbleup::{state.roster_warning}")
        for problem in problems:
            click.echo(github_command(problem))
        click.echo(summary(problems))
    else:
        for problem in problems:
            click.echo(str(problem))
        checked = f"{count(len(catalog.ideas), 'valid idea')}, {count(len(catalog.feedback), 'feedback file')}"
        if scoped is not None:
            checked += f" read for {count(scoped, 'changed file')}"
        click.echo(f"{summary(problems)} ({checked})" if problems else f"No problems ({checked}).")
    sys.exit(1 if failed else 0)


def _pull_request(settings, changed_since: str, login: str | None) -> tuple:
    """The snapshot, problems and number of changed files of `check --changed-since`.

    Only the changed files and what their problems depend on are loaded (git/scoped.py),
    unless the roster, the campaigns or the configuration changed: those concern every file.
    """
    from bubbleup.git import scoped
    from bubbleup.git.review import scope
    from bubbleup.git.runner import changed_since as changed_files
    from bubbleup.git.runner import merge_base
    from bubbleup.git.snapshot import snapshot

    try:
        base = merge_base(settings.root, changed_since)
        changed = changed_files(settings.root, base, worktree=True)
    except BubbleupError as error:
        raise click.ClickException(f"--changed-since {changed_since}: {error}") from None
    ideas = settings.ideas_dir.relative_to(settings.root).as_posix()
    config = settings.config_file.name if settings.config_file else "mkdocs.yml"
    if scoped.needs_everything(set(changed), ideas, config):
        state, read = snapshot(settings), None
    else:
        state, read = scoped.snapshot(settings, set(changed), base), len(changed)
    problems = scope(state.catalog.problems, changed, state.catalog, ideas, config)
    if login:
        from bubbleup.git.review_people import votes_for_others
        from bubbleup.git.vouch import imitations

        problems += imitations(settings.root, base, automation(settings), login)
        problems = sorted(problems + votes_for_others(settings.root, base, ideas, state.catalog, changed, login))
    return state, problems, read


@click.command()
@click.option(
    "--base", required=True, metavar="REF", help="The branch the pull request goes into, such as origin/main."
)
@click.option(
    "--author",
    metavar="HANDLE",
    help="The pull request author's handle; by default each change is judged by its commits' authors.",
)
@click.option(
    "--login",
    metavar="LOGIN",
    help="The pull request author's login on the host, mapped to a handle through the base branch's roster.",
)
@click.pass_obj
def review(context: Context, base: str, author: str | None, login: str | None) -> None:
    """Summarise a pull request for reviewers, in Markdown.

    Puts first what needs attention (votes cast for someone else, deletions, roster
    changes), then each idea it adds or changes with its closest existing ideas (possible
    duplicates), each vote and whether the voter made it, and each status change with its
    reason, @-mentioning the idea's authors and voters. Meant for $GITHUB_STEP_SUMMARY.
    With $GITHUB_OUTPUT set, also writes `ready` (true when only the author's own vote
    files change, without errors) and `notify` (the @-mentions to post as a comment).
    """
    from bubbleup.cli.intake import write_outputs
    from bubbleup.git.review import pull_request

    try:
        state, result = pull_request(context.settings(), base, author, login)
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    if state.roster_warning:  # in the summary itself, which is what reviewers read
        click.echo(f"> **Warning:** {state.roster_warning}.\n")
    write_outputs({"ready": "true" if result.ready else "false", "notify": result.notify})
    click.echo(result.markdown, nl=False)
