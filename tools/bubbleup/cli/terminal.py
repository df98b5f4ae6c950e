"""What reaches the terminal: text from idea files, commits and the roster, made inert.

A title, a heading, a commit author's name can hold escape sequences (ESC and the other C0
and C1 control characters) that a terminal would obey: recolour the screen, move the
cursor, rewrite what was printed before, set the window title. Every line the commands
print, and Click's own `Error:` line, goes through one stream that writes each control
character as its `\\uXXXX` escape instead: readable in a table, and still the same string
inside JSON, whose strings accept exactly that escape. Newlines and tabs pass unchanged.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


_ASCII_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
"""`_CONTROL`'s characters below 128, as the bytes UTF-8 writes them (no other character's
bytes are below 128); its others (U+0080 to U+009F) are the only characters UTF-8 writes
with a byte 0xC2 followed by one of 0x80 to 0x9F."""


def printable(text: str) -> str:
    """`text` with every control character but newline and tab written as `\\uXXXX`.

    Text without any is returned as it is, found so by C's byte loops: the regular
    expression's scan cost 53 instructions a character, 0.44 billion for the 8 MB of
    `tally --format json` at 10,000 ideas; encoding and deleting bytes, 0.10 billion."""
    raw = text.encode("utf-8", "surrogatepass")
    if b"\xc2" not in raw and len(raw.translate(None, _ASCII_CONTROLS)) == len(raw):
        return text
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class Inert:
    """A text stream that writes control characters as escapes (see `printable`).

    It offers no binary `buffer`, so that Click writes through it rather than around it.
    """

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.encoding = getattr(stream, "encoding", "utf-8")
        self.errors = getattr(stream, "errors", "strict")

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("a text stream")  # Click tells text streams from binary ones this way
        return self.stream.write(printable(text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def closed(self) -> bool:
        return self.stream.closed


def make_output_inert() -> None:
    """Route standard output and error through `Inert` for the rest of the command."""
    if not isinstance(sys.stdout, Inert):
        sys.stdout = Inert(sys.stdout)
    if not isinstance(sys.stderr, Inert):
        sys.stderr = Inert(sys.stderr)
