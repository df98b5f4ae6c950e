"""Lean pages: Python-Markdown never parses the HTML that Bubbleup already rendered.

A generated page is plain Markdown (so that any builder can read it) in which idea
texts, feedback, vote bars and cards are blocks of sanitized HTML. Python-Markdown
would pass each block through unchanged, but only after running its HTML parser over
it, which was the largest part of a page's build. `hold` replaces each such block by a
placeholder paragraph before mkdocs converts the page, and `restore` puts the blocks
back into the converted HTML: the same output, without the parse.

A block is what Python-Markdown itself treats as one: it starts at the beginning of a
line after a blank line with a block-level tag, ends at the line where that tag closes,
and is followed by a blank line. Anything else is left to Python-Markdown.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field

BLOCK_TAGS = "div|p|ul|ol|table|details|figure|section|blockquote|pre|svg|h[1-6]"
START = re.compile(rf"(?:\A|\n\n)<({BLOCK_TAGS})(?=[\s>/])")
"""A block's first tag at the start of the page or after a blank line (the block starts
at the `<`: one character before the name)."""
FIRST = re.compile(rf"<({BLOCK_TAGS})(?=[\s>/])")
AFTER_BLANK = re.compile(rf"\n\n<({BLOCK_TAGS})(?=[\s>/])")
"""`START` in two: a pattern that begins with plain characters is searched for by the
engine's quick scan, where `START`'s choice is tried at every character (35 ms on a
ranking of 5,000 ideas)."""
TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
"""A whole tag, quoted attribute values included: a `<` inside a value is not a tag."""
_TAG_REST = r"""/?[a-zA-Z][a-zA-Z0-9]*+(?:[^>"']++|"[^"]*+"|'[^']*+')*+>"""
"""What follows the `<` of a `TAG`, read in runs: a tag ends only at its first `>`
outside quotes, so reading never has to go back."""
PLACEHOLDER = re.compile(r"<p>(bubbleuphtml[0-9a-f]{16})</p>|(bubbleuphtml[0-9a-f]{16})")
LONG = 4096
"""From how many characters on a block is first read as plain tags (`_end_of_plain_block`)."""
_MARKS = b"<>\"'"
_UNMARKED = bytes(sorted(set(range(256)) - set(_MARKS)))
_NOT_A_TAG = re.compile(rb"<(?:[^a-zA-Z/]|/[^a-zA-Z])")
FENCE = re.compile(r"(?m)^ {0,3}(```|~~~)")


@dataclass
class Held:
    """The HTML blocks taken out of one page, by placeholder."""

    blocks: dict[str, str] = field(default_factory=dict)


def _end_of_block(text: str, start: int, name: str, last: int) -> int | None:
    """Where the block opened at `start` ends (the end of the line that closes it), if it
    ends well: its tag closed at the end of a line that a blank line or the end follows
    (`last`: where the text ends, trailing line breaks left out).

    The tags are read as `TAG.finditer` reads them (`_end_by_every_tag`, the plain way),
    but the regular expression engine passes over every tag of another name, and over
    every `<` that starts no tag, by itself: a ranking of 5,000 rows holds 60,000 tags,
    and a Python step for each was most of the time taken to hold the views. A long
    block is first read as plain tags, quicker still (`_end_of_plain_block`)."""
    if len(text) - start >= LONG:
        end = _end_of_plain_block(text, start, name)
        if end is not None:
            return _ends_well(text, end, last)
    passing, depth = _passing(name), 0
    position = start
    while True:
        position = passing.match(text, position).end()  # type: ignore[union-attr]  # it matches "" at least
        tag = TAG.match(text, position)
        if tag is None:  # the end of the text: nothing but other tags was left
            return None
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return _ends_well(text, tag.end(), last)
        position = tag.end()


@functools.cache
def _passing(name: str) -> re.Pattern[str]:
    """Everything from a point up to the next tag named `name` (in any case, as `TAG`
    reads tags): text without `<`, whole tags of other names, and each `<` that starts
    no tag (reading goes on right after it, as `finditer` goes on searching)."""
    spelt = "".join(f"[{letter.lower()}{letter.upper()}]" if letter.isalpha() else letter for letter in name)
    other = rf"<(?!/?{spelt}(?![a-zA-Z0-9])){_TAG_REST}"
    return re.compile(rf"(?:[^<]++|{other}|<(?!{_TAG_REST}))*+")


def _end_of_plain_block(text: str, start: int, name: str) -> int | None:
    """Where the block opened at `start` closes, when everything up to there is plain
    tags; None when it is not (or the text is not Latin-1), and the tags must be read.

    The regular expression engine still took 20 ms over each ranking of 5,000 rows (five
    of them at 5,000 ideas). Where every `<` starts a tag, no tag holds a `<` or a `>`
    before its own `>`, and nothing but pairs of double quotes is quoted in a tag (no
    single quote at all), the tags are just what lies between each `<` and the next `>`:
    `TAG` reads them so, since its quoted values then end where they seem to. Then the
    tags of the block's name are those that `bytes.find` finds, and the checks are a few
    passes over the text's bytes at the speed of C (`_plain_tags`)."""
    try:
        raw = text[start:].encode("latin-1")  # one byte a character: the same places
    except UnicodeEncodeError:
        return None
    end = _closing(raw, name.encode("ascii"))
    return start + end if end is not None and _plain_tags(raw, end) else None


def _closing(raw: bytes, name: bytes) -> int | None:
    """Where the block at the start of `raw` ends if every `<` starts a tag ending at the
    next `>`: after the tag named `name` (in any case) that closes the first."""
    lowered = raw.lower()  # ASCII letters only: the places stay
    opening, closing = b"<" + name, b"</" + name
    depth = 0
    found_open, found_close = lowered.find(opening), lowered.find(closing)
    while found_open >= 0 or found_close >= 0:
        if found_close < 0 or 0 <= found_open < found_close:
            step, after = 1, found_open + len(opening)
            found_open = lowered.find(opening, after)
        else:
            step, after = -1, found_close + len(closing)
            found_close = lowered.find(closing, after)
        if lowered[after : after + 1].isalnum():  # a longer name
            continue
        depth += step
        if depth == 0:
            end = raw.find(b">", after)
            return None if end < 0 else end + 1
    return None


def _plain_tags(raw: bytes, end: int) -> bool:
    """Whether `raw` up to `end` is plain tags: each `<` followed by a name's first letter
    (after a `/` or not), and, of the characters `<`, `>`, `"` and `'`, each `<` followed
    by its `>` with only pairs of `"` between (quotes outside tags are text to `TAG`)."""
    if _NOT_A_TAG.search(raw, 0, end) is not None:
        return False
    marks = raw[:end].translate(None, _UNMARKED)
    starts = marks.count(b"<")
    marks = marks.replace(b'""', b"")
    return marks.count(b"<>") == starts == marks.count(b">")


def _end_by_every_tag(text: str, start: int, name: str, last: int) -> int | None:
    """`_end_of_block` the plain way, a Python step for each tag: what the quick way is
    tested against (tests/test_lean.py)."""
    depth, size = 0, len(name)
    for tag in TAG.finditer(text, start):
        found = tag.group(2)
        if len(found) != size or (found != name and found.lower() != name):  # most tags: a length apart
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return _ends_well(text, tag.end(), last)
    return None


def _ends_well(text: str, end: int, last: int) -> int | None:
    """`end`, where a block's tag closed, if a blank line or the end of the text follows."""
    return end if text.startswith("\n\n", end) or end >= last else None


def spans(markdown: str, quick: bool = True) -> list[tuple[int, int]]:
    """Where each top-level HTML block of a page starts and ends. `quick` finds the same
    as the plain way (`START` and `_end_by_every_tag`), sooner: tests/test_lean.py."""
    found: list[tuple[int, int]] = []
    position = 0
    last = len(markdown.rstrip("\n"))
    ends = _end_of_block if quick else _end_by_every_tag
    starts = (
        _starts(markdown) if quick else ((match.start(1) - 1, match.group(1)) for match in START.finditer(markdown))
    )
    for start, name in starts:
        if start < position:
            continue
        end = ends(markdown, start, name.lower(), last)
        if end is not None:
            found.append((start, end))
            position = end
    return found


def _starts(markdown: str) -> Iterator[tuple[int, str]]:
    """Where `START` matches and the tag's name, as `START.finditer` finds them."""
    first = FIRST.match(markdown)
    if first is not None:
        yield 0, first.group(1)
    for match in AFTER_BLANK.finditer(markdown, first.end() if first is not None else 0):
        yield match.start(1) - 1, match.group(1)


def hold(markdown: str, held: Held) -> str:
    """The page's Markdown with each top-level HTML block replaced by a placeholder.

    A page with fenced code is left whole: a fence could hold what looks like a block.
    """
    if ("```" in markdown or "~~~" in markdown) and FENCE.search(markdown):
        return markdown
    output: list[str] = []
    position = 0
    for start, end in spans(markdown):
        key = f"bubbleuphtml{secrets.token_hex(8)}"
        held.blocks[key] = markdown[start:end]
        output += [markdown[position:start], key]
        position = end
    output.append(markdown[position:])
    return "".join(output)


def restore(html: str, held: Held) -> str:
    """Put the held blocks back in place of their placeholder paragraphs, followed by the
    blank line that Python-Markdown writes after a block of raw HTML. A placeholder that
    is not a paragraph of its own was inside raw HTML (an earlier block left open), which
    Python-Markdown copies as it is: so is the block then."""
    if not held.blocks:
        return html

    def put_back(match: re.Match) -> str:
        key = match.group(1) or match.group(2)
        block = held.blocks.pop(key, None)
        if block is None:
            return match.group(0)
        if match.group(2) or match.end() == len(html):
            return block
        return block + "\n"

    return PLACEHOLDER.sub(put_back, html)
