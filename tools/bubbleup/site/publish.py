"""Put a freshly built site in place of the old one, all at once.

A build writes into a staging folder next to the site folder (so on the same
filesystem), and the two folders then trade places in one atomic step (Linux
`renameat2(RENAME_EXCHANGE)`). A build that is killed at any moment therefore leaves
either the old site or the new one, whole, never a mix; what a killed build left
behind is removed by the next build. Builds of one project take turns (a lock on the
project folder), so two builds at once never pull files from under each other.

Files whose bytes did not change are hard links to the old site's files, so a web
server, a preview or a deployment sees only what a change really changed. The site a
swap puts aside is kept as a spare (`.site.spare/site`) and brought up to date for the
next build (site/spare.py): far fewer entries to link and remove than a new folder.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bubbleup.core.model import BubbleupError
from bubbleup.site.spare import Listing, refresh, spare_for

STAGING_SUFFIX = ".new"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


_held: set[Path] = set()
_turns = [0]
"""How many times this process took or gave back a project's lock (`held_turn`)."""


@contextmanager
def turn(root: Path) -> Iterator[None]:
    """Hold the project's build lock: a lock on the project folder itself, so that nothing
    is left behind, released by the kernel if the process dies. Re-entrant in a process."""
    import fcntl

    root = root.resolve()
    if root in _held:
        yield
        return
    handle = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _held.add(root)
        _turns[0] += 1
        yield
    finally:
        _held.discard(root)
        _turns[0] += 1
        os.close(handle)


def held_turn() -> int | None:
    """Which turn of a project's lock this process holds (None: none). What one step of a
    build hands on to a later step holds only within the same turn: no other build can
    have written the site or the pages in between (site/ledger.py `hand_on`)."""
    return _turns[0] if _held else None


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refuse_read_only(folder: Path) -> None:
    """A folder its owner made read-only (or on a read-only filesystem) is left alone,
    even for root, who could write it anyway."""
    if not folder.exists():
        return
    mode = folder.stat().st_mode
    if not os.access(folder, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise BubbleupError(f"{folder} is read-only, so the site is left as it is; make it writable to publish")


def leftovers(target: Path) -> list[Path]:
    """Staging folders of builds that were killed before they finished."""
    return sorted(path for path in target.parent.glob(f"{target.name}.*{STAGING_SUFFIX}") if path.is_dir())


def stage(site_dir: Path) -> tuple[Path, Path]:
    """Make an empty staging folder next to the site folder, readable as the umask says.

    Call it holding `turn`: it removes what killed builds left behind.

    Returns:
        The real site folder (a symbolic link followed) and the staging folder.

    Raises:
        BubbleupError: the site folder or its parent is read-only.
    """
    target = site_dir.resolve()
    _refuse_read_only(target)
    _refuse_read_only(target.parent)
    for folder in leftovers(target):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.", suffix=STAGING_SUFFIX, dir=target.parent))
    except OSError as error:
        raise BubbleupError(f"cannot write next to {target}: {error.strerror}") from None
    os.chmod(staging, 0o777 & ~umask())
    return target, staging


def _exchange(first: Path, second: Path) -> None:
    """Swap two folders atomically; OSError(ENOSYS or EINVAL) where the system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))


def swap(staging: Path, target: Path, keep: bool = False) -> None:
    """Put the staging folder in the target's place; the old site is then removed, or with
    `keep` left where the staging folder was (the spare, site/spare.py).

    Raises:
        BubbleupError: the target cannot be replaced (a mount point, another filesystem);
        the old site is then left as it was and the staging folder removed.
    """
    try:
        if not target.exists():
            os.rename(staging, target)
            return
        try:
            _exchange(staging, target)
        except OSError as error:
            if error.errno not in (errno.ENOSYS, errno.EINVAL):
                raise
            # No atomic exchange here: move the old site aside first. For a moment there
            # is no site, but never a mix of two.
            aside = Path(tempfile.mkdtemp(prefix=f"{target.name}.", suffix=STAGING_SUFFIX, dir=target.parent))
            os.rename(target, aside / "old")
            os.rename(staging, target)
            if keep:
                os.rename(aside / "old", staging)
            staging = aside
            keep = False
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BubbleupError(
            f"{target} could not be replaced ({error.strerror}); the previous site is unchanged. "
            "If it is a mount point or on another filesystem, set site_dir to a folder inside it"
        ) from None
    if not keep:
        shutil.rmtree(staging, ignore_errors=True)


def publish(built: Path, target: Path, staging: Path, reused: Iterable[str] = (), live: Listing | None = None) -> None:
    """Finish a build in `built` (the staging folder, or elsewhere for builders that
    insist on their own folder) and put it in place of `target`: the spare (the site the
    previous build put aside) is brought up to date with what the build wrote and reused,
    and trades places with the site, which becomes the next build's spare. `live`: what
    `target` holds, listed by this build under its lock (site/incremental.py)."""
    if built != staging:
        shutil.rmtree(staging)
        shutil.copytree(built, staging)
        os.chmod(staging, 0o777 & ~umask())
    if not target.is_dir():
        swap(staging, target)
        return
    modes = (0o777 & ~umask(), 0o666 & ~umask())
    spare = spare_for(target, modes[0])
    refresh(spare, staging, target, reused, modes, live)
    swap(spare, target, keep=True)
    shutil.rmtree(staging, ignore_errors=True)
