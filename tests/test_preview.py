"""The preview server keeps between builds what still holds (site/preview.py): the Git
history while the head commit stays, each file's result while the file does not change,
each idea's parts while its inputs are the same; and what it shows is always what a fresh
build shows."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bubbleup.core import resident
from bubbleup.core.config import settings as read_settings
from bubbleup.git import history
from bubbleup.git.snapshot import snapshot
from bubbleup.site.pages import render
from bubbleup.site.preview import Preview
from conftest import MKDOCS_YML, ROSTER, GitRepo, duplicate, idea, vote, write


@pytest.mark.slow
def test_the_history_is_read_again_only_when_the_head_moves(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/one/bob.md": vote("up")})
    settings = read_settings(site_repo.root / "mkdocs.yml")
    reads: list[object] = []
    original = history.read
    monkeypatch.setattr(history, "read", lambda *args, **kwargs: reads.append(args) or original(*args, **kwargs))
    preview = Preview()

    def timelines_read_by_the_preview() -> tuple[dict, int]:
        before = len(reads)
        found = preview.snapshot(settings).timelines
        return found, len(reads) - before

    first, read = timelines_read_by_the_preview()
    assert read >= 1 and first == snapshot(settings).timelines
    write(site_repo.root, {"ideas/one/cat.md": vote("down", "Saved, not committed.\n")})
    saved, read = timelines_read_by_the_preview()
    assert read == 0 and saved == snapshot(settings).timelines
    assert preview.snapshot(settings).tallies["one"].down == 1
    site_repo.commit({"ideas/two.md": idea("Two")}, when="2026-10-05T10:00:00+00:00")
    moved, read = timelines_read_by_the_preview()
    assert read >= 1 and moved == snapshot(settings).timelines and "two" in moved


NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
LOW_THRESHOLD = MKDOCS_YML.replace(
    "  - bubbleup\n", "  - bubbleup:\n      threshold_votes: 2\n      threshold_teams: 1\n"
)


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds happen well after the files were written, so the preview trusts what it kept
    (core/resident.py): what it keeps is then what is tested."""
    monkeypatch.setattr(resident, "RACY", -10_000_000_000)


