"""What builds remember between them (site/memo.py) never changes a page: pages made with
the cache, without it, and with a damaged or foreign one are the same. And the shortcuts
taken for speed give what they replace."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import posixpath
import weakref
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bubbleup.core import markup
from bubbleup.core.config import settings as read_settings
from bubbleup.core.model import Idea
from bubbleup.core.similarity import Index
from bubbleup.git.snapshot import snapshot
from bubbleup.site.addresses import _relative_path, page_href, page_url, relative_url
from bubbleup.site.memo import CACHE, Likeness, Memo
from bubbleup.site.pages import render
from conftest import GitRepo, as_journaled, as_json, idea, vote


def make(slug: str, title: str, text: str) -> Idea:
    return Idea(slug=slug, title=title, path=f"ideas/{slug}.md", text=text)


IDEAS = [
    make("free-fruit", "Free fruit on Fridays", "A basket of fresh fruit in every kitchen each Friday."),
    make("fresh-fruit", "Fresh fruit every Friday", "Put fresh fruit in the kitchens on Fridays for everyone."),
    make("fruit-bowl", "A fruit bowl", "Fresh fruit in a bowl by the coffee machine."),
    make("hackathon", "A quarterly hackathon", "Two days each quarter to build prototypes with other teams."),
]


def pages(repo: GitRepo, cache: bool = True) -> dict[str, str]:
    found = read_settings(repo.root / "mkdocs.yml")
    if not cache:
        found = dataclasses.replace(found, cache_dir=None)
    return render(snapshot(found, now=datetime(2026, 11, 20, 12, tzinfo=UTC)))


@pytest.fixture
def ideas_repo(site_repo: GitRepo) -> GitRepo:
    """A site with a few ideas that link to each other, feedback and an image."""
    site_repo.commit(
        {
            "ideas/one.md": idea("Free fruit on Fridays", body="Fruit, see #two and [three](three.md).\n"),
            "ideas/two.md": idea("Fresh fruit every Friday", body="Fruit *each* Friday.\n\n![plan](two/plan.png)\n"),
            "ideas/two/plan.png": b"\x89PNG\r\n\x1a\n",
            "ideas/three.md": idea("A quarterly hackathon", body="<script>x</script>Two days.\n"),
            "ideas/two/bob.md": vote("up", "Yes, **please**.\n"),
        }
    )
    return site_repo


def test_pages_with_and_without_the_cache_are_the_same(ideas_repo: GitRepo) -> None:
    without = pages(ideas_repo, cache=False)
    assert not (ideas_repo.root / ".bubbleup-cache" / CACHE).with_suffix(".pickle").exists()
    first = pages(ideas_repo)  # fills the cache
    assert (ideas_repo.root / ".bubbleup-cache" / CACHE).with_suffix(".pickle").is_file()
    second = pages(ideas_repo)  # reads it
    assert first == without and second == without


def test_the_ideas_of_a_build_go_with_its_pages(ideas_repo: GitRepo) -> None:
    """site/together.py keeps what it found of the ideas all together for as long as the
    render memo lives (under serve, the process), so nothing it keeps may refer back to
    the memo: a build's ideas, index and memo are freed once its pages are made, before
    mkdocs' part. Freed by their counts of references alone: a command freezes what its
    caches load (core/caches.py), so garbage in a cycle could stay to the end."""
    state = snapshot(read_settings(ideas_repo.root / "mkdocs.yml"), now=datetime(2026, 11, 20, 12, tzinfo=UTC))
    one = weakref.ref(state.catalog.ideas["one"])
    enabled = gc.isenabled()
    gc.disable()
    try:
        made = render(state)
        del state
        assert one() is None
    finally:
        if enabled:
            gc.enable()
    assert "one.md" in made


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b'{"format": 2, "code": "someone else", "token": "t", "entries": {}}',
        b'{"format": 2, "code": "CODE", "token": "t", "entries": [1, 2]}',
        b'{"format": 2, "code": "CODE", "token": "t", "entries": {"t1": [1, 2], "sx": 3}}',
        b'{"format": 2, "code": "CODE", "token": "t", "entries": {"x": "y"}}',
        b'{"format": 2, "code": "CODE", "token": "t", "entries": {"sCORPUS": {"5:one": [["gone", 1.0]]}}}',
        b'{"format": 2, "code": "CODE", "token": "t", "entries": {"sCORPUS": {"5:one": [["two", "x"], [[1], 2]]}}}',
        b"\xff\xfe",
    ],
)
@pytest.mark.slow
def test_a_damaged_or_foreign_cache_is_ignored(ideas_repo: GitRepo, content: bytes) -> None:
    expected = pages(ideas_repo, cache=False)
    cache = ideas_repo.root / ".bubbleup-cache" / CACHE
    pages(ideas_repo)
    code = as_json(cache)["code"]
    corpus = next(name[1:] for name in as_json(cache)["entries"] if name.startswith("s"))
    as_journaled(cache, content.replace(b"CODE", code.encode()).replace(b"CORPUS", corpus.encode()))
    assert pages(ideas_repo) == expected
    assert pages(ideas_repo) == expected  # and the cache written over it is good


def test_a_cache_made_by_other_code_is_not_read(tmp_path: Path) -> None:
    memo = Memo(tmp_path / CACHE)
    assert memo.html("*a*", lambda: "<p>remembered</p>") == "<p>remembered</p>"
    memo.save()
    assert Memo(tmp_path / CACHE).texts  # the same code reads it back
    raw = as_json(tmp_path / CACHE)
    as_journaled(tmp_path / CACHE, json.dumps({**raw, "code": "other"}))
    assert Memo(tmp_path / CACHE).texts == {}


def test_a_changed_text_changes_the_similar_ideas(tmp_path: Path) -> None:
    memo = Memo(tmp_path / CACHE)
    before = [[m.idea.slug for m in Likeness(IDEAS, memo).similar(i)] for i in IDEAS]
    memo.save()
    changed = [*IDEAS[:2], make("fruit-bowl", "Monthly hackathon", "Quarterly prototypes with other teams."), IDEAS[3]]
    memo = Memo(tmp_path / CACHE)
    after = Likeness(changed, memo)
    index = Index(changed)
    assert [[m.idea.slug for m in after.similar(i)] for i in changed] != before
    for item in changed:
        assert after.similar(item) == index.similar(item)


texts = st.text(alphabet=st.sampled_from("ab *_#<>[]()!\n`&;:/x-"), max_size=60)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_remembered_html_is_the_html(text: str) -> None:
    markup.remember(None)
    plain = markup.render(text)
    memo = Memo()
    markup.remember(memo)
    try:
        assert markup.render(text) == plain
        assert markup.render(text) == plain
    finally:
        markup.remember(None)


_segments = st.sampled_from(["a", "b", "ideas", "people", ".", "..", "", "x.html", "index.html"])


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(st.lists(_segments, min_size=1, max_size=4), st.lists(_segments, min_size=1, max_size=4))
def test_relative_paths_are_those_of_posixpath(path: list[str], start: list[str]) -> None:
    """Links between pages are made without asking for the working folder, to the same result."""
    left, right = "/".join(path) or ".", "/".join(start) or "."
    assume(not left.startswith("/") and not right.startswith("/"))
    assert _relative_path(left, right) == posixpath.relpath(left, right)


_names = st.sampled_from(["a", "b", "people", "tags", ".", "..", "", "index", "x.md", "index.md", "a-b.md"])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(_names, min_size=1, max_size=3).map("/".join),
    st.lists(_names, min_size=1, max_size=3).map("/".join),
    st.booleans(),
)
@pytest.mark.slow
def test_links_between_pages_are_relative_urls_of_their_addresses(source: str, target: str, directory: bool) -> None:
    """A link is made from each page's address split once; the reference splits both on every link."""
    assume(not source.startswith("/") and not target.startswith("/"))
    expected = relative_url(page_url(source, directory), page_url(target, directory))
    assert page_href(source, target, directory) == expected


