"""How long the preview takes to show one new vote: `bubbleup serve` on a repository,
a vote file written (as an editor would save it, not committed), and the time until the
idea's page that the server gives out shows it. The browser reloads when the rebuild
ends, so this is what a person at the preview waits for (mkdocs' watcher waits a moment
for more changes before it builds, and that moment is counted too).
"""

from __future__ import annotations

import re
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

import yaml

from common import BUBBLEUP, ENV, Measure

UP = re.compile(r"Up \((\d+)\)")


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _cpu(pid: int) -> float:
    """CPU seconds the server has used so far (user and system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime, stime: fields 14 and 15, in clock ticks


def _wait(url: str, ready, seconds: float) -> tuple[float, str]:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        page = _fetch(url)
        if page and ready(page):
            return time.perf_counter() - started, page
        time.sleep(0.05)
    raise SystemExit(f"the preview never showed the change at {url}")


IDLE = 5.0
"""Seconds over which the settled preview's CPU is measured."""


def serve_reload(repo: Path, config: str, votes: int = 3) -> list[Measure]:
    """The median time from a vote file written to its idea's page showing it, over
    `votes` votes by people in the roster (each on its own idea), and the CPU the preview
    uses while nothing changes (its watcher's cost); the files are removed afterwards."""
    roster = yaml.safe_load((repo / "ideas/people.yml").read_text())
    targets = []
    for path in sorted((repo / "ideas").glob("*.md"))[1 : votes + 1]:
        handle = next(h for h in sorted(roster) if not (repo / "ideas" / path.stem / f"{h}.md").exists())
        targets.append((path.stem, handle))
    port = _port()
    server = subprocess.Popen(
        [BUBBLEUP, "-f", config, "serve", "-a", f"127.0.0.1:{port}"],
        cwd=repo,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    written: list[Path] = []
    times, cpus, idle = [], [], 0.0
    try:
        for slug, handle in targets:
            url = f"http://127.0.0.1:{port}/ideas/{slug}/"
            _, page = _wait(url, lambda page: bool(UP.search(page)), 900)
            time.sleep(3)  # the server settles
            if not idle:
                cpu = _cpu(server.pid)
                time.sleep(IDLE)
                idle = _cpu(server.pid) - cpu
            before = int(UP.search(_fetch(url) or page).group(1))  # type: ignore[union-attr]
            vote = repo / "ideas" / slug / f"{handle}.md"
            vote.parent.mkdir(exist_ok=True)
            cpu = _cpu(server.pid)
            vote.write_text("---\nvote: up\n---\nSeen in the preview.\n")
            written.append(vote)
            needle = f"Up ({before + 1})"
            seconds, _ = _wait(url, lambda page, needle=needle: needle in page, 300)
            times.append(seconds)
            cpus.append(_cpu(server.pid) - cpu)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        for vote in written:
            vote.unlink(missing_ok=True)
            if not any(vote.parent.iterdir()):
                vote.parent.rmdir()
    name = "serve: a vote until the preview shows it"
    return [
        Measure(name, statistics.median(times), 0.0, len(times), statistics.median(cpus)),
        Measure(f"serve: idle for {IDLE:.0f} s (CPU is the watcher's)", IDLE, 0.0, 1, idle),
    ]
