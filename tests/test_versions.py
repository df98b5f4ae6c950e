"""The library versions the caches' keys name are those `importlib.metadata` gives, read
from the metadata file's headers alone (core/caches.version)."""

from __future__ import annotations

import sys
import tempfile
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.core import caches

read = caches.version.__wrapped__  # the reading itself, not the answer kept for the process


def test_every_installed_library_reads_as_importlib_metadata_reads_it() -> None:
    names = {distribution.metadata["Name"] for distribution in metadata.distributions()}
    assert len(names) > 20
    for name in sorted(names):
        assert read(name) == metadata.version(name), name
    assert read("no-such-library-anywhere") == "none"
    assert caches.versions(["mkdocs", "no-such-library-anywhere"]) == (
        f"mkdocs={metadata.version('mkdocs')}\nno-such-library-anywhere=none\n"
    )


words = st.text(
    st.characters(codec="utf-8", exclude_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=12
)
header = st.tuples(st.sampled_from(["Summary", "Author", "Version", "version", "Metadata-Version", "X"]), words).map(
    lambda pair: f"{pair[0]}: {pair[1]}"
)
odd = st.sampled_from(["  folded", "\tfolded", "no colon", "Version : 1", "Version:1", "Version:\t2 ", ""])
version = st.from_regex(r"\A[0-9][0-9a-z.+!-]{0,10}\Z")


@settings(max_examples=150, deadline=None)
@given(
    before=st.lists(st.one_of(header, odd), max_size=4),
    value=st.one_of(version, words, version.map(lambda v: f"{v} "), version.map(lambda v: f"{v}\n folded")),
    body=st.lists(st.one_of(words, version.map(lambda v: f"Version: {v}")), max_size=4),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
@pytest.mark.slow
def test_a_metadata_file_reads_as_importlib_metadata_reads_it(
    before: list[str], value: str, body: list[str], newline: str
) -> None:
    """Headers in any order, folded or odd, a description that quotes `Version:` lines,
    any line ending."""
    lines = ["Metadata-Version: 2.1", "Name: made-up-library", *before]
    lines += [f"Version: {value}", "", *body]
    with tempfile.TemporaryDirectory() as folder:
        info = Path(folder, "made_up_library-1.0.dist-info")
        info.mkdir()
        info.joinpath("METADATA").write_bytes(newline.join(lines).encode())
        sys.path.insert(0, folder)
        try:
            assert read("made-up-library") == str(metadata.version("made-up-library"))
        finally:
            sys.path.remove(folder)
