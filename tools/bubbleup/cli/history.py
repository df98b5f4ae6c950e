"""The commands that read Git history: `history` and `audit`."""

from __future__ import annotations

import json
import sys

import click

from bubbleup.cli.common import Context


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def idea_history(state, slug: str) -> dict:
    """The JSON shape of `bubbleup history` for one idea (documented in docs/cli.md)."""
    idea = state.catalog.ideas[slug]
    entry = state.history.of(idea.path)
    timeline = state.timelines.get(slug)
    votes = []
    for item in state.catalog.feedback_by_idea.get(slug, ()):
        events = state.history.of(item.path)
        votes.append(
            {
                "voter": item.voter,
                "customer": item.customer is not None,
                "path": item.path,
                "vote": item.vote.value,
                "changes": [
                    {
                        "date": _iso(e.when),
                        "vote": e.value,
                        "by": {"name": e.name, "email": e.email},
                        "commit": e.commit,
                    }
                    for e in (events.changes() if events else [])
                ],
            }
        )
    return {
        "slug": slug,
        "path": idea.path,
        "title": idea.title,
        "created": _iso(entry.created) if entry else None,
        "updated": _iso(entry.updated) if entry else None,
        "authors": [{"name": name, "email": email} for name, email in (entry.authors if entry else [])],
        "pull_requests": list(timeline.pull_requests) if timeline else [],
        "status_changes": [
            {"date": _iso(moment), "status": status} for moment, status in (timeline.status_changes if timeline else ())
        ],
        "votes": votes,
        "note": timeline.label if timeline else None,
    }


def left_out_history(state, path: str) -> dict:
    """The same shape for an idea file that has errors: it is left out of the site, but
    Git still knows its dates, authors and pull requests (its votes are not read)."""
    entry = state.history.of(path)
    return {
        "slug": path.rsplit("/", 1)[-1].removesuffix(".md"),
        "path": path,
        "title": None,
        "created": _iso(entry.created) if entry else None,
        "updated": _iso(entry.updated) if entry else None,
        "authors": [{"name": name, "email": email} for name, email in (entry.authors if entry else [])],
        "pull_requests": sorted(set(entry.pull_requests)) if entry else [],
        "status_changes": [
            {"date": _iso(event.when), "status": event.value or "proposed"}
            for event in (entry.changes() if entry else [])
        ],
        "votes": [],
        "note": "left out of the site: the file has errors (see bubbleup check)",
    }


@click.command()
@click.argument("slug", required=False)
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def history(context: Context, slug: str | None, output: str) -> None:
    """Show what Git says about each idea (or one): dates, authors, pull requests,
    status changes and votes over time."""
    from bubbleup.git.snapshot import snapshot

    state = snapshot(context.settings())
    broken = {path.rsplit("/", 1)[-1].removesuffix(".md"): path for path in state.catalog.left_out}
    if slug is not None and slug not in state.catalog.ideas and slug not in broken:
        raise click.ClickException(f"there is no idea {slug!r}")
    slugs = [slug] if slug else sorted({*state.catalog.ideas, *broken})
    records = [
        idea_history(state, s) if s in state.catalog.ideas else left_out_history(state, broken[s]) for s in slugs
    ]
    if state.history_warning:
        click.echo(f"warning: {state.history_warning}", err=True)
    if output == "json":
        click.echo(json.dumps(records if slug is None else records[0], indent=2, ensure_ascii=False))
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
    from bubbleup.core.model import BubbleupError
    from bubbleup.git.commit import Identity
    from bubbleup.git.vouch import Voucher, read_stamps

    try:
        automation = Identity.parse(settings.options.intake_committer, "intake_committer")
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    ideas = settings.ideas_dir.relative_to(settings.root).as_posix()
    return Voucher(catalog, read_stamps(settings.root, [ideas]), automation.email)


@click.command()
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 when anything is found.")
@click.pass_obj
def audit(context: Context, output: str, strict: bool) -> None:
    """Check every vote against Git history: who cast it, who changed it, and whether
    the idea was rewritten after it was cast (docs/audit.md explains each finding)."""
    from functools import partial

    from bubbleup.git import runner
    from bubbleup.git.audit import audit as run_audit
    from bubbleup.git.snapshot import snapshot

    settings = context.settings()
    state = snapshot(settings)
    if state.history_warning:
        click.echo(f"warning: {state.history_warning}", err=True)
    voucher = _voucher(settings, state.catalog)
    findings = run_audit(state.catalog, state.history, partial(runner.read_blobs, settings.root), voucher)
    if output == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
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
