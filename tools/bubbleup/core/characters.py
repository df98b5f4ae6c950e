"""What a file's bytes and characters may be: UTF-8 text with LF or CRLF line endings and no
control characters.

Checked once, where every file is read, so that nothing downstream has to guess: a byte
such as 0x01 would make feed.xml ill-formed XML, an escape sequence would reach the terminal,
a right-to-left override would let a title show text other than what it says, and a file
in UTF-16 or with classic Mac line endings would be read as something it is not. The
loader makes such characters errors in front matter and leaves them out of an idea's or a
feedback's text (with a warning), where a stray one should not hide the whole idea.
"""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"  # C0 and C1 controls, DEL, XML non-characters
    "\u202a-\u202e\u2066-\u2069]"  # bidirectional embeddings, overrides and isolates
    "|\r(?!\n)"  # a carriage return that does not end a CRLF line
)
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
"""A character `_UNSAFE` matches, or a carriage return (U+000D, which may end a CRLF line): one
scan for a set of characters, three times faster than `_UNSAFE`'s, whose second branch is
tried at every position."""
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MOST_LINES = 10
"""Lines reported per file: enough to find them all with a search, without drowning the rest."""


def decode(data: bytes) -> tuple[str | None, tuple[int, str] | None]:
    """A file's text, or the line and the reason it is not UTF-8 text.

    A UTF-8 byte order mark is dropped (editors on Windows add it).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, (1, "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, (line, "the file holds NUL bytes: it is probably UTF-16 or binary; save it as UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, (line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file with UTF-8 encoding")
    if "\r" in text and "\n" not in text:
        return None, (
            1,
            "the lines end with a carriage return only (classic Mac OS line endings); "
            "save the file with LF or CRLF line endings",
        )
    return text.removeprefix("\ufeff"), None


def describe(character: str) -> str:
    """A character in words, as U+XXXX and its Unicode name, never the character itself."""
    code = ord(character)
    if character == "\r":
        return "U+000D (a carriage return without a line feed)"
    name = unicodedata.name(character, "")
    if character in _BIDI:
        return f"U+{code:04X} ({name.lower()}, which can make text display other than it reads)"
    return f"U+{code:04X} ({name.lower()})" if name else f"U+{code:04X} (a control character)"


def problems(text: str) -> list[tuple[int, str]]:
    """(line, message) for each line holding a character that must not be published."""
    found: list[tuple[int, str]] = []
    line, position = 1, 0
    for match in _UNSAFE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if found and found[-1][0] == line:
            continue
        if len(found) == MOST_LINES:
            found.append((line, "more lines hold such characters; search the file for them"))
            break
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append((line, f"{describe(match.group()[0])} at column {column}; remove it"))
    return found


def suspect(text: str) -> bool:
    """Whether the text may hold such a character: False means `problems` finds none."""
    return _SUSPECT.search(text) is not None


def blank(text: str) -> str:
    """The text with each such character replaced by U+FFFD (the replacement character): every
    offset and line stays where it was, so the rest of the file can still be checked."""
    return _UNSAFE.sub("\ufffd", text)


def strip(text: str) -> str:
    """The text without such characters, for the text of an idea or a feedback."""
    return _UNSAFE.sub("", text)
