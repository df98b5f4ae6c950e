"""A build that is killed, raced, refused or starved leaves the old site whole, or the new one."""

from __future__ import annotations

import errno
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.site import publish
from conftest import GitRepo, idea, vote

BUBBLEUP = str(Path(sys.executable).with_name("bubbleup"))


def build(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build", *args])


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(path.name for path in root.iterdir() if path.name.startswith("site."))


def environment() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1793000000"}


def ideas(count: int, prefix: str = "idea") -> dict[str, str]:
    return {f"ideas/{prefix}-{n}.md": idea(f"Idea {prefix} {n}") for n in range(count)}


@pytest.fixture
def built(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A site built once from a dozen ideas."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    site_repo.commit(ideas(12))
    assert build(site_repo).exit_code == 0
    return site_repo


@pytest.mark.slow
def test_a_killed_build_leaves_the_old_site_or_the_new_one_and_nothing_behind(built: GitRepo) -> None:
    root = built.root
    old = tree(root / "site")
    shutil.copytree(root / "site", root / "expected-old")
    built.commit({"ideas/idea-3/bob.md": vote("up", "More.\n"), **ideas(5, "new")})
    (root / "ideas/idea-7.md").unlink()
    built.git("add", "-A")
    built.git("commit", "-q", "-m", "change")
    command = [BUBBLEUP, "-f", str(root / "mkdocs.yml"), "build", "--clean"]  # as long as the timed build
    started = time.monotonic()
    subprocess.run([*command, "--site-dir", str(root / "expected-new")], env=environment(), check=True)
    duration = time.monotonic() - started
    new = tree(root / "expected-new")
    assert new != old
    outcomes = []
    for share in (0.1, 0.3, 0.5, 0.7, 0.85, random.Random(12).uniform(0.4, 0.95)):
        moment = share * duration
        process = subprocess.Popen(command, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = tree(root / "site")
        assert now in (old, new), f"a mix of old and new after a kill at {moment:.2f} s"
        outcomes.append("new" if now == new else "old")
        if now == new:  # start the next kill from the old site again
            shutil.rmtree(root / "site")
            shutil.copytree(root / "expected-old", root / "site")
    assert "old" in outcomes
    subprocess.run(command, env=environment(), check=True, capture_output=True)
    assert tree(root / "site") == new
    assert leftovers(root) == []


@pytest.mark.slow
def test_two_builds_at_once_after_ideas_were_removed(built: GitRepo) -> None:
    for name in list(ideas(12))[:8]:
        (built.root / name).unlink()
    built.git("add", "-A")
    built.git("commit", "-q", "-m", "remove eight")
    command = [BUBBLEUP, "-f", str(built.root / "mkdocs.yml"), "build"]
    runs = [subprocess.Popen(command, env=environment(), stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate()[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert "Traceback" not in "".join(errors)
    site = built.root / "site"
    assert not (site / "ideas/idea-0").exists() and (site / "ideas/idea-11/index.html").is_file()
    assert leftovers(built.root) == []


@pytest.mark.slow
def test_a_read_only_site_is_left_alone_with_one_clear_error(built: GitRepo) -> None:
    site = built.root / "site"
    before = tree(site)
    built.commit({"ideas/idea-1/bob.md": vote("up")})
    site.chmod(0o555)
    try:
        result = build(built)
    finally:
        site.chmod(0o755)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "read-only" in errors[0], result.output
    assert "Traceback" not in result.output
    assert tree(site) == before and leftovers(built.root) == []


@pytest.mark.slow
def test_a_site_that_cannot_be_replaced_stays_whole(built: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mount point (or a folder on another filesystem) cannot trade places: EXDEV."""

    def refuse(first: Path, second: Path) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(second))

    monkeypatch.setattr(publish, "_exchange", refuse)
    site = built.root / "site"
    before = tree(site)
    built.commit({"ideas/idea-1/bob.md": vote("up")})
    result = build(built)
    assert result.exit_code == 1
    assert "could not be replaced (Invalid cross-device link)" in result.output
    assert "the previous site is unchanged" in result.output
    assert tree(site) == before and leftovers(built.root) == []


@pytest.mark.slow
def test_a_site_folder_on_another_filesystem_is_built_next_to_itself(built: GitRepo, tmp_path: Path) -> None:
    """The staging folder is made beside the site folder, so the swap never crosses filesystems."""
    elsewhere = Path("/dev/shm") if Path("/dev/shm").is_dir() else tmp_path
    target = elsewhere / f"bubbleup-test-{os.getpid()}-{random.randrange(10**9)}"
    try:
        assert build(built, "--site-dir", str(target)).exit_code == 0
        built.commit({"ideas/idea-1/bob.md": vote("up")})
        result = build(built, "--site-dir", str(target))
        assert result.exit_code == 0, result.output
        assert "1 up" in (target / "ideas/idea-1/index.html").read_text(encoding="utf-8")
        assert [p.name for p in target.parent.iterdir() if p.name.startswith(target.name + ".")] == []
        assert (target.parent / f".{target.name}.spare/{target.name}/ideas/idea-1/index.html").is_file()
    finally:
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(target.parent / f".{target.name}.spare", ignore_errors=True)


@pytest.mark.slow
def test_a_full_disk_gives_one_error_and_keeps_the_old_site(built: GitRepo) -> None:
    site = built.root / "site"
    before = tree(site)
    built.commit({"ideas/idea-1/bob.md": vote("up")})
    shutil.rmtree(site / "assets")  # so that the build must write the theme's large files again

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = subprocess.run(
        [BUBBLEUP, "-f", str(built.root / "mkdocs.yml"), "build"],
        env=environment(),
        capture_output=True,
        text=True,
        preexec_fn=small_files,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "could not be written: File too large" in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    assert tree(site) == {k: v for k, v in before.items() if not k.startswith("assets/")}
    assert leftovers(built.root) == []


def test_the_site_is_readable_by_a_web_server_as_the_umask_says(site_repo: GitRepo) -> None:
    site_repo.commit({"ideas/one.md": idea("One")})
    previous = os.umask(0o022)
    try:
        assert build(site_repo).exit_code == 0
    finally:
        os.umask(previous)
    site = site_repo.root / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "ideas").stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "ideas/one/index.html").stat().st_mode) == 0o644
