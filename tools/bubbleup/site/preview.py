"""What the preview server keeps between its builds: each file's checked result, read
again only when the file changes (core/resident.py); the Git history, read again only
when the head commit moves; and the previous snapshot, whose ideas' tallies, timelines
and crossings hold for the ideas whose inputs are the same (git/carry.py).

Under `serve`, one process builds again after every saved file, and a saved vote or idea
is not a commit: the history of the files is the same as for the build before. Reading it
(the history cache, 11 MB at 5,000 ideas and 50,000 commits) was over a second of every
rebuild. The history is a function of the commits reachable from the head, of whether
the clone is shallow, and of the options that read it, so it is kept under those and read
again when any of them changes (a commit, a checkout, a fetch that deepens the clone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from bubbleup.core.config import Settings
from bubbleup.core.resident import Calm, Resident
from bubbleup.git import runner
from bubbleup.git.history import History
from bubbleup.git.parse_cache import ParseCache
from bubbleup.git.snapshot import Snapshot, read_past, snapshot
from bubbleup.site.memo import Memo
from bubbleup.site.recipes import Digests
from bubbleup.site.records import Records


class Preview:
    """The files and the history of the last build of this process, with what they were read for."""

    def __init__(self) -> None:
        self.kept: tuple[tuple[object, ...], History] | None = None
        self.files: tuple[tuple[Path, Path], Resident] | None = None
        self.previous: Snapshot | None = None
        self.digests = Digests()
        """The digests of the previous build's pages, with what they were made from (site/recipes.py)."""
        self._memo: Held | None = None
        self._records: Records | None = None

    def snapshot(self, settings: Settings, now: datetime | None = None, calm: Calm | None = None) -> Snapshot:
        """`git.snapshot.snapshot` for a site (its whole history: the timelines need it), with
        the files, the history and the parts of the previous build where they still hold;
        the files `calm` vouches for are taken as they were (core/resident.py)."""
        where = (settings.root, settings.ideas_dir)
        if self.files is None or self.files[0] != where:
            self.files = (where, Resident(str(settings.root.resolve())))
        memo = self.files[1].begin(lambda: ParseCache(settings.root, settings.ideas_dir, settings.cache_dir), calm)
        self.previous = snapshot(
            settings, now, whole_history=True, past=lambda: self.history(settings), memo=memo, before=self.previous
        )
        return self.previous

    def moved(self) -> set[str]:
        """The paths whose status changed since the last load kept them (`Resident.moved`)."""
        return self.files[1].moved() if self.files is not None else set()

    def history(self, settings: Settings) -> History:
        state = runner.repository_state(settings.root)
        if state not in (None, "shallow"):
            return read_past(settings, whole_history=True)
        patterns = tuple(settings.options.pull_request_patterns)
        key = (settings.root, settings.ideas_dir, patterns, settings.cache_dir, state, runner.head(settings.root))
        if self.kept is None or self.kept[0] != key:
            self.kept = (key, read_past(settings, whole_history=True))
        return self.kept[1]

    def memo(self, path: Path | None) -> Memo:
        """The render memo (site/memo.py) of this process's builds: read from the cache once."""
        if self._memo is None or self._memo.path != path:
            self._memo = Held(path)
        return self._memo.again()

    def records(self, path: Path | None, code: str) -> Records:
        """ideas.json's records as this process's last build wrote them (site/records.py):
        the cache file is read once (7 MB at 5,000 ideas)."""
        if self._records is None or (self._records.path, self._records.code) != (path, code):
            self._records = Records(path, code)
            return self._records
        return self._records.again()


class Held(Memo):
    """A render memo that stays for the builds of one process. Reading the cache file
    (about 10 MB of JSON at 5,000 ideas) was half a second of every rebuild, and writing
    it again after each new text more: it is read once, written by the first build only
    (the next process finds what that build used, and renders again the few texts saved
    since), and a text's HTML is found by the text itself, whose hash Python keeps on the
    string, rather than by a digest of its bytes."""

    def __init__(self, path: Path | None) -> None:
        super().__init__(path)
        self.by_text: dict[str, str] = {}
        self.builds = 0

    def again(self) -> Held:
        """Start a build: what the last one used or made says nothing of this one's."""
        self.used, self.corpora, self.added = set(), set(), False
        self.builds += 1
        return self

    def html(self, text: str, convert: Callable[[], str]) -> str:
        found = self.by_text.get(text)
        if found is None:
            found = self.by_text[text] = super().html(text, convert)
        return found

    def prepare(self, texts: Iterable[str], convert: Callable[[list[str]], list[str]]) -> None:
        super().prepare((text for text in texts if text not in self.by_text), convert)

    def save(self, prune: bool = True) -> None:
        if self.builds == 1:
            super().save(prune)