def test_texts_made_ahead_in_two_processes_are_what_render_gives(monkeypatch):
    """A build without its cache renders the texts ahead, half in a forked child: the
    memo then holds, for each text, exactly the HTML that rendering it here gives."""
    from bubbleup.site import halves
    from bubbleup.site import memo as memo_module

    monkeypatch.setattr(halves, "available", lambda: True)
    monkeypatch.setattr(memo_module, "PREPARE_FROM", 4)
    texts = [f"Text **{n}** with <script>alert({n})</script> and [a link](x{n}.md)" for n in range(9)]
    memo = Memo()
    memo.prepare([*texts, texts[0]], lambda part: [markup.render(text) for text in part])
    assert len(memo.texts) == len(texts) and memo.added
    assert [memo.html(text, lambda: "not made ahead") for text in texts] == [markup.render(text) for text in texts]


def test_the_second_half_is_made_in_another_process():
    from bubbleup.site import halves

    made = halves.each(lambda part: [(item, os.getpid()) for item in part], list(range(7)))
    assert [item for item, _ in made] == list(range(7))
    assert {pid for _, pid in made[:3]} == {os.getpid()}
    assert len({pid for _, pid in made[3:]}) == 1 and made[3][1] != os.getpid()


@pytest.mark.parametrize("failure", ["raises", "answers short"])
def test_a_failing_child_has_its_half_made_here(failure):
    from bubbleup.site import halves

    parent = os.getpid()

    def convert(part: list[str]) -> list[str]:
        if os.getpid() != parent:
            if failure == "raises":
                raise RuntimeError("the child fails")
            return part[:1]
        return [text.upper() for text in part]

    assert halves.each(convert, list("abcdefg")) == list("ABCDEFG")


