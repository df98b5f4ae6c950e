"""Incremental builds: build again only the pages whose source changed, and complete
what mkdocs' dirty builds get wrong, so that the result equals a full build's.

Each site carries a manifest (`.bubbleup-build.json`): a digest of every source file and a
fingerprint of everything else a page's HTML depends on (mkdocs.yml, the versions of the
builder and theme, the navigation, the list of hand-written files). The next build
compares against it and marks a file unmodified, so that mkdocs' dirty mode skips it,
only when the fingerprint is the same, its source is byte for byte the same and its
output is in the previous site. Hand-written pages and pages in the navigation are
always built again: there are few of them, and the navigation is printed into every
page. Generated pages link only to pages that exist, and that is part of their text.

Reading and hashing every source file (11,000 at 5,000 ideas) to learn which changed
is spared as Git's index spares it: `.bubbleup-cache/sources.pickle` records each file's
size, modification and change times (in nanoseconds) and inode beside its digest, and a
file whose four are as recorded is not read again. A program that rewrites a file
changes its change time, which only the system clock sets, so keeping the size and
putting the modification time back does not hide a change. A file changed within two
seconds before the build read it is not recorded (its time stamp could be shared with
a later change), so it is read again next time. The cache is the build's own, as the
render cache is: a damaged or foreign one is ignored, entry by entry.

Whether the previous site holds a page's output is learnt from one listing of it
(site/spare.py; a folder that has not changed since a build read it is looked at, not
read: site/site_folders.py), which publishing then uses as the live site's, rather than
from a look at each of 11,000 outputs. A dirty build's search index holds only the pages it built;
site/search_merge.py puts back the entries of the pages it skipped, taken from the
previous index only when it is the one the previous build wrote (`trusted_index`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bubbleup.core import caches
from bubbleup.site.ledger import Looked, taken_over
from bubbleup.site.site_folders import NAME as FOLDERS
from bubbleup.site.site_folders import SiteFolders
from bubbleup.site.spare import Listing, listing

MANIFEST = ".bubbleup-build.json"
FORMAT = 1
DEPENDENCIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "bubbleup")
SEARCH_INDEX = "search/search_index.json"
SOURCES = "sources.pickle"
"""The digests of the source files, in the cache folder (`Digests`)."""


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass
class Plan:
    """What one build reuses from the previous site, and what it builds again."""

    previous: Path | None
    fingerprint: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    rebuilt: set[str] = field(default_factory=set)
    reused: list[str] = field(default_factory=list)
    """Output paths taken from the previous site as they are."""
    order: list[tuple[str, str]] = field(default_factory=list)
    """(url, source path) of every page built or reused, in build order."""
    deferred: list[Any] = field(default_factory=list)
    """Generated pages to build again that mkdocs' loop skips: the plugin builds them
    after it (site/framing.py)."""
    left: set[str] = field(default_factory=set)
    """The outputs of the generated pages this build leaves in the site, kept or built."""
    found: Listing | None = None
    """What the previous site held when the plan was made (for publishing, site/spare.py)."""
    recorded: Any = None
    """Where the previous manifest says each page's entries are in the previous search
    index (site/search_merge.py); `search` is the same for this build's index."""
    search: dict[str, Any] | None = None
    index: str | None = None
    """The previous site's search index, read when the plan was made, and only when it is
    the index the previous build wrote (`trusted_index`); its digest beside it."""
    index_bytes: bytes | None = None
    """The same index as read, in a build, when it is ASCII (as Material writes it, JSON
    escaping the rest): it is joined as bytes (site/search_merge.py), so it is not
    decoded to text here and encoded back there (two copies of 30 MB at 5,000 ideas)."""
    index_digest: str = ""


class Kept:
    """What the builds of one process (under serve) hand on to the next: the digests of
    the pages made in memory, by the text they were taken of, and the search index the
    last build wrote, by page. Each holds only for the same text: a page's digest for
    the same string, the index's pages for the same index text. And the outputs of the
    generated pages that the last build, once it ended, left in its site (`present`)."""

    def __init__(self) -> None:
        self.present: tuple[Path | None, set[str]] = (None, set())
        self.digests: dict[str, tuple[str, str]] = {}
        self.fresh: dict[str, tuple[str, str]] = {}
        self.index: str | None = None
        self.index_pages: dict[str, str] = {}


