"""Measure Bubbleup at company scale, next to the tools it stands on.

    python benchmarks/run.py                      # 1,000 and 5,000 ideas, then the 10,000-idea steps
    python benchmarks/run.py --ideas 1000 --runs 1 --large 0     # a quick look
    python benchmarks/run.py --ideas 1000 --runs 1 --site-only --large 0   # the site build steps only

For each scale it generates a synthetic repository with git fast-import (benchmarks/
generate.py), then times each step as the median of several runs in a fresh process,
with the process's peak memory (max RSS, from wait4):

- `bubbleup check` and `bubbleup tally` (loading and validating every file);
- the history pass (one git log + one cat-file, no cache) next to a bare
  `git log --name-status` of the same repository;
- page generation alone, the full `bubbleup build` (from a cold cache), a bare
  `mkdocs build` of the same generated docs folder (the plugin switched off), and the
  floor: mkdocs with Material and search on each idea's title and text as a plain page;
  and mkdocs' own dirty build of that floor after one page changed (`--dirty`: it renders
  the changed page only), the least mkdocs itself takes to rebuild a site of that size;
- a rebuild with nothing changed, then rebuilds after one new vote (warm cache, previous
  site present: incremental; at least three votes, the median): their time against the
  full build's, and how many generated pages and site files the first vote's rewrote;
  then the same site with one idea, rebuilt with nothing changed: the fixed cost of any
  build (Python, the imports, the configuration, the theme), which no number of ideas
  changes;
- the size of the search index;
- the preview: `bubbleup serve`, a vote file written, and the time until the idea's
  page it serves shows the vote (benchmarks/serve.py), against the 3 s target;
- at the largest scale (`--large`, 10,000 ideas by default; benchmarks/large.py): check
  plus tally cold and warm on a fresh clone, the scoped pull request check, and the
  peak memory of a full build.

Figures are printed, never asserted: speed is measured, not assumed. A second scale
prints the growth ratios (linear growth is about the ratio of the scales).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import BUBBLEUP, PYTHON, Measure, median, timed  # noqa: E402
from generate import generate  # noqa: E402
from large import measure_large  # noqa: E402
from serve import serve_reload  # noqa: E402


def snippet(code: str) -> list[str]:
    return [PYTHON, "-c", code]


def cold(repo: Path) -> None:
    """Forget everything a previous build left: generated pages, site, history cache."""
    for name in ("site", "docs/ideas", ".bubbleup-cache"):
        shutil.rmtree(repo / name, ignore_errors=True)


def pages_only_cold(repo: Path) -> None:
    """Forget what earlier builds left of the pages (the site, the render cache), keeping
    the history and parse caches that `check` and every command share."""
    shutil.rmtree(repo / "site", ignore_errors=True)
    (repo / ".bubbleup-cache/render.pickle").unlink(missing_ok=True)


def bare_config(repo: Path) -> Path:
    """mkdocs.yml without the bubbleup plugin: mkdocs alone on the same docs folder."""
    text = (repo / "mkdocs.yml").read_text()
    lines = [line for line in text.splitlines() if "bubbleup" not in line]
    bare = repo / "mkdocs-bare.yml"
    bare.write_text("\n".join(lines) + "\n")
    return bare


FLOOR_CONFIG = """\
site_name: Floor
theme:
  name: material
  font: false
plugins:
  - search
not_in_nav: |
  /ideas/
nav:
  - Home: index.md