def _started(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({"mkdocs.yml": LOW_THRESHOLD, "docs/index.md": "# Home\n", "ideas/people.yml": ROSTER}, "site")
    repo.commit(
        {
            "ideas/one.md": idea("One", body="See #two.\n"),
            "ideas/two.md": idea("Two", authors="[bob]"),
            "ideas/three.md": duplicate("Three", of="one", authors="[cat]"),
            "ideas/one/bob.md": vote("up", "Yes.\n"),
            "ideas/two/cat.md": vote("down"),
        }
    )
    return repo


def _same_as_a_fresh_build(
    repo: GitRepo, preview: Preview, memory: dict[str, tuple[str, str]], now: datetime = NOW
) -> None:
    """The preview's snapshot and pages are those of a snapshot made from nothing."""
    settings = read_settings(repo.root / "mkdocs.yml")
    served = preview.snapshot(settings, now)
    made = snapshot(settings, now, whole_history=True)
    assert served.catalog == made.catalog
    assert served.tallies == made.tallies and list(served.tallies) == list(made.tallies)
    assert served.timelines == made.timelines
    assert served.crossed == made.crossed and list(served.crossed) == list(made.crossed)
    assert served.queue == made.queue
    assert render(served, memory=memory, kept=preview) == render(made)


EVERY_KIND = [
    ("vote", "one", "bob", "up", "Yes, and soon.\n"),  # only the text of a vote
    ("vote", "one", "bob", "down", "Yes, and soon.\n"),  # only its value
    ("vote", "one", "cat", "up", ""),  # not committed: dated now
    ("vote", "two", "ann", "up", "Me too.\n"),
    ("commit",),  # the head moves while serving
    ("vote", "one", "bob", "up", "Yes, and soon.\n"),  # back: one crosses the threshold again
    ("commit",),
    ("unvote", "two", "ann"),
    ("rename", "bob", "Bo"),  # his name shows on the pages he voted on
    ("status", "two", "under-review"),
    ("vote", "three", "ann", "up", ""),  # on a duplicate: it counts for One
    ("vote", "three", "bob", "up", ""),
    ("commit",),
    ("duplicate", "one", "two"),  # One a duplicate itself, and Three a duplicate of a duplicate
    ("commit",),
    ("undo", "one"),
    ("break", "one"),  # Three's original broken: Three's voters count for Three alone
    ("undo", "one"),
    ("team", "cat", "support"),
    ("unvote", "one", "bob"),
    ("commit",),
]


def _apply(repo: GitRepo, change: tuple) -> None:
    kind, *rest = change
    root = repo.root
    if kind == "vote":
        slug, handle, value, text = rest
        write(root, {f"ideas/{slug}/{handle}.md": vote(value, text)})
    elif kind == "unvote":
        (root / f"ideas/{rest[0]}/{rest[1]}.md").unlink(missing_ok=True)
    elif kind == "status":
        path = root / f"ideas/{rest[0]}.md"
        decision = "decision: {by: ann, date: 2026-10-03, reason: Looking.}\n" if rest[1] != "proposed" else ""
        text = "".join(
            line for line in path.read_text().splitlines(True) if not line.startswith(("status:", "decision:"))
        )
        path.write_text(text.replace("---\n", f"---\nstatus: {rest[1]}\n{decision}", 1))
    elif kind == "duplicate":
        path = root / f"ideas/{rest[0]}.md"
        decision = "decision: {by: ann, date: 2026-10-03, reason: Same.}\n"
        path.write_text(
            path.read_text().replace("---\n", f"---\nstatus: duplicate\nduplicate-of: {rest[1]}\n{decision}", 1)
        )
    elif kind == "break":
        write(root, {f"ideas/{rest[0]}.md": "---\ntitle: [unclosed\n---\n"})
    elif kind == "undo":
        write(root, {f"ideas/{rest[0]}.md": idea(rest[0].capitalize(), body="See #two.\n")})
    elif kind in ("rename", "team"):
        people = root / "ideas/people.yml"
        lines = people.read_text().splitlines(True)
        at = lines.index(f"{rest[0]}:\n") + (1 if kind == "rename" else 3)
        key = "name" if kind == "rename" else "team"
        lines[at] = f"  {key}: {rest[1]}\n"
        people.write_text("".join(lines))
    else:
        repo.git("add", "-A")
        repo.git("commit", "-q", "--allow-empty", "-m", "change", author="Bob Example <bob@example.com>")


@pytest.mark.slow
@pytest.mark.usefixtures("later")
def test_after_every_kind_of_change_the_preview_equals_a_fresh_build(tmp_path: Path) -> None:
    repo, preview, memory = _started(tmp_path / "repo"), Preview(), {}
    _same_as_a_fresh_build(repo, preview, memory)
    for minutes, change in enumerate(EVERY_KIND, 1):  # each build at its own moment, as under serve
        _apply(repo, change)
        _same_as_a_fresh_build(repo, preview, memory, NOW + timedelta(minutes=minutes))


@pytest.mark.usefixtures("later")
def test_the_preview_keeps_the_parts_of_the_ideas_that_did_not_change(tmp_path: Path) -> None:
    repo, preview = _started(tmp_path / "repo"), Preview()
    repo.commit({"ideas/one/cat.md": vote("up")})
    settings = read_settings(repo.root / "mkdocs.yml")
    first = preview.snapshot(settings, NOW)
    assert first.crossed["one"]
    parts = (first.tallies, first.timelines, first.crossed)
    _apply(repo, ("vote", "two", "ann", "up", ""))
    second = preview.snapshot(settings, NOW)
    assert second.tallies["one"] is parts[0]["one"] and second.tallies["two"] is not parts[0]["two"]
    assert second.timelines["one"] is parts[1]["one"] and second.crossed["one"] is parts[2]["one"]
    assert second.catalog.ideas["two"] is first.catalog.ideas["two"]


CHANGES = st.lists(
    st.one_of(
        st.tuples(
            st.just("vote"),
            st.sampled_from(["one", "two", "three"]),
            st.sampled_from(["ann", "bob", "cat", "dan"]),
            st.sampled_from(["up", "down", "none"]),
            st.sampled_from(["", "Yes.\n", "Why not?\n"]),
        ),
        st.tuples(st.just("unvote"), st.sampled_from(["one", "two", "three"]), st.sampled_from(["ann", "bob", "cat"])),
        st.tuples(st.just("status"), st.sampled_from(["one", "two"]), st.sampled_from(["proposed", "under-review"])),
        st.tuples(st.just("duplicate"), st.sampled_from(["one", "two"]), st.sampled_from(["one", "two", "three"])),
        st.tuples(st.sampled_from(["undo", "break"]), st.sampled_from(["one", "two"])),
        st.tuples(st.just("rename"), st.sampled_from(["ann", "bob"]), st.sampled_from(["Ann B.", "Bo"])),
        st.tuples(st.just("team"), st.sampled_from(["ann", "cat"]), st.sampled_from(["sales", "support"])),
        st.tuples(st.just("commit")),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.slow  # a repository and a few builds per example
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHANGES)
def test_after_any_changes_the_preview_equals_a_fresh_build(changes: list) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(resident, "RACY", -10_000_000_000)
        repo, preview, memory = _started(Path(folder) / "repo"), Preview(), {}
        _same_as_a_fresh_build(repo, preview, memory)
        for minutes, change in enumerate(changes, 1):
            _apply(repo, change)
            _same_as_a_fresh_build(repo, preview, memory, NOW + timedelta(minutes=minutes))


@pytest.mark.usefixtures("later")
def test_the_render_cache_is_read_once_and_written_by_the_first_build_only(tmp_path: Path) -> None:
    """Reading and writing it again was most of a rebuild's own time at 5,000 ideas; the
    texts saved since are rendered again by the next process, and the pages are the same."""
    repo, preview, memory = _started(tmp_path / "repo"), Preview(), {}
    cache = repo.root / ".bubbleup-cache/render.pickle"
    _same_as_a_fresh_build(repo, preview, memory)
    written = cache.read_bytes()
    cache.write_bytes(written + b"  ")  # a later write would drop the spaces
    _apply(repo, ("vote", "two", "ann", "up", "A text no build has rendered.\n"))
    settings = read_settings(repo.root / "mkdocs.yml")
    served = render(preview.snapshot(settings, NOW), memory=memory, kept=preview)
    assert cache.read_bytes() == written + b"  "
    assert served == render(snapshot(settings, NOW, whole_history=True))


@pytest.mark.slow
@pytest.mark.usefixtures("later")
def test_the_views_kept_between_builds_say_the_dates_of_the_day_they_are_built(tmp_path: Path) -> None:
    """The views keep their tables while the tallies are the same (site/lists.py), and say
    dates as people do ("yesterday"): a build the next day, or an hour later for the
    momentum, with nothing changed, still gives what a fresh build gives."""
    repo, preview, memory = _started(tmp_path / "repo"), Preview(), {}
    _same_as_a_fresh_build(repo, preview, memory)
    for later in (timedelta(hours=1), timedelta(days=1), timedelta(days=9)):
        _same_as_a_fresh_build(repo, preview, memory, NOW + later)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, width=16) | st.text(max_size=2),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.slow
@given(st.lists(VALUES, max_size=4), st.lists(VALUES, max_size=4))
def test_the_site_part_is_kept_only_for_values_written_out_the_same(old: list, new: list) -> None:
    """`Digests.site_part` keeps the previous digest only when the values would be
    written out the same (equal values of other types or signs, like 1 and True or 0.0
    and -0.0, are not the same)."""
    from bubbleup.site.sameness import shallow_same

    for before, after in ((old, new), (old, [*old]), (old, [_copy(value) for value in old])):
        if shallow_same(tuple(before), tuple(after)):
            assert repr(before) == repr(after)


def _copy(value: object) -> object:
    """The same value as new containers (the catalog's dicts are new on every load)."""
    if isinstance(value, dict):
        return dict(value)
    return type(value)(value) if isinstance(value, list | tuple) else value
