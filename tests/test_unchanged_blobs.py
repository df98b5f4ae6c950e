"""`runner.blobs_of` reads `git ls-files -s -v -z` and `git diff-files -z` in one regular
expression: it takes exactly the files the line-by-line reading took."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.git.runner import blobs_of


def line_by_line(listed: bytes, changes: bytes) -> dict[str, str]:
    """How the listing was read before: each line split and decoded apart."""
    changed = set(changes.split(b"\0"))
    blobs = {}
    for line in listed.split(b"\0"):
        head, _, name = line.partition(b"\t")
        parts = head.split(b" ")  # tag, mode, blob, stage: "H 100644 <id> 0"
        regular = len(parts) == 4 and parts[0] == b"H" and parts[1] in (b"100644", b"100755")
        if regular and parts[3] == b"0" and name not in changed:
            blobs[name.decode("utf-8", "surrogateescape")] = parts[2].decode("ascii")
    return blobs


names = st.sampled_from(
    [b"ideas/a.md", b"ideas/a/b.md", b"ideas/\xc3\xa9 \t0.md", b"ideas/\xff\xfe.md", b""]
) | st.binary(max_size=12).filter(lambda name: b"\0" not in name)
heads = st.tuples(
    st.sampled_from([b"H", b"S", b"h", b"H H", b""]),
    st.sampled_from([b"100644", b"100755", b"120000", b"160000", b"1006440", b"100644 "]),
    st.sampled_from([b"0123abcd" * 5, b"", b"f", b"ab\tcd"]),
    st.sampled_from([b"0", b"1", b"2", b"00", b"0 "]),
)
lines = st.tuples(heads, names).map(lambda pair: b" ".join(pair[0]) + b"\t" + pair[1]) | names


@pytest.mark.slow
@settings(max_examples=300)
@given(st.lists(lines, max_size=8), st.lists(names, max_size=4), st.booleans())
def test_the_blobs_are_those_of_the_line_by_line_reading(listed, changed, ended) -> None:
    listing = b"\0".join(listed) + (b"\0" if ended else b"")
    changes = b"\0".join(changed) + (b"\0" if changed else b"")
    assert blobs_of(listing, changes) == line_by_line(listing, changes)


def test_a_listing_of_git() -> None:
    listing = b"H 100644 " + b"a" * 40 + b" 0\tideas/one.md\0S 100644 " + b"b" * 40 + b" 0\tideas/two.md\0"
    listing += b"H 100644 " + b"c" * 40 + b" 1\tideas/three.md\0H 100755 " + b"d" * 40 + b" 0\tideas/x y.md\0"
    assert blobs_of(listing, b"ideas/gone.md\0") == {"ideas/one.md": "a" * 40, "ideas/x y.md": "d" * 40}
    assert blobs_of(listing, b"ideas/one.md\0") == {"ideas/x y.md": "d" * 40}