def test_few_texts_are_made_here_and_when_asked(monkeypatch):
    from bubbleup.site import halves

    monkeypatch.setattr(halves, "available", lambda: True)
    memo = Memo()
    memo.prepare(["one", "two"], lambda part: pytest.fail("nothing to make ahead for two texts"))
    assert memo.texts == {} and not memo.added


def test_similar_ideas_found_ahead_in_two_processes_are_those_found_here(monkeypatch):
    from bubbleup.site import halves
    from bubbleup.site import memo as memo_module

    monkeypatch.setattr(halves, "available", lambda: True)
    monkeypatch.setattr(memo_module, "PREPARE_FROM", 2)
    memo = Memo()
    ahead = Likeness(IDEAS, memo)
    ahead.prepare()
    assert len(ahead.found) == len(IDEAS) and memo.added
    here = Likeness(IDEAS, Memo())
    for one in IDEAS:
        assert ahead.found[f"5:{one.slug}"] == here._search([one.slug], 5)[0]
        assert ahead.similar(one) == here.similar(one)


@pytest.mark.parametrize(
    "mentioned",
    [
        b'{"KEY": {"two": ["gone"]}}',
        b'{"KEY": {"gone": ["one"]}}',
        b'{"KEY": {"two": "one"}}',
        b'{"KEY": {"two": [["one"]]}}',
        b'{"KEY": []}',
        b"[1]",
    ],
)
@pytest.mark.slow
def test_damaged_mentions_in_the_cache_are_found_again(ideas_repo: GitRepo, mentioned: bytes) -> None:
    """The ideas that mention each idea are kept in the cache (site/together.py); an entry
    that names an idea there is not, or is not a list of slugs, is set aside."""
    expected = pages(ideas_repo, cache=False)
    cache = ideas_repo.root / ".bubbleup-cache" / CACHE
    pages(ideas_repo)
    raw = as_json(cache)
    kept = {name[1:]: value for name, value in raw["entries"].items() if name.startswith("m")}
    assert list(kept.values()) == [{"two": ["one"], "three": ["one"]}]
    key = next(iter(kept))
    damaged = json.loads(mentioned.replace(b"KEY", key.encode()))
    raw["entries"] = {name: value for name, value in raw["entries"].items() if not name.startswith("m")}
    raw["entries"].update({f"m{name}": value for name, value in damaged.items()} if damaged != [1] else {f"m{key}": 1})
    as_journaled(cache, json.dumps(raw))
    assert pages(ideas_repo) == expected


def test_the_mentions_kept_follow_the_ideas_paths_and_texts(ideas_repo: GitRepo) -> None:
    """Kept for every idea's slug, path, title and text: a changed text finds them again."""
    pages(ideas_repo)
    path = ideas_repo.root / "ideas/three.md"
    path.write_text(path.read_text().replace("Two days.", "Two days, see #two."))
    assert pages(ideas_repo) == pages(ideas_repo, cache=False)
    kept = Memo(ideas_repo.root / ".bubbleup-cache" / CACHE).mentioned  # the file's, with its journal
    assert list(kept.values()) == [{"two": ["one", "three"], "three": ["one"]}]


def test_what_a_second_process_asked_of_its_memo_is_kept_by_the_first(tmp_path: Path) -> None:
    """`Memo.since` and `merge`: the views made apart (site/view_pages.py) hand back the
    texts, corpora and findings they added, and which remembered texts they used."""
    from bubbleup.site.memo import Memo

    memo = Memo(tmp_path / "render.json")
    memo.html("old", lambda: "<p>old</p>")
    memo.used.clear()
    mark = memo.mark()
    memo.html("new", lambda: "<p>new</p>")
    memo.html("old", lambda: "<p>never made</p>")
    memo.similar.setdefault("corpus", {})["5:a"] = [["b", 0.5]]
    memo.corpora.add("corpus")
    memo.mentioned["corpus"] = {"a": ["b"]}
    used = memo.since(mark)
    assert set(used.texts.values()) == {"<p>new</p>"}
    assert len(used.used) == 2 and used.similar == {"corpus": {"5:a": [["b", 0.5]]}}
    other = Memo(tmp_path / "render.json")
    other.merge(used)
    assert other.html("new", lambda: "<p>made again</p>") == "<p>new</p>"
    assert other.corpora == {"corpus"} and other.similar["corpus"]["5:a"] == [["b", 0.5]]
    other.save()
    again = Memo(tmp_path / "render.json")
    assert again.html("new", lambda: "<p>made again</p>") == "<p>new</p>"
