"""`build` and `serve`: the site, built once or previewed live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bubbleup.cli.common import Context, count, summary, warn_problems
from bubbleup.core.model import BubbleupError

if TYPE_CHECKING:
    from bubbleup.core.config import Settings
    from bubbleup.site.pages import Written


def reproducible_now() -> datetime | None:
    """The moment a build is made as of: SOURCE_DATE_EPOCH when set (the convention of
    reproducible builds, which mkdocs follows too), so that two builds compare byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise click.ClickException(f"SOURCE_DATE_EPOCH must be a number of seconds; got {epoch!r}") from None


@click.command()
@click.option("--strict", is_flag=True, help="Fail on any problem instead of leaving broken ideas out.")
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    help="public: only ideas marked public, without names, feedback or roster data (default: the configured "
    "audience, internal).",
)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to build (default: site_dir of mkdocs.yml; site-public/ for the public audience).",
)
@click.option(
    "--builder",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The site builder to run on the generated pages.",
)
@click.option(
    "--clean",
    is_flag=True,
    help="Make and build every page again instead of only those whose inputs changed since the previous site.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the site builder's progress.")
@click.pass_obj
def build(
    context: Context,
    strict: bool,
    audience: str | None,
    site_dir: Path | None,
    builder: str,
    clean: bool,
    verbose: bool,
) -> None:
    """Validate, tally, generate the idea pages and build the site into site/.

    An idea with errors is reported and left out; the rest of the site is built. With a
    previous site present, only the pages whose source changed are built again; the
    result is the same as a full build's. The previous site/ is replaced, all at once,
    only when the new build succeeds.
    """
    from contextlib import nullcontext

    from bubbleup.site import halves
    from bubbleup.site.build import log_to_stderr, run_mkdocs, run_zensical, unwritable
    from bubbleup.site.publish import turn

    settings = context.settings()
    if settings.config_file is None:  # before anything is written: no pages without a site to build
        raise click.ClickException(f"no mkdocs.yml in {settings.root} or above; the site needs one (see README)")
    now = reproducible_now()
    log_to_stderr(verbose)
    audience = audience or settings.options.audience
    target = _site_dir(settings, site_dir, audience)
    make = partial(make_pages, settings, now, strict, audience, clean)
    # The generated pages go under docs_dir; mkdocs, reading its configuration beside the
    # child that writes them, requires the folder to exist: a new project may not have it yet.
    settings.docs_dir.mkdir(parents=True, exist_ok=True)
    made: Made | None = None
    try:
        with turn(settings.root):
            if builder == "zensical":
                made = received(make())
                run_zensical(settings, strict, target)
            else:
                # With a second processor, the pages are made in a forked child while mkdocs
                # reads its configuration and the previous site here; mkdocs waits for them
                # only when it walks the docs folder (site/plugin.py `waiting`).
                with halves.Ahead(make) if halves.available() else nullcontext() as ahead:

                    def pages():
                        nonlocal made
                        made = received((ahead.result() if ahead is not None else None) or make())
                        return made.written.tree if made.written is not None else None

                    run_mkdocs(settings, strict, target, clean=clean, pages=pages)
    except OSError as error:
        raise click.ClickException(str(unwritable(error))) from None
    except BubbleupError as error:
        raise click.ClickException(str(error)) from None
    assert made is not None and made.written is not None
    click.echo(_built(settings, target, made, made.written))


def _built(settings: Settings, target: Path, made: Made, written: Written) -> str:
    """What `build` says it did, and where to open the site."""

    def shown(path: Path) -> Path:
        return path.relative_to(settings.root) if path.is_relative_to(settings.root) else path

    built = f"Built {count(made.shown, 'idea page')}{made.left_out} ({count(len(written.written), 'page')} rewritten)."
    if (target / "index.html").is_file():
        return f"{built} Open {shown(target / 'index.html')}"
    # The site's home page comes from docs/index.md, which a new project may not have yet.
    return f"{built} The site is in {shown(target)}, without a home page: write {shown(settings.docs_dir / 'index.md')} to give it one."


def _site_dir(settings: Settings, given: Path | None, audience: str) -> Path:
    """Where to build: the folder given, else the configured one (site-public/ for the
    public audience when it is not the configured one)."""
    if given is not None:
        return given.resolve()
    if audience == "public" and audience != settings.options.audience:
        return settings.site_dir.with_name(settings.site_dir.name + "-public")
    return settings.site_dir


