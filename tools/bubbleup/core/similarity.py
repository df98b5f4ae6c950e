"""Find existing ideas that look like a new one, so people vote instead of posting twice.

The score blends the titles' likeness (shared words, and difflib's ratio for near
spellings) with the texts' cosine similarity over word counts. Both ignore case and
common words. It is deliberately simple, dependency-free and explainable: a reviewer sees
a number between 0 and 1, and the words that matched are the ones on the screen.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import repeat
from operator import mul
from typing import TypeVar

from bubbleup.core.model import Idea

T = TypeVar("T")

TITLE_WEIGHT = 0.6
THRESHOLD = 0.2
"""Below this, a match is noise rather than a possible duplicate."""

_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "for",
        "from",
        "has",
        "have",
        "how",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "more",
        "most",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "should",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "this",
        "to",
        "us",
        "we",
        "what",
        "when",
        "which",
        "who",
        "why",
        "will",
        "with",
        "without",
        "would",
        "you",
        "your",
        "all",
        "any",
        "every",
        "each",
        "make",
        "get",
        "use",
        "new",
        "problem",
        "proposal",
        "expected",
        "impact",
        "benefits",
    ]
)


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _COMMON and len(w) > 2]


def _stem(word: str) -> str:
    """A crude plural fold, so that 'ideas' meets 'idea'."""
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


@dataclass(frozen=True)
class Words:
    """An idea's words, counted once: its title's (stemmed) and its whole text's, with the norm."""

    title: frozenset[str]
    counts: Counter
    norm: float

    @classmethod
    def of(cls, title: str, text: str) -> Words:
        counts: Counter = Counter()
        for word, times in Counter(_WORD.findall(f"{title} {text}".lower())).items():  # each distinct word once
            if word not in _COMMON and len(word) > 2:  # as `words` keeps them; then `_stem`, written out
                counts[word[:-1] if len(word) > 4 and word.endswith("s") else word] += times
        return cls(frozenset(_stem(w) for w in words(title)), counts, math.sqrt(sum(v * v for v in counts.values())))


def _likeness(mine: Words, theirs: Words, spelling: float = 0.0) -> float:
    """The one formula: the titles' share of words (or, when given, 0.8 of their spelling
    likeness, whichever is higher), blended with the texts' cosine similarity."""
    union = mine.title | theirs.title
    titles = max(len(mine.title & theirs.title) / len(union) if union else 0.0, spelling * 0.8)
    left, right = (
        (mine.counts, theirs.counts) if len(mine.counts) <= len(theirs.counts) else (theirs.counts, mine.counts)
    )
    # Word by word in C (a count times the other's count, 0 where it has none): the counts
    # are whole numbers, so the sum is exactly the one a loop in Python would make.
    dot = sum(map(mul, left.values(), map(right.get, left, repeat(0))))
    texts = dot / (mine.norm * theirs.norm) if mine.norm and theirs.norm else 0.0
    return round(TITLE_WEIGHT * titles + (1 - TITLE_WEIGHT) * texts, 2)


def score(title: str, text: str, other: Idea) -> float:
    """How much `other` looks like an idea with this title and text, from 0 to 1.

    One idea against a few: the titles' spelling likeness (difflib) is worth its cost here,
    so that a typo in a new idea's title still finds the idea it repeats.
    """
    spelling = SequenceMatcher(None, title.lower(), other.title.lower()).ratio()
    return _likeness(Words.of(title, text), Words.of(other.title, other.text), spelling)


@dataclass(frozen=True)
class Match:
    idea: Idea
    score: float


def similar(title: str, text: str, ideas: Iterable[Idea], limit: int = 5) -> list[Match]:
    """The ideas most like this one, best first, at most `limit`, above the noise threshold."""
    found = [Match(idea, score(title, text, idea)) for idea in ideas]
    found = [match for match in found if match.score >= THRESHOLD]
    found.sort(key=lambda match: (-match.score, match.idea.slug))
    return found[:limit]


def _spelling_bound(mine: Counter, theirs: str) -> float:
    """difflib's quick_ratio of two titles: at least their ratio, for a fraction of its cost."""
    common = sum((mine & Counter(theirs)).values())
    total = sum(mine.values()) + len(theirs)
    return 2.0 * common / total if total else 1.0


