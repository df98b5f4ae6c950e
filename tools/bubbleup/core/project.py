"""Where a Bubbleup project is, found before anything is read or written.

A command run outside a project must write nothing (no stray ideas/foo.md, no generated
pages under ./docs), and a mistyped ideas folder must stop a build rather than publish an
empty site over the real one. config.py asks here; so does the plugin.
"""

from __future__ import annotations

from pathlib import Path

from bubbleup.core.model import BubbleupError

CONFIG_NAME = "mkdocs.yml"
IDEAS_DIR = "ideas"
"""The default ideas folder (Options.ideas_dir): how a project without mkdocs.yml is recognised."""


def find_config(start: Path) -> Path | None:
    """The nearest mkdocs.yml in `start` or a folder above it."""
    return next((folder / CONFIG_NAME for folder in (start, *start.parents) if (folder / CONFIG_NAME).is_file()), None)


def find_project(start: Path) -> Path | None:
    """Without a mkdocs.yml, the nearest folder from `start` up that holds an ideas/ folder."""
    return next((folder for folder in (start, *start.parents) if (folder / IDEAS_DIR).is_dir()), None)


class OptionProblem(BubbleupError):
    """An option mkdocs.yml gets wrong, with the keys that lead to it (to find its line)."""

    def __init__(self, message: str, keys: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.keys = keys


def require_ideas(root: Path, ideas_dir: Path, from_option: bool = False) -> None:
    """Stop unless the ideas folder exists.

    Raises:
        OptionProblem: naming ideas_dir (or --ideas-dir, `from_option`), so that the
            message points at the line of mkdocs.yml to fix.
    """
    if not ideas_dir.is_dir():
        option = "--ideas-dir" if from_option else "ideas_dir"
        folder = ideas_dir.relative_to(root).as_posix()
        what = "is not a folder" if ideas_dir.exists() else "does not exist"
        raise OptionProblem(
            f"{option}: the ideas folder {folder} {what}; fix {option}, or create the folder (mkdir {folder})",
            ("ideas_dir",),
        )
