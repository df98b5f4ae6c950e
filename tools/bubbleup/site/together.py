"""What the pages show of the ideas all together (the mentions between them and the
similar ideas), found once per build, or once for many builds under serve."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Sequence

from bubbleup.core.markup import render
from bubbleup.core.model import Catalog, Idea
from bubbleup.core.similarity import Index
from bubbleup.site.memo import Likeness, Memo, shown_texts
from bubbleup.site.mentions import Mentions, mentioned_in

FOUND: weakref.WeakKeyDictionary[Memo, tuple[tuple[Idea, ...], Mentions, dict[str, list[str]], Likeness]] = (
    weakref.WeakKeyDictionary()
)
"""What `about_ideas` found with each memo, for the ideas it found it for."""

KEPT: weakref.WeakKeyDictionary[Memo, dict[object, object]] = weakref.WeakKeyDictionary()


def same_objects(old: Sequence[object], new: Sequence[object]) -> bool:
    """Whether two sequences hold the very same objects in the same order: what a build
    keeps for the next (here and in the views) holds only for them."""
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


def kept_for(memo: Memo | None) -> dict[object, object]:
    """What the views hand on from one build to the next (`Site.kept`): for as long as
    the memo (which stays for the process under serve, site/preview.py); without one, a
    dict of the build's own."""
    if memo is None:
        return {}
    found = KEPT.get(memo)
    if found is None:
        found = KEPT[memo] = {}
    return found


def about_ideas(catalog: Catalog, memo: Memo | None) -> tuple[Mentions, dict[str, list[str]], Index | Likeness]:
    """What the pages show of the ideas all together: the mentions between them and the
    similar ideas. Under serve the memo stays for the process (site/preview.py), and when
    the ideas are the very same objects as in its previous build (a vote saved), so is
    this: finding it again was 0.1 s of every rebuild at 5,000 ideas.

    The texts' HTML and the similar ideas are made ahead, half in a second process (site/memo.py
    `prepare`), only when the memo remembers fewer of them than there are ideas: a first
    build, `--clean`, other code, an idea's words changed (a new corpus of similar ideas).
    Finding the few missing after a vote meant scanning 55,000 texts and 25,000 remembered
    answers (0.06 s at 5,000 ideas); whatever is missing is made when its page asks, and
    either way it is the same HTML."""
    if memo is None:
        return (
            Mentions(catalog.ideas.values()),
            mentioned_in(catalog.ideas.values(), render),
            Index(catalog.ideas.values()),
        )
    if len(memo.texts) < len(catalog.ideas):
        memo.prepare(shown_texts(catalog), lambda texts: [render(text) for text in texts])
    ideas = tuple(catalog.ideas.values())
    kept = FOUND.get(memo)
    if kept is not None and same_objects(kept[0], ideas):
        memo.corpora.add(kept[3].corpus)
        return kept[1], kept[2], kept[3]
    index = Likeness(ideas, memo)
    if len(index.found) < len(ideas):
        index.prepare()
    found = (Mentions(ideas), _mentioned(ideas, memo, index.corpus), index)
    FOUND[memo] = (ideas, *found)
    return found


def _mentioned(ideas: tuple[Idea, ...], memo: Memo, corpus: str) -> dict[str, list[str]]:
    """`mentioned_in`, remembered in the memo (site/memo.py) for the ideas' slugs, titles
    and texts (`corpus`) and paths: a new process found them again, rendering the HTML
    of every idea's text (0.04 s at 5,000 ideas). What the cache holds is used only when
    it names ideas there are; the links themselves are made again on each page."""
    text = "\0".join([corpus, *(f"{idea.slug}\0{idea.path}" for idea in ideas)])
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    memo.corpora.add(key)
    found = memo.mentioned.get(key)
    slugs = {idea.slug for idea in ideas}
    if isinstance(found, dict) and all(
        slug in slugs
        and isinstance(sources, list)
        and all(type(source) is str and source in slugs for source in sources)
        for slug, sources in found.items()
    ):
        return found
    made = mentioned_in(ideas, render)
    memo.mentioned[key] = made
    memo.added = True
    return made
