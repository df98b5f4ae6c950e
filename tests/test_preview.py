"""The preview server keeps the Git history between builds while the head commit stays,
and reads it again when the head moves (site/preview.py)."""

from __future__ import annotations

import pytest

from bubbleup.core.config import settings as read_settings
from bubbleup.git import history
from bubbleup.git.snapshot import snapshot
from bubbleup.site.preview import Preview
from conftest import GitRepo, idea, vote, write


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
