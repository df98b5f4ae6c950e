"""The builds of one `serve` process, run here as mkdocs' server runs them (one plugin
instance, dirty builds into one folder), give the site that the first build of a new
process gives: what the plugin keeps between builds never changes a page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from bubbleup.git import snapshot
from conftest import GitRepo, idea, tree, vote

SERVED = "http://127.0.0.1:8000/"


def _new_process() -> None:
    """Forget the plugins mkdocs keeps for the process (those with `on_startup`)."""
    plugins: Any = MkDocsConfig.plugins
    plugins.plugin_cache.clear()


class Clock(datetime):
    """The moment every build takes as now (a vote not committed is dated now, and the
    feeds say when they were made): each change happens a minute after the one before."""

    moment = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.moment


@pytest.fixture
def fresh_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """mkdocs keeps a plugin with `on_startup` for every later configuration of the
    process; each session here starts as a new process would, and none outlives its test."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(snapshot, "datetime", Clock)
    _new_process()
    yield
    _new_process()


class Session:
    """The builds of one `mkdocs serve` (mkdocs/commands/serve.py): the configuration
    read again for each, the plugin the same, every build dirty and into one folder."""

    def __init__(self, root: Path, site: Path) -> None:
        _new_process()  # a new process
        self.root, self.site = root, site
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.build(config)

    def config(self) -> MkDocsConfig:
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVED
        return config

    def build(self, config: MkDocsConfig | None = None) -> dict[str, bytes]:
        build(config or self.config(), serve_url=SERVED, dirty=True)
        return tree(self.site)


def _as_a_new_process_builds(repo: GitRepo, served: dict[str, bytes], step: str, folder: Path) -> None:
    """Every file of the new process's site is served as it has it (a page removed since
    stays in the served folder, unlinked, as mkdocs' server leaves it)."""
    fresh = tree(Session(repo.root, folder).site)
    assert set(fresh) <= set(served), step
    assert [name for name in fresh if served[name] != fresh[name]] == [], step


CHANGES: list[tuple[str, dict[str, str | None]]] = [
    ("a vote saved, not committed", {"ideas/one/cat.md": vote("up", "Saved.\n")}),
    ("its text", {"ideas/one/cat.md": vote("up", "Saved again.\n")}),
    ("nothing", {}),
    ("a new idea", {"ideas/four.md": idea("Four", body="See #one.\n")}),
    ("a vote on it", {"ideas/four/bob.md": vote("down")}),
    ("a title another page shows", {"ideas/one.md": idea("One, renamed")}),
    ("an idea removed", {"ideas/two.md": None, "ideas/two/bob.md": None}),
    ("a person renamed", {"rename": None}),
]


@pytest.mark.slow  # a real build per change and another to compare with
@pytest.mark.usefixtures("fresh_plugins")
def test_every_build_of_a_serve_process_equals_a_new_process_first_build(site_repo: GitRepo, tmp_path: Path) -> None:
    site_repo.commit(
        {
            "ideas/one.md": idea("One"),
            "ideas/two.md": idea("Two", authors="[bob]"),
            "ideas/three.md": idea("Three", extra="tags: [alpha]\n"),
            "ideas/two/bob.md": vote("up", "Yes.\n"),
        }
    )
    session = Session(site_repo.root, tmp_path / "served")
    for number, (step, files) in enumerate(CHANGES):
        Clock.moment += timedelta(minutes=1)
        for name, text in files.items():
            path = site_repo.root / name
            if name == "rename":
                roster = site_repo.root / "ideas/people.yml"
                roster.write_text(roster.read_text().replace("Bob Example", "Robert Example"))
            elif text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
        served = session.build()
        _as_a_new_process_builds(site_repo, served, step, tmp_path / f"fresh-{number}")


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_plugins")
def test_a_served_index_changed_behind_the_server_is_not_carried_forward(site_repo: GitRepo, tmp_path: Path) -> None:
    """Under serve the last index is kept in memory; a file in the served folder that is
    not that text (here: a page's entries gone) makes the next build a full one."""
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two", body="## Why\n\nBecause.\n")})
    session = Session(site_repo.root, tmp_path / "served")
    index = session.site / "search/search_index.json"
    content = json.loads(index.read_text())
    content["docs"] = [entry for entry in content["docs"] if not entry["location"].startswith("ideas/two/")]
    index.write_text(json.dumps(content, separators=(",", ":")))
    Clock.moment += timedelta(minutes=1)
    (site_repo.root / "ideas/one").mkdir()
    (site_repo.root / "ideas/one/cat.md").write_text(vote("up", "Saved.\n"))
    served = session.build()
    assert b"Because." in served["search/search_index.json"]
    _as_a_new_process_builds(site_repo, served, "a damaged index", tmp_path / "fresh")


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_plugins")
def test_pages_a_build_left_on_disk_are_not_what_serve_shows(site_repo: GitRepo, tmp_path: Path) -> None:
    """Under serve the pages are made in memory and mkdocs is given an empty listing of
    the pages folder (site/walk.py): what a build left there, a stray file and a link to a
    folder included, changes nothing in the served site."""
    from conftest import build_site

    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two"), "ideas/two/bob.md": vote("up")})
    without = Session(site_repo.root, tmp_path / "without").build()
    build_site(site_repo)
    pages = site_repo.root / "docs/ideas"
    (pages / "stray.md").write_text("# Stray\n", encoding="utf-8")
    (site_repo.root / "elsewhere").mkdir()
    (site_repo.root / "elsewhere/linked.md").write_text("# Linked\n", encoding="utf-8")
    (pages / "linked").symlink_to(site_repo.root / "elsewhere", target_is_directory=True)
    served = Session(site_repo.root, tmp_path / "served").build()
    assert "ideas/stray/index.html" not in served and "ideas/linked/linked/index.html" not in served
    assert sorted(served) == sorted(without)
    assert [name for name in served if served[name] != without[name]] == []


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_plugins")
def test_a_serve_process_freezes_what_its_first_build_left_and_nothing_after(
    site_repo: GitRepo, tmp_path: Path
) -> None:
    """core/caches.py `settle`: the collector's walks of later builds skip what the first
    left; later builds freeze nothing, so their garbage is collected as before."""
    import gc

    site_repo.commit({"ideas/one.md": idea("One")})
    gc.unfreeze()
    session = Session(site_repo.root, tmp_path / "served")
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the first build's catalog, pages and mkdocs' own objects
    Clock.moment += timedelta(minutes=1)
    (site_repo.root / "ideas/one").mkdir()
    (site_repo.root / "ideas/one/cat.md").write_text(vote("up", "Saved.\n"))
    session.build()
    assert gc.get_freeze_count() <= frozen
