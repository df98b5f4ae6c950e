"""What an incremental build takes from the previous site without looking at it whole:
the places of each page's search entries (recorded in the manifest) and which outputs
exist (one listing). Neither may ever change the site: it equals a full build's."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.site.incremental import MANIFEST, Plan, digest, trusted_index
from bubbleup.site.search_merge import Encoded, encoded, joined, recorded_entries, recorded_places
from conftest import GitRepo, build_site, idea, vote
from test_incremental import _same_as_a_clean_build

build = build_site


@pytest.fixture
def built(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site_repo.commit(
        {
            "ideas/one.md": idea("One"),
            "ideas/two.md": idea("Two", body="## Why\n\nBecause.\n"),
            "ideas/two/bob.md": vote("up"),
        }
    )
    build(site_repo)
    return site_repo


@pytest.mark.slow
def test_the_manifest_records_where_each_page_s_entries_are(built: GitRepo) -> None:
    site = built.root / "site"
    raw = (site / "search/search_index.json").read_bytes()
    recorded = json.loads((site / MANIFEST).read_text())["search"]
    pieces = recorded_entries(raw.decode(), recorded, digest(raw))
    assert pieces is not None and "ideas/two/" in pieces
    for url, text in pieces.items():
        assert all(entry["location"].split("#")[0] == url for entry in json.loads(f"[{text}]"))
    built.commit({"ideas/one/cat.md": vote("down", "No.\n")})
    _same_as_a_clean_build(built, "places recorded")


@pytest.mark.parametrize(
    "damage",
    [
        lambda record: {**record, "digest": "0" * 64},
        lambda record: {**record, "pages": [part + 1 if isinstance(part, int) else part for part in record["pages"]]},
        lambda record: {**record, "pages": record["pages"][3:]},
        lambda record: {**record, "pages": ["ideas/one/", 0, 10**9]},
        lambda record: {**record, "pages": "ideas/"},
        lambda record: [record],
    ],
)
@pytest.mark.slow
def test_damaged_places_are_not_believed(built: GitRepo, damage) -> None:
    manifest = built.root / "site" / MANIFEST
    content = json.loads(manifest.read_text())
    content["search"] = damage(content["search"])
    manifest.write_text(json.dumps(content))
    built.commit({"ideas/one/cat.md": vote("down", "No.\n")})
    _same_as_a_clean_build(built, "damaged places")


@pytest.mark.slow
@pytest.mark.parametrize("layout", [{"indent": 1}, {"separators": (",", ":")}])
def test_places_recorded_for_another_index_are_not_believed(built: GitRepo, layout: dict) -> None:
    """The same entries written again after the manifest (indented, or pages in another
    order): the places no longer fit, the digest says so, and the index is read through."""
    index = built.root / "site/search/search_index.json"
    content = json.loads(index.read_text())
    pages: dict[str, list] = {}
    for entry in content["docs"]:
        pages.setdefault(entry["location"].split("#")[0], []).append(entry)
    content["docs"] = [entry for url in reversed(pages) for entry in pages[url]]
    index.write_text(json.dumps(content, **layout))
    built.commit({"ideas/one/cat.md": vote("down", "No.\n")})
    _same_as_a_clean_build(built, f"another index {layout}")


@pytest.mark.slow
def test_an_output_that_is_a_symbolic_link_is_built_again(built: GitRepo) -> None:
    """Only a plain file of the previous site is reused; a link may lead anywhere."""
    page = built.root / "site/ideas/two/index.html"
    elsewhere = built.root / "elsewhere.html"
    elsewhere.write_bytes(page.read_bytes())
    page.unlink()
    page.symlink_to(elsewhere)
    built.commit({"ideas/one/cat.md": vote("down", "No.\n")})
    _same_as_a_clean_build(built, "a symbolic link")
    assert not page.is_symlink() and page.stat().st_ino != elsewhere.stat().st_ino


texts = st.text(alphabet='ab"\\{},:#é', max_size=8)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(alphabet="ab/é", max_size=4), st.lists(texts, min_size=1, max_size=3), max_size=5))
def test_recorded_places_give_back_each_page_s_entries(pages: dict[str, list[str]]) -> None:
    parts = {
        url: json.dumps(
            [{"location": f"{url}#{n}", "text": text} for n, text in enumerate(entries)], separators=(",", ":")
        )[1:-1]
        for url, entries in pages.items()
    }
    empty = '{"config":{"lang":["en"]},"docs":[]}'
    merged, places = joined(empty, "", parts)
    assert merged == empty[:-2] + ",".join(parts.values()) + "]}"
    recorded = {"digest": digest(merged.encode()), "pages": places}
    assert recorded_entries(merged, recorded, digest(merged.encode())) == parts
    assert json.loads(merged)["docs"] == [entry for text in parts.values() for entry in json.loads(f"[{text}]")]
    assert recorded_entries(merged, recorded, digest(merged.encode() + b" ")) is None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["a/", "b/", "", "c/#", "é/"]), texts), max_size=8),
    st.lists(st.booleans(), max_size=12),
    st.data(),
)
def test_pieces_of_the_previous_index_taken_together_give_the_same_index(previous, taken, data) -> None:
    """Reused pages whose entries lay one after another are taken as one piece: the index
    is the one made of each page's own text, and so are the places recorded."""
    pages: dict[str, str] = {}
    for number, (url, text) in enumerate(previous):
        pages[f"{url}{number}/"] = json.dumps({"location": f"{url}{number}/", "text": text}, separators=(",", ":"))
    empty = '{"config":{"lang":["en"]},"docs":[]}'
    text, places = joined(empty, "", pages)
    recorded = recorded_places(text, {"digest": "d", "pages": places}, "d")
    assert recorded is not None
    parts: dict[str, str | tuple[int, int]] = {}
    plain: dict[str, str] = {}
    for number, url in enumerate(pages):
        if number < len(taken) and taken[number]:
            parts[url], plain[url] = recorded[url], pages[url]
        elif data.draw(st.booleans()):
            parts[url] = plain[url] = json.dumps({"location": url, "text": "new"}, separators=(",", ":"))
    merged, merged_places = joined(empty, text, parts)
    expected, expected_places = joined(empty, "", plain)
    assert (merged, merged_places) == (expected, expected_places)
    assert text.isascii() and encoded(empty, text.encode(), parts) == (merged.encode(), merged_places)
    assert recorded_places(text.encode(), {"digest": "d", "pages": places}, "d") == recorded
    assert json.loads(merged)["docs"] == [json.loads(part) for part in plain.values()]


