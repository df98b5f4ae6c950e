"""What Bubbleup's caches share (history, parse and render caches, the build manifest):
the library versions their keys name, and how a cache file is written."""

from __future__ import annotations

import atexit
import gc
import json
import pickle
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any

from bubbleup.core.atomic import write_atomic_bytes

IGNORE = "# The caches of bubbleup: safe to delete, never to commit.\n*\n"


def versions(names: Iterable[str]) -> str:
    """One `name=version` line per library (`none` when it is not installed): what was
    remembered from a library's output is stale once its version changes."""
    return "".join(f"{name}={version(name)}\n" for name in names)


_HEADER = re.compile(r"([\041-\071\073-\176]+):[ \t]*(.*)")
_VERSION = re.compile(r"[\w.!+-]+")


@cache
def version(name: str) -> str:
    """The installed version of the library `name` ("none" if it is not installed), as
    `importlib.metadata.version` gives it. Asked once per process: the code running is the
    code loaded. Read from the header lines of the library's metadata file:
    `metadata.version` parses the whole file (the long description included) as an email,
    10 to 20 ms of every build for the three caches' keys."""
    from importlib import metadata  # 20 ms to import: only the commands that read a cache pay it

    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return "none"
    text = distribution.read_text("METADATA") or distribution.read_text("PKG-INFO") or ""
    lines = re.split(r"\r\n|\r|\n", text)
    for line, following in zip(lines, lines[1:] + [""], strict=True):
        header = _HEADER.fullmatch(line)
        if header is None:
            break  # the end of the headers, or a line an email parser reads its own way
        if header.group(1).lower() == "version":
            if _VERSION.fullmatch(header.group(2)) and not following.startswith((" ", "\t")):
                return header.group(2)
            break
    return str(distribution.version)  # anything unusual: as the library reads it


def read_json(path: Path, **expected: object) -> dict | None:
    """A JSON cache file's object, if it can be read and holds each `expected` key with
    that value (its format, the code that wrote it); None for a missing, damaged or
    foreign file, which the caller sets aside.

    What it holds stays to the end of the command, as a pickled cache's does: it is read
    `uncollected(loading=True)`. Left to the collector, the tens of thousands of lists of
    the build's records (and mkdocs' pages, made by then) were walked again by a later
    collection: 0.09 s of a one-vote rebuild at 5,000 ideas, 0.005 s frozen."""
    try:
        text = path.read_text(encoding="utf-8")
        with uncollected(loading=True):
            raw = json.loads(text)
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or any(raw.get(key) != value for key, value in expected.items()):
        return None
    return raw


def write(path: Path, content: bytes) -> None:
    """Write a cache file all or nothing, with a .gitignore that keeps its folder out of
    commits. A cache that cannot be written (a read-only checkout, a full disk) only makes
    the next run slower, so the error is not raised."""
    try:
        write_atomic_bytes(path, content)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text(IGNORE)
    except OSError:
        pass


def write_pickle(path: Path, header: bytes, content: object) -> None:
    """Write `content` pickled after `header`: the lines that name the file's format and the
    code that made it, which `read_pickle` compares before unpickling anything."""
    write(path, header + pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))


def read_pickle(path: Path | None, header: bytes, unpickler: type[Restricted]) -> Any:
    """What `write_pickle` wrote under the same `header`, built by the cache's restricted
    unpickler with the collector held (`uncollected`), or None: no file, another header
    (another format, or code that would make something else of the files), or a file
    damaged in any way unpickling can fail. A cache is only ever a shortcut, so such a file
    costs a slower run, never a wrong one; the caller checks the shape of what it gets."""
    if path is None:
        return None
    try:
        with path.open("rb") as stream, uncollected(loading=True):
            if stream.read(len(header)) != header:
                return None
            return unpickler(stream).load()
    except Exception:  # noqa: BLE001  a damaged cache fails in any way unpickling can
        return None