@dataclass
class Made:
    """What making the pages gives the rest of `build`, made here or in a forked child
    (`halves.Ahead`): what to print, and what the site builder needs."""

    messages: list[str]
    stop: str | None = None
    """Why nothing was made (--strict with problems)."""
    shown: int = 0
    left_out: str = ""
    written: Written | None = None
    handed: tuple[int, str, bytes, bytes] | None = None
    """The statuses of the pages the ledger kept, for mkdocs' plan (site/ledger.py `hand_on`)."""
    error: tuple | None = None
    """An error of the writer: ("bubbleup", text) or ("os", errno, text, file name)."""


def make_pages(settings: Settings, now: datetime | None, strict: bool, audience: str, clean: bool) -> Made:
    """Validate, tally and write the generated pages (site/pages.py `generate`): the first
    half of `build`, which may run in a forked child, so its messages are returned, not printed."""
    from bubbleup.git.snapshot import snapshot
    from bubbleup.site.build import generate
    from bubbleup.site.context import published
    from bubbleup.site.ledger import pack, taken_over

    state = snapshot(settings, now=now, whole_history=True)  # the timelines need it
    problems = list(state.catalog.problems)
    messages = [str(problem) for problem in problems]
    if state.history_warning:
        messages.append(f"warning: {state.history_warning}")
    if strict and problems:
        return Made(messages, stop=f"{summary(problems)}; --strict builds nothing until they are fixed")
    shown = len(published(state.catalog, audience == "public"))
    internal = len(state.catalog.ideas) - shown
    left_out = f", {len(state.catalog.left_out)} left out (see above)" if state.catalog.left_out else ""
    left_out += f", {internal} internal not published" if internal else ""
    try:
        written = generate(state, audience, clean=clean)
    except BubbleupError as error:
        return Made(messages, error=("bubbleup", str(error)))
    except OSError as error:
        return Made(messages, error=("os", error.errno, error.strerror, error.filename))
    handed = taken_over()
    return Made(messages, None, shown, left_out, written, pack(handed) if handed is not None else None)


def received(made: Made) -> Made:
    """Print what making the pages said, fail as it failed, and hand the ledger's statuses
    on to the plan of this process (site/ledger.py), which holds the project's lock."""
    from bubbleup.site.ledger import hand_on, unpack

    for message in made.messages:
        click.echo(message, err=True)
    if made.stop is not None:
        raise click.ClickException(made.stop)
    if made.error is not None:
        kind, *details = made.error
        if kind == "os":
            raise OSError(*details)
        raise BubbleupError(details[0])
    if made.handed is not None:
        hand_on(*unpack(made.handed))
    return made


@click.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("-v", "--verbose", is_flag=True, help="Show the site builder's progress.")
@click.option(
    "--poll", is_flag=True, help="Look for changes twice a second, as mkdocs does (network drives, some containers)."
)
@click.pass_obj
def serve(context: Context, dev_addr: str, verbose: bool, poll: bool) -> None:
    """Preview the site, regenerating pages and reloading the browser when ideas change.

    Regeneration on change needs the bubbleup plugin in mkdocs.yml's plugins list, which
    also has the operating system report changes (unless --poll).
    """
    from bubbleup.core import caches
    from bubbleup.git.snapshot import snapshot
    from bubbleup.site import watching
    from bubbleup.site.build import generate, log_to_stderr, quiet_material

    caches.freeze_loaded(False)  # the server runs for hours: what it loads is frozen once, after its first build
    watching.polling_asked = poll

    settings = context.settings()
    if settings.config_file is None:
        raise click.ClickException(f"no mkdocs.yml in {settings.root} or above; the site needs one")
    log_to_stderr(True)
    if not settings.plugin_enabled:
        # Without the plugin the pages are written once; with it, they are made in memory on
        # every build, never written where the server watches (or each build would trigger the next).
        state = snapshot(settings)
        warn_problems(list(state.catalog.problems))
        try:
            generate(state)
        except BubbleupError as error:
            raise click.ClickException(str(error)) from None
        click.echo(
            "warning: the bubbleup plugin is not in mkdocs.yml, so pages are not regenerated on change", err=True
        )
    quiet_material()
    from mkdocs.commands.serve import serve as mkdocs_serve

    # Called directly with livereload=True: mkdocs' own CLI needs --livereload with Click > 8.2.1.
    # Dirty builds: the plugin rebuilds only the pages whose source changed, and the views.
    mkdocs_serve(
        config_file=str(settings.config_file),
        livereload=True,
        dev_addr=dev_addr,
        build_type="dirty" if settings.plugin_enabled else None,
    )