def ranked(title: str, text: str, ideas: Iterable[Idea], counted: Mapping[str, Words] | None = None) -> Iterator[Match]:
    """`similar`'s matches, best first and without a limit, found lazily: for a review that
    skips the ideas the check rejects and takes the next ones.

    The exact score costs a difflib comparison of the titles per idea. A bound without it
    (the titles' quick ratio, never below their ratio) orders the ideas, and an idea is
    scored exactly only when its bound reaches the best score not yet given out; a tie is
    scored too, so the order is `similar`'s, ties broken by slug.

    Args:
        counted: each idea's words (`Words.of`) by slug, counted once for many searches.
    """
    mine, letters, lowered = Words.of(title, text), Counter(title.lower()), title.lower()
    bounds = []
    for idea in ideas:
        theirs = counted[idea.slug] if counted is not None and idea.slug in counted else None
        theirs = theirs or Words.of(idea.title, idea.text)
        bound = _likeness(mine, theirs, _spelling_bound(letters, idea.title.lower()))
        bounds.append((-bound, idea.slug, idea, theirs))

    def likeness(idea: Idea, theirs: Words) -> float:
        return _likeness(mine, theirs, SequenceMatcher(None, lowered, idea.title.lower()).ratio())

    return best_first(bounds, likeness)


def best_first(bounds: list[tuple[float, str, Idea, T]], likeness: Callable[[Idea, T], float]) -> Iterator[Match]:
    """The ideas by their exact `likeness`, best first (ties by slug), above the threshold,
    each scored only when its bound reaches the best score not yet given out: `bounds`
    holds (-bound, slug, idea, what `likeness` needs besides the idea), each bound never
    below the idea's likeness, so a tie is scored too and the order is `similar`'s. An idea
    whose bound is under the threshold is never scored: it cannot be given out."""
    bounds.sort(key=lambda entry: (entry[0], entry[1]))
    scored: list[tuple[float, str, Idea]] = []
    position = 0
    while True:
        while (
            position < len(bounds)
            and -bounds[position][0] >= THRESHOLD
            and (not scored or -bounds[position][0] >= -scored[0][0])
        ):
            _, slug, idea, extra = bounds[position]
            heapq.heappush(scored, (-likeness(idea, extra), slug, idea))
            position += 1
        if not scored or -scored[0][0] < THRESHOLD:
            return
        negative, _, idea = heapq.heappop(scored)
        yield Match(idea, -negative)


_LETTERS_AND_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"
_UNCOUNTED = (
    _COMMON | frozenset(_LETTERS_AND_DIGITS) | {a + b for a in _LETTERS_AND_DIGITS for b in _LETTERS_AND_DIGITS}
)
"""The words `words` drops: the common ones and any of one or two letters or digits."""
_ASCII_WORDS = {c: c + 32 if 65 <= c <= 90 else c if chr(c).isalnum() else 32 for c in range(128)}
"""For `str.translate`: an ASCII text in lower case, with a space for whatever is not a letter or digit."""


def _key(word: str) -> str | None:
    """The stem a written word is counted under in `Words.counts`, None if it is not counted."""
    if len(word) <= 2 or word in _COMMON:
        return None
    return _stem(word)


@dataclass(frozen=True)
class Outline:
    """What bounds an idea's likeness to another without its `Words`: each word as written
    (`_WORD`'s tokens, common and short ones included) counted in C, and a floor under
    `Words.norm` (a stem's count squared is at least the sum of its written forms' squares)."""

    title: frozenset[str]
    written: Counter
    floor: float

    @classmethod
    def of(cls, title: str, text: str) -> Outline:
        joined = f"{title} {text}"
        if joined.isascii():  # the same tokens as _WORD finds in the lowered text, without a regex
            written = Counter(joined.translate(_ASCII_WORDS).split())
        else:
            written = Counter(_WORD.findall(joined.lower()))
        every, dropped = written.values(), list(map(written.__getitem__, _UNCOUNTED.intersection(written.keys())))
        floor = math.sqrt(sum(map(mul, every, every)) - sum(map(mul, dropped, dropped)))
        return cls(frozenset(_stem(w) for w in words(title)), written, floor)