def test_the_encoded_index_is_only_ever_encoded_as_utf_8() -> None:
    index = Encoded(b'{"docs":[]}')
    assert index.encode("utf-8") is index.encode() is index.data
    with pytest.raises(ValueError):
        index.encode("utf-16")
    with pytest.raises(TypeError):
        json.loads(index)  # type: ignore[arg-type]


def test_places_that_name_another_page_are_not_believed() -> None:
    empty = '{"config":{"lang":["en"]},"docs":[]}'
    pages = {url: json.dumps({"location": url, "text": "x"}, separators=(",", ":")) for url in ("a/", "b/")}
    text, places = joined(empty, "", pages)
    for index in (text, text.encode()):
        assert recorded_places(index, {"digest": "d", "pages": places}, "d") is not None
        swapped = [places[3], places[1], places[2], places[0], places[4], places[5]]
        assert recorded_places(index, {"digest": "d", "pages": swapped}, "d") is None


@pytest.mark.parametrize("content", [b'{"docs":[{"location":"a/"}]}', '{"docs":[{"location":"é/"}]}'.encode()])
def test_an_ascii_index_is_kept_as_read_and_any_other_as_text(tmp_path, content: bytes) -> None:
    """The merge joins an ASCII index as bytes: the plan keeps what it read, undecoded
    (a copy of 30 MB at 5,000 ideas, and another to encode it back); any other index is
    text, as before. Either is kept only when its digest is the recorded one."""
    (tmp_path / "search").mkdir()
    (tmp_path / "search/search_index.json").write_bytes(content)
    result = Plan(tmp_path, recorded={"digest": digest(content)})
    assert trusted_index(result, tmp_path, None)
    if content.isascii():
        assert (result.index, result.index_bytes) == (None, content)
    else:
        assert (result.index, result.index_bytes) == (content.decode(), None)
    forged = Plan(tmp_path, recorded={"digest": digest(content + b" ")})
    assert not trusted_index(forged, tmp_path, None)
    assert (forged.index, forged.index_bytes) == (None, None)


