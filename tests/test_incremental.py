"""Incremental builds equal full builds, byte for byte; lean pages equal Python-Markdown's."""

from __future__ import annotations

import json
import os
import pickle
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import markdown
from bubbleup.site.incremental import MANIFEST, Digests
from bubbleup.site.lean import Held, hold, restore
from bubbleup.site.search_merge import previous_entries
from conftest import GitRepo, build_site, idea, journaled, tree, vote

build = build_site


@pytest.fixture
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both builds made as of the same moment (SOURCE_DATE_EPOCH), as reproducible builds are."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.mark.slow
def test_an_incremental_build_equals_a_full_build(site_repo: GitRepo, fixed_time: None) -> None:
    site_repo.commit(
        {
            "ideas/one.md": idea("One", extra="tags: [alpha]\n"),
            "ideas/two.md": idea("Two", extra="tags: [alpha, beta]\n"),
            "ideas/three.md": idea("Three", body="## Why\n\nBecause **bold**.\n\n```\ncode\n\nblock\n```\n"),
            "ideas/two/bob.md": vote("up", "Yes.\n"),
        }
    )
    build(site_repo)
    site = site_repo.root / "site"
    untouched = (site / "ideas/three/index.html").stat().st_ino
    site_repo.commit({"ideas/one/cat.md": vote("down", "No.\n"), "ideas/four.md": idea("Four")})
    (site_repo.root / "ideas/two.md").unlink()
    (site_repo.root / "ideas/two/bob.md").unlink()
    site_repo.git("add", "-A")
    site_repo.git("commit", "-q", "-m", "remove two")
    build(site_repo)
    assert (site / "ideas/three/index.html").stat().st_ino == untouched  # taken from the previous site
    build(site_repo, "--clean", "--site-dir", str(site_repo.root / "full"))
    incremental, full = tree(site), tree(site_repo.root / "full")
    assert sorted(incremental) == sorted(full)
    assert (
        "search/search_index.json" in incremental
        and b'"location":"ideas/three/"' in incremental["search/search_index.json"]
    )
    assert [name for name in incremental if incremental[name] != full[name]] == []
    assert "ideas/two/index.html" not in incremental and "ideas/four/index.html" in incremental


@pytest.mark.slow
def test_an_incremental_build_reuses_unchanged_pages_and_clean_builds_them_again(
    site_repo: GitRepo, fixed_time: None
) -> None:
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two")})
    build(site_repo)
    page = site_repo.root / "site/ideas/one/index.html"
    good = page.read_bytes()
    page.write_bytes(b"tampered")  # an unchanged source: the incremental build trusts the previous site
    site_repo.commit({"ideas/two/bob.md": vote("up")})
    build(site_repo)
    assert page.read_bytes() == b"tampered"
    build(site_repo, "--clean")
    assert page.read_bytes() == good
    assert (site_repo.root / "site" / MANIFEST).is_file()


@pytest.mark.slow
def test_a_changed_configuration_builds_every_page_again(site_repo: GitRepo, fixed_time: None) -> None:
    site_repo.commit({"ideas/one.md": idea("One")})
    build(site_repo)
    page = site_repo.root / "site/ideas/one/index.html"
    page.write_bytes(b"tampered")
    config = site_repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("Test ideas", "Other ideas"))
    build(site_repo)
    assert b"Other ideas" in page.read_bytes()


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "toc"])


@pytest.mark.slow
def test_lean_pages_equal_what_python_markdown_makes_of_the_generated_pages(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/one.md": idea("One <i>x</i>", extra="tags: [alpha]\n", body="| a | b |\n|---|---|\n| 1 | 2 |\n"),
            "ideas/one/bob.md": vote("up", "Feedback\n\n    indented <div> code\n\n* list\n"),
            "ideas/two.md": idea("Two", extra="status: planned\ndecision: {by: ann, date: 2026-10-02, reason: Go.}\n"),
        }
    )
    build(site_repo)
    pages = sorted((site_repo.root / "docs/ideas").rglob("*.md"))
    assert len(pages) > 10
    held_any = 0
    for path in pages:
        text = path.read_text(encoding="utf-8")
        text = text.split("---\n", 2)[2] if text.startswith("---\n") else text
        held = Held()
        lean = hold(text, held)
        held_any += len(held.blocks)
        assert restore(convert(lean), held) == convert(text), path.name
    assert held_any > 5


