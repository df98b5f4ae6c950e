"""The theme's own files, listed without walking its hidden folders.

On every build (and every rebuild of the preview) mkdocs adds the theme's static files
to the site's files: it lists every file of the theme's folders through jinja2, then
drops by pattern what is not to be copied, every path with a hidden part among them
(`.*`, `*/.*`). Material keeps 14,348 of its 14,509 files in a hidden folder (`.icons`,
read by its icon extension, never copied): a walk of it and 14,500 pattern tests, about
0.1 s of each build. The build's template environment is given a listing that does not
enter hidden folders when mkdocs' own filter asks: the same answer, since that filter
drops whatever such a folder holds. Any other question gets jinja2's own listing.
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any

import jinja2

FILTER = ("mkdocs.structure.files", "Files.add_files_from_theme.<locals>.filter")
"""mkdocs' filter of the theme's files, by module and qualified name."""


def prune_hidden(theme: Any) -> None:
    """Have the environments the theme makes list its files without hidden folders,
    for mkdocs' filter of the theme's files."""
    made = theme.get_env
    if getattr(made, "pruned", False):
        return

    def get_env() -> jinja2.Environment:
        env = made()
        if type(env.loader) is jinja2.FileSystemLoader:
            env.list_templates = partial(_listing, env, env.list_templates)
        return env

    get_env.pruned = True  # type: ignore[attr-defined]
    theme.get_env = get_env


def _listing(env: jinja2.Environment, plain: Any, extensions: Any = None, filter_func: Any = None) -> list[str]:
    """`Environment.list_templates`, without entering hidden folders when the filter is
    mkdocs' own (which refuses every name with a hidden part)."""
    if (
        extensions is not None
        or (getattr(filter_func, "__module__", None), getattr(filter_func, "__qualname__", None)) != FILTER
    ):
        return plain(extensions, filter_func)
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    return [name for name in visible_templates(loader) if filter_func(name)]


def visible_templates(loader: jinja2.FileSystemLoader) -> list[str]:
    """`FileSystemLoader.list_templates` (the same names, in the same order) without what
    is under a folder whose name begins with a dot."""
    found = set()
    for searchpath in loader.searchpath:
        for folder, folders, names in os.walk(searchpath, followlinks=loader.followlinks):
            folders[:] = [name for name in folders if not name.startswith(".")]
            for name in names:
                template = os.path.join(folder, name)[len(searchpath) :].strip(os.path.sep).replace(os.path.sep, "/")
                found.add(template[2:] if template[:2] == "./" else template)
    return sorted(found)
