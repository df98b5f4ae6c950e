"""Possible duplicates of a pull request's new ideas, without validating every idea.

The review lists, for each idea a pull request adds or retitles, the existing ideas most
like it (`similarity.similar`). That needs every idea's title and text, but not the full
check of every file (its Markdown scan is most of a check's time): each idea file is read
once, its front matter parsed for the title, and scored. Only the best candidates are then
loaded and validated as the full check would, best first, until `limit` valid ones are
found: an idea that the check rejects is skipped as it would be by a review of the full
catalog, so the matches are the same.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from bubbleup.core import characters, frontmatter, similarity, titles
from bubbleup.core.adoption import Adoption
from bubbleup.core.config import Settings
from bubbleup.core.forked import available, in_halves
from bubbleup.core.model import Idea
from bubbleup.git import scoped
from bubbleup.git.snapshot import load_catalog

T = TypeVar("T")
R = TypeVar("R")

BATCH = 10
"""Candidates validated at a time: a few more than the matches shown."""


_QUICK = re.compile(
    r'^title: +(?:"([^"\\\r\n\x85\u2028\u2029]*)"|([A-Za-z0-9][^:#\t\r\n\x85\u2028\u2029]*?)) *(?:\n(?=[^\s#])|\n?\Z)',
    re.M,
)
_KEYS = re.compile(r"^[\"']?title[\"']?[ \t]*:", re.M)


def quick_title(source: str) -> str | None:
    """The title of the common `title: "One line"` or `title: Plain words` front matter line
    without a YAML parser (a third of a sketch's time), or None when YAML's rules need the
    parser: escapes, colons, comments, a value continued on the next lines, two title keys."""
    match = _QUICK.search(source)
    if match is None or len(_KEYS.findall(source)) != 1:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def _title(text: str, adoption: Adoption) -> tuple[str | None, str, bool]:
    """(the front matter's title, the body, whether there is front matter). The title is
    read as `frontmatter.scalar_text` reads a past status, composing the YAML without
    building values; a folder whose key_map renames a key to title is parsed in full."""
    _, source, _, body, _ = frontmatter.sections(text)
    if source is None:
        return None, body, False
    if any(ours == "title" for _, ours in adoption.keys):
        node = adoption.rename(frontmatter.parse(text).fields)[0].get("title")
        return (str(node.value) if node is not None and node.kind == "str" else None), body, True
    quick = quick_title(source)
    if quick is not None:
        return quick.strip() or None, body, True
    return frontmatter.scalar_text(text, "title", "") or None, body, True


def _sketch(entry: os.DirEntry, ideas_dir: Path, max_size: int, adoption: Adoption) -> Idea | None:
    """An idea with only its title and text, as the loader reads them (None if unreadable)."""
    slug = entry.name[:-3]
    try:
        path = entry.path  # in the folder listed: only a link may lead out of it
        if entry.is_symlink() and not (path := Path(path).resolve(strict=True)).is_relative_to(ideas_dir):
            return None  # as the loader: a link out of the ideas folder is not read
        with open(path, "rb") as file:
            data = file.read(max_size + 1)
    except (OSError, RuntimeError):
        return None
    text, problem = characters.decode(data)
    if text is None or problem is not None or len(data) > max_size:
        return None
    if characters.suspect(text):
        text = characters.blank(text)  # an approximation: the validated idea is scored again
    try:
        title, body, front = _title(text, adoption)
    except frontmatter.FrontMatterError:
        return None
    if not front:
        return Idea(slug=slug, title=titles.title_of(body, slug), path="", text=body)
    if title is None or not title.strip():
        return None
    return Idea(slug=slug, title=title.strip(), path="", text=body)


class Candidates:
    """Every idea file, sketched once when first asked, to find the ideas most like a new one.

    Each sketch is bounded (`similarity.Bound`, from its words as written, counted in C)
    against every idea given as a query, in one pass over the files; an idea's `Words`
    are counted only when its bound reaches the best scores. With two processors, the
    second half of the files is read in a forked child (`_in_halves`)."""

    def __init__(self, settings: Settings, queries: Iterable[Idea] = ()):
        options = settings.options
        self.settings = settings
        self.adoption = Adoption(options.status_map, options.key_map, options.extra_keys)
        self.queries = {idea.slug: (idea, similarity.Bound(idea.title, idea.text)) for idea in queries}
        self.table: list[tuple[Idea, tuple[float, ...]]] | None = None
        self.counted: dict[str, similarity.Words] = {}

    def _entries(self) -> list[os.DirEntry]:
        with os.scandir(self.settings.ideas_dir.resolve()) as listing:
            return sorted(
                (e for e in listing if e.name.endswith(".md") and not e.name.startswith((".", "_"))),
                key=lambda e: e.name,
            )

    def _rows(self, entries: list[os.DirEntry]) -> list[tuple[str, str, str, tuple[float, ...]]]:
        """(slug, title, text, its bound against each query) of each file that sketches."""
        folder, limit = self.settings.ideas_dir.resolve(), self.settings.options.max_file_size
        bounds = [bound for _, bound in self.queries.values()]
        rows = []
        for entry in entries:
            sketch = _sketch(entry, folder, limit, self.adoption) if entry.name.lower() != "readme.md" else None
            if sketch is not None:
                outline = similarity.Outline.of(sketch.title, sketch.text)
                rows.append(
                    (sketch.slug, sketch.title, sketch.text, tuple(bound(sketch.title, outline) for bound in bounds))
                )
        return rows

    def _table(self) -> list[tuple[Idea, tuple[float, ...]]]:
        rows = _in_halves(self._entries(), self._rows)
        return [(Idea(slug=slug, title=title, path="", text=text), bounds) for slug, title, text, bounds in rows]

    def _words(self, idea: Idea) -> similarity.Words:
        found = self.counted.get(idea.slug)
        if found is None:
            found = self.counted[idea.slug] = similarity.Words.of(idea.title, idea.text)
        return found

    def similar(self, idea: Idea, limit: int = 5) -> list[similarity.Match]:
        """What `similarity.similar` finds for `idea` among every other valid idea."""
        if self.table is None:
            self.table = self._table()
        query, bound = self.queries.get(idea.slug, (None, None))
        if query is not None and bound is not None and (query.title, query.text) == (idea.title, idea.text):
            column = list(self.queries).index(idea.slug)
            bounds = [
                (-row[column], sketch.slug, sketch, None) for sketch, row in self.table if sketch.slug != idea.slug
            ]
        else:  # not given as a query: bounded here, from each sketch's outline
            bound = similarity.Bound(idea.title, idea.text)
            bounds = [
                (-bound(sketch.title, similarity.Outline.of(sketch.title, sketch.text)), sketch.slug, sketch, None)
                for sketch, _ in self.table
                if sketch.slug != idea.slug
            ]
        exact = bound
        ranked = similarity.best_first(bounds, lambda other, _: exact.exact(other.title, self._words(other)))
        valid: list[Idea] = []
        while len(valid) < limit:
            batch = [match.idea.slug for match in itertools.islice(ranked, BATCH)]
            if not batch:
                break
            valid += self._validated(batch)
        return similarity.similar(idea.title, idea.text, valid, limit)

    def _validated(self, slugs: list[str]) -> list[Idea]:
        """The ideas among `slugs` that the full check accepts, as it reads them."""
        selection = scoped.Selection(idea_files=set(slugs))
        for slug in slugs:
            target = scoped.duplicate_target(self.settings.ideas_dir.resolve(), slug, self.adoption)
            if target:
                selection.idea_files.add(target)
        catalog = load_catalog(self.settings, selection.visits, scoped.no_cache(self.settings))
        return [catalog.ideas[slug] for slug in slugs if slug in catalog.ideas]


SPLIT_AT = 2000
"""Files from which `_in_halves` forks a child for the second half: below, forking costs
more than it saves."""


def _in_halves(items: list[T], work: Callable[[list[T]], list[R]]) -> list[R]:
    """`work(items)`, the second half in a forked child on a machine with two processors
    or more (`core.forked`). If the child fails, the second half is worked here, and fails
    here as it would have without a child."""
    if len(items) < SPLIT_AT or not available():
        return work(items)
    return in_halves(work, items)
