"""One listing of the generated folder per build, shared by the page writer and mkdocs.

A build used to learn what the pages folder holds twice, one right after the other: the
page writer walked it to find stale pages (site/pages.py), then mkdocs walked the whole
docs folder, the same 5,000 idea folders included, to make its file list (0.14 and 0.10
CPU seconds at 5,000 ideas, loaded machine). Now the writer lists the folder once (one
directory read per folder, as site/spare.py lists a site), keeps that listing in step
with what it removes and adds, and mkdocs' walk of the docs folder is given that listing
where it reaches the pages folder: mkdocs still makes every file object itself, from the
same names in the same order, so its file list is the one its own walk gives.

The listing stands in for mkdocs' walk only when it is what that walk would find: mkdocs
follows symbolic links into folders and the writer's listing does not enter them, so a
pages folder holding a link to a folder (or a folder that could not be read) is walked by
mkdocs as before. Between the listing and mkdocs' walk the build holds the project's
lock (site/publish.py `turn`), and only the build itself writes the pages folder: a file
someone removes by hand in between is a page mkdocs cannot read, as it was when it was
removed between mkdocs' walk and its reading of the page.
"""

from __future__ import annotations

import os
import posixpath
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bubbleup.core import caches
from bubbleup.site.listing_cache import Listings

Walked = tuple[str, list[str], list[str]]


@dataclass
class Tree:
    """What a folder holds, folder by folder, as `os.walk` names it: each folder's path
    relative to the top ("" for the top) with the names of its folders and of its other
    entries (files, and symbolic links to anything but a folder)."""

    folders: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    whole: bool = True
    """Whether the listing is what mkdocs' walk (which follows links) would find: not
    when a symbolic link to a folder, or a folder that could not be read, was met."""

    def files(self) -> Iterator[str]:
        """Every entry that is not a folder, as a path relative to the top."""
        for folder, (_, names) in self.folders.items():
            for name in names:
                yield f"{folder}/{name}" if folder else name

    def add(self, path: str) -> None:
        """A file the build made (its folders made with it, as the writer makes them)."""
        folder, _, name = path.rpartition("/")
        self._folder(folder)[1].add(name)

    def discard(self, path: str) -> None:
        """A file the build removed (its folder stays, as on disk)."""
        folder, _, name = path.rpartition("/")
        found = self.folders.get(folder)
        if found is not None:
            found[1].discard(name)

    def _folder(self, folder: str) -> tuple[set[str], set[str]]:
        found = self.folders.get(folder)
        if found is None:
            found = self.folders[folder] = (set(), set())
            if folder:
                parent, _, name = folder.rpartition("/")
                self._folder(parent)[0].add(name)
        return found

    def walk(self, top: str, folder: str = "") -> Iterator[Walked]:
        """What `os.walk(top, followlinks=True)` gives for the folder listed, the top named
        `top`; as with it, the caller may sort or prune the folders' list it is given."""
        subfolders, names = self.folders.get(folder, ((), ()))
        within = list(subfolders)
        yield top, within, list(names)
        for name in within:
            yield from self.walk(os.path.join(top, name), f"{folder}/{name}" if folder else name)


def survey(top: Path, kept: Path | None = None) -> Tree:
    """List a folder with one directory read per folder (the `os.walk` the writer used
    asked about each folder again to know whether it was a link), or with a `stat` of a
    folder unchanged since the last build listed it (`kept`: the cache file of
    site/listing_cache.py). The garbage collector is held meanwhile: the two sets kept for
    each of 5,000 folders set off collections that walked the build's whole heap (0.15 s
    at 5,000 ideas, loaded machine)."""
    with caches.uncollected():
        listings = Listings(kept, top) if kept is not None else None
        tree = _survey(top, listings)
        if listings is not None:
            listings.save()
        return tree


def _survey(top: Path, listings: Listings | None = None) -> Tree:
    tree, base = Tree(), os.fspath(top)
    pending = [""]
    while pending:
        folder = pending.pop()
        subfolders, names = tree._folder(folder)
        where = f"{base}/{folder}" if folder else base  # os.path.join and a Path cost more than the stat
        known = listings.recall(folder, where) if listings is not None else None
        if known is not None:
            subfolders.update(known[0])
            names.update(known[1])
            pending += [f"{folder}/{name}" if folder else name for name in known[0]]
            continue
        try:
            entries = os.scandir(where)
        except OSError:
            tree.whole = False
            continue
        plain = True  # no symbolic link, nothing unreadable: a listing to keep
        with entries:
            for entry in entries:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = plain = False
                if entry.is_symlink():
                    plain = False
                if not is_folder:
                    names.add(entry.name)
                elif entry.is_symlink():
                    tree.whole = False  # mkdocs enters it, the writer does not
                else:
                    subfolders.add(entry.name)
                    pending.append(f"{folder}/{entry.name}" if folder else entry.name)
        if listings is not None and plain:
            listings.keep(folder, (tuple(subfolders), tuple(names)))
    return tree


def walk_with(top: str, parts: tuple[str, ...], tree: Tree) -> Iterator[Walked]:
    """`os.walk(top, followlinks=True)`, with the folder at `parts` below `top` given by
    `tree` rather than read: the same folders in the same order, top-down, each
    entered after the caller has sorted or pruned the list it was given."""
    if not parts:
        yield from tree.walk(top)
        return
    for where, subfolders, names in os.walk(top, followlinks=True):
        yield where, subfolders, names
        order = list(subfolders)
        subfolders.clear()  # os.walk enters none of them: each is entered here, in that order
        for name in order:
            path = os.path.join(top, name)
            yield from walk_with(path, parts[1:], tree) if name == parts[0] else os.walk(path, followlinks=True)
        return