class Digests:
    """Each source file's digest, read and hashed again only when its size, times or
    inode changed since a build recorded them. The status of each generated page the
    ledger kept is the one it took in this build (site/ledger.py `hand_on`)."""

    FORMAT = 2
    RACY_NS = 2_000_000_000
    JOURNAL_LIMIT = 1_000
    """How many files' digests may differ from the cache file, in its journal, before it is written whole."""

    def __init__(self, cache: Path | None, kept: Kept | None = None) -> None:
        self.cache = cache
        self.kept = kept
        self.started = time.time_ns()
        self.seen: dict[str, list] = {}
        self.journaled = caches.Journaled(cache, "files", self.JOURNAL_LIMIT, format=self.FORMAT)
        self.known: dict[str, Any] = self.journaled.read()
        self.looked: dict[str, os.stat_result] | dict[str, Looked] = {}
        """The generated pages' statuses the ledger took in this build (site/ledger.py)."""

    def take_over(self) -> None:
        """Take the statuses the ledger handed on in this build, once its pages are written."""
        handed = taken_over() if self.kept is None else None
        if handed is not None:
            since, self.looked = handed
            self.started = min(self.started, since)

    def of(self, file) -> str:
        source = file.abs_src_path
        if source is None:  # generated in memory
            return self._generated(file)
        details = self.looked.get(source) or os.stat(source)  # before reading: a change after it changes the times
        key = [details.st_size, details.st_mtime_ns, details.st_ctime_ns, details.st_ino]
        known = self.known.get(source)
        if isinstance(known, list) and len(known) == 5 and known[:4] == key and isinstance(known[4], str):
            result = known[4]
        else:
            result = digest(file.content_bytes)
        if max(details.st_mtime_ns, details.st_ctime_ns) < self.started - self.RACY_NS:
            self.seen[source] = [*key, result]
        return result

    def _generated(self, file) -> str:
        """A page made in memory: its digest is the previous build's when its text is
        the very same string (under serve, a page that did not change is given again)."""
        if self.kept is None:
            return digest(file.content_bytes)
        text = file.content_string
        known = self.kept.digests.get(file.src_uri)
        same = known is not None and (known[0] is text or known[0] == text)
        result = known[1] if known is not None and same else digest(file.content_bytes)
        self.kept.fresh[file.src_uri] = (text, result)
        return result

    def save(self) -> None:
        """Write the digests again only when one is new or different (a file left out,
        changed in the last two seconds or gone, keeps an entry that no longer matches its
        times, since any write changes the change time, so it is read again anyway); after
        one vote a few dozen of 11,000 are, and they go to the journal (`caches.Journaled`)."""
        if self.kept is not None:
            self.kept.digests, self.kept.fresh = self.kept.fresh, {}
        known = self.known
        if any(known.get(source) != entry for source, entry in self.seen.items()):
            self.journaled.save(self.seen)


def _read_manifest(site: Path | None) -> dict[str, Any]:
    return (caches.read_json(site / MANIFEST, format=FORMAT) if site is not None else None) or {}


def fingerprint(config, nav, files, generated: str) -> str:
    """What every page's HTML depends on beside its own source."""
    hasher = hashlib.sha256()
    hasher.update(Path(config.config_file_path).read_bytes())
    hasher.update(caches.versions(DEPENDENCIES).encode())
    for page in nav.pages:
        title = page.title if page.title is not None else digest(page.file.content_bytes)
        hasher.update(f"nav\0{title}\0{page.url}\0{page.file.src_uri}\n".encode())
    for file in files:
        if not file.src_uri.startswith(generated):
            hasher.update(f"file\0{file.src_uri}\n".encode())
    return hasher.hexdigest()


def plan(
    config,
    nav,
    files,
    previous: Path | None,
    generated: str,
    defer: bool = False,
    cache: Path | None = None,
    kept: Kept | None = None,
    early: Early | None = None,
) -> Plan:
    """Decide, file by file, what this build makes again, and tell mkdocs through each
    file's `is_modified` (which its dirty mode asks). With `defer`, the generated pages
    outside the navigation that must be built again are left for the plugin too; `cache`
    is where the source files' digests are remembered (`Digests`), `kept` what the
    previous build of this process left (`Kept`), `early` what was read of them before
    (`read_early`)."""
    result = Plan(previous, fingerprint(config, nav, files, generated))
    if early is None or early.previous != previous or early.cache != cache:
        early = read_early(previous, cache, kept)
    digests, manifest = early.digests, early.manifest
    digests.take_over()
    same = bool(manifest) and manifest.get("fingerprint") == result.fingerprint
    result.recorded = manifest.get("search")
    if same and previous is not None:
        same = trusted_index(result, previous, kept, early)
    result.found = early.found
    old: dict[str, str] = manifest.get("sources", {}) if same else {}
    in_nav = {page.file.src_uri for page in nav.pages}
    for file in files:
        source = file.src_uri
        result.sources[source] = digests.of(file)
        page, ours, excluded = file.is_documentation_page(), source.startswith(generated), file.inclusion.is_excluded()
        keep = (
            previous is not None
            and old.get(source) == result.sources[source]
            and source not in in_nav
            and (ours or not page)
            and _present(previous, file.dest_uri, kept, result.found)
        )
        later = defer and not keep and page and ours and source not in in_nav and not excluded
        file.is_modified = _unmodified if keep or later else _modified
        if keep:
            result.reused.append(file.dest_uri)
        elif page:
            result.rebuilt.add(source)
        if later:
            result.deferred.append(file)
        if ours and page and not excluded:
            result.left.add(file.dest_uri)
    digests.save()
    return result


