"""Publish the images stored beside ideas: only those a published text shows.

An idea's folder may hold images for drafts or for feedback that the public site does
not show, so the site carries exactly the attachments that the texts on it display
(the idea's text, and on the internal site its feedback), copied beside the generated
pages (pages/<slug>/<name>), where the pages' relative links find them.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path

from bubbleup.core.markup import attachments_shown, may_show_images
from bubbleup.site.context import Site


def shown(site: Site) -> set[str]:
    """The attachments (relative to the ideas folder) that the site's texts show. Most
    texts show no image, and are passed over before anything is made for them (55,000
    texts at 5,000 ideas, on every build)."""
    found: set[str] = set()
    for slug, idea in site.catalog.ideas.items():
        if may_show_images(idea.text):
            found |= attachments_shown(idea.text, site.images(""))
        if not site.public:
            for item in site.feedback.get(slug, ()):
                if may_show_images(item.text):
                    found |= attachments_shown(item.text, site.images(slug))
    return found


def publish(pages_dir: Path, ideas_dir: Path, names: set[str]) -> list[str]:
    """Copy these attachments into the pages folder, only those that changed; those no
    longer shown are removed with the stale pages, by the one listing of the folder that
    `pages.write_pages` takes (site/walk.py).

    Returns:
        The names copied.
    """
    copied = []
    for name in sorted(names):
        source, target = ideas_dir / name, pages_dir / name
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        os.close(handle)
        shutil.copyfile(source, temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        copied.append(name)
    return copied
