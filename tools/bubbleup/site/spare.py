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
its bytes are the same), and every other entry goes. A folder that has not changed
since a build read it is looked at, not read again (site/site_folders.py): its entries
are the same names and inodes, so the comparison is the same. Most of the spare's files are the
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

from bubbleup.site.site_folders import SiteFolders, read

SPARE_SUFFIX = ".spare"
LINKING = "linking"
"""A name in the spare's holder for a link on its way into the spare (beside it, not
inside it, so that it can never be taken for part of a site)."""


@dataclass
class Listing:
    """What a folder holds, as paths relative to it: each entry that is not a folder
    (symbolic links included) with its inode, those of them that are not plain files
    (`odd`), and the folders, with their modes when the listing looked at each
    (`modes`). `folders_read` holds what earlier builds read of the site's folders
    (site/site_folders.py): the listing that has it publishing uses it for the spare."""

    files: dict[str, int] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)
    odd: set[str] = field(default_factory=set)
    modes: dict[str, int] = field(default_factory=dict)
    folders_read: SiteFolders | None = None


def listing(folder: Path, folders_read: SiteFolders | None = None) -> Listing:
    """One directory read per folder; the inodes come with the listing (`d_ino`), so no
    entry is asked about on its own. With `folders_read`, each folder is looked at first,
    and read only when it changed since a build read it (site/site_folders.py)."""
    found = Listing(folders_read=folders_read)
    pending = [""]
    while pending:
        prefix = pending.pop()
        where = os.path.join(folder, prefix)
        try:
            if folders_read is None:
                subfolders, names, inodes, odd = read(where)
            else:
                details = os.stat(where)  # before reading it: a change after it changes the times
                if not stat.S_ISDIR(details.st_mode):
                    continue
                subfolders, names, inodes, odd = folders_read.entries(where, details)
                if prefix:
                    found.modes[prefix[:-1]] = stat.S_IMODE(details.st_mode)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in subfolders:
            path = prefix + name
            found.folders.add(path)
            pending.append(path + "/")
        paths = [prefix + name for name in names] if prefix else names
        found.files.update(zip(paths, inodes, strict=True))
        if odd:
            found.odd.update(prefix + name for name in odd)
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
    stale = sorted(have.folders - folders, key=lambda path: path.split("/"))  # what a folder holds comes next
    for folder in stale:
        if not any(folder.startswith(top + "/") for top in gone[-1:]):
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
    for folder in sorted(folders - have.folders):  # a folder comes before what it holds
        os.mkdir(spare / folder)  # as mkdocs makes them: 0o777 less the umask
    for folder in folders & have.folders:
        found = have.modes.get(folder)
        if found is None:  # not looked at by the listing
            found = stat.S_IMODE(os.lstat(spare / folder).st_mode)
        if found != mode:
            os.chmod(spare / folder, mode)


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
    have, written = listing(spare, live.folders_read), listing(staging)
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
    if live.folders_read is not None:  # the folders changed here are read again: their times changed
        live.folders_read.save()
    return changed