@dataclass
class Early:
    """What a plan reads of the previous site and of the cache before it looks at this
    build's files: `bubbleup build` reads it while its pages are still being made, on the
    processor that would otherwise wait for them (site/plugin.py `waiting`)."""

    previous: Path | None
    cache: Path | None
    manifest: dict[str, Any]
    digests: Digests
    found: Listing | None
    index: bytes | OSError | None
    """The previous site's search index as read (None: there is none)."""
    index_digest: str | None = None


def read_early(previous: Path | None, cache: Path | None, kept: Kept | None = None) -> Early:
    found = None
    if previous is not None and kept is None:
        found = listing(previous, SiteFolders(cache.with_name(FOLDERS)) if cache is not None else None)
    index = _read_index(previous)
    hashed = digest(index) if isinstance(index, bytes) and kept is None else None
    return Early(previous, cache, _read_manifest(previous), Digests(cache, kept), found, index, hashed)


def _read_index(previous: Path | None) -> bytes | OSError | None:
    if previous is None:
        return None
    try:
        return (previous / SEARCH_INDEX).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        return error


def trusted_index(result: Plan, previous: Path, kept: Kept | None, early: Early | None = None) -> bool:
    """Whether the previous site's search index is the one the previous build wrote: in a
    build, the digest the manifest recorded for it; under serve, the very text the last
    build of the process wrote. Reused pages' entries are taken from it, so a damaged,
    truncated or foreign index would carry its gaps and changes into every later build:
    such an index (or a missing one, or an index with no record of it) makes this a full
    build. Hashing it costs a read, no parse; the merge then uses what was read here.
    `early`: what `read_early` read and hashed of it."""
    raw = _read_index(previous) if early is None else early.index
    if isinstance(raw, OSError):
        return False
    recorded = result.recorded.get("digest") if isinstance(result.recorded, dict) else None
    expected = kept.index if kept is not None else recorded
    if raw is None:  # no search index: trusted only when none was written
        return expected is None
    ascii_only = kept is None and raw.isascii()  # kept as read: ASCII is UTF-8 as it is
    try:
        text = None if ascii_only else raw.decode("utf-8")
    except ValueError:
        return False
    if kept is not None:
        trusted = text == kept.index
    else:
        result.index_digest = early.index_digest if early is not None and early.index_digest else digest(raw)
        trusted = result.index_digest == recorded
    if trusted:
        result.index, result.index_bytes = text, raw if ascii_only else None
    else:
        logging.getLogger("mkdocs.plugins.bubbleup").info(
            "bubbleup: the previous search index is not the one the previous build wrote; building every page"
        )
    return trusted


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True


def _present(previous: Path, output: str, kept: Kept | None, found: Listing | None) -> bool:
    """Whether the previous site holds an output as a plain file: in a build, as the one
    listing of it says; under serve, a generated page's that the previous build of the
    process left there is not looked for again (11,000 looks at 5,000 ideas; the site is
    the server's own temporary folder), and anything else is looked for."""
    if found is not None:
        return output in found.files and output not in found.odd
    if kept is not None and kept.present[0] == previous and output in kept.present[1]:
        return True
    return os.path.isfile(os.path.join(previous, output))


def record_order(result: Plan, files) -> None:
    """The pages in the order mkdocs builds them (and the search plugin indexes them):
    `files.documentation_pages()`, whose test of each file's name is left for last."""
    result.order = [
        (file.page.url, file.src_uri)
        for file in files
        if file.page is not None and file.inclusion.is_included() and file.is_documentation_page()
    ]


def write_manifest(result: Plan, site: Path) -> None:
    content: dict[str, Any] = {"format": FORMAT, "fingerprint": result.fingerprint, "sources": result.sources}
    if result.search is not None:
        content["search"] = result.search
    # not indented: json encodes an indented text in Python, in twice the time
    text = json.dumps(content, separators=(",", ":"), sort_keys=True)
    (site / MANIFEST).write_text(text + "\n", encoding="utf-8")


class _DropDirtyWarning(logging.Filter):
    """mkdocs warns that dirty builds make wrong navigation and links; this module makes
    them right, and the warning would fail every --strict build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def quiet_dirty_warning() -> None:
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(existing, _DropDirtyWarning) for existing in logger.filters):
        logger.addFilter(_DropDirtyWarning())
