"""What every benchmark step shares: timing a command in a fresh process, with its peak
memory and CPU time, and the median of several runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PYTHON = sys.executable
BUBBLEUP = str(Path(PYTHON).with_name("bubbleup"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Measure:
    name: str
    seconds: float
    peak_mb: float
    runs: int
    cpu: float = 0.0
    """CPU seconds (user and system, the process and the processes it waited for): on a
    machine shared with other work, ratios of CPU time hold better than wall time."""


TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
"""GNU time reports the command's own peak memory. The peak that wait4 gives for a child of
this process is at least this process's size when it forked (Linux carries the resident
size over into the child), which the repository generator can make hundreds of MB."""


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run a command; return (wall seconds, peak resident memory in MB, CPU seconds)."""
    with tempfile.TemporaryDirectory() as scratch:
        peak_file, errors = Path(scratch) / "peak", Path(scratch) / "stderr"
        wrapped = [TIME, "-f", "%M", "-o", str(peak_file), *command] if TIME else command
        start = time.perf_counter()
        with errors.open("wb") as stderr:
            process = subprocess.Popen(wrapped, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=stderr)
            _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        returncode = os.waitstatus_to_exitcode(status)
        if returncode not in (0, 1):  # check exits 1 on errors; anything else is a failure
            raise SystemExit(f"{' '.join(command)} failed: {errors.read_bytes().decode()[-2000:]}")
        peak_kb = int(peak_file.read_text().split()[-1]) if TIME else usage.ru_maxrss
    return elapsed, peak_kb / 1024, usage.ru_utime + usage.ru_stime


def median(name: str, command: list[str], cwd: Path, runs: int, before=None) -> Measure:
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        if before:
            before()
        seconds, peak, cpu = timed(command, cwd)
        times.append(seconds)
        peaks.append(peak)
        cpus.append(cpu)
    return Measure(name, statistics.median(times), max(peaks), runs, statistics.median(cpus))
