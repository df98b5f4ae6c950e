"""The commands that change files: `new`, `vote` and `decide`.

Each one works out the file's new content with `participate`, checks it with the rules
`check` applies (so no command writes a file that `check` then rejects), writes it
atomically and, with --branch, commits it alone on a new branch ready for a pull request.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from bubbleup.cli.common import Context
from bubbleup.core import characters, drafts, frontmatter
from bubbleup.core.atomic import write_atomic
from bubbleup.core.config import Settings
from bubbleup.core.loader import CUSTOMERS_DIR
from bubbleup.core.model import HANDLE_PATTERN, SLUG_PATTERN, BubbleupError, Catalog, Status, Vote
from bubbleup.core.similarity import similar
from bubbleup.git import runner
from bubbleup.write import participate

BRANCH_HELP = "Create a branch and commit the change on it, ready for a pull request."


def _identity(catalog: Catalog, root: Path, given: str | None, what: str) -> str:
    """The acting person's handle: given, or found from `git config user.email`."""
    handle = given or participate.whoami(catalog.roster, runner.user_email(root))
    if handle is None:
        raise click.ClickException(
            f"cannot tell who you are: set 'git config user.email' to an address in people.yml, or pass {what} HANDLE"
        )
    if not HANDLE_PATTERN.match(handle):
        raise click.ClickException(f"{handle!r} is not a handle (lower-case letters and digits joined by hyphens)")
    if catalog.roster is not None and handle not in catalog.roster:
        raise click.ClickException(f"{handle!r} is not in the roster (ideas/people.yml)")
    return handle


def _read(root: Path, path: Path) -> tuple[str, str] | None:
    """An existing file's (byte order mark, text), None if there is none; a file that is not
    UTF-8 text is refused with its line rather than overwritten."""
    if not path.exists():
        return None
    text, problem = characters.decode(path.read_bytes())
    if text is None:
        line, message = problem or (1, "cannot be read")
        raise click.ClickException(f"{_relative(root, path)}:{line}: {message}; fix it first, or delete it")
    return ("\ufeff" if path.read_bytes().startswith(b"\xef\xbb\xbf") else ""), text


def _write(
    settings: Settings, catalog: Catalog, path: Path, kind: str, slug: str, content: str, mark: str = ""
) -> None:
    """Write the file only if `check` would accept it: the same rules, before a byte is written."""
    options = settings.options
    try:
        participate.verify(
            _relative(settings.root, path), kind, slug, content, catalog.roster, options.criteria, options.score_scale
        )
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    try:
        write_atomic(path, mark + content)
    except OSError as error:  # a full disk, a read-only checkout: the old file stays as it was
        reason = error.strerror or str(error)
        raise click.ClickException(
            f"cannot write {_relative(settings.root, path)}: {reason}; nothing was changed"
        ) from None


def _refuse(root: Path, path: Path, error: BubbleupError | frontmatter.FrontMatterError) -> click.ClickException:
    """A file the command cannot edit: where and why, and the way out."""
    where = f"{_relative(root, path)}:{error.line or 1}"
    return click.ClickException(f"{where}: {error.message}; fix the file (or delete it) and run the command again")


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _finish(root: Path, path: Path, branch: str | None, message: str, action: str, previous: str | None) -> None:
    """Report the change; with a branch, commit it there and give the user back their working tree.

    The branch starts at the default branch (not wherever the user stands), so that
    `new --branch` then `vote --branch` make two independent pull requests; the change
    lives on the branch, and the working tree and HEAD are left as they were.
    """
    from bubbleup.git.commit import commit_files, default_branch
    from bubbleup.write.intake import restore_file

    relative = _relative(root, path)
    if not branch:
        click.echo(f"{action} {relative} (not committed).")
        return
    try:
        base = default_branch(root)
        commit_files(root, {path: path.read_bytes() if path.exists() else None}, message, branch=branch, base=base)
    except BubbleupError as error:
        restore_file(path, previous)  # the working tree is left as it was, as it is when the commit succeeds
        raise click.ClickException(f"nothing changed: could not commit {relative} on {branch}: {error}") from None
    restore_file(path, previous)
    click.echo(
        f"{action} {relative} and committed it on the new branch {branch} (from {base}); your working tree is as "
        f"it was. Push it with 'git push -u origin {branch}' and open a pull request."
    )


