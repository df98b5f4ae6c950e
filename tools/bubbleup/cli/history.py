"""The commands that read Git history: `history` and `audit`."""

from __future__ import annotations

import sys

import click

from bubbleup.cli.common import Context, automation, echo_json, output_format
from bubbleup.core.model import BubbleupError


@click.command()
@click.argument("slug", required=False)
@output_format("table", "json")
@click.pass_obj
def history(context: Context, slug: str | None, output: str) -> None:
    """Show what Git says about each idea (or one): dates, authors, pull requests,
    status changes and votes over time."""
    from bubbleup.git.snapshot import snapshot
    from bubbleup.site.records import history_record, left_out_record

    state = snapshot(context.settings())
    broken = {path.rsplit("/", 1)[-1].removesuffix(".md"): path for path in state.catalog.left_out}
    if slug is not None and slug not in state.catalog.ideas and slug not in broken:
        raise click.ClickException(f"there is no idea {slug!r}")
    slugs = [slug] if slug else sorted({*state.catalog.ideas, *broken})
    records = [
        history_record(state, s) if s in state.catalog.ideas else left_out_record(state, broken[s]) for s in slugs
    ]
    if state.history_warning:
        click.echo(f"warning: {state.history_warning}", err=True)
    if output == "json":
        echo_json(records if slug is None else records[0])
        return
    header = ("slug", "created", "updated", "authors", "pull requests", "status changes", "votes")
    rows = [header]
    for record in records:
        changes = " → ".join(f"{c['status']} ({c['date'][:10]})" for c in record["status_changes"])
        rows.append(
            (
                record["slug"],
                (record["created"] or "unknown")[:10],
                (record["updated"] or "unknown")[:10],
                str(len(record["authors"])),
                " ".join(f"#{n}" for n in record["pull_requests"]) or "-",
                changes or "-",
                str(sum(v["vote"] != "none" for v in record["votes"])),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def _voucher(settings, catalog):
    """What the host vouched for: the stamps of the commits that touched the vote files."""
    from bubbleup.git.vouch import Voucher, read_stamps

    ideas = settings.ideas_dir.relative_to(settings.root).as_posix()
    return Voucher(catalog, read_stamps(settings.root, [ideas]), automation(settings).email)


@click.command()
@output_format("text", "json")
@click.option("--strict", is_flag=True, help="Exit 1 when anything is found.")
@click.pass_obj
def audit(context: Context, output: str, strict: bool) -> None:
    """Check every vote against Git history: who cast it, who changed it, and whether
    the idea was rewritten after it was cast (docs/audit.md explains each finding)."""
    from bubbleup.git.audit import audit as run_audit
    from bubbleup.git.snapshot import snapshot

    settings = context.settings()
    state = snapshot(settings)
    voucher = _voucher(settings, state.catalog)
    try:
        findings = run_audit(state.catalog, state.history, settings.root, voucher)
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    for warning in (state.history_warning, state.roster_warning):
        if warning:
            click.echo(f"warning: {warning}", err=True)
    if output == "json":
        echo_json([f.as_dict() for f in findings])
    else:
        for finding in findings:
            click.echo(str(finding))
        votes = sum(1 for f in state.catalog.feedback if f.vote.value != "none")
        click.echo(f"{len(findings)} finding{'s' * (len(findings) != 1)} about {votes} votes.")
        click.echo(
            f"{len(voucher.vouched)} of {votes} votes were recorded through the host, which vouches for who cast "
            "them; the others rest on commit metadata (docs/audit.md)."
        )
    sys.exit(1 if strict and findings else 0)
