"""Links between ideas, as between the pages of a wiki.

An idea's text may point at another idea the way it would on the Git host: a relative
link to the other idea's file (`[see](other-idea.md)`, `../ideas/other-idea.md`), or a
bare reference such as `#other-idea`. On the site both lead to the other idea's page,
and every idea's page lists the ideas that mention it ("Mentioned in").

The work is done on the sanitized HTML (the one rendering of the text), so code spans
and blocks, where `#other-idea` is only text, are never mistaken for a reference, and
nothing here can bring back what the sanitizer removed: hrefs are only ever replaced by
URLs of idea pages, and new links carry only an idea's slug and escaped title.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterable

from bubbleup.core.model import Idea

_PIECES = re.compile(r"(<[^>]*>)")
_HREF = re.compile(r'\shref="([^"]*)"')
_BARE = re.compile(r"(?<![\w&#/])#([a-z0-9][a-z0-9-]{0,79})\b(?!-)")
_LITERAL = ("code", "pre", "a")
_MAY_LINK = re.compile(r"<\s*/*a", re.IGNORECASE)
"""Where a tag named 'a' may start (and some other tags, which `link` then looks at)."""


class Mentions:
    """Which idea each link or bare reference in an idea's text points at."""

    def __init__(self, ideas: Iterable[Idea]) -> None:
        self.ideas = {idea.slug: idea for idea in ideas}
        self.by_path = {idea.path: idea.slug for idea in self.ideas.values()}

    def target(self, source: Idea, href: str) -> tuple[str, str] | None:
        """The slug of the idea a link's destination names, and its #fragment, if any."""
        href = html.unescape(href)
        if "://" in href or href.startswith(("/", "mailto:", "?")):
            return None
        path, _, fragment = href.partition("#")
        if not path:
            return (fragment, "") if fragment in self.ideas and fragment != source.slug else None
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source.path), path.split("?")[0]))
        slug = self.by_path.get(joined)
        return (slug, fragment) if slug else None

    def _unshown(self, source: Idea, href: str) -> bool:
        """Whether a link names an idea file that this site does not show (an internal
        idea, on the public site): its address would publish the idea's name."""
        path = html.unescape(href).partition("#")[0].split("?")[0]
        if "://" in path or not path.endswith(".md"):
            return False
        folder = posixpath.dirname(source.path)
        return posixpath.dirname(posixpath.normpath(posixpath.join(folder, path))) == folder

    def link(self, source: Idea, sanitized: str, url: Callable[[str], str]) -> tuple[str, set[str]]:
        """The HTML with references to ideas turned into links to their pages (`url(slug)`),
        and the slugs it mentions."""
        mentioned: set[str] = set()
        if "#" not in sanitized and not _MAY_LINK.search(sanitized):
            return sanitized, mentioned  # no link and no '#': nothing to point at an idea
        literal = 0
        pieces = _PIECES.split(sanitized)
        for number, piece in enumerate(pieces):
            if piece.startswith("<"):
                name = piece[1:].split(maxsplit=1)[0].strip("/>").lower() if len(piece) > 2 else ""
                if name in _LITERAL:
                    literal += -1 if piece.startswith("</") else 1
                if name == "a" and not piece.startswith("</"):
                    pieces[number] = self._rewrite(source, piece, url, mentioned)
            elif literal <= 0 and "#" in piece:
                pieces[number] = _BARE.sub(lambda match: self._bare(source, match, url, mentioned), piece)
        return "".join(pieces), mentioned

    def _rewrite(self, source: Idea, tag: str, url: Callable[[str], str], mentioned: set[str]) -> str:
        match = _HREF.search(tag)
        found = self.target(source, match.group(1)) if match else None
        if match is not None and found is None and self._unshown(source, match.group(1)):
            return tag[: match.start()] + tag[match.end() :]  # an idea not on this site: no link, no name
        if match is None or found is None:
            return tag
        slug, fragment = found
        mentioned.add(slug)
        destination = url(slug) + (f"#{fragment}" if fragment and fragment != slug else "")
        return tag[: match.start(1)] + html.escape(destination, quote=True) + tag[match.end(1) :]

    def _bare(self, source: Idea, match: re.Match[str], url: Callable[[str], str], mentioned: set[str]) -> str:
        slug = match.group(1)
        if slug not in self.ideas or slug == source.slug:
            return match.group(0)
        mentioned.add(slug)
        title = html.escape(self.ideas[slug].title, quote=True)
        return f'<a href="{html.escape(url(slug), quote=True)}" title="{title}">#{slug}</a>'


def mentioned_in(ideas: Iterable[Idea], render: Callable[[str], str]) -> dict[str, list[str]]:
    """For each idea, the slugs of the ideas whose text mentions it, sorted."""
    ideas = list(ideas)
    finder = Mentions(ideas)
    found: dict[str, set[str]] = {}
    for idea in ideas:
        _, targets = finder.link(idea, render(idea.text), lambda slug: slug)
        for target in targets:
            found.setdefault(target, set()).add(idea.slug)
    return {slug: sorted(sources) for slug, sources in found.items()}