def _check_open(settings, catalog: Catalog, slug: str, withdrawing: bool) -> None:
    """The idea exists and takes votes: the same rule as votes through the host (withdrawing is always allowed)."""
    from bubbleup.write.intake_rules import closed_reason

    if slug not in catalog.ideas:
        broken = (settings.ideas_dir / f"{slug}.md").exists()
        known = "it has errors (see bubbleup check)" if broken else "there is no such idea"
        raise click.ClickException(f"cannot vote on {slug!r}: {known}")
    refusal = None if withdrawing else closed_reason(settings, catalog, slug, slug)
    if refusal:
        raise click.ClickException(f"cannot vote on {slug!r}: {refusal}")


def _load(context: Context):
    from bubbleup.git.snapshot import load_catalog

    settings = context.settings()
    return settings, load_catalog(settings)


@click.command()
@click.argument("title")
@click.option(
    "--author", "authors", multiple=True, help="Author handle (repeatable); default: you, from git config user.email."
)
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--campaign", help="The campaign this idea answers.")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
@click.option("--yes", is_flag=True, help="Do not ask, even if similar ideas exist (for scripts).")
@click.option("--branch", is_flag=True, help=BRANCH_HELP)
@click.pass_obj
def new(
    context: Context,
    title: str,
    authors: tuple[str, ...],
    tags: tuple[str, ...],
    campaign: str | None,
    edit: bool,
    yes: bool,
    branch: bool,
) -> None:
    """Propose an idea: create ideas/<slug>.md from the template.

    Lists up to five existing ideas that look like it first, so that you can vote for one
    of them instead. The slug comes from the title; an existing file is never overwritten.
    """
    settings, catalog = _load(context)
    if not title.strip():
        raise click.ClickException("the title is empty; say what the idea is in one line")
    people = list(dict.fromkeys(authors)) or [_identity(catalog, settings.root, None, "--author")]
    for handle in people:
        _identity(catalog, settings.root, handle, "--author")
    for tag in tags:
        if not SLUG_PATTERN.match(tag):
            raise click.ClickException(f"tag {tag!r}: use lower-case words joined by hyphens, such as customer-service")
    if campaign is not None and campaign not in (catalog.campaigns or {}):
        defined = ", ".join(sorted(catalog.campaigns or {})) or "none yet (ideas/campaigns.yml)"
        raise click.ClickException(f"campaign {campaign!r} is not defined; the campaigns are: {defined}")
    matches = similar(title, "", catalog.ideas.values())
    if matches:
        click.echo("These ideas look like yours; voting for one may do more than a new idea:")
        for match in matches:
            click.echo(f"  {match.score:.2f}  {match.idea.slug}  {match.idea.title}")
        if not yes and not click.confirm("Propose yours anyway?", default=False):
            click.echo(f"Nothing written. To support one of them: bubbleup vote {matches[0].idea.slug}")
            return
    taken = (
        {p.stem if p.suffix == ".md" else p.name for p in settings.ideas_dir.iterdir()}
        if settings.ideas_dir.is_dir()
        else set()
    )
    slug = drafts.unique_slug(title, taken)
    path = settings.ideas_dir / f"{slug}.md"
    if path.exists():  # unique_slug saw the folder; this guards against a race
        raise click.ClickException(f"{path} already exists; it is never overwritten")
    _write(settings, catalog, path, "idea", slug, drafts.idea_text(title.strip(), people, date.today(), tags, campaign))
    if edit:
        click.edit(filename=str(path))
    _finish(
        settings.root, path, f"idea/{slug}" if branch else None, f"Propose an idea: {title.strip()}", "Created", None
    )


