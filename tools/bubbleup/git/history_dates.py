"""Dates for `tally` and the rules that need them, without the whole histories.

The summary of dates (`dates.pickle`) is made at one commit. After a vote the head is one
commit further: reading the whole histories to date one more file cost `tally` a second
at 5,000 ideas. So the summary is brought to the head by the journal (the commits read
since the cache was written whole, git/history_journal.py) and by the commits that are
newer still, read from Git here with the values Git gives them, and kept in the journal
for the next run. The commits are applied to the summary as `history.read` applies them
to the whole histories; where that is not simple (a rename or a copy, whose earlier
versions' values may be read again), or the journal has grown past folding, nothing is
brought forward and the whole histories are read instead, which folds the journal.
"""

from __future__ import annotations

import re
from pathlib import Path

from bubbleup.git import commit_log, history_cache, history_credit, history_journal, runner
from bubbleup.git.file_history import Summary
from bubbleup.git.history_journal import Entry, Journal


def dates(
    root: Path, cache: Path, key: dict, head: str, prefix: str, patterns: list[re.Pattern]
) -> tuple[dict[str, Summary], int] | None:
    """Each file's first date and last change of value at `head`, and how many commits were
    read from Git for it; None when the whole histories must be read."""
    found = history_cache.summary_head(cache, key)
    if found is None:
        return None
    at, following = found
    if at == head:
        summary = history_cache.summary(cache, key, head)
        return (summary, 0) if summary is not None else None
    journal = history_journal.load(cache, key, at)
    reached = journal.head if journal is not None else at
    if reached != head and not runner.is_ancestor(root, reached, head):
        if journal is None or not runner.is_ancestor(root, at, head):
            return None
        journal, reached = None, at  # the journal's commits were rewritten: from the summary's own
    journal = journal or Journal(at, at, [])
    summary = history_cache.summary(cache, key, at)
    if summary is None:
        return None
    read = 0
    if reached != head:
        batch = _batch(root, prefix, f"{reached}..{head}", head, patterns, journal.next or following)
        if batch is None:
            return None
        read = len(batch[1])
        journal = Journal(at, head, [*journal.batches, batch])
        if journal.size > history_journal.FOLD_AFTER:
            return None
    brought = history_journal.summarise(summary, journal, prefix)
    if brought is None:
        return None
    if read:
        history_journal.save(cache, key, journal)
    return brought, read


def _batch(
    root: Path, prefix: str, revisions: str, head: str, patterns: list[re.Pattern], first: int
) -> history_journal.Batch | None:
    """The commits of `revisions` as the journal keeps them, each change with its value read
    from Git as `history.read` reads it; None if one renames or copies a file, or if the
    pull requests credited to the older commits may change (git/history_credit.py)."""
    commits = commit_log.log(root, prefix, revisions, None)
    if not commits or any(change[0] in ("R", "C") for commit in commits for change in commit.changes):
        return None
    if not history_credit.hold(root, revisions.partition("..")[0], head, commits, patterns):
        return None
    wanted: dict[str, str] = {}
    for commit in commits:
        for status, blob, paths, _ in commit.changes:
            key = commit_log.value_key(prefix + paths[-1], prefix)
            if status != "D" and key is not None and blob:
                wanted[blob] = key
    contents = runner.read_blobs(root, wanted)
    credited = commit_log.pull_requests(commits, head, patterns)
    entries = []
    for commit in commits:
        changes = []
        for status, blob, paths, _ in commit.changes:
            key = commit_log.value_key(prefix + paths[-1], prefix)
            data = contents.get(blob) if status != "D" and key is not None and blob else None
            value = commit_log.front_value(data, key) if data is not None and key is not None else None
            changes.append((status, blob, paths, value))
        entries.append(Entry(commit.sha, commit.when, commit.name, commit.email, credited.get(commit.sha), changes))
    return first, entries