fragments = st.sampled_from(
    [
        "# Title\n\n",
        "Some *text* here.\n\n",
        '<div class="x">\n<p>held</p>\n</div>\n\n',
        '<p title="</p><script>">attribute</p>\n\n',
        "<div>\n\n<p>blank inside</p>\n\n</div>\n\n",
        "<div>unclosed\n\n",
        "- item\n- item\n\n",
        "<p>trailing</p> text\n\n",
        "| a |\n|---|\n| 1 |\n\n",
        "<pre><code>x\n\ny</code></pre>\n\n",
        "```\ncode\n\n",
        "> quote\n\n",
        "    indented\n\n",
    ]
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=8))
def test_holding_blocks_never_changes_the_output(parts: list[str]) -> None:
    text = "".join(parts)
    held = Held()
    assert restore(convert(hold(text, held)), held) == convert(text)


@pytest.mark.slow
def test_a_build_on_a_later_day_takes_the_idea_pages_from_the_previous_site(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Idea pages say dates exactly, so a new day changes only the views."""
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    decided = "status: planned\ndecision: {by: ann, date: 2026-10-02, reason: Go.}\n"
    site_repo.commit({"ideas/one.md": idea("One", extra=decided), "ideas/two.md": idea("Two")})
    build(site_repo)
    site = site_repo.root / "site"
    page = site / "ideas/one/index.html"
    inode = page.stat().st_ino
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1793000000 + 9 * 86400))
    build(site_repo)
    assert page.stat().st_ino == inode
    build(site_repo, "--clean", "--site-dir", str(site_repo.root / "full"))
    incremental, full = tree(site), tree(site_repo.root / "full")
    assert sorted(incremental) == sorted(full)
    assert [name for name in incremental if incremental[name] != full[name]] == []


def _same_as_a_clean_build(repo: GitRepo, step: str) -> None:
    build(repo)
    full = repo.root / "full"
    build(repo, "--clean", "--site-dir", str(full))
    incremental, clean = tree(repo.root / "site"), tree(full)
    assert sorted(incremental) == sorted(clean), step
    assert [name for name in incremental if incremental[name] != clean[name]] == [], step


@pytest.mark.slow  # two real builds per change
def test_every_kind_of_change_builds_incrementally_what_a_clean_build_makes(
    site_repo: GitRepo, fixed_time: None
) -> None:
    """Changes that reach pages other than their own file's: a person renamed (shown as a
    voter), an original's title (shown on its duplicate's page), a decision, the
    configuration, a mention of an idea that did not exist yet."""
    site_repo.commit(
        {
            "ideas/one.md": idea("One", body="See #four, not yet written.\n"),
            "ideas/two.md": idea("Two", extra="status: duplicate\nduplicate-of: one\n"),
            "ideas/three.md": idea("Three", extra="tags: [alpha]\n"),
            "ideas/one/bob.md": vote("up", "Yes.\n"),
            "ideas/three/cat.md": vote("down"),
        }
    )
    build(site_repo)
    roster = site_repo.root / "ideas/people.yml"
    changes: list[tuple[str, dict[str, str | bytes]]] = [
        ("a person renamed", {"ideas/people.yml": roster.read_text().replace("Bob Example", "Robert Example")}),
        ("a person's team", {"ideas/people.yml": roster.read_text().replace("team: engineering", "team: design")}),
        ("an original's title", {"ideas/one.md": idea("One, renamed", body="See #four, not yet written.\n")}),
        (
            "a decision",
            {
                "ideas/three.md": idea(
                    "Three", extra="status: planned\ndecision: {by: ann, date: 2026-10-02, reason: Go.}\n"
                )
            },
        ),
        ("a mentioned idea appears", {"ideas/four.md": idea("Four")}),
        ("a vote", {"ideas/four/ann.md": vote("up", "Mine.\n")}),
    ]
    for step, files in changes:
        site_repo.commit(files, step)
        _same_as_a_clean_build(site_repo, step)
    config = site_repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - bubbleup\n", "  - bubbleup: {trending_half_life: 3}\n"))
    _same_as_a_clean_build(site_repo, "the configuration")
    (site_repo.root / "ideas/people.yml").unlink()
    site_repo.git("add", "-A")
    site_repo.git("commit", "-q", "-m", "no roster")
    _same_as_a_clean_build(site_repo, "the roster removed")


@pytest.fixture
def remembered(site_repo: GitRepo, fixed_time: None, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A site built once with a style sheet, every source file's digest remembered (even
    those changed in the last two seconds, which a build would read again next time)."""
    monkeypatch.setattr(Digests, "RACY_NS", -(10**18))
    site_repo.commit({"ideas/one.md": idea("One"), "docs/extra.css": "p { color: red; }\n"})
    build(site_repo)
    return site_repo


