"""What the preview server keeps between its builds: the Git history, read again only
when the head commit moves.

Under `serve`, one process builds again after every saved file, and a saved vote or idea
is not a commit: the history of the files is the same as for the build before. Reading it
(the history cache, 11 MB at 5,000 ideas and 50,000 commits) was over a second of every
rebuild. The history is a function of the commits reachable from the head, of whether
the clone is shallow, and of the options that read it, so it is kept under those and read
again when any of them changes (a commit, a checkout, a fetch that deepens the clone).
"""

from __future__ import annotations

from bubbleup.core.config import Settings
from bubbleup.git import runner
from bubbleup.git.history import History
from bubbleup.git.snapshot import Snapshot, read_past, snapshot


class Preview:
    """The history of the last build of this process, with what it was read for."""

    def __init__(self) -> None:
        self.kept: tuple[tuple[object, ...], History] | None = None

    def snapshot(self, settings: Settings) -> Snapshot:
        """`git.snapshot.snapshot` for a site (its whole history: the timelines need it), with
        the history of the previous build when it still holds."""
        return snapshot(settings, whole_history=True, past=lambda: self.history(settings))

    def history(self, settings: Settings) -> History:
        state = runner.repository_state(settings.root)
        if state not in (None, "shallow"):
            return read_past(settings, whole_history=True)
        patterns = tuple(settings.options.pull_request_patterns)
        key = (settings.root, settings.ideas_dir, patterns, settings.cache_dir, state, runner.head(settings.root))
        if self.kept is None or self.kept[0] != key:
            self.kept = (key, read_past(settings, whole_history=True))
        return self.kept[1]