@click.command()
@click.argument("slug")
@click.option("--up", "choice", flag_value="up", default=True, help="Vote for the idea (the default).")
@click.option("--down", "choice", flag_value="down", help="Vote against it.")
@click.option("--none", "choice", flag_value="none", help="Give feedback without a vote.")
@click.option("--withdraw", "choice", flag_value="withdraw", help="Take your vote back (written feedback stays).")
@click.option("-m", "--message", help="Your written feedback (replaces the earlier text, if any).")
@click.option("--as", "as_handle", help="Vote as this handle instead of the one from git config user.email.")
@click.option("--on-behalf-of", "customer", help="Record a customer's vote (ideas/<slug>/customers/<customer>.md).")
@click.option("--branch", is_flag=True, help=BRANCH_HELP)
@click.pass_obj
def vote(
    context: Context,
    slug: str,
    choice: str,
    message: str | None,
    as_handle: str | None,
    customer: str | None,
    branch: bool,
) -> None:
    """Vote for an idea, against it, or give feedback: write ideas/<slug>/<you>.md.

    Editing an existing vote keeps the rest of the file exactly as it was.
    """
    settings, catalog = _load(context)
    _check_open(settings, catalog, slug, withdrawing=choice == "withdraw")
    handle = _identity(catalog, settings.root, as_handle, "--as")
    voter = customer if customer is not None else handle
    if customer is not None and not SLUG_PATTERN.match(customer):
        raise click.ClickException(f"customer {customer!r}: use lower-case words joined by hyphens, such as acme-corp")
    folder = settings.ideas_dir / slug
    path = folder / CUSTOMERS_DIR / f"{customer}.md" if customer is not None else folder / f"{handle}.md"
    mark, existing = _read(settings.root, path) or ("", None)
    if existing is None and choice == "withdraw":
        raise click.ClickException(f"{voter} has no vote on {slug} to withdraw")
    try:
        if existing is not None:
            frontmatter.parse(existing)  # a file that cannot be read is never overwritten nor removed
        content, action = _ballot(existing, choice, message, handle if customer else None)
    except (BubbleupError, frontmatter.FrontMatterError) as error:
        raise _refuse(settings.root, path, error) from None
    if content is None:
        path.unlink()
    elif content == existing:
        click.echo(f"Nothing to change: {_relative(settings.root, path)} already says that.")
        return
    else:
        _write(settings, catalog, path, "customer" if customer else "feedback", slug, content, mark)
    who = f"{customer} (recorded by {handle})" if customer else handle
    branch_name = f"vote/{slug}-{voter}" if branch else None
    previous = None if existing is None else mark + existing
    _finish(settings.root, path, branch_name, f"Vote on {slug}: {who} {choice}", action, previous)


def _ballot(existing: str | None, choice: str, message: str | None, recorded_by: str | None) -> tuple[str | None, str]:
    """The feedback file's new text (None: remove the file) and what was done, in words."""
    if choice == "withdraw":
        assert existing is not None
        if not frontmatter.split(existing)[1].strip():
            return None, "Withdrew the vote: removed"
        return participate.revote(existing, Vote.NONE), "Withdrew the vote in"
    if existing is None:
        return drafts.feedback_text(Vote(choice), message or "", recorded_by), "Wrote"
    return participate.revote(existing, Vote(choice), message), "Updated"


@click.command()
@click.argument("slug")
@click.argument("status", type=click.Choice([s.value for s in Status]))
@click.option("--reason", required=True, help="Why: one paragraph, shown on the idea's page.")
@click.option("--by", "by", help="Who decided (a handle); default: you, from git config user.email.")
@click.option("--duplicate-of", help="With the status duplicate: the original idea's slug.")
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="The date of the decision (default: today).")
@click.option("--branch", is_flag=True, help=BRANCH_HELP)
@click.pass_obj
def decide(
    context: Context, slug: str, status: str, reason: str, by: str | None, duplicate_of: str | None, when, branch: bool
) -> None:
    """Move an idea through the workflow and record who decided, when and why.

    Transitions the workflow does not allow are refused, with the ones it does.
    """
    settings, catalog = _load(context)
    if slug not in catalog.ideas:
        raise click.ClickException(
            f"cannot decide on {slug!r}: there is no such idea, or it has errors (see bubbleup check)"
        )
    idea = catalog.ideas[slug]
    if duplicate_of is not None:
        original = catalog.ideas.get(duplicate_of)
        if original is None or duplicate_of == slug:
            raise click.ClickException(f"--duplicate-of {duplicate_of!r}: there is no other idea with that slug")
        if original.status is Status.DUPLICATE:
            raise click.ClickException(
                f"{duplicate_of!r} is itself a duplicate of {original.duplicate_of!r}; name that one"
            )
    decider = _identity(catalog, settings.root, by, "--by")
    path = settings.ideas_dir / f"{slug}.md"
    mark, existing = _read(settings.root, path) or ("", "")
    try:
        content = participate.decide(
            existing, idea.status, Status(status), decider, when.date() if when else date.today(), reason, duplicate_of
        )
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    _write(settings, catalog, path, "idea", slug, content, mark)
    _finish(
        settings.root,
        path,
        f"decide/{slug}-{status}" if branch else None,
        f"Decide {slug}: {status}\n\n{reason.strip()}",
        "Updated",
        mark + existing,
    )
