"""`tally`: the ideas ranked, as a table, JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import io

import click

from bubbleup.cli.common import Context, echo_json, output_format, warn_problems
from bubbleup.core.markup import escape_markdown
from bubbleup.core.model import Status
from bubbleup.core.tally import SORTS, Tally, rank

FORMATS = ("table", "json", "csv", "markdown")


def _table(rows: list[Tally]) -> str:
    header = ("#", "score", "up", "down", "feedback", "status", "slug", "title")
    lines = [header]
    for position, item in enumerate(rows, 1):
        title = item.idea.title if len(item.idea.title) <= 60 else item.idea.title[:59] + "…"
        lines.append(
            (
                str(position),
                f"{item.score:+d}",
                str(item.up),
                str(item.down),
                str(item.feedback),
                item.idea.status.value,
                item.idea.slug,
                title,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    right = {0, 1, 2, 3, 4}
    return "\n".join(
        "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(line)
        ).rstrip()
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


@click.command()
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="top",
    show_default=True,
    help="top: net score, ties to the most recent; new: most recent first; trending: recent votes "
    "count more (half as much every trending_half_life days); discussed: most written feedback.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in Status]),
    help="Only ideas with this status (repeatable).",
)
@click.option("--tag", "tags", multiple=True, help="Only ideas with this tag (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many ideas.")
@output_format(*FORMATS)
@click.pass_obj
def tally(
    context: Context, sort: str, statuses: tuple[str, ...], tags: tuple[str, ...], limit: int | None, output: str
) -> None:
    """Count the votes and print the ideas ranked.

    Ideas with errors are left out; a line on stderr says how many problems
    `bubbleup check` would list.
    """
    from bubbleup.core.caches import uncollected
    from bubbleup.git.snapshot import snapshot

    settings = context.settings()
    # What the command makes after the caches are loaded (the summary of dates, the tallies,
    # the rows) all stays to the end and holds no cycle; at 10,000 ideas three collections
    # walked it for nothing, 0.15 to 0.27 s of CPU (most of it waiting on memory). Held as
    # a cache's load is, so that what was made is frozen, not walked once more at the end.
    with uncollected(loading=True):
        state = snapshot(settings)
        half_life = float(settings.options.trending_half_life)
        rows = rank(state.tallies.values(), sort, [Status(s) for s in statuses], tags, limit, state.now, half_life)
        if output == "json":
            echo_json([item.as_dict(state.now, half_life) for item in rows])
        elif output == "csv":
            click.echo(_csv(rows))
        elif output == "markdown":
            click.echo(_markdown(rows))
        else:
            click.echo(_table(rows))
        warn_problems(list(state.catalog.problems))
