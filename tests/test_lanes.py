"""`bubbleup build` makes the pages in a forked child while mkdocs reads its configuration
and the previous site here (site/halves.py `Ahead`): the same site as one process makes,
the child's messages and errors said here, and a child that fails or dies replaced by
doing its work here."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.site import build as site_build
from bubbleup.site import halves
from conftest import GitRepo, build_site, idea, tree, vote

pytestmark = pytest.mark.skipif(not halves.available(), reason="needs a second processor to fork onto")


def build(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build", *args])


def files(count: int) -> dict[str, str]:
    made = {f"ideas/idea-{n}.md": idea(f"Idea {n}") for n in range(count)}
    made["ideas/idea-0/bob.md"] = vote("up", "Yes.")
    return made


def where_generated(monkeypatch: pytest.MonkeyPatch, record: Path) -> None:
    """Record in `record` the process each `generate` ran in."""
    made = site_build.generate

    def generate(*args, **kwargs):
        with record.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return made(*args, **kwargs)

    monkeypatch.setattr(site_build, "generate", generate)


@pytest.mark.slow
def test_the_pages_are_made_in_a_second_process_and_the_site_is_the_one_process_site(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    site_repo.commit(files(6))
    record = tmp_path / "pids"
    where_generated(monkeypatch, record)
    build_site(site_repo)
    assert [int(pid) for pid in record.read_text().split()] != [os.getpid()]
    assert len(record.read_text().split()) == 1
    site_repo.commit({"ideas/idea-1/bob.md": vote("up")})
    build_site(site_repo)  # incremental, its pages made in the child
    both = tree(site_repo.root / "site")
    shutil.rmtree(site_repo.root / "site")
    shutil.rmtree(site_repo.root / ".bubbleup-cache")
    monkeypatch.setattr(halves, "available", lambda: False)
    record.unlink()
    build_site(site_repo)
    assert [int(pid) for pid in record.read_text().split()] == [os.getpid()]
    assert tree(site_repo.root / "site") == both


@pytest.mark.slow
def test_the_childs_problems_are_printed_here_and_strict_stops_before_anything_is_built(
    site_repo: GitRepo,
) -> None:
    site_repo.commit({**files(2), "ideas/broken.md": "---\ntitle: [unclosed\n---\n"})
    result = build(site_repo)
    assert result.exit_code == 0, result.output
    assert (
        "ideas/broken.md:3: error: invalid YAML" in result.output
    )  # printed by this process, which the runner captures
    shutil.rmtree(site_repo.root / "site")
    shutil.rmtree(site_repo.root / "docs/ideas")
    result = build(site_repo, "--strict")
    assert result.exit_code == 1
    assert "ideas/broken.md:3: error: invalid YAML" in result.output
    assert "--strict builds nothing until they are fixed" in result.output
    assert not (site_repo.root / "site").exists()
    assert not (site_repo.root / "docs/ideas").exists()
    assert not [path.name for path in site_repo.root.iterdir() if path.name.startswith("site.")]


@pytest.mark.slow
def test_a_child_that_fails_is_replaced_by_the_work_done_here(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_repo.commit(files(3))
    here = os.getpid()
    made = site_build.generate

    def generate(*args, **kwargs):
        if os.getpid() != here:
            raise RuntimeError("a fault in the child")
        return made(*args, **kwargs)

    monkeypatch.setattr(site_build, "generate", generate)
    result = build(site_repo)
    assert result.exit_code == 0, result.output
    assert "Built 3 idea pages" in result.output
    assert (site_repo.root / "site/ideas/idea-2/index.html").is_file()


@pytest.mark.slow
def test_an_error_of_the_writer_in_the_child_is_one_clear_line(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_repo.commit(files(2))
    made = site_build.generate

    def generate(*args, **kwargs):
        raise OSError(28, "No space left on device", str(site_repo.root / "docs/ideas/idea-0.md"))

    monkeypatch.setattr(site_build, "generate", generate)
    result = build(site_repo)
    assert result.exit_code == 1
    assert "the site could not be written: No space left on device" in result.output
    assert "Traceback" not in result.output
    assert not (site_repo.root / "site").exists()
    monkeypatch.setattr(site_build, "generate", made)
    build_site(site_repo)


def test_ahead_gives_the_result_logs_what_the_child_logged_and_none_when_it_failed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def work() -> tuple[int, str]:
        logging.getLogger("mkdocs.plugins.bubbleup").warning("from the child")
        return os.getpid(), "done"

    with caplog.at_level(logging.WARNING), halves.Ahead(work) as ahead:
        pid, text = ahead.result() or (None, None)
    assert text == "done" and pid != os.getpid()
    assert "from the child" in caplog.text

    def fails() -> None:
        raise ValueError("no")

    def dies() -> None:
        os._exit(3)

    for work_that_fails in (fails, dies):
        with halves.Ahead(work_that_fails) as ahead:
            assert ahead.result() is None
