"""The steps measured at the largest scale (by default 10,000 ideas, 100,000 votes and
50,000 commits), on a fresh clone of the synthetic repository, as CI would see it:

- `check` plus `tally`, cold (the clone's first run: no cache of any kind) and warm (the
  same commands again); the target is under 5 s warm, the cold figure is reported beside;
- the pull request check: a branch that adds a vote, edits an idea and proposes a new
  one, then `check --changed-since main` and `review --base main`, each cold (the cache
  folder removed before each run), against a target of 5 s each;
- a full `bubbleup build`, for its peak memory (target: under 1 GB).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from common import BUBBLEUP, Measure, median

CHECK_AND_TALLY = 5.0
SCOPED = 5.0
MEMORY_MB = 1024.0


def fresh_clone(repo: Path) -> Path:
    clone = repo.parent / f"{repo.name}-clone"
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    return clone


def git(clone: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(clone), *arguments], check=True)


def pull_request(clone: Path) -> None:
    """A branch such as a colleague would open: one vote, one retitled idea (so that review
    looks for its possible duplicates too), one new idea."""
    git(clone, "checkout", "-q", "-b", "benchmark-pr")
    ideas = sorted((clone / "ideas").glob("*.md"))
    voted, edited = ideas[0], ideas[1]
    person = next(
        line.rstrip(":") for line in (clone / "ideas/people.yml").read_text().splitlines() if line[:1].isalnum()
    )
    vote = clone / "ideas" / voted.stem / f"{person}.md"
    vote.parent.mkdir(exist_ok=True)
    vote.write_text("---\nvote: up\n---\nWe need this.\n")
    text = edited.read_text()
    edited.write_text(text.replace('title: "', 'title: "Revised: ', 1) + "\nOne more paragraph, added in review.\n")
    proposal = clone / "ideas/benchmark-new-idea.md"
    proposal.write_text(
        "---\n"
        "title: A shared calendar for meeting rooms\n"
        f"authors: [{person}]\n"
        "status: proposed\n"
        "created: 2026-11-01\n"
        "tags: [office]\n"
        "---\n"
        "Booking rooms by email wastes everyone's time; a shared calendar shows what is free.\n"
    )
    git(clone, "add", "-A")
    email = f"{person}@synthetic.example"
    git(clone, "-c", f"user.name={person}", "-c", f"user.email={email}", "commit", "-q", "-m", "Benchmark pull request")


def forget_caches(clone: Path) -> None:
    shutil.rmtree(clone / ".bubbleup-cache", ignore_errors=True)


def measure_large(repo: Path) -> tuple[list[Measure], list[str]]:
    clone = fresh_clone(repo)
    config = str(clone / "mkdocs.yml")
    check = [BUBBLEUP, "-f", config, "check"]
    tally = [BUBBLEUP, "-f", config, "tally", "--format", "json"]
    results = [
        median("check (cold: fresh clone)", check, clone, 1),
        median("tally (cold: fresh clone)", tally, clone, 1),
        median("check (warm)", check, clone, 1),
        median("tally (warm)", tally, clone, 1),
    ]
    pull_request(clone)
    results += [
        median(
            "check --changed-since main (cold)",
            [*check, "--changed-since", "main"],
            clone,
            1,
            before=lambda: forget_caches(clone),
        ),
        median(
            "review --base main (cold)",
            [BUBBLEUP, "-f", config, "review", "--base", "main"],
            clone,
            1,
            before=lambda: forget_caches(clone),
        ),
    ]
    git(clone, "checkout", "-q", "main")
    results.append(median("bubbleup build (full)", [BUBBLEUP, "-f", config, "build"], clone, 1))
    return results, verdicts(results)


def verdicts(results: list[Measure]) -> list[str]:
    by_name = {measure.name: measure for measure in results}

    def verdict(value: float, target: float) -> str:
        return "met" if value <= target else f"missed by {value / target:.1f}x"

    warm = by_name["check (warm)"].seconds + by_name["tally (warm)"].seconds
    cold = by_name["check (cold: fresh clone)"].seconds + by_name["tally (cold: fresh clone)"].seconds
    lines = [
        f"check + tally, warm: {warm:.2f} s (target under {CHECK_AND_TALLY:g} s: {verdict(warm, CHECK_AND_TALLY)}); "
        f"cold, from a fresh clone: {cold:.2f} s"
    ]
    for name in ("check --changed-since main (cold)", "review --base main (cold)"):
        seconds = by_name[name].seconds
        lines.append(f"{name}: {seconds:.2f} s (target under {SCOPED:g} s: {verdict(seconds, SCOPED)})")
    peak = max(measure.peak_mb for measure in results)
    build = by_name["bubbleup build (full)"]
    lines.append(
        f"peak memory: {peak:.0f} MB over these steps, {build.peak_mb:.0f} MB for the build "
        f"(target under {MEMORY_MB:g} MB: {verdict(peak, MEMORY_MB)})"
    )
    return lines