@pytest.mark.slow
def test_a_file_rewritten_with_its_size_and_modification_time_kept_is_read_again(remembered: GitRepo) -> None:
    """The change time, which no program sets, gives the change away."""
    sheet = remembered.root / "docs/extra.css"
    cache = journaled(remembered.root / ".bubbleup-cache/sources.pickle")[1]
    assert str(sheet) in cache["files"]
    before = sheet.stat()
    sheet.write_text("p { color: tan; }\n")
    os.utime(sheet, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (sheet.stat().st_size, sheet.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    build(remembered)
    assert (remembered.root / "site/extra.css").read_text() == "p { color: tan; }\n"


@pytest.mark.slow
def test_a_damaged_or_foreign_digest_cache_gives_the_site_of_a_full_build(remembered: GitRepo) -> None:
    cache = remembered.root / ".bubbleup-cache/sources.pickle"
    header, content = journaled(cache)
    entries = content["files"]
    for text in (
        b"\x00not a pickle",
        header + pickle.dumps({**content, "files": {name: [1, 2, 3, 4, "x"] for name in entries}}),
        header + pickle.dumps({**content, "files": {name: ["a", None] for name in entries}}),
        header.replace(b'"format":', b'"format":99') + pickle.dumps(content),
    ):
        cache.write_bytes(text)
        remembered.commit({"docs/extra.css": f"p {{ width: {len(text)}px; }}\n"})
        _same_as_a_clean_build(remembered, repr(text[:20]))


@pytest.mark.slow
def test_a_file_changed_just_before_the_build_is_read_again_next_time(site_repo: GitRepo, fixed_time: None) -> None:
    """Its time stamp could be shared with a change made right after the build read it.

    The changed file's modification time is set a minute ahead: written "now", it left the
    two-second window before the build started whenever a loaded machine took that long
    to get there, and the test failed though the rule held."""
    site_repo.commit({"ideas/one.md": idea("One"), "docs/extra.css": "p { color: red; }\n"})
    old = time.time_ns() - 3_000_000_000
    for path in (site_repo.root / "docs").rglob("*"):
        os.utime(path, ns=(old, old))
    time.sleep(2.1)  # the change times too must be two seconds old
    changed = site_repo.root / "docs/extra.css"
    changed.write_text("p { color: tan; }\n")
    ahead = time.time_ns() + 60_000_000_000
    os.utime(changed, ns=(ahead, ahead))
    build(site_repo)
    files = journaled(site_repo.root / ".bubbleup-cache/sources.pickle")[1]["files"]
    assert str(site_repo.root / "docs/index.md") in files
    assert str(site_repo.root / "docs/extra.css") not in files


entry_texts = st.lists(
    st.sampled_from(['"', "\\", "{", "}", ",", ":", "#", "é", "a", '{"location":"', '"docs":[', "\n"]), max_size=6
).map("".join)
entries = st.lists(
    st.fixed_dictionaries(
        {"location": st.tuples(st.sampled_from(["", "a/", "b/", 'c"\\/']), entry_texts)},
        optional={"title": entry_texts, "text": entry_texts, "tags": st.lists(entry_texts, max_size=2)},
    ),
    max_size=12,
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(entries)
@example([{"location": ("a/", "},{")}, {"location": ("b/", "x"), "title": "},{"}])  # refused: read as JSON
@example([{"location": ("a/", "x"), "text": '},{"location":"'}, {"location": ("b/", "")}])
def test_the_previous_index_is_split_by_page_as_json_would_split_it(drawn: list[dict]) -> None:
    docs = [  # as Material and site/search.py make them: the location first
        {"location": "#".join(part for part in entry.pop("location") if part), **entry} for entry in drawn
    ]
    text = json.dumps({"config": {"lang": ["en"], "separator": '[\\s\\-"]+'}, "docs": docs}, separators=(",", ":"))
    expected: dict[str, list[str]] = {}
    for entry in docs:
        page = entry["location"].split("#", 1)[0]
        expected.setdefault(page, []).append(json.dumps(entry, separators=(",", ":")))
    found = previous_entries(text)
    if found is None:  # refused only where a string ends in '},{' and the count of boundaries is off
        assert text.count('},{"') != len(docs) - 1, text
    else:
        assert found == {page: ",".join(parts) for page, parts in expected.items()}
    assert previous_entries(json.dumps({"config": {}, "docs": docs}, indent=1)) in (None, {})
    if len(docs) > 1:  # an entry whose location is not its first key is not taken for part of another
        docs[-1] = {"title": "t", **docs[-1]}
        assert previous_entries(json.dumps({"config": {}, "docs": docs}, separators=(",", ":"))) is None


@pytest.mark.slow
def test_a_previous_index_laid_out_otherwise_is_read_as_json(site_repo: GitRepo, fixed_time: None) -> None:
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two")})
    build(site_repo)
    index = site_repo.root / "site/search/search_index.json"
    index.write_text(json.dumps(json.loads(index.read_text()), indent=1))
    site_repo.commit({"ideas/two/bob.md": vote("up")})
    _same_as_a_clean_build(site_repo, "an indented index")
