"""Find existing ideas that look like a new one, so people vote instead of posting twice.

The score blends the titles' likeness (shared words, and difflib's ratio for near
spellings) with the texts' cosine similarity over word counts. Both ignore case and
common words. It is deliberately simple, dependency-free and explainable: a reviewer sees
a number between 0 and 1, and the words that matched are the ones on the screen.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from bubbleup.core.model import Idea

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


def _cosine(left: Counter, right: Counter) -> float:
    shared = set(left) & set(right)
    dot = sum(left[w] * right[w] for w in shared)
    norm = math.sqrt(sum(v * v for v in left.values())) * math.sqrt(sum(v * v for v in right.values()))
    return dot / norm if norm else 0.0


def title_likeness(left: str, right: str) -> float:
    a = {_stem(w) for w in words(left)}
    b = {_stem(w) for w in words(right)}
    overlap = len(a & b) / len(a | b) if a | b else 0.0
    ratio = SequenceMatcher(None, left.lower(), right.lower()).ratio()
    return max(overlap, ratio * 0.8)


def score(title: str, text: str, other: Idea) -> float:
    """How much `other` looks like an idea with this title and text, from 0 to 1."""
    titles = title_likeness(title, other.title)
    mine = Counter(_stem(w) for w in words(f"{title} {text}"))
    theirs = Counter(_stem(w) for w in words(f"{other.title} {other.text}"))
    texts = _cosine(mine, theirs)
    return round(TITLE_WEIGHT * titles + (1 - TITLE_WEIGHT) * texts, 2)


@dataclass(frozen=True)
class Match:
    idea: Idea
    score: float


def similar(title: str, text: str, ideas: Iterable[Idea], limit: int = 5, exclude: str | None = None) -> list[Match]:
    """The ideas most like this one, best first, at most `limit`, above the noise threshold."""
    found = [Match(idea, score(title, text, idea)) for idea in ideas if idea.slug != exclude]
    found = [match for match in found if match.score >= THRESHOLD]
    found.sort(key=lambda match: (-match.score, match.idea.slug))
    return found[:limit]


class Index:
    """Similar ideas for every idea at once, in about linear time.

    Comparing every idea with every other is quadratic (25 million pairs at 5,000
    ideas). Ideas that look alike share title words, so each idea is compared only
    with the ideas that share its rarest title words (an inverted index), at most
    `candidates` of them; each idea's words are counted once, not once per comparison.
    The score is the same blend as `score`, without difflib's spelling ratio.
    """

    def __init__(self, ideas: Iterable[Idea], candidates: int = 20):
        self.ideas = {idea.slug: idea for idea in ideas}
        self.candidates = candidates
        self.titles: dict[str, set[str]] = {}
        self.vectors: dict[str, tuple[Counter, float]] = {}
        self.postings: dict[str, list[str]] = {}
        for slug, idea in self.ideas.items():
            title = {_stem(w) for w in words(idea.title)}
            self.titles[slug] = title
            counts = Counter(_stem(w) for w in words(f"{idea.title} {idea.text}"))
            self.vectors[slug] = (counts, math.sqrt(sum(v * v for v in counts.values())))
            for word in title:
                self.postings.setdefault(word, []).append(slug)

    def _score(self, slug: str, other: str) -> float:
        mine, theirs = self.titles[slug], self.titles[other]
        titles = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
        (left, left_norm), (right, right_norm) = self.vectors[slug], self.vectors[other]
        if len(left) > len(right):
            left, right = right, left
        dot = sum(count * right[word] for word, count in left.items() if word in right)
        texts = dot / (left_norm * right_norm) if left_norm and right_norm else 0.0
        return round(TITLE_WEIGHT * titles + (1 - TITLE_WEIGHT) * texts, 2)

    def similar(self, idea: Idea, limit: int = 5) -> list[Match]:
        counts: dict[str, float] = {}
        for word in self.titles.get(idea.slug, set()):
            posting = self.postings.get(word, [])
            if len(posting) > max(50, len(self.ideas) // 10):  # too common to tell ideas apart
                continue
            weight = 1 / len(posting)
            for slug in posting:
                if slug != idea.slug:
                    counts[slug] = counts.get(slug, 0.0) + weight
        nearest = sorted(counts, key=lambda slug: (-counts[slug], slug))[: self.candidates]
        found = [Match(self.ideas[slug], self._score(idea.slug, slug)) for slug in nearest]
        found = [match for match in found if match.score >= THRESHOLD]
        found.sort(key=lambda match: (-match.score, match.idea.slug))
        return found[:limit]
