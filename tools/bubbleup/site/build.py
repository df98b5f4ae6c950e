"""Run the site builder on the generated pages (site/pages.py).

The previous site/ is replaced, all at once, only when a new build has succeeded
(site/publish.py); the plugin makes the build incremental (site/incremental.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bubbleup.core.config import Settings
from bubbleup.core.model import BubbleupError
from bubbleup.site.audience import fit
from bubbleup.site.pages import MARKER, Written, generate, render, write_pages
from bubbleup.site.publish import publish, stage, turn
from bubbleup.site.walk import Tree

__all__ = ["MARKER", "Written", "generate", "render", "write_pages", "run_mkdocs", "run_zensical", "log_to_stderr"]


def quiet_material() -> None:
    """Material 9.7+ prints an end-of-life banner on every build; our output stays ours."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def run_mkdocs(
    settings: Settings,
    strict: bool,
    site_dir: Path | None = None,
    clean: bool = False,
    pages: Callable[[], Tree | None] | None = None,
) -> None:
    """Build the site into a staging folder, then put it in place of the old site/.

    With the bubbleup plugin in mkdocs.yml and a previous site present, only the pages
    whose source changed are built again (and the views); the rest are taken from the
    previous site, so the result is the same as a full build's. `clean` builds everything.
    `pages`: waits for the pages being generated meanwhile and gives what the pages folder
    then holds, as `generate` listed it (site/walk.py). mkdocs reads its configuration
    first, and with the plugin the previous site too: it needs the pages only when it
    walks the docs folder (site/plugin.py `waiting`).

    Raises:
        BubbleupError: there is no mkdocs.yml, mkdocs fails (strict warnings included),
        or the site cannot be written (a read-only folder, a full disk).
    """
    if settings.config_file is None:
        raise BubbleupError(f"no mkdocs.yml in {settings.root} or above; the site needs one (see README)")
    quiet_material()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from bubbleup.site.plugin import BubbleupPlugin

    with turn(settings.root):
        target, staging = stage(site_dir or settings.site_dir)
        try:
            config = load_config(config_file=str(settings.config_file), site_dir=str(staging), strict=strict)
            plugin = config.plugins.get("bubbleup")
            incremental = _hand_pages(config, settings, None if clean else target, pages or (lambda: None))
            build(config, dirty=incremental)
            reused = plugin.reused if isinstance(plugin, BubbleupPlugin) else ()
            publish(
                staging, target, staging, reused, plugin.listed(target) if isinstance(plugin, BubbleupPlugin) else None
            )
        except MkDocsException as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise BubbleupError(f"the site build failed: {error}") from None
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise unwritable(error) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _hand_pages(config: Any, settings: Settings, previous: Path | None, pages: Callable[[], Tree | None]) -> bool:
    """Give the bubbleup plugin what it needs (the pages, when it asks for them; the
    previous site), or without it wait for the pages here; whether the build is incremental."""
    from bubbleup.site.plugin import BubbleupPlugin
    from bubbleup.site.templates import CACHE, compile_once

    def ready() -> Tree | None:
        """The pages, once written; the navigation then leaves out those not written."""
        found = pages()
        fit(config, settings.options.tool_pages, settings.pages_dir.relative_to(settings.docs_dir).as_posix())
        return found

    plugin = config.plugins.get("bubbleup")
    incremental = isinstance(plugin, BubbleupPlugin) and plugin.config["enabled"]
    if incremental and settings.cache_dir is not None:
        compile_once(config.theme, settings.cache_dir / CACHE)
    if isinstance(plugin, BubbleupPlugin):
        plugin.pages_ready = True
        plugin.settings = settings
        plugin.previous_site = previous
        plugin.waiting = ready
    else:
        ready()
    return incremental


def unwritable(error: OSError) -> BubbleupError:
    """One clear line for a write that failed (a full disk, a file too large, no permission)."""
    where = f" ({error.filename})" if error.filename else ""
    return BubbleupError(
        f"the site could not be written: {error.strerror or error}{where}; the previous site is unchanged"
    )


def run_zensical(settings: Settings, strict: bool, site_dir: Path | None = None) -> None:
    """Build the same generated pages with zensical (which ignores mkdocs plugins, so
    the pages must already be on disk), then put the result in place as for mkdocs.

    Raises:
        BubbleupError: zensical is not installed, or it fails.
    """
    import re
    import subprocess
    import sys

    if settings.config_file is None:
        raise BubbleupError(f"no mkdocs.yml in {settings.root} or above; the site needs one (see README)")
    program = shutil.which("zensical") or str(Path(sys.executable).with_name("zensical"))
    if not Path(program).exists():
        raise BubbleupError("zensical is not installed: pip install zensical")
    with turn(settings.root):
        target, staging = stage(site_dir or settings.site_dir)
        # zensical insists on a site folder inside the project.
        built = Path(tempfile.mkdtemp(prefix=".site.", suffix=".zensical", dir=settings.root))
        text = settings.config_file.read_text(encoding="utf-8")
        line = f"site_dir: {built}"
        text = re.sub(r"(?m)^site_dir:.*$", line, text) if re.search(r"(?m)^site_dir:", text) else text + f"\n{line}\n"
        config = settings.config_file.with_name(f".{settings.config_file.stem}.zensical.yml")
        config.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run(
                [program, "build", "-f", str(config), *(["--strict"] if strict else [])],
                cwd=settings.root,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BubbleupError(f"zensical failed: {(result.stderr or result.stdout).strip()[-500:]}")
            publish(built, target, staging)
        except OSError as error:
            raise unwritable(error) from None
        finally:
            config.unlink(missing_ok=True)
            shutil.rmtree(built, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)


class _CleanFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname}: {record.getMessage()}"


def log_to_stderr(verbose: bool) -> None:
    """Show mkdocs' warnings (and with --verbose its progress) the way mkdocs itself does."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_bubbleup", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(_CleanFormatter())
        handler._bubbleup = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False