class Journaled:
    """Entries by name in a cache file, and those changed since it was written whole in a
    journal beside it, as the parse and parts caches keep theirs (git/parse_cache.py):
    after one vote a build changes a handful of the 11,000 entries of a per-page record at
    5,000 ideas, and writing them all again cost more than the rest of the record's work.

    The file holds `field` (the entries) and a token made when it is written whole; the
    journal, the token of the file it follows, the entries made or changed since and the
    names gone. Once more than `limit` entries differ from the file, the file is written
    whole again and the journal dropped. Both carry the `expected` keys (format, code) in
    their header: a missing, damaged or foreign file gives no entries, a journal that
    follows another file or is damaged is set aside, and each entry is still checked by
    its reader.

    What they hold is JSON's data (dicts, lists, text, numbers, None), pickled: the file
    named `path` with `.pickle` for its suffix (`<stem>.pickle`, `<stem>-journal.pickle`),
    and its unpickler builds no class at all (`_Data`). Entries are made JSON's data when
    saved (a tuple is read back a list, as before), so readers see what JSON gave them.
    Decoding JSON was the most of reading these files: at 5,000 ideas the five of a build
    (records, render memo, ledger, tables, sources' digests: 25 MB) took 0.80 billion
    instructions to read as JSON, 0.25 unpickled, a tenth of a second of every rebuild."""

    def __init__(self, path: Path | None, field: str, limit: int, **expected: object) -> None:
        self.path = path.with_suffix(".pickle") if path is not None else None
        self.field, self.limit, self.expected = field, limit, expected
        self.journal = path.with_name(f"{path.stem}-journal.pickle") if path is not None else None
        self.former = (
            (path.with_suffix(".json"), path.with_name(f"{path.stem}-journal.json")) if path is not None else ()
        )
        """The JSON files of the format before, removed when the file is written whole."""
        self.header = JOURNALED + json.dumps(expected, sort_keys=True, separators=(",", ":")).encode() + b"\n"
        self.base: dict[str, Any] = {}
        """What the file holds, without its journal."""
        self.token = ""

    def read(self) -> dict[str, Any]:
        """The entries of the file with its journal's changes made on them."""
        if self.path is None or self.journal is None:
            return {}
        raw = read_pickle(self.path, self.header, _Data)
        entries, token = (raw.get(self.field), raw.get("token")) if raw.__class__ is dict else (None, None)
        if entries.__class__ is not dict or token.__class__ is not str or not token:
            return {}
        self.base, self.token = entries, token
        journal = read_pickle(self.journal, self.header, _Data)
        if journal.__class__ is not dict or journal.get("follows") != token:
            return dict(entries)
        made, gone = journal.get("made"), journal.get("gone")
        if made.__class__ is not dict or gone.__class__ is not list:
            return dict(entries)
        found = {**entries, **made}
        for name in gone:
            if name.__class__ is str:
                found.pop(name, None)
        return found

    def save(self, entries: Mapping[str, Any]) -> None:
        """Keep `entries`: the few that differ from the file in the journal, else all in
        the file (a file written now makes a second save of this process a journal)."""
        if self.path is None or self.journal is None:
            return
        base = self.base
        made = {name: value for name, value in entries.items() if name not in base or base[name] != value}
        gone = [name for name in base if name not in entries]
        if self.token and len(made) + len(gone) <= self.limit:
            write_pickle(self.journal, self.header, _as_json({"follows": self.token, "made": made, "gone": gone}))
            return
        token = uuid.uuid4().hex
        write_pickle(self.path, self.header, _as_json({"token": token, self.field: dict(entries)}))
        for stale in (self.journal, *self.former):
            with suppress(OSError):
                stale.unlink(missing_ok=True)
        self.base, self.token = dict(entries), token


_freezing = [False]


def freeze_loaded(on: bool) -> None:
    """Whether what a cache loads is then set outside the collector's walks (`gc.freeze`):
    for a command that runs once, not for the preview server (see `uncollected`).

    A command that runs once also freezes everything when it exits: Python's last
    collections, as it tears itself down, walked the whole heap again (0.1 to 0.2 s of CPU
    at the end of a rebuild at 5,000 ideas). What they would have freed is freed with the
    process; no finalizer of ours waits on them (files are written and closed by then)."""
    _freezing[0] = on
    atexit.unregister(gc.freeze)
    if on:
        atexit.register(gc.freeze)


def settle() -> None:
    """For the preview server, once its first build has ended: collect, then freeze what
    is left (`gc.freeze`), so that the collector's walks of the oldest generation, which
    its later builds set off every third build or so, walk only what came after.

    At 5,000 ideas such a walk took 0.8 to 1.1 s of a rebuild (measured in one process
    making the preview's builds, one vote each: 0.09 to 0.20 s of collections in the
    other builds); frozen, it takes 0.05 to 0.07 s. Frozen objects are still freed when no
    longer referred to; only cycles among them are not, so the first build's own such
    garbage (its mkdocs pages and files, replaced by the next build's) stays until the
    process ends, once: the resident memory after ten builds was 699 to 728 MB, against
    759 to 760 MB without it. Nothing is frozen after later builds, whose garbage the
    collector frees as before."""
    gc.collect()
    gc.freeze()


@contextmanager
def uncollected(loading: bool = False) -> Iterator[None]:
    """Hold the garbage collector while a cache is read: reading one makes hundreds of
    thousands of objects that all stay, and each collection on the way would walk all
    those made before it again (a third of the parse cache's load at 5,000 ideas).

    Even so, the first collection after it walked them all once more, and the next ones
    of the older generations again: 0.15 s of a rebuild at 5,000 ideas. So after a cache
    is `loading`, in a command that runs once (`freeze_loaded`), every object alive is
    frozen: never walked again, still freed when no longer referred to. Garbage that only
    a collection could free (reference cycles) and that is frozen with them stays until
    the process ends: the preview server, which runs for hours, does not freeze what
    each build loads (it freezes once, after its first build: `settle`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if loading and _freezing[0]:
            gc.freeze()
        if enabled:
            gc.enable()


class Restricted(pickle.Unpickler):
    """An unpickler that builds only the classes named in `allowed` (module, name):
    anything else makes the file a foreign one (the parse and parts caches)."""

    allowed: frozenset[tuple[str, str]] = frozenset()
    what = "this cache"

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of {self.what}")
        return super().find_class(module, name)


JOURNALED = b"bubbleup journaled 2\n"
"""The format of a `Journaled` file and its journal (1: JSON)."""


def _as_json(content: dict) -> Any:
    """`content` as JSON gives it back: lists for tuples, text for keys, nothing shared."""
    return json.loads(json.dumps(content, separators=(",", ":")))


class _Data(Restricted):
    """Builds no class at all: a `Journaled` file holds JSON's data."""

    what = "a journaled cache"
