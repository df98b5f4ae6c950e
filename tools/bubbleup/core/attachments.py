"""Images stored beside an idea (ideas/<slug>/diagram.png), published with its page.

People attach a screenshot or a sketch as they would on GitHub: a file in the idea's
folder, linked relative to the text (`![sketch](my-idea/sketch.png)` from the idea,
`![sketch](sketch.png)` from a feedback file). Only raster images are published, only
when their first bytes say they are what their name says, and only up to a size limit,
because the site serves them from its own origin. An SVG is refused: served from the
site, it runs its scripts when a reader opens it directly, and sanitizing SVG reliably is
a project of its own; a PNG export shows the same picture.
"""

from __future__ import annotations

from pathlib import Path

SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
"""The image types published, with the bytes each file of that type starts with."""
REFUSED = {".svg": "an SVG served from the site runs its scripts when opened directly; export it as PNG and link that"}


def is_candidate(name: str) -> bool:
    """Whether a file in an idea's folder is meant as an image attachment."""
    suffix = Path(name).suffix.lower()
    return suffix in SIGNATURES or suffix in REFUSED


def check(real: Path, name: str, limit: int) -> str | None:
    """Why an image cannot be published, or None when it can.

    Args:
        real: the file to read (a symbolic link already resolved inside the ideas folder).
        name: its name, whose suffix says what it should be.
        limit: the largest size published, in bytes (max_attachment_size).
    """
    suffix = Path(name).suffix.lower()
    if suffix in REFUSED:
        return f"not published: {REFUSED[suffix]}"
    try:
        size = real.stat().st_size
        with real.open("rb") as file:
            head = file.read(12)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if size > limit:
        return f"image is {size:,} bytes, over the limit of {limit:,} (max_attachment_size); it is not published"
    if not head.startswith(SIGNATURES[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        kind = suffix.lstrip(".").upper()
        return f"not published: the file is not a {kind} image (its first bytes say otherwise); save it again as {kind}"
    return None
