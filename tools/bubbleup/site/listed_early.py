"""mkdocs' file list, made while the pages are still being made.

In the two-process build (site/halves.py `Ahead`) mkdocs waits for the pages in the
plugin's `on_pre_build`, then walks the docs folder and makes a file object for each of
11,000 files at 5,000 ideas (`get_files`, about a quarter of a second after the pages were
ready, with the walk given the writer's listing: site/walk.py). Meanwhile the parent had
nothing to do. Now, before it waits, it lists the pages folder as it is and has mkdocs
make its file list from that (`list_early`); once the pages are written, the writer's
listing is compared with the one taken early, and when they are the same (a vote changes
what pages say, not which pages there are) mkdocs' own call of `get_files` is given that
list (`hand_listed`). Otherwise mkdocs walks as before, with the writer's listing.

The list is the one mkdocs would make: the same walk over the same names, and nothing but
the pages folder changes while the pages are made (the build holds the project's lock:
site/publish.py `turn`). What `get_files` reads of the configuration besides the folders
(the patterns of excluded, draft and not-in-navigation files) is set before the plugin's
`on_pre_build`, except when `tool_pages: false` adds to the excluded patterns when the
pages are ready (site/audience.py `fit`): then nothing is listed early.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bubbleup.site.walk import Tree, hand_over, survey, take_back


@dataclass
class Listed:
    """The pages folder as listed early, and the file list mkdocs made from it."""

    tree: Tree
    files: Any  # mkdocs' Files
    config: Any  # the configuration it was made for


def list_early(config: Any, pages_dir: Path, generated: str) -> Listed | None:
    """mkdocs' file list of the docs folder with the pages folder as it is now, or None
    when its listing could not stand in for mkdocs' walk (site/walk.py `hand_over`)."""
    from mkdocs.structure.files import get_files

    if not pages_dir.is_dir():
        return None
    tree = survey(pages_dir)
    if not hand_over(config.docs_dir, generated, tree):
        return None
    try:
        files = get_files(config)
    finally:
        take_back()
    for file in files:  # what the plan and the feeds' links ask of each (cached on the file)
        file.abs_src_path, file.abs_dest_path, file.url  # noqa: B018 - worked out now, while the pages are made
    return Listed(tree, files, config)


def hand_listed(listed: Listed | None, tree: Tree | None) -> bool:
    """Have mkdocs' next `get_files` of the same configuration give the list made early,
    if the pages folder holds what it held then (`tree`: the writer's listing); whether it
    was handed over. `take_listed_back` undoes it."""
    from mkdocs.commands import build

    take_listed_back()
    real = getattr(build, "get_files", None)  # mkdocs 1.x's build calls it by this name
    if real is None or listed is None or tree is None or not tree.whole or tree != listed.tree:
        return False
    build.get_files = _Once(listed, real)
    return True


class _Once:
    """`get_files` that gives the list made early, once, to the configuration it was made
    for, and is mkdocs' own for anything else; either way mkdocs gets its own back."""

    def __init__(self, listed: Listed, real: Any) -> None:
        self.listed: Listed | None = listed
        self.real = real

    def __call__(self, config: Any) -> Any:
        listed, self.listed = self.listed, None
        take_listed_back()
        if listed is not None and config is listed.config:
            return listed.files
        return self.real(config)


def take_listed_back() -> None:
    """Give mkdocs' build module its own `get_files` back (after its walk, or when a build fails)."""
    from mkdocs.commands import build

    found = getattr(build, "get_files", None)
    if isinstance(found, _Once):
        build.get_files = found.real


def give_back() -> None:
    """Give mkdocs its own walk of the docs folder (site/walk.py `hand_over`) and its own
    `get_files` back, whichever was handed over: after its walk, or when a build fails."""
    take_back()
    take_listed_back()
