"""The preview server regenerates an idea's page when its vote files change."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import GitRepo, idea, vote

pytestmark = pytest.mark.slow  # a real mkdocs serve process


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, needle: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        page = fetch(url)
        if page and needle in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}; last page: {(page or '')[:300]}")


def test_serve_regenerates_pages_when_a_vote_is_added_changed_and_removed(site_repo: GitRepo) -> None:
    """From the second change on, the watcher vouches for the files it saw no change in
    (site/watching.py `Changes`): what it saw change is read again all the same, a file
    kept from before the server started too."""
    site_repo.commit({"ideas/fine.md": idea("Fine idea"), "ideas/fine/cat.md": vote("up", "Kept.\n")})
    committed = time.monotonic()
    port = free_port()
    bubbleup = Path(sys.executable).with_name("bubbleup")
    server = subprocess.Popen(
        [str(bubbleup), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site_repo.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/ideas/fine/"
        wait_for(url, "1 up · 0 down")
        time.sleep(max(0.0, committed + 2.5 - time.monotonic()))  # cat.md is older than `RACY`: kept
        (site_repo.root / "ideas/fine/bob.md").write_text(vote("up", "Served fresh.\n"))
        page = wait_for(url, "2 up · 0 down")
        assert "Served fresh." in page
        (site_repo.root / "ideas/fine/cat.md").write_text(vote("down", "Changed my mind.\n"))
        page = wait_for(url, "1 up · 1 down")
        assert "Changed my mind." in page and "Kept." not in page
        (site_repo.root / "ideas/fine/bob.md").unlink()
        wait_for(url, "0 up · 1 down")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_settles_after_a_change_and_writes_nothing_into_docs(site_repo: GitRepo, tmp_path: Path) -> None:
    """Nothing that changes on every build is written where the server watches, so one
    change makes one rebuild, not a rebuild every second."""
    site_repo.commit({"ideas/fine.md": idea("Fine idea"), "ideas/other.md": idea("Other idea")})
    port = free_port()
    bubbleup = Path(sys.executable).with_name("bubbleup")
    log = tmp_path / "serve.log"
    with log.open("w") as stream:
        server = subprocess.Popen(
            [str(bubbleup), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site_repo.root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/ideas/fine/"
            wait_for(url, "0 up · 0 down")
            (site_repo.root / "ideas/fine").mkdir()
            (site_repo.root / "ideas/fine/bob.md").write_text(vote("up", "Served fresh.\n"))
            wait_for(url, "1 up · 0 down")
            time.sleep(1)
            settled = log.read_text().count("Documentation built")
            time.sleep(5)
            assert log.read_text().count("Documentation built") == settled, log.read_text()[-2000:]
            counts = re.findall(r"bubbleup: (\d+) of (\d+) pages built", log.read_text())
            assert len(counts) >= 2 and int(counts[-1][0]) < int(counts[-1][1]), counts  # the rebuild was incremental
            assert not (site_repo.root / "docs/ideas").exists()
        finally:
            server.terminate()
            server.wait(timeout=10)
