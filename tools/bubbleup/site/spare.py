"""The previous site, kept as a spare and brought up to date for the next build.

Publishing a rebuild used to fill the staging folder with a hard link per file the
build reused (11,000 at 5,000 ideas), swap, and remove the old site (17,000 entries):
most of what publishing a one-vote rebuild cost. Now the site that a swap puts aside is
kept, in a hidden folder next to the site folder, and the next build brings it up to
date and swaps it in: only the entries that differ are touched.

The spare is never trusted. It may be stale, damaged, missing, or half brought up to
date by a killed build, so each build compares it, entry by entry, with what the new
site must hold, by inode from the directory listings (no file is opened): a file the
build reused must be the live site's file itself (the same inode), a file the build
wrote replaces whatever the spare held (or becomes a link to the live site's file when
its bytes are the same), and every other entry goes. Most of the spare's files are the
live site's files too (hard links), so the spare is changed only by renaming, linking
and removing entries, never by writing into a file: the live site is left exactly as it
is until the atomic exchange.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

SPARE_SUFFIX = ".spare"
LINKING = "linking"
"""A name in the spare's holder for a link on its way into the spare (beside it, not
inside it, so that it can never be taken for part of a site)."""


@dataclass
class Listing:
    """What a folder holds, as paths relative to it: each entry that is not a folder
    (symbolic links included) with its inode, those of them that are not plain files
    (`odd`), and the folders."""

    files: dict[str, int] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)
    odd: set[str] = field(default_factory=set)


def listing(folder: Path) -> Listing:
    """One directory listing per folder; the inodes come with the listing (`d_ino`), so no
    entry is asked about on its own."""
    found = Listing()
    pending = [""]
    while pending:
        prefix = pending.pop()
        try:
            entries = os.scandir(os.path.join(folder, prefix))
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    found.folders.add(path)
                    pending.append(path + "/")
                else:
                    found.files[path] = entry.inode()
                    if not entry.is_file(follow_symlinks=False):
                        found.odd.add(path)
    return found


def holder_of(target: Path) -> Path:
    return target.parent / f".{target.name}{SPARE_SUFFIX}"


def spare_for(target: Path, folder_mode: int) -> Path:
    """The spare folder of a site folder, made (empty) if it is missing: `.site.spare/site`,
    so that the `.gitignore` that keeps it out of Git is never part of a site."""
    holder = holder_of(target)
    spare = holder / target.name
    for path in (holder, spare):
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            path.unlink()
        if not path.is_dir():
            os.mkdir(path)
        if path == holder and not (holder / ".gitignore").is_file():
            (holder / ".gitignore").write_text("*\n", encoding="utf-8")
    os.chmod(spare, folder_mode)
    (holder / LINKING).unlink(missing_ok=True)  # left by a killed build
    return spare


def _parents(paths: Iterable[str]) -> set[str]:
    folders: set[str] = set()
    for path in paths:
        cut = path.rfind("/")
        while cut > 0 and path[:cut] not in folders:
            folders.add(path[:cut])
            cut = path.rfind("/", 0, cut)
    return folders


def _prune(spare: Path, have: Listing, files: set[str], folders: set[str]) -> None:
    """Remove from the spare every entry the new site does not hold as it is: a folder
    where the site has none (with what is in it), any other entry where the site has
    no file."""
    gone: list[str] = []
    for folder in sorted(have.folders, key=lambda path: path.split("/")):  # what a folder holds comes next
        if folder not in folders and not any(folder.startswith(top + "/") for top in gone[-1:]):
            shutil.rmtree(spare / folder)
            gone.append(folder)
    dropped = tuple(top + "/" for top in gone)
    for path in have.files:
        if path not in files and not path.startswith(dropped):
            os.unlink(spare / path)
    for path in [path for path in have.files if path.startswith(dropped)]:
        del have.files[path]


def _make_folders(spare: Path, have: Listing, folders: set[str], mode: int) -> None:
    """Every folder of the new site, real folders (a symbolic link to a folder was removed
    by `_prune`), each with the mode a new build gives it."""
    for folder in sorted(folders):  # a folder comes before what it holds
        path = spare / folder
        if folder in have.folders:
            if stat.S_IMODE(os.lstat(path).st_mode) != mode:
                os.chmod(path, mode)
        else:
            os.mkdir(path)  # as mkdocs makes them: 0o777 less the umask


def same_file(new: Path, old: Path, mode: int) -> bool:
    """Whether a file the build wrote has the bytes and mode of the live site's file."""
    try:
        mine, details = new.lstat(), old.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(mine.st_mode) or mine.st_nlink > 1:
        return False
    if not stat.S_ISREG(details.st_mode) or details.st_mode & 0o777 != mode:
        return False
    return details.st_size == mine.st_size and filecmp.cmp(old, new, shallow=False)


def refresh(
    spare: Path,
    staging: Path,
    target: Path,
    reused: Iterable[str],
    modes: tuple[int, int],
    live: Listing | None = None,
) -> int:
    """Make the spare hold exactly the new site: what the build wrote into `staging`
    (moved, or a link to the live site's file when the bytes are the same) and the files
    it reused from the live site (links to them). `live` is the live site's listing when
    the build has one (taken under the build's lock, so still what the site holds).

    Returns:
        How many entries of the spare were linked or moved into place.
    """
    folder_mode, file_mode = modes
    taken = set(reused)
    live = listing(target) if live is None else live
    have, written = listing(spare), listing(staging)
    files = taken | set(written.files)
    folders = written.folders | _parents(files)
    _prune(spare, have, files, folders)
    _make_folders(spare, have, folders, folder_mode)
    linking = spare.parent / LINKING
    changed = 0
    for path in files:
        share = path in taken or (path in live.files and same_file(staging / path, target / path, file_mode))
        if not share:
            os.rename(staging / path, spare / path)
            changed += 1
        elif path not in live.files or have.files.get(path) != live.files[path]:
            os.link(target / path, linking)
            os.rename(linking, spare / path)
            changed += 1
    return changed
