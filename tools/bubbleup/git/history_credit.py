"""Whether the pull requests credited by an earlier read still hold once new commits are
added to it, and crediting every commit again when they may not (git/history.py).

A merge that matches a pattern credits every commit its branch brought in that is not on
the main line (the first parents from the head) and not credited by an earlier merge
(`commit_log.pull_requests`). A history read from the cache and brought forward by the
commits since credits only those new commits, so an older commit would keep what the
earlier read gave it where a fresh read credits it to the new merge: a vote committed on
a branch and read there (a build on the branch), then the branch merged by a pull request
and the main branch moved to the merge; or a branch made from an older side branch, merged
by a pull request. The credits of the older commits stay what a fresh read gives when

- the earlier read's head is on the new main line (so its main line, and each of its
  merges, are the same in both reads), and
- each new merge's branch reaches the older commits only at commits on that main line
  (where a fresh read stops too).

Otherwise every commit is credited again from one `git log` of the commit graph, without
the changes (half a second at 50,000 commits, against twenty for the history itself).
"""

from __future__ import annotations

import re
from pathlib import Path

from bubbleup.git import commit_log, runner
from bubbleup.git.commit_log import Commit
from bubbleup.git.file_history import FileHistory


def hold(root: Path, earlier: str, head: str, commits: list[Commit], patterns: list[re.Pattern]) -> bool:
    """Whether the credits of the commits read up to `earlier` are unchanged by `commits`
    (those from `earlier` to `head`, with their parents), as the module says."""
    by_sha = {commit.sha: commit for commit in commits}
    mainline, sha = set(), head
    while sha in by_sha:
        mainline.add(sha)
        parents = by_sha[sha].parents
        sha = parents[0] if parents else ""
    if sha != earlier:
        return False
    reached: set[str] = set()
    for sha in mainline:
        commit = by_sha[sha]
        if len(commit.parents) < 2 or commit_log.number_in(commit.subject, patterns) is None:
            continue
        stack, seen = list(commit.parents[1:]), set()
        while stack:
            branch = stack.pop()
            if branch in seen or branch in mainline:
                continue
            seen.add(branch)
            if branch in by_sha:
                stack.extend(by_sha[branch].parents)
            else:
                reached.add(branch)
    if not reached:
        return True
    earlier_mainline = set(runner.log(root, "--first-parent", "--format=%H", earlier).split())
    return reached <= earlier_mainline


def recredit(root: Path, head: str, patterns: list[re.Pattern], files: dict[str, FileHistory]) -> None:
    """Credit every event's commit again as a fresh read of `head` would."""
    credited = commit_log.pull_requests(commit_log.graph(root, head), head, patterns)
    for entry in files.values():
        for event in entry.events:
            event.pull_request = credited.get(event.commit)