class _Handed:
    """mkdocs' file module's `os`, with a `walk` that takes the listing once for the docs
    folder it was handed for, and is `os.walk` for anything else; and while that walk
    runs, quicker ways to the same file objects (`_Quick`)."""

    def __init__(self, docs_dir: str, parts: tuple[str, ...], tree: Tree) -> None:
        self.docs_dir, self.parts = docs_dir, parts
        self.tree: Tree | None = tree
        self.quick = _Quick(docs_dir)
        self.module = types.ModuleType("os")
        self.module.__dict__.update(os.__dict__)
        self.module.walk = self.walk  # type: ignore[attr-defined]
        self.module.path = self.quick.paths  # type: ignore[attr-defined]

    def walk(self, top: Any, topdown: bool = True, onerror: Any = None, followlinks: bool = False) -> Iterator[Walked]:
        tree = self.tree
        if tree is None or top != self.docs_dir or not topdown or onerror is not None or not followlinks:
            return os.walk(top, topdown, onerror, followlinks)
        self.tree = None  # once: a second walk reads the folder again
        return self.quick.during(walk_with(top, self.parts, tree))


class _Quick:
    """mkdocs' `get_files` makes a file object for each of 11,000 files at 5,000 ideas,
    and most of the time went to what the walk already knows: the folder's path relative
    to the docs folder (`os.path.relpath`, which makes both paths absolute again), the
    file's path joined to it, and that path made into a `PurePath` and back to normalize
    it (`File.src_path`). While the handed walk runs, the folders it gave are known
    relative, their files' paths are already normal (names from a directory read, joined
    by "/": no empty, "." or ".." part), and a `File` of such a path is given its fields
    as mkdocs 1.6's `File.__init__` gives them, without the round trip. Anything else (a
    path not from the walk, another mkdocs, Windows) goes the way mkdocs goes; tests hold
    the file objects equal, field by field, to those of mkdocs' own walk."""

    def __init__(self, docs_dir: str) -> None:
        import mkdocs
        from mkdocs.structure.files import File

        self.real = File
        self.docs_dir, self.within = docs_dir, docs_dir + "/"
        self.on = (
            mkdocs.__version__.startswith("1.6.")
            and os.sep == "/"
            and os.altsep is None
            and isinstance(docs_dir, str)
            and docs_dir == posixpath.abspath(docs_dir)
        )
        self.walked: set[str] = set()
        self.relative: set[str] = set()
        self.paths = types.ModuleType("posixpath")
        self.paths.__dict__.update(posixpath.__dict__)
        self.paths.relpath = self.relpath  # type: ignore[attr-defined]
        self.paths.join = _join  # type: ignore[attr-defined]

    def during(self, walked: Iterator[Walked]) -> Iterator[Walked]:
        """The walk, with mkdocs' `File` made quickly for the paths it gives, until it ends."""
        from mkdocs.structure import files

        if self.on and files.File is self.real:
            files.File = self.file  # type: ignore[assignment,misc]
        try:
            for entry in walked:
                self.walked.add(entry[0])
                yield entry
        finally:
            _give_back(files, self.real)

    def relpath(self, path: Any, start: Any = None) -> str:
        if self.on and start == self.docs_dir and path in self.walked and path.startswith(self.within):
            relative = path[len(self.within) :]
            if not {"", ".", ".."} & set(relative.split("/")):
                self.relative.add(relative)
                return relative
        return posixpath.relpath(path, start)

    def file(self, path: Any, src_dir: Any, dest_dir: Any, use_directory_urls: Any, **more: Any):
        from mkdocs.structure.files import InclusionLevel

        folder, _, name = path.rpartition("/") if isinstance(path, str) else ("", "", "")
        if more or folder not in self.relative or name in ("", ".", ".."):
            return self.real(path, src_dir, dest_dir, use_directory_urls, **more)
        file = object.__new__(self.real)
        file.src_uri = path
        file.src_dir, file.dest_dir, file.use_directory_urls = src_dir, dest_dir, use_directory_urls
        file.inclusion = InclusionLevel.UNDEFINED
        return file


def _give_back(files: Any, real: Any) -> None:
    """Give mkdocs' file module its own `File` back, if a `_Quick` took it."""
    if isinstance(getattr(files.File, "__self__", None), _Quick):
        files.File = real


def _join(path: Any, *paths: Any) -> Any:
    """`posixpath.join`, the usual case (two texts, neither side a slash) without its checks."""
    one = len(paths) == 1 and type(path) is str and type(paths[0]) is str
    if one and path and path[-1] != "/" and not paths[0].startswith("/"):
        return f"{path}/{paths[0]}"
    return posixpath.join(path, *paths)


def hand_over(docs_dir: str, generated: str, tree: Tree | None) -> bool:
    """Have mkdocs' next walk of `docs_dir` take `tree` for the folder `generated` (a path
    relative to it, such as "ideas/"); with no tree, or one that is not whole, mkdocs
    walks as it does. Whether the listing was handed over; `take_back` undoes it."""
    from mkdocs.structure import files

    take_back()
    parts = tuple(part for part in generated.split("/") if part)
    if tree is None or not tree.whole or not parts or ".." in parts:
        return False
    files.os = _Handed(docs_dir, parts, tree).module
    return True


def take_back() -> None:
    """Give mkdocs' file module its `os` back (after its walk, or when a build fails)."""
    from mkdocs.structure import files

    if files.os is not os:
        handed = getattr(files.os.walk, "__self__", None)
        if isinstance(handed, _Handed):
            _give_back(files, handed.quick.real)
        files.os = os
