"""The search index of an incremental build: every page's entries, in the order of a
full build, the reused pages' taken from the previous site's index.

A dirty build's search index holds only the pages it built; `merge_search` puts back
the entries of the pages it skipped, from the previous site's index, in page order.
With Material's search plugin it does so without parsing the previous index: each
reused page's entries are taken as the text the previous build wrote for them.

Finding those texts meant a pass over the whole previous index (30 MB at 5,000 ideas,
0.15 s). Now each build that writes the index this way records, in the site's manifest,
where each page's entries start and end in it, with a digest of the whole index; the
next build takes the pieces at those places when the index it finds has that digest,
and reads the index through otherwise (places damaged in the manifest).

Pages reused one after the other, whose entries lay one after the other in the previous
index too, are taken as one piece (after one vote, a dozen pieces rather than 6,000). In
a build the merged index is made as bytes (`encoded`), once, for its digest and for the
search plugin, rather than sliced, joined and encoded (twice: the plugin encodes it to
write it) as a 30 MB text.

An index the previous build did not write (damaged, truncated, foreign, older: its
digest is not the recorded one) is not used at all: the build is a full one
(`incremental.trusted_index`), or its gaps and changes would be carried forward.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from bubbleup.site.incremental import SEARCH_INDEX, Kept, Plan, digest


def _by_page(entries: list[dict]) -> dict[str, list[dict]]:
    pages: dict[str, list[dict]] = {}
    for entry in entries:
        pages.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
    return pages


def search_indexes(config) -> Iterator[tuple[Any, list[dict]]]:
    """Each search plugin of the build with the list of its index's entries (Material's
    `entries`, mkdocs' own `_entries`)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)
        if entries is None:
            entries = getattr(index, "_entries", None)
        if isinstance(entries, list):
            yield plugin, entries


Previous = tuple[str | None, str, bytes | None]
"""The previous index as text, its digest, and the index as read when it is ASCII (then
the text is None, until something needs it: `_text`)."""


def _previous_index(result: Plan) -> Previous:
    """The previous site's index, with its digest: what the plan read, which it read only
    when the index is the one the previous build wrote (`trusted_index`)."""
    if (result.index is None and result.index_bytes is None) or len(result.rebuilt) >= len(result.order):
        return None, "", None
    return result.index, result.index_digest, result.index_bytes


def _text(previous: Previous) -> str | None:
    """The previous index as text: an ASCII index kept as bytes is decoded only here."""
    text, _, raw = previous
    return raw.decode("ascii") if text is None and raw is not None else text


def recorded_places(text: str | bytes, recorded: Any, known: str) -> dict[str, tuple[int, int]] | None:
    """Where each page's entries are in `text`, as the manifest recorded them
    (`Plan.recorded`), when it recorded them for an index whose digest is `known` (the
    plan took it when it read the index: `incremental.trusted_index`), and each place
    starts with an entry of that page and ends where an entry does; None otherwise.
    `text` may be the index's bytes, when it is ASCII: the places are the same."""
    if isinstance(text, bytes):
        return _places(_AsciiBytes(text), recorded, known)
    return _places(text, recorded, known)


class _AsciiBytes:
    """An ASCII index's bytes, asked what `_places` asks of its text, as the text would
    answer (its characters are its bytes)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, at: int) -> str:
        return chr(self.raw[at])

    def startswith(self, prefix: str, at: int) -> bool:
        return prefix.isascii() and self.raw.startswith(prefix.encode("ascii"), at)


def _places(text: Any, recorded: Any, known: str) -> dict[str, tuple[int, int]] | None:
    if not isinstance(recorded, dict) or recorded.get("digest") != known:
        return None
    places = recorded.get("pages")
    if not isinstance(places, list) or len(places) % 3:
        return None
    found: dict[str, tuple[int, int]] = {}
    last = len(text) - 2
    for number in range(0, len(places), 3):
        url, start, end = places[number : number + 3]
        if not (isinstance(url, str) and isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            return None
        if not text.startswith(HEAD, start) or end > last or text[end] not in ",]":
            return None
        if not _names(text, start + len(HEAD), url):
            return None
        found[url] = (start, end)
    return found


def _names(text: Any, at: int, url: str) -> bool:
    """Whether the location that starts at `at` is on the page at `url` (a URL that JSON
    writes as it is; any other is not checked: the digest already holds the text)."""
    if not url.isascii() or '"' in url or "\\" in url or not url.isprintable():
        return True
    after = at + len(url)
    return text.startswith(url, at) and after < len(text) and text[after] in ('"', "#")


def recorded_entries(text: str, recorded: Any, known: str) -> dict[str, str] | None:
    """Each page's entries at the places the manifest recorded (`recorded_places`)."""
    places = recorded_places(text, recorded, known)
    return None if places is None else {url: text[start:end] for url, (start, end) in places.items()}


