"""The generated folder's other files (each idea's feed, the attachments) reach the site
as hard links to the pages folder's files, not as copies.

mkdocs copies every file that is not a page into the site: at 5,000 ideas, 5,000 feeds
on every full build. A copy costs a new inode and its bytes written out, a link only a
directory entry. New inodes are dear where the allocator passes over every inode freed
in the last seconds (ext4 without a journal, as on the benchmark machine, where a third
of a full build's time was the kernel making files and folders): mkdocs' copying step
of a full build at 5,000 ideas took 3.9 and 6.3 s with copies, 2.5 and 4.6 s with
links (alternating runs, loaded machine; the 5,000 idea folders it makes are the rest).

Sharing is safe only because bubbleup never writes into a file of the pages folder: it
writes a new file and renames it over the old one (core/atomic.py), so the site keeps
the file it linked until a build links the new one. A file anyone else may write into
in place (hand-written files elsewhere in docs/) is copied as before, and so is a
source whose mode is not the one a copy would get (the site's files are readable as
the umask says), one that is not a plain file, and any file the system will not link
(another filesystem, no permission): each then falls back to mkdocs' own copy. Under
`serve` the generated files live in memory and are written as before.
"""

from __future__ import annotations

import os
import stat
from functools import partial
from typing import Any


def link_generated(files: Any, prefix: str, mode: int) -> int:
    """Have each non-page file whose source path starts with `prefix` (the generated
    folder, relative to docs/) linked rather than copied; how many were given a link."""
    count = 0
    for file in files:
        if file.src_uri.startswith(prefix) and not file.is_documentation_page() and file.abs_src_path is not None:
            file.copy_file = partial(_link, file, file.copy_file, mode)
            count += 1
    return count


def _link(file: Any, copy: Any, mode: int, dirty: bool = False) -> None:
    """mkdocs' `File.copy_file`, with a hard link where one holds the same bytes and mode."""
    if dirty and not file.is_modified():
        return
    source, output = file.abs_src_path, file.abs_dest_path
    try:
        details = os.lstat(source)
        if stat.S_ISREG(details.st_mode) and stat.S_IMODE(details.st_mode) == mode:
            os.makedirs(os.path.dirname(output), exist_ok=True)
            if os.path.lexists(output):
                os.unlink(output)  # never written into: it may be another build's file
            os.link(source, output)
            return
    except OSError:
        pass
    copy(dirty)
