"""Work remembered between builds: the sanitized HTML of each text, and each idea's
similar ideas, so that a build after one vote does not render every text again.

Both are pure functions of what they are keyed by. A text's HTML depends on the text
alone (texts that show images are not remembered: their HTML depends on where the page
is); the similar ideas of an idea depend on every idea's slug, title and text, so they are
remembered for that whole corpus and computed again when any idea's words change. The
cache file also names the code that made it (a digest of Bubbleup's own source and the
versions of the parser and sanitizer): a cache made by other code, or a damaged or
foreign file, is ignored, and a build without a cache makes the same pages.

After a vote with a text, one text of 16,000 at 5,000 ideas is new: what differs from the
cache file goes to a journal beside it (`caches.Journaled`), each text, corpus of similar
ideas and corpus of mentions an entry of its own (`t`, `s` or `m` and its key).
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import bubbleup
from bubbleup.core import caches
from bubbleup.core.markup import may_show_images
from bubbleup.core.model import Catalog, Idea
from bubbleup.core.similarity import Index, Match

CACHE = "render.pickle"
FORMAT = 2
JOURNAL_LIMIT = 2_000
"""How many entries may differ from the cache file, in its journal, before it is written whole."""
LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "nh3", "pyyaml")
PREPARE_FROM = 200
"""From how many texts to render the work is shared with a second process (forking
costs a few milliseconds; rendering a text, about one)."""


def code_digest() -> str:
    """What made the remembered results: Bubbleup's source, byte for byte (an editable
    install keeps its version number while its code changes), and the libraries' versions."""
    hasher = hashlib.sha256()
    package = Path(bubbleup.__file__).parent
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    hasher.update(caches.versions(LIBRARIES).encode())
    return hasher.hexdigest()


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Used:
    """What a memo was asked for and added since a `Memo.mark` (site/view_pages.py: in a
    second process, to add to the first's memo)."""

    texts: dict[str, str]
    used: set[str]
    similar: dict[str, dict[str, list]]
    mentioned: dict[str, object]
    corpora: set[str]
    added: bool


class Memo:
    """The remembered results of one build, read from and written back to the cache."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.code = code_digest() if path is not None else ""
        self.texts: dict[str, str] = {}
        self.similar: dict[str, dict[str, list]] = {}
        self.mentioned: dict[str, object] = {}
        """By a digest of every idea's slug, path, title and text: for each idea, the ideas
        whose text mentions it (site/together.py), as a build found them."""
        self.used: set[str] = set()
        self.corpora: set[str] = set()
        self.added = False
        self.journaled = caches.Journaled(path, "entries", JOURNAL_LIMIT, format=FORMAT, code=self.code)
        if path is not None:
            self._read()

    def _read(self) -> None:
        kinds: dict[str, dict] = {"t": {}, "s": {}, "m": {}}
        for name, value in self.journaled.read().items():
            kind = kinds.get(name[:1])
            if kind is None:
                return
            kind[name[1:]] = value
        texts, similar = kinds["t"], kinds["s"]
        if all(isinstance(value, str) for value in texts.values()):
            self.texts = texts
        if all(isinstance(value, dict) for value in similar.values()):
            # copies: `Likeness` adds to its corpus's, and the journal holds what differs from the file
            self.similar = {corpus: dict(found) for corpus, found in similar.items()}
        self.mentioned = kinds["m"]

    def mark(self) -> tuple[set[str], set[str], dict[str, set[str]], set[str], set[str]]:
        """Where the memo stands, for `since`."""
        similar = {corpus: set(found) for corpus, found in self.similar.items()}
        return set(self.texts), set(self.used), similar, set(self.mentioned), set(self.corpora)

    def since(self, mark: tuple[set[str], set[str], dict[str, set[str]], set[str], set[str]]) -> Used:
        """What was asked for and added since `mark`."""
        texts, used, similar, mentioned, corpora = mark
        return Used(
            {key: value for key, value in self.texts.items() if key not in texts},
            self.used - used,
            {
                corpus: {key: value for key, value in found.items() if key not in similar.get(corpus, ())}
                for corpus, found in self.similar.items()
            },
            {key: value for key, value in self.mentioned.items() if key not in mentioned},
            self.corpora - corpora,
            self.added,
        )

    def merge(self, used: Used) -> None:
        """Take in what another process's memo was asked for and added (`since`)."""
        self.texts.update(used.texts)
        self.used |= used.used
        for corpus, found in used.similar.items():
            self.similar.setdefault(corpus, {}).update(found)
        self.mentioned.update(used.mentioned)
        self.corpora |= used.corpora
        self.added = self.added or used.added

    def html(self, text: str, convert: Callable[[], str]) -> str:
        """The HTML of a text: remembered, or made by `convert` and remembered."""
        key = _key(text)
        self.used.add(key)
        found = self.texts.get(key)
        if found is None:
            found = self.texts[key] = convert()
            self.added = True
        return found

    def prepare(self, texts: Iterable[str], convert: Callable[[list[str]], list[str]]) -> None:
        """Make ahead, half in a second process, the HTML of the texts not remembered:
        a build without its cache (a first build, `--clean`) renders every idea's text
        before it makes a page, and on a machine with two processors that is twice as fast.
        `convert` gives the HTML of each of a list of texts."""
        from bubbleup.site import halves

        missing = list(dict.fromkeys(text for text in texts if _key(text) not in self.texts))
        if len(missing) < PREPARE_FROM or not halves.available():
            return
        for text, made in zip(missing, halves.each(convert, missing), strict=True):
            self.texts[_key(text)] = made
        self.added = True

    def save(self, prune: bool = True) -> None:
        """Write what this build used (and, within a bound, what an earlier build of the
        other audience used); a cache that cannot be written only makes the next build slower.
        Without `prune` (a build that made only some pages), nothing is dropped: the texts
        it did not ask for are still on the pages it kept."""
        if self.path is None:
            return
        unused = [key for key in self.texts if key not in self.used]
        if not prune:
            self.used.update(unused)
            unused = []
        if not self.added and len(unused) <= len(self.used):
            return
        kept = {key: value for key, value in self.texts.items() if key in self.used}
        for key in unused[: len(self.used)]:
            kept[key] = self.texts[key]
        entries: dict[str, object] = {f"t{key}": value for key, value in kept.items()}
        entries.update((f"s{key}", value) for key, value in self.similar.items() if key in self.corpora)
        for key in [key for key in self.similar if key not in self.corpora][:1]:
            entries[f"s{key}"] = self.similar[key]
        entries.update((f"m{key}", value) for key, value in self.mentioned.items() if key in self.corpora)
        self.journaled.save(entries)