class Bound:
    """A bound on `_likeness(Words.of(title, text), theirs, ratio)` from their `Outline`:
    the titles' quick ratio for difflib's ratio, the outline's floor for their norm; the
    dot product of the counts is exact (each stem's written forms looked up in C)."""

    def __init__(self, title: str, text: str):
        self.mine = Words.of(title, text)
        self.lowered = title.lower()
        self.letters = Counter(self.lowered)
        self.length = sum(self.letters.values())
        forms = [
            (form, count) for key, count in self.mine.counts.items() for form in (key, key + "s") if _key(form) == key
        ]
        self.forms = [form for form, _ in forms]
        self.weights = [count for _, count in forms]
        self.weight = dict(forms)

    def __call__(self, title: str, outline: Outline) -> float:
        mine = self.mine
        union = mine.title | outline.title
        lowered = title.lower()
        total = self.length + len(lowered)
        common = sum(map(min, self.letters.values(), map(lowered.count, self.letters)))
        titles = max(
            len(mine.title & outline.title) / len(union) if union else 0.0,
            (2.0 * common / total if total else 1.0) * 0.8,
        )
        dot = self._dot(outline.written)
        texts = dot / (mine.norm * outline.floor) if mine.norm and outline.floor else 0.0
        return round(TITLE_WEIGHT * titles + (1 - TITLE_WEIGHT) * texts, 2)

    def _dot(self, written: Counter) -> int:
        """The counts' dot product, by looking up the shorter side's words in the other."""
        if len(self.forms) <= len(written):
            return sum(map(mul, self.weights, map(written.get, self.forms, repeat(0))))
        shared = self.weight.keys() & written.keys()
        return sum(map(mul, map(self.weight.__getitem__, shared), map(written.__getitem__, shared)))

    def exact(self, title: str, theirs: Words) -> float:
        """The likeness itself, as `score` gives it for an idea with this title and `theirs` words."""
        lowered = self.lowered
        return _likeness(self.mine, theirs, SequenceMatcher(None, lowered, title.lower()).ratio())


class Index:
    """Similar ideas for every idea at once, in about linear time.

    Comparing every idea with every other is quadratic (25 million pairs at 5,000
    ideas). Ideas that look alike share title words, so each idea is compared only
    with the ideas that share its rarest title words (an inverted index), at most
    `candidates` of them; each idea's words are counted once, not once per comparison.
    The score is `score`'s formula without difflib's spelling likeness, which would cost
    a character-by-character comparison per pair.
    """

    def __init__(self, ideas: Iterable[Idea], candidates: int = 20):
        self.ideas = {idea.slug: idea for idea in ideas}
        self.candidates = candidates
        self.words = {slug: Words.of(idea.title, idea.text) for slug, idea in self.ideas.items()}
        self.postings: dict[str, list[str]] = {}
        for slug, counted in self.words.items():
            for word in counted.title:
                self.postings.setdefault(word, []).append(slug)
        common = max(50, len(self.ideas) // 10)  # a word in more titles is too common to tell ideas apart
        self.weights = {word: 1 / len(posting) for word, posting in self.postings.items() if len(posting) <= common}
        self.sharing = {word: frozenset(self.postings[word]) for word in self.weights}
        self.scores: dict[tuple[str, str], float] = {}

    def similar(self, idea: Idea, limit: int = 5) -> list[Match]:
        mine = self.words.get(idea.slug)
        if mine is None:
            return []
        found = [Match(self.ideas[slug], self._likeness(idea.slug, slug)) for slug in self._nearest(idea.slug, mine)]
        found = [match for match in found if match.score >= THRESHOLD]
        found.sort(key=lambda match: (-match.score, match.idea.slug))
        return found[:limit]

    def _likeness(self, slug: str, other: str) -> float:
        """`_likeness` of two indexed ideas, which is the same both ways, so each pair is
        compared once however many times each of them is asked about the other."""
        pair = (slug, other) if slug < other else (other, slug)
        found = self.scores.get(pair)
        if found is None:
            found = self.scores[pair] = _likeness(self.words[slug], self.words[other])
        return found

    def _nearest(self, slug: str, mine: Words) -> list[str]:
        """The `candidates` ideas that share the most weight of title words with this one
        (the rarer a word, the more it weighs), most first, ties by slug.

        The ideas that share the same title words share their weight, so they are kept
        in sets, one per set of shared words, and split with each next word by set
        operations. Each sum is rounded once (`math.fsum` of its weights), whatever the
        order of the words: a set's order, which follows Python's hash seed, so that
        summed in it, two builds could rank two ideas of equal weight differently."""
        groups: list[tuple[tuple[float, ...], set[str]]] = []
        seen: set[str] = set()
        for word in mine.title:
            weight = self.weights.get(word)
            if weight is None:
                continue
            sharing = self.sharing[word]
            split = []
            for shared, members in groups:
                inside = members & sharing
                if inside:
                    split.append((shared + (weight,), inside))
                    if len(inside) < len(members):
                        split.append((shared, members - sharing))
                else:
                    split.append((shared, members))
            fresh = sharing - seen
            if fresh:
                split.append(((weight,), set(fresh)))
                seen |= fresh
            groups = split
        by_total: dict[float, list[str]] = {}
        for weights, members in groups:
            members.discard(slug)
            by_total.setdefault(math.fsum(weights), []).extend(members)
        nearest: list[str] = []
        for total in sorted(by_total, reverse=True):
            nearest += sorted(by_total[total])[: self.candidates - len(nearest)]
            if len(nearest) >= self.candidates:
                break
        return nearest
