"""ideas.json is written from each idea's record as an earlier build wrote it when the
idea's inputs are the same (site/records.py), and reads exactly as one written whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bubbleup.core.caches import Journaled
from bubbleup.core.config import settings as read_settings
from bubbleup.git.snapshot import snapshot
from bubbleup.site import feeds
from bubbleup.site.feeds import render_data
from bubbleup.site.memo import Memo
from bubbleup.site.pages import _site, generate, render
from bubbleup.site.preview import Preview
from bubbleup.site.records import RECORDS, site_record
from conftest import GitRepo, as_journaled, as_json, duplicate, idea, journaled, vote, write

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def ideas_repo(site_repo: GitRepo) -> GitRepo:
    site_repo.commit(
        {
            "ideas/one.md": idea("One", extra="tags: [alpha]\n"),
            "ideas/two.md": idea('Two "quoted" & é', authors="[bob]"),
            "ideas/three.md": duplicate("Three", of="one", authors="[cat]"),
        },
        when="2026-10-01T09:00:00+00:00",
    )
    site_repo.commit({"ideas/one/bob.md": vote("up", "Yes.\n")}, when="2026-10-20T09:00:00+00:00")
    site_repo.commit({"ideas/two/cat.md": vote("down")}, when="2026-10-25T09:00:00+00:00")
    return site_repo


def written(repo: GitRepo, now: datetime = NOW, audience: str | None = None) -> tuple[str, str]:
    """ideas.json as a build writes it (with the cache folder), and as written whole."""
    state = snapshot(read_settings(repo.root / "mkdocs.yml"), now=now)
    generate(state, audience)
    whole = render_data(_site(state, audience, Memo()), state.settings.site_url)
    return (repo.root / "docs/ideas/ideas.json").read_text(encoding="utf-8"), whole


def remembered(repo: GitRepo) -> dict[str, list[str]]:
    """The records kept: the file's, with its journal's changes on them."""
    path = repo.root / ".bubbleup-cache" / RECORDS
    header = journaled(path)[0]
    expected = json.loads(header.split(b"\n")[1])
    return Journaled(path, "records", 0, format=expected["format"], code=expected["code"]).read()


@pytest.mark.slow
def test_after_one_vote_only_that_ideas_record_is_written_again(ideas_repo: GitRepo) -> None:
    first, whole = written(ideas_repo)
    assert first == whole
    before = remembered(ideas_repo)
    assert sorted(before) == ["one", "three", "two"]
    ideas_repo.commit({"ideas/two/ann.md": vote("up", "Me too.\n")}, when="2026-10-30T09:00:00+00:00")
    after, whole = written(ideas_repo)
    assert after == whole != first
    changed = {slug for slug, entry in remembered(ideas_repo).items() if entry != before[slug]}
    assert changed == {"two"}
    assert json.loads(after)["ideas"][2]["up_voters"] == ["ann"]


@pytest.mark.slow
def test_trending_moves_with_time_while_the_records_are_kept(ideas_repo: GitRepo) -> None:
    first, _ = written(ideas_repo)
    kept = remembered(ideas_repo)
    later, whole = written(ideas_repo, NOW + timedelta(days=9))
    assert later == whole
    assert remembered(ideas_repo) == kept
    trending = [[record["trending"] for record in json.loads(text)["ideas"]] for text in (first, later)]
    assert trending[0] != trending[1] and trending[1][0] > 0 > trending[1][2]


@pytest.mark.slow
def test_the_public_site_a_damaged_or_foreign_cache_and_a_changed_title_write_what_is_written_whole(
    ideas_repo: GitRepo,
) -> None:
    written(ideas_repo)
    cache = ideas_repo.root / ".bubbleup-cache" / RECORDS
    public, whole = written(ideas_repo, audience="public")
    assert public == whole and "up_voters" not in public
    internal = as_json(cache)
    for damage in (
        "{not json",
        json.dumps({**internal, "code": "another"}),
        json.dumps({**internal, "format": 99}),
        json.dumps({**internal, "records": {"one": "text", "two": [1, 2, 3], "three": ["key", None, ""]}}),
        json.dumps(
            {**internal, "records": {slug: ["x" + key, "{", "}"] for slug, (key, *_) in internal["records"].items()}}
        ),
    ):
        as_journaled(cache, damage)
        text, whole = written(ideas_repo)
        assert text == whole, damage[:40]
    path = ideas_repo.root / "ideas/one.md"
    path.write_text(path.read_text().replace("title: One", "title: Uno"))
    text, whole = written(ideas_repo)
    assert text == whole and '"Uno"' in text


def test_the_preview_reads_the_records_once_and_writes_what_is_written_whole(
    ideas_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview, memory = Preview(), {}
    settings = read_settings(ideas_repo.root / "mkdocs.yml")
    first = render(snapshot(settings, now=NOW), memory=memory, kept=preview)
    cache = (ideas_repo.root / ".bubbleup-cache" / RECORDS).with_suffix(".pickle")
    assert cache.is_file()
    cache.write_text("{not json")  # read once: the next builds take the records from memory
    made: list[str] = []
    monkeypatch.setattr(
        feeds, "site_record", lambda site, slug, url=None: made.append(slug) or site_record(site, slug, url)
    )
    write(ideas_repo.root, {"ideas/two/ann.md": vote("up", "Me too.\n")})
    state = snapshot(settings, now=NOW + timedelta(days=2))
    again = render(state, memory=memory, kept=preview)
    assert made == ["two"]
    assert again["ideas.json"] == render_data(_site(state, None, Memo()), None) != first["ideas.json"]
    assert cache.read_text() == "{not json"  # written by the first build only
