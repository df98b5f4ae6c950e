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

An index the previous build did not write (damaged, truncated, foreign, older: its
digest is not the recorded one) is not used at all: the build is a full one
(`incremental.trusted_index`), or its gaps and changes would be carried forward.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
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


def _previous_index(result: Plan) -> tuple[str | None, str]:
    """The previous site's index as text, with its digest: what the plan read, which it
    read only when the index is the one the previous build wrote (`trusted_index`)."""
    if result.index is None or len(result.rebuilt) >= len(result.order):
        return None, ""
    return result.index, result.index_digest


def recorded_entries(text: str, recorded: Any, known: str) -> dict[str, str] | None:
    """Each page's entries at the places the manifest recorded (`Plan.recorded`), when
    it recorded them for an index whose digest is `known` (the plan took it when it read
    the index: `incremental.trusted_index`); None otherwise."""
    if not isinstance(recorded, dict) or recorded.get("digest") != known:
        return None
    places = recorded.get("pages")
    if not isinstance(places, list) or len(places) % 3:
        return None
    found: dict[str, str] = {}
    for number in range(0, len(places), 3):
        url, start, end = places[number : number + 3]
        if not (isinstance(url, str) and isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            return None
        if not text.startswith(HEAD, start) or end > len(text) - 2 or text[end] not in ",]":
            return None
        found[url] = text[start:end]
    return found


def merge_search(result: Plan, config, kept: Kept | None = None) -> None:
    """Give the search index of a dirty build every page, in the order of a full build
    (`kept`: the index the previous build of this process wrote, by page)."""
    text, known = _previous_index(result)
    result.index = None  # not held while the index is written
    for plugin, entries in search_indexes(config):
        fresh = _by_page(entries)
        if not _splice(result, plugin, fresh, (text, known), kept):
            old = _parsed(text)
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
    previous: tuple[str | None, str],
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
    text, known = previous
    if text is None:
        old: dict[str, str] | None = {}
    elif last is not None:
        old = last.index_pages if last.index == text else previous_entries(text)
    else:
        old = recorded_entries(text, result.recorded, known)
        old = previous_entries(text) if old is None else old
    if not empty.endswith(DOCS + "]}"):
        return False
    if old is None:  # laid out otherwise: read as JSON
        old = {url: _encoded(entries) for url, entries in _parsed(text).items()}
    parts: dict[str, str] = {}
    for url, source in result.order:
        if source in result.rebuilt:
            if fresh.get(url):
                parts[url] = _encoded(fresh[url])
        elif url in old:
            parts[url] = old[url]
    merged = empty[:-2] + ",".join(parts.values()) + "]}"
    index.generate_search_index = lambda previous: merged
    if last is not None:
        last.index, last.index_pages = merged, parts
    else:
        result.search = _places(merged, len(empty) - 2, parts)
    return True


def _places(merged: str, start: int, parts: dict[str, str]) -> dict[str, Any]:
    """Where each page's entries fall in the merged index, for the manifest."""
    places: list[str | int] = []
    for url, part in parts.items():
        places += [url, start, start + len(part)]
        start += len(part) + 1
    return {"digest": digest(merged.encode("utf-8")), "pages": places}