def merge_search(result: Plan, config, kept: Kept | None = None) -> None:
    """Give the search index of a dirty build every page, in the order of a full build
    (`kept`: the index the previous build of this process wrote, by page)."""
    previous = _previous_index(result)
    result.index = result.index_bytes = None  # not held while the index is written
    for plugin, entries in search_indexes(config):
        fresh = _by_page(entries)
        if not _splice(result, plugin, fresh, previous, kept):
            old = _parsed(_text(previous))
            merged: list[dict] = []
            for url, source in result.order:
                merged += fresh.get(url, []) if source in result.rebuilt else old.get(url, [])
            entries[:] = merged
            _record(result, plugin, kept)
        if hasattr(plugin, "search_index_prev"):
            plugin.search_index_prev = None  # Material would merge a dirty reload's index again
    if SEARCH_INDEX in result.reused:
        result.reused.remove(SEARCH_INDEX)


def _record(result: Plan, plugin, kept: Kept | None) -> None:
    """With mkdocs' own search plugin, make its index now and have the plugin write just
    that, so that its digest can be recorded (the next build trusts only an index it
    knows: `incremental.trusted_index`). Another plugin's index is not known, and the
    next build is a full one."""
    index: Any = getattr(plugin, "search_index", None)
    generate = getattr(index, "generate_search_index", None)
    if generate is None or not type(plugin).__module__.startswith("mkdocs.contrib.search"):
        return
    if getattr(index, "config", {}).get("prebuild_index"):
        return
    written = generate()
    index.generate_search_index = lambda *_: written
    if kept is not None:
        kept.index, kept.index_pages = written, {}
    else:
        result.search = {"digest": digest(written.encode("utf-8"))}


def _parsed(text: str | None) -> dict[str, list[dict]]:
    """A previous index's entries by page, read as JSON (nothing for a damaged one)."""
    try:
        return _by_page(json.loads(text).get("docs", [])) if text is not None else {}
    except (ValueError, AttributeError):
        return {}


def _encoded(entries: list[dict]) -> str:
    """A page's entries as Material's search plugin encodes them in its index."""
    return json.dumps(entries, separators=(",", ":"), default=str)[1:-1]


LOCATION = re.compile(r'((?:[^"\\]|\\.)*)"')
DOCS = '"docs":['
HEAD = '{"location":"'
BETWEEN = '},{"location":"'


def previous_entries(text: str) -> dict[str, str] | None:
    """The JSON text of each page's entries in a search index that Material wrote,
    without parsing it: an entry is an object whose first key is its location, and
    neither `{"location":"` nor `},{"` can occur inside a JSON string (its quotes would
    be escaped). None when the text is not laid out so."""
    start = text.find(DOCS) + len(DOCS)
    if start < len(DOCS) or not text.startswith('{"config":') or not text.endswith("]}"):
        return None
    if start == len(text) - 2:
        return {}
    if not text.startswith(HEAD, start) or not text.endswith("}]}"):
        return None
    body = text[start + len(HEAD) : -3]
    pieces = body.split(BETWEEN)
    if body.count('},{"') != len(pieces) - 1:
        return None  # an entry whose location is not its first key, or an object inside one
    pages: dict[str, list[str]] = {}
    run, first = None, 0
    for number, piece in enumerate(pieces + [""]):
        end = piece.find('"')
        if end < 0 and number < len(pieces):
            return None
        location = piece[:end] if number < len(pieces) else None
        if location is not None and "\\" in location:
            match = LOCATION.match(piece)
            location = json.loads(f'"{match.group(1)}"') if match else ""
        page = location.partition("#")[0] if location is not None else None
        if page != run:
            if run is not None:
                pages.setdefault(run, []).append(HEAD + BETWEEN.join(pieces[first:number]) + "}")
            run, first = page, number
    return {page: ",".join(parts) for page, parts in pages.items()}