def shown_texts(catalog: Catalog) -> Iterator[str]:
    """The texts the pages show as they are, with no image (whose HTML depends on the
    page): every idea's (its mentions are read from its HTML), every decision's reason,
    and the feedback's."""
    for idea in catalog.ideas.values():
        yield idea.text
        if idea.decision is not None:
            yield idea.decision.reason
    for item in catalog.feedback:
        if item.has_text and not may_show_images(item.text):
            yield item.text


class Likeness:
    """`Index.similar` for the ideas of one build, remembered for their corpus: the
    index is built only when an answer is not remembered.

    It refers to its memo weakly: site/together.py keeps it with its memo's other findings
    for as long as the memo lives (a weak key), and a strong reference back would keep
    the memo, every idea and the index alive for the whole process: in a `build`, through
    mkdocs' part too (290 MB of a full build's peak at 10,000 ideas)."""

    def __init__(self, ideas: Iterable[Idea], memo: Memo) -> None:
        self.ideas = {idea.slug: idea for idea in ideas}
        hasher = hashlib.sha256()
        for slug in sorted(self.ideas):
            idea = self.ideas[slug]
            for part in (slug, idea.title, idea.text):
                hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
        self.corpus = hasher.hexdigest()
        memo.corpora.add(self.corpus)
        self.found = memo.similar.setdefault(self.corpus, {})
        self._memo = weakref.ref(memo)
        self.index: Index | None = None

    def similar(self, idea: Idea, limit: int = 5) -> list[Match]:
        key = f"{limit}:{idea.slug}"
        found = self.found.get(key)
        if not isinstance(found, list) or not self._remembered(found):
            found = self.found[key] = self._search([idea.slug], limit)[0]
            self._added()
        return [Match(self.ideas[slug], float(score)) for slug, score in found]

    def prepare(self, limit: int = 5) -> None:
        """Find ahead, half in a second process, the similar ideas not remembered (all of
        them once any idea's words changed), as `Memo.prepare` does for texts."""
        from bubbleup.site import halves

        missing = [slug for slug in self.ideas if not self._remembered(self.found.get(f"{limit}:{slug}"))]
        if len(missing) < PREPARE_FROM or not halves.available():
            return
        self._search([], limit)  # the index, built once, before the child is forked
        for slug, found in zip(missing, halves.each(lambda part: self._search(part, limit), missing), strict=True):
            self.found[f"{limit}:{slug}"] = found
        self._added()

    @property
    def memo(self) -> Memo | None:
        """The memo it remembers its answers in, while that memo lives."""
        return self._memo()

    def _added(self) -> None:
        """Tell the memo it has answers to write (if it is still there to be written)."""
        memo = self.memo
        if memo is not None:
            memo.added = True

    def _remembered(self, found: object) -> bool:
        return isinstance(found, list) and all(_match(pair, self.ideas) for pair in found)

    def _search(self, slugs: list[str], limit: int) -> list[list[list]]:
        if self.index is None:
            self.index = Index(self.ideas.values())
        index = self.index
        return [[[match.idea.slug, match.score] for match in index.similar(self.ideas[slug], limit)] for slug in slugs]


def _match(pair: object, ideas: dict[str, Idea]) -> bool:
    """Whether a remembered match is one this build can show: a slug it has, and a score."""
    return (
        isinstance(pair, list)
        and len(pair) == 2
        and isinstance(pair[0], str)
        and pair[0] in ideas
        and isinstance(pair[1], int | float)
        and not isinstance(pair[1], bool)
    )
