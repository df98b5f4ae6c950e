"""The commands for the people who decide: `queue` and `digest`."""

from __future__ import annotations

from typing import Any

import click

from bubbleup.cli.common import Context, echo_json, output_format
from bubbleup.core.markup import escape_markdown


@click.command()
@output_format("table", "json")
@click.pass_obj
def queue(context: Context, output: str) -> None:
    """List the ideas that need a decision: ready for review (over the support
    threshold) or under review, the longest waiting first, with overdue ones marked."""
    from bubbleup.git.snapshot import snapshot

    settings = context.settings()
    state = snapshot(settings)
    rows: list[dict[str, Any]] = [
        {
            "slug": w.item.idea.slug,
            "title": w.item.idea.title,
            "state": w.state,
            "score": w.item.score,
            "waiting_since": w.since.isoformat() if w.since else None,
            "days": w.days,
            "overdue": w.overdue,
        }
        for w in state.queue
    ]
    if output == "json":
        echo_json(rows)
        return
    if not rows:
        click.echo("Nothing is waiting for a decision.")
        return
    for row in rows:
        since = (row["waiting_since"] or "unknown")[:10]
        days = "?" if row["days"] is None else row["days"]
        flag = "  OVERDUE" if row["overdue"] else ""
        click.echo(f"{since}  {days:>4} d  {row['state']:<16}  {row['score']:+3d}  {row['slug']}{flag}")
    response = settings.options.response_days
    click.echo(f"{len(rows)} waiting; {sum(r['overdue'] for r in rows)} overdue (response time {response} days).")


@click.command()
@click.option(
    "--since", "period", default="7d", show_default=True, help="The period: 7d, 2w, or a date such as 2026-11-01."
)
@output_format("markdown", "json")
@click.option("--person", metavar="HANDLE", help="What changed for this person: the ideas they proposed or voted on.")
@click.pass_obj
def digest(context: Context, period: str, output: str, person: str | None) -> None:
    """Summarise a period for management: new ideas, the ideas gaining the most support,
    ideas that crossed the threshold, decisions with their reasons, and overdue ideas.
    With --person, what changed for one person instead."""
    from bubbleup.git.snapshot import snapshot
    from bubbleup.site.digest import digest as make_digest
    from bubbleup.site.digest import parse_since, render_markdown

    settings = context.settings()
    state = snapshot(settings)
    try:
        since = parse_since(period, state.now)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--since") from None
    if person is not None:
        from bubbleup.site.digest_person import person_digest, render_person_markdown

        if state.catalog.roster is not None and person not in state.catalog.roster:
            raise click.BadParameter(f"{person!r} is not in the roster (ideas/people.yml)", param_hint="--person")
        found = person_digest(state, person, since)
        if output == "json":
            echo_json(found)
        else:
            click.echo(render_person_markdown(found, state.catalog.display_name(person)), nl=False)
        return
    content = make_digest(state, since)
    if output == "json":
        echo_json(content)
    else:
        click.echo(render_markdown(content, escape_markdown(settings.site_name)), nl=False)