"""


def floor_site(repo: Path) -> Path:
    """The floor for a site build: each idea's title and text as a plain Markdown page
    (no votes, feedback, views or HTML), built by mkdocs with Material and search."""
    floor = repo.parent / f"{repo.name}-floor"
    shutil.rmtree(floor, ignore_errors=True)
    (floor / "docs/ideas").mkdir(parents=True)
    (floor / "mkdocs.yml").write_text(FLOOR_CONFIG)
    (floor / "docs/index.md").write_text("# Home\n")
    for path in (repo / "ideas").glob("*.md"):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        title = next((line[6:].strip() for line in front.splitlines() if line.startswith("title:")), path.stem)
        (floor / "docs/ideas" / path.name).write_text(f"# {title}\n\n{body}", encoding="utf-8")
    return floor / "mkdocs.yml"


def files_state(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*") if p.is_file()
    }


def commit_vote(repo: Path, vote: Path, email: str, message: str) -> None:
    vote.parent.mkdir(exist_ok=True)
    vote.write_text("---\nvote: up\n---\nOne more vote.\n")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    author = ["-c", "user.name=Bench", "-c", f"user.email={email}"]
    subprocess.run(["git", "-C", str(repo), *author, "commit", "-q", "-m", message], check=True)


def rebuild_after_one_vote(repo: Path, config: str, runs: int) -> tuple[list[Measure], dict[str, object]]:
    """A rebuild with nothing changed (what every rebuild costs before its change), then
    one new vote by someone in the roster and a rebuild with warm caches, as many times as
    `runs` and at least three (one run is one vote: a single figure moved by a third
    between runs): the median, and how much the first rewrote; then a vote by a newcomer
    added to the roster. All are undone afterwards, so that the repository is as it was."""
    import yaml

    timed([BUBBLEUP, "-f", config, "build"], repo)
    unchanged = median("rebuild with nothing changed", [BUBBLEUP, "-f", config, "build"], repo, 1)
    roster_file = repo / "ideas/people.yml"
    roster = yaml.safe_load(roster_file.read_text())
    targets = iter(sorted((repo / "ideas").glob("*.md")))
    votes = max(runs, 3)
    measures: list[Measure] = []
    facts: dict[str, object] = {}
    for _ in range(votes):
        pages_before, site_before = files_state(repo / "docs/ideas"), files_state(repo / "site")
        target = next(targets)
        handle = next(h for h in sorted(roster) if not (repo / "ideas" / target.stem / f"{h}.md").exists())
        commit_vote(repo, repo / "ideas" / target.stem / f"{handle}.md", roster[handle]["emails"][0], "One more vote")
        measures.append(median("rebuild after one new vote", [BUBBLEUP, "-f", config, "build"], repo, 1))
        if not facts:
            pages_after, site_after = files_state(repo / "docs/ideas"), files_state(repo / "site")
            facts = {
                "generated pages rewritten": sum(1 for k, v in pages_after.items() if pages_before.get(k) != v),
                "generated pages": len(pages_after),
                "site files rewritten": sum(
                    1 for k, v in site_after.items() if site_before.get(k, (0, b""))[0] != v[0]
                ),
                "site files": len(site_after),
                "search index (MB)": round((repo / "site/search/search_index.json").stat().st_size / 1e6, 2),
            }
    facts["one-vote rebuilds, each (wall s / CPU s)"] = ", ".join(f"{m.seconds:.2f} / {m.cpu:.2f}" for m in measures)
    rebuild = Measure(
        "rebuild after one new vote",
        statistics.median(m.seconds for m in measures),
        max(m.peak_mb for m in measures),
        votes,
        statistics.median(m.cpu for m in measures),
    )
    original = roster_file.read_text()
    commit_vote(repo, repo / "ideas" / target.stem / "zz-benchmark.md", "b@synthetic.example", "A newcomer's vote")
    roster_file.write_text(original + "zz-benchmark:\n  name: Bench\n  emails: [b@synthetic.example]\n")
    newcomer = median("rebuild after a newcomer's vote (roster changed)", [BUBBLEUP, "-f", config, "build"], repo, 1)
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", f"HEAD~{votes + 1}"], check=True)
    roster_file.write_text(original)
    return [unchanged, rebuild, newcomer, fixed_cost(repo, runs)], facts


def fixed_cost(repo: Path, runs: int) -> Measure:
    """A rebuild with nothing changed of the same site holding one idea: what any build
    costs whatever the number of ideas (starting Python, the imports, the configuration,
    the theme, the hand-written pages), the part of a one-vote rebuild that does not grow."""
    small = repo.with_name(repo.name + "-one-idea")
    if not (small / ".git").exists():
        shutil.rmtree(small, ignore_errors=True)
        (small / "ideas").mkdir(parents=True)
        shutil.copytree(repo / "docs", small / "docs", ignore=shutil.ignore_patterns("ideas"))
        first = min((repo / "ideas").glob("*.md")).relative_to(repo)
        for name in ("mkdocs.yml", ".gitignore", "ideas/people.yml", str(first)):
            shutil.copy2(repo / name, small / name)
        author = ["-c", "user.name=Bench", "-c", "user.email=bench@synthetic.example"]
        for command in (["init", "-q"], ["add", "-A"], [*author, "commit", "-q", "-m", "One idea"]):
            subprocess.run(["git", "-C", str(small), *command], check=True)
    config = [BUBBLEUP, "-f", str(small / "mkdocs.yml"), "build"]
    timed(config, small)
    return median("rebuild with nothing changed, one idea (the fixed cost)", config, small, max(runs, 3))


def site_steps(repo: Path, config: str, runs: int) -> list[Measure]:
    """The full build from cold, next to mkdocs alone on the same generated pages and on
    the floor (the ideas as plain pages)."""
    bare, floor = bare_config(repo), floor_site(repo)
    return [
        median("bubbleup build (cold)", [BUBBLEUP, "-f", config, "build"], repo, runs, before=lambda: cold(repo)),
        median(
            "bubbleup build (full, data caches warm)",
            [BUBBLEUP, "-f", config, "build", "--clean"],
            repo,
            runs,
            before=lambda: pages_only_cold(repo),
        ),
        median(
            "mkdocs build (bare, same pages)",
            [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(bare), "-d", str(repo / "site-bare")],
            repo,
            runs,
        ),
        median(
            "mkdocs build (floor: plain pages)",
            [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(floor)],
            floor.parent,
            runs,
        ),
        median(
            "mkdocs build --dirty (floor: one plain page changed)",
            [PYTHON, "-m", "mkdocs", "build", "-q", "--dirty", "-f", str(floor)],
            floor.parent,
            max(runs, 3),
            before=lambda: change_one_page(floor.parent),
        ),
    ]


def change_one_page(floor: Path) -> None:
    """Add a line to one plain page of the floor, as one new vote changes one idea's page:
    mkdocs' dirty build then renders that page alone (and no search index worth the name),
    so its time is the least mkdocs itself takes for a site of that many pages."""
    page = min((floor / "docs/ideas").glob("*.md"))
    with page.open("a", encoding="utf-8") as text:
        text.write("\nOne more line.\n")


def measure(repo: Path, runs: int, site_only: bool = False) -> tuple[list[Measure], dict[str, object]]:
    config = str(repo / "mkdocs.yml")
    if site_only:
        results = site_steps(repo, config, runs)
        rebuilds, facts = rebuild_after_one_vote(repo, config, runs)
        reload, idle = serve_reload(repo, config)
        facts["serve: the preview shows a new vote within 3 s"] = "met" if reload.seconds <= 3 else "missed"
        return [*results, *rebuilds, reload, idle], facts
    history = (
        f"import sys; sys.path.insert(0, {str(HERE.parent / 'tools')!r}); from pathlib import Path; "
        f"from bubbleup.git.history import read; read(Path({str(repo)!r}), Path({str(repo / 'ideas')!r}))"
    )
    generation = (
        "from pathlib import Path; from bubbleup.core.config import settings; from bubbleup.git.snapshot import snapshot; "
        f"from bubbleup.site.build import generate; generate(snapshot(settings(Path({config!r}))))"
    )
    results = [
        median("bubbleup check", [BUBBLEUP, "-f", config, "check"], repo, runs),
        median(
            "bubbleup tally",
            [BUBBLEUP, "-f", config, "tally", "--format", "json"],
            repo,
            runs,
            before=lambda: shutil.rmtree(repo / ".bubbleup-cache", ignore_errors=True),
        ),
        median("history pass (no cache)", snippet(history), repo, runs),
        median("git log --name-status (bare)", ["git", "log", "--name-status", "--no-color"], repo, runs),
        median("page generation", snippet(generation), repo, runs, before=lambda: cold(repo)),
        *site_steps(repo, config, runs),
    ]
    rebuilds, facts = rebuild_after_one_vote(repo, config, runs)
    results += rebuilds
    reload, idle = serve_reload(repo, config)
    results += [reload, idle]
    facts["serve: the preview shows a new vote within 3 s"] = "met" if reload.seconds <= 3 else "missed"
    return results, facts


REFERENCES = {
    "history pass (no cache)": [("git log --name-status (bare)", None)],
    "bubbleup build (cold)": [("mkdocs build (bare, same pages)", None), ("mkdocs build (floor: plain pages)", 1.5)],
    "bubbleup build (full, data caches warm)": [("mkdocs build (floor: plain pages)", 1.5)],
    "rebuild with nothing changed": [("bubbleup build (full, data caches warm)", None)],
    "rebuild after one new vote": [("bubbleup build (full, data caches warm)", 0.10), ("bubbleup build (cold)", 0.10)],
    "rebuild after a newcomer's vote (roster changed)": [("bubbleup build (full, data caches warm)", 0.10)],
    "rebuild with nothing changed, one idea (the fixed cost)": [("bubbleup build (full, data caches warm)", None)],
    "mkdocs build --dirty (floor: one plain page changed)": [("bubbleup build (full, data caches warm)", None)],
}
"""Each step's references: (step, the target ratio to it, if there is one). Ratios hold
on a loaded machine far better than seconds do."""


GROWTH = {"bubbleup build (cold)": 5.5, "bubbleup build (full, data caches warm)": 5.5}
"""Targets for growth from the smallest to the largest of the --ideas scales, when those
are 1,000 and 5,000."""


def repository(workdir: Path, ideas: int, votes: int, commits: int) -> Path:
    """The synthetic repository of that size, generated once and kept for later runs."""
    repo = workdir / f"ideas-{ideas}-{votes}-{commits}"
    if not (repo / ".git").exists():
        shutil.rmtree(repo, ignore_errors=True)
        started = time.perf_counter()
        counts = generate(repo, ideas=ideas, votes=votes, commits=commits)
        print(f"generated {counts} in {time.perf_counter() - started:.1f} s")
    return repo


def report(scale: str, results: list[Measure], facts: dict[str, object]) -> None:
    by_name = {m.name: m for m in results}
    print(f"\n## {scale}\n")
    print("| step | median s | CPU s | runs | peak MB | ratio: wall (CPU), target |")
    print("|---|--:|--:|--:|--:|--:|")
    for measure in results:
        ratios = []
        for name, target in REFERENCES.get(measure.name, []):
            if name in by_name:
                wall, cpu = measure.seconds / by_name[name].seconds, measure.cpu / max(by_name[name].cpu, 1e-9)
                goal = f", at most {target:g}x: {'met' if wall <= target else 'missed'}" if target else ""
                ratios.append(f"{wall:.2f}x ({cpu:.2f}x) {name}{goal}")
        ratio = "; ".join(ratios)
        print(
            f"| {measure.name} | {measure.seconds:.2f} | {measure.cpu:.2f} | {measure.runs} | {measure.peak_mb:.0f} "
            f"| {ratio} |"
        )
    for key, value in facts.items():
        print(f"- {key}: {value}")


def compile_bytecode() -> None:
    """Compile Bubbleup's modules once, as installing a package does: where
    PYTHONDONTWRITEBYTECODE is set (this machine sets it), every timed command would
    otherwise compile them from source again: 0.3 CPU s more for importing what a build
    imports (0.75-0.80 s against 0.48-0.57 s, measured on 2026-11-27)."""
    import bubbleup

    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(bubbleup.__file__).parent)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, action="append", help="ideas (repeat for several scales)")
    parser.add_argument("--votes", type=int, help="votes (default: 10 per idea)")
    parser.add_argument("--commits", type=int, help="commits (default: 10 per idea, at most 50,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per step; the median is reported")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bubbleup-bench"))
    parser.add_argument(
        "--site-only", action="store_true", help="only the site build steps: full, bare, floor and incremental"
    )
    parser.add_argument(
        "--large",
        type=int,
        default=10_000,
        help="ideas at the largest scale (10 votes each, 50,000 commits) for check, tally, the scoped "
        "pull request check and peak memory; 0 skips it",
    )
    arguments = parser.parse_args()
    scales = arguments.ideas or [1000, 5000]
    compile_bytecode()
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {os.uname().machine}, load {os.getloadavg()[0]:.2f}"
    )
    totals: dict[int, dict[str, float]] = {}
    for ideas in scales:
        votes = arguments.votes or ideas * 10
        commits = arguments.commits or min(ideas * 10, 50_000)
        repo = repository(arguments.workdir, ideas, votes, commits)
        results, facts = measure(repo, arguments.runs, arguments.site_only)
        report(f"{ideas:,} ideas, {votes:,} votes, {commits:,} commits", results, facts)
        totals[ideas] = {m.name: m.seconds for m in results}
    if len(scales) > 1:
        small, large = scales[0], scales[-1]
        print(f"\n## Growth from {small:,} to {large:,} ideas ({large / small:.1f}x the ideas)\n")
        for name, seconds in totals[large].items():
            growth = seconds / totals[small][name]
            goal = GROWTH.get(name)
            verdict = f" (target at most {goal:g}x: {'met' if growth <= goal else 'missed'})" if goal else ""
            print(f"- {name}: {growth:.2f}x{verdict}")
    if arguments.large:
        ideas = arguments.large
        repo = repository(arguments.workdir, ideas, ideas * 10, min(ideas * 10, 50_000))
        results, lines = measure_large(repo)
        report(f"{ideas:,} ideas on a fresh clone (one run each)", results, {})
        for line in lines:
            print(f"- {line}")


if __name__ == "__main__":
    main()