def _splice(
    result: Plan,
    plugin,
    fresh: dict[str, list[dict]],
    previous: Previous,
    last: Kept | None = None,
) -> bool:
    """Have Material's search plugin write the merged index without parsing the previous
    index or encoding its entries again: each reused page's entries are the previous
    index's text, as a full build would encode them (the same encoder, the same order).
    Where each page's entries fall in the result is recorded for the next build
    (`Plan.search`), except under serve, which keeps the last index in memory (`last`).
    False where that does not hold (another search plugin, another layout)."""
    index: Any = getattr(plugin, "search_index", None)
    generate = getattr(index, "generate_search_index", None)
    if generate is None or not isinstance(getattr(index, "entries", None), list):
        return False
    kept, index.entries = index.entries, []
    try:
        empty = generate(None)
    finally:
        index.entries = kept
    text, known, raw = previous
    old: Mapping[str, str | tuple[int, int]] | None
    if text is None and raw is None:
        old = {}
    elif last is not None:
        old = last.index_pages if last.index == text else previous_entries(text or "")
    else:
        old = recorded_places(raw if raw is not None else text or "", result.recorded, known)
        if old is None:  # the places are damaged: the index is read through, as text
            text = _text(previous)
            old = previous_entries(text or "")
    if not empty.endswith(DOCS + "]}"):
        return False
    if old is None:  # laid out otherwise: read as JSON
        old = {url: _encoded(entries) for url, entries in _parsed(text).items()}
    parts: dict[str, str | tuple[int, int]] = {}
    for url, source in result.order:
        if source in result.rebuilt:
            if fresh.get(url):
                parts[url] = _encoded(fresh[url])
        elif url in old:
            parts[url] = old[url]
    plain = raw is not None or text is None or text.isascii()
    if last is None and plain and all(_ascii(part) for part in parts.values()):
        if raw is None:
            raw = text.encode("ascii") if text is not None else b""
        data, places = encoded(empty, raw, parts)
        index.generate_search_index = lambda previous: Encoded(data)
        result.search = {"digest": digest(data), "pages": places}
        return True
    text = _text((text, known, raw))
    merged, places = joined(empty, text or "", parts)
    index.generate_search_index = lambda previous: merged
    if last is not None:
        last.index, last.index_pages = merged, {url: part for url, part in parts.items() if isinstance(part, str)}
    else:
        result.search = {"digest": digest(merged.encode("utf-8")), "pages": places}
    return True


def _ascii(part: str | tuple[int, int]) -> bool:
    return not isinstance(part, str) or part.isascii()


class Encoded:
    """A merged index already encoded, given to Material's search plugin, which does
    nothing with what `generate_search_index` returns but encode it to UTF-8 and write
    it (`on_post_build`): these are the bytes that encoding the text gives. At 5,000
    ideas the index is 30 MB, and each copy of it (a slice, a join, an encoding) cost
    about 0.04 s on the loaded machine; made as bytes, it is copied once. It is no str:
    anything else done with it fails the build rather than write another index."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise ValueError(f"the search index is encoded as UTF-8, not {encoding}")
        return self.data


def _runs(
    empty: str, parts: Mapping[str, str | tuple[int, int]]
) -> tuple[list[str | tuple[int, int]], list[str | int]]:
    """Each page's entries (`parts`: the text, or where it is in the previous index) in
    turn, places that follow one another in the previous index taken as one (the same
    text, commas between included); and where each page's entries fall in the index
    `empty` holding them all, for the manifest."""
    runs: list[str | tuple[int, int]] = []
    places: list[str | int] = []
    position = len(empty) - 2
    for url, part in parts.items():
        if isinstance(part, str):
            size = len(part)
            runs.append(part)
        else:
            size = part[1] - part[0]
            last = runs[-1] if runs else None
            if isinstance(last, tuple) and part[0] == last[1] + 1:
                runs[-1] = (last[0], part[1])
            else:
                runs.append(part)
        places += [url, position, position + size]
        position += size + 1
    return runs, places


def joined(empty: str, text: str, parts: Mapping[str, str | tuple[int, int]]) -> tuple[str, list[str | int]]:
    """The index `empty` with each page's entries in turn (`_runs`; places are in `text`),
    and where each page's entries fall in it."""
    runs, places = _runs(empty, parts)
    pieces = [empty[:-2]]
    for number, run in enumerate(runs):
        pieces += ["," if number else "", run if isinstance(run, str) else text[run[0] : run[1]]]
    return "".join([*pieces, "]}"]), places


def encoded(empty: str, raw: bytes, parts: Mapping[str, str | tuple[int, int]]) -> tuple[bytes, list[str | int]]:
    """`joined`, as UTF-8, for an index and entries that are all ASCII (as Material's
    search plugin writes them: JSON's escapes for the rest), whose characters are then
    bytes: the previous index's pieces are not copied before the one join."""
    runs, places = _runs(empty, parts)
    view = memoryview(raw)
    pieces: list[bytes | memoryview] = [empty[:-2].encode("ascii")]
    for number, run in enumerate(runs):
        pieces += [b"," if number else b"", run.encode("ascii") if isinstance(run, str) else view[run[0] : run[1]]]
    return b"".join([*pieces, b"]}"]), places
