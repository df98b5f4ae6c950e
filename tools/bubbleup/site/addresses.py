"""Where the site builder puts each generated page, and the relative address of one page
from another, worked out as mkdocs does but without its per-link cost: a build at 5,000
ideas writes about 190,000 links between 6,000 pages, so each page's address is split
into its parts once, and a link is the climb between two tuples of parts."""

from __future__ import annotations

import functools
import posixpath


@functools.lru_cache(maxsize=65_536)
def page_url(name: str, directory_urls: bool) -> str:
    """Where the site builder puts the page of `name` (a Markdown file), as mkdocs does:
    `a/b.md` at `a/b/` (or `a/b.html`), a folder's `index.md` at the folder itself."""
    stem = name.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def page_href(source: str, target: str, directory_urls: bool) -> str:
    """`relative_url` between the addresses of two generated pages, from the parts of
    each page's address, split once per page rather than once per link (190,000 links
    at 5,000 ideas, between 6,000 pages)."""
    base = _folder_parts(source, directory_urls)
    parts, slash = _address_parts(target, directory_urls)
    if base is None or parts is None:  # an address that climbs ('..'): the general way
        return relative_url(page_url(source, directory_urls), page_url(target, directory_urls))
    return _ending(_between(parts, base), slash)


@functools.lru_cache(maxsize=65_536)
def _folder_parts(name: str, directory_urls: bool) -> tuple[str, ...] | None:
    """The parts of the folder that a page's address is in, as `relative_url` takes it."""
    url = page_url(name, directory_urls)
    parts = _parts((url.rsplit("/", 1)[0] if "/" in url else ".") or ".")
    return None if ".." in parts else parts


@functools.lru_cache(maxsize=65_536)
def _address_parts(name: str, directory_urls: bool) -> tuple[tuple[str, ...] | None, bool]:
    """The parts of a page's address, as `relative_url` takes them, and whether it ends with '/'."""
    url = page_url(name, directory_urls)
    parts = _parts(url.rstrip("/") or ".")
    return (None if ".." in parts else parts), (url.endswith("/") or not url)


def relative_url(source: str, target: str) -> str:
    """The relative URL of `target` from a page at `source` (both URLs under one root)."""
    folder = source.rsplit("/", 1)[0] if "/" in source else "."
    relative = _relative_path(target.rstrip("/") or ".", folder or ".")
    return _ending(relative, target.endswith("/") or not target)


def _ending(relative: str, slash: bool) -> str:
    """A relative URL that ends with '/' when its target's address does."""
    return relative.rstrip("/") + "/" if slash else relative


def _relative_path(path: str, start: str) -> str:
    """`posixpath.relpath` for two relative paths, without asking the operating system
    for the working folder on every call (tens of thousands of links a build)."""
    parts, base = _parts(path), _parts(start)
    if ".." in parts or ".." in base:
        return posixpath.relpath(path, start)
    return _between(parts, base)


def _between(parts: tuple[str, ...], base: tuple[str, ...]) -> str:
    """The path to `parts` from the folder `base`, both normalized and neither climbing ('..')."""
    common, limit = 0, min(len(parts), len(base))
    while common < limit and parts[common] == base[common]:
        common += 1
    return "/".join(("..",) * (len(base) - common) + parts[common:]) or "."


@functools.lru_cache(maxsize=65_536)
def _parts(path: str) -> tuple[str, ...]:
    """A path's parts, normalized: the same few thousand pages and folders are asked
    about in every link, so each is split once."""
    return tuple(part for part in posixpath.normpath(path).split("/") if part != ".")