@pytest.mark.slow
def test_every_page_is_given_the_date_the_build_started_and_mkdocs_gets_its_own_back(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs import utils
    from mkdocs.structure import pages

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    config = site_repo.root / "mkdocs.yml"
    config.write_text("site_url: https://ideas.example/\n" + config.read_text())
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two")})
    build(site_repo)
    sitemap = (site_repo.root / "site/sitemap.xml").read_text()
    assert sitemap.count("<lastmod>2026-10-26</lastmod>") == sitemap.count("<url>") > 2
    assert pages.get_build_date is utils.get_build_date
    (site_repo.root / "docs/index.md").write_text("[gone](nowhere.md)\n")
    result = CliRunner().invoke(cli, ["-f", str(config), "build", "--strict"])
    assert result.exit_code != 0 and pages.get_build_date is utils.get_build_date


def _compact(content: dict) -> bytes:
    """An index laid out as Material writes it, so that it splits by page as one would."""
    return json.dumps(content, separators=(",", ":")).encode()


def _without_page(raw: bytes, url: str) -> bytes:
    content = json.loads(raw)
    content["docs"] = [entry for entry in content["docs"] if entry["location"].split("#")[0] != url]
    return _compact(content)


def _with_gone_page(raw: bytes) -> bytes:
    content = json.loads(raw)
    content["docs"].append({"location": "ideas/gone/", "title": "Gone", "text": "Not here."})
    return _compact(content)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: _without_page(raw, "ideas/two/"),
        lambda raw: raw.replace(b"Because.", b"Changed."),
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"not JSON",
        lambda raw: b"\xff\xfe",
        _with_gone_page,
        None,
    ],
    ids=["a page's entries removed", "a text changed", "truncated", "not JSON", "not UTF-8", "a gone page", "removed"],
)
@pytest.mark.slow
def test_a_damaged_previous_index_is_not_carried_forward(built: GitRepo, damage) -> None:
    """The reused pages' entries come from the previous index only when it is the one the
    previous build wrote; otherwise the rebuild equals a full build, twice over (a gap
    copied forward once would be copied by every later build)."""
    index = built.root / "site/search/search_index.json"
    raw = index.read_bytes()
    assert b"Because." in raw
    if damage is None:
        index.unlink()
    else:
        damaged = damage(raw)
        assert damaged != raw
        index.write_bytes(damaged)
    built.commit({"ideas/one/cat.md": vote("down", "No.\n")})
    _same_as_a_clean_build(built, "a damaged index")
    assert b"Because." in index.read_bytes() and b"ideas/gone/" not in index.read_bytes()
    built.commit({"ideas/one/dan.md": vote("up")})
    _same_as_a_clean_build(built, "the build after")


@pytest.mark.slow
def test_mkdocs_own_search_index_is_recorded_and_rebuilds_stay_incremental(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With mkdocs' own theme and search plugin the manifest records the index's digest
    too, so that a rebuild trusts the index it wrote and builds only what changed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    config = site_repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n  font: false\n", "  name: mkdocs\n"))
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two", body="Because.\n")})
    build(site_repo)
    site = site_repo.root / "site"
    recorded = json.loads((site / MANIFEST).read_text())["search"]
    assert recorded["digest"] == hashlib.sha256((site / "search/search_index.json").read_bytes()).hexdigest()
    site_repo.commit({"ideas/one/cat.md": vote("down", "No.\n")})
    page = site / "ideas/two/index.html"
    before = page.stat().st_ino
    _same_as_a_clean_build(site_repo, "mkdocs' own search")
    assert page.stat().st_ino == before  # reused, not built again
