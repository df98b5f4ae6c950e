"""What loading found in each file, kept by the file's Git blob id for the next run.

`check` and `tally` read, parse and check every idea and feedback file, and between two
runs almost none of them change. Git already knows which did not: its index holds the
blob id of each tracked file, and `git diff-files` names the files that differ from it.
So the result of a file Git knows unchanged (`file_check.Checked`) is kept under its path
and blob id, and only new, modified and untracked files are read. Blob ids, not
modification times, because a fresh clone in CI has new times and the same blobs, and
finds the cache that actions/cache restored.

A blob id stands for the bytes read only where Git writes files as their blobs hold them.
With core.autocrlf (true or input) or attributes that convert (`text`, `eol`, `crlf`, a
filter, `ident`, an encoding: `runner.converts`), a file checked out with CRLF line ends
has the blob of its LF text, and so has the same file saved again with LF: Git holds
both unchanged. The line numbers and the problems are the same either way, but an idea's
or a feedback's text keeps its bytes (CR included), so a result made from the other
bytes would differ from a fresh read. There a file is known by its blob id and the
digest of the bytes read (the files are read, not parsed or checked again).

Everything else a result depends on is in the cache's key: Bubbleup's version and the
code of `core/` (which reads and checks files), the versions of the libraries it reads
with, and the loader's `context` (the options, whether there is a roster, the images
beside ideas). When the key changes the whole cache is set aside. The roster is not in
it: each result carries what its check asked of the roster and the answers, and the
loader takes it only while the roster answers the same (core/registers.py), so that a
newcomer sends back only the files that name them. What depends on other files
(feedback on a missing idea, duplicates, campaigns) is checked again on every run.

After a vote only one result is new, and writing the 110,000 again cost more than reading
them. So what changed since the cache was written whole (results made or gone) goes to a
small journal beside it, `parse-journal.pickle`, which names the cache it follows by a
token written with it; once it holds `JOURNAL_LIMIT` changes the cache is written whole
again and the journal is dropped. A journal for another cache or key, or damaged, is set
aside: the files it knew are read again.

Most results are an idea folder's plain vote files: each a feedback without problems. The
cache file keeps those of a folder together, as one group of columns (the files' names,
blob ids, feedback and what each check asked of the roster), not one `Checked` and one
pair each: unpickling 55,000 results at 5,000 ideas took 0.29 s of CPU, and the groups
take 0.16 s; a folder that the folders cache recalled (core/gather.py) is then taken whole
by comparing its names and blob ids as two lists (`recall_folder`). A file of a group
looked up on its own (its folder changed, the journal replaced a file of it, the roster no
longer answers its check) breaks the group into one result per file, equal to those the
group was made of.

The cache is a pickle, because loading 110,000 results must take well under a second.
It is only ever read from the project's own `.bubbleup-cache/`, written by Bubbleup on
this machine or restored by CI from a cache that its own runs saved, never from files a
pull request brings. Even so, unpickling is restricted to the few classes a result is
made of, and a damaged, truncated or foreign file is set aside like a stale one: the run
is only slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeGuard

from bubbleup.core import caches, model
from bubbleup.core.file_check import Checked
from bubbleup.core.model import Feedback
from bubbleup.git import runner

FORMAT = b"bubbleup parse cache 3\n"
JOURNAL_FORMAT = b"bubbleup parse journal 1\n"
_NAME = "parse.pickle"
_JOURNAL = "parse-journal.pickle"
JOURNAL_LIMIT = 2_000
"""How many changed results the journal holds before the cache is written whole again."""
Entry = tuple[str, Checked]
Group = tuple[list[str], list[str], list[Feedback], list[str]]
"""An idea folder's plain vote files (`_plain`): their names, blob ids, feedback and `asked`."""
_PLAIN_LINES = (1, 1)
_LIBRARIES = ("bubbleup", "PyYAML", "markdown-it-py", "mdit-py-plugins", "linkify-it-py", "nh3")
_ALLOWED = {
    ("bubbleup.core.file_check", "Checked"),
    ("datetime", "date"),
    *(("bubbleup.core.model", name) for name in ("Idea", "Feedback", "Decision", "Problem")),
    *(("bubbleup.core.model", name) for name in ("Severity", "Status", "Vote", "Visibility")),
}


class _Unpickler(caches.Restricted):
    """Builds only the classes a result is made of: anything else is a foreign file."""

    allowed = frozenset(_ALLOWED)
    what = "a parse cache"


def _code() -> str:
    """The version of the code that reads and checks files: Bubbleup's core and its libraries."""
    digest = hashlib.sha256(caches.versions(_LIBRARIES).encode())
    core = Path(model.__file__).parent
    for source in sorted(core.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


class ParseCache:
    """A `file_check.Memo` backed by a file in the cache folder and by Git's index."""

    def __init__(self, root: Path, ideas_dir: Path, cache_dir: Path | None):
        self.path = cache_dir / _NAME if cache_dir is not None else None
        folder = ideas_dir.resolve().relative_to(root.resolve()).as_posix()
        self.root = root
        self._listing = runner.unchanged_blobs(root, folder) if self.path is not None else dict
        self._converts = runner.converts(root, folder) if self.path is not None else _never
        self._listed: dict[str, str] | None = None
        self.converting = False
        """Git may write these files other than as their blobs hold them (line ends, a
        filter): a file is known by its blob id and the digest of the bytes read."""
        self._read_as: dict[str, str] = {}
        """By path, when converting: the blob id and the digest of the bytes read."""
        self.key = ""
        self.kept: dict[str, Entry] = {}
        """By path: the blob id and the result, from the previous run."""
        self.used: dict[str, Entry] = {}
        """What this run used or made, which is what the next run finds."""
        self.changed = False
        self.recalled = 0
        """How many results this run took from the cache."""
        self.groups: dict[str, Group] = {}
        """By folder: the results kept together, until a file of the folder is looked up alone."""
        self.taken: dict[str, Group] = {}
        """The groups this run took whole (`recall_folder`)."""
        self._base: dict[str, Entry] = {}
        """What the cache file holds, without its journal, but for its groups."""
        self._base_groups: dict[str, Group] = {}
        self._journaled: dict[str, Entry] = {}
        """What the journal added to the cache file."""
        self._fresh: dict[str, None] = {}
        """The paths of the results this run made, in order."""
        self._token = ""

    @property
    def listed(self) -> dict[str, str]:
        """By path, the blob id of each file Git knows unchanged (waited for on first use:
        Git lists them while the loader walks the folder and the cache is read)."""
        if self._listed is None:
            self._listed = self._listing()
            converting = self._converts()
            self.converting = bool(self._listed) and converting
        return self._listed

    @property
    def blobs(self) -> dict[str, str]:
        """By path, what stands for the bytes of each file Git knows unchanged: its blob id;
        where Git converts files (`converting`), the blob id and the digest of the bytes,
        for the files this run looked up. A file's result is a function of it and of the
        key (git/parts_cache.py keys files by it too)."""
        listed = self.listed
        return self._read_as if self.converting else listed

    def _identity(self, path: str) -> str | None:
        """What stands for the bytes of the file at `path` (see `blobs`); None if Git does
        not hold it unchanged, or it cannot be read."""
        blob = self.listed.get(path)
        if blob is None or not self.converting:
            return blob
        known = self._read_as.get(path)
        if known is None:
            digest = _digest(self.root / path)
            if digest is None:
                return None
            known = self._read_as[path] = f"{blob} {digest}"
        return known

    def start(self, context: str) -> None:
        self.key = hashlib.sha256(f"{_code()}\0{context}".encode()).hexdigest()
        token, content = self._read(_NAME, FORMAT)  # while Git lists the blobs
        base: dict[str, Entry] = {}
        groups: dict[str, Group] = {}
        if self.listed and token and _well_formed_cache(content):
            base, groups = content
        else:
            token = ""
        self._token, self._base, self._base_groups = token, base, groups
        self.kept, self.groups = dict(base), dict(groups)
        journal = self._read(_JOURNAL, JOURNAL_FORMAT)[1] if token else None
        if _journal(journal) and journal[0] == token:
            self._journaled = journal[1]
            for path in (*journal[1], *journal[2]):
                self._dissolve(path.rpartition("/")[0])
            self.kept.update(journal[1])
            for path in journal[2]:
                self.kept.pop(path, None)
        self.changed = False

    def _dissolve(self, folder: str) -> None:
        """Break the group of `folder`, if any, into one result per file in `kept`."""
        group = self.groups.pop(folder, None)
        if group is not None:
            for name, blob, item, asked in zip(*group, strict=True):
                self.kept[f"{folder}/{name}"] = (blob, Checked(item, (), _PLAIN_LINES, asked))

    def recall(self, path: str) -> Checked | None:
        blob = self._identity(path) if self.converting else self.listed.get(path)
        kept = self.kept.get(path)
        if kept is None and self.groups:
            self._dissolve(path.rpartition("/")[0])
            kept = self.kept.get(path)
        if blob is None or kept is None or kept[0] != blob:
            return None
        self.used[path] = kept
        self.recalled += 1
        return kept[1]

    def recall_folder(
        self, folder: str, names: list[str], simple: Callable[[list[Feedback], list[str]], bool]
    ) -> list[Feedback] | None:
        """The feedback of the files `names` of `folder` (an idea's folder of vote files),
        if the cache holds them as one group (each a feedback without problems), Git holds
        each file unchanged as it was when its result was made, and `simple` accepts the
        feedback and what each check asked of the roster; else None, and none is taken.
        What `recall` gives file by file, at the speed of C (core/gather.py)."""
        group = self.groups.get(folder)
        if group is None or self.converting or group[0] != names:
            return None
        blobs = list(map(self.listed.get, map(f"{folder}/".__add__, names)))
        if blobs != group[1] or not simple(group[2], group[3]):
            return None
        self.taken[folder] = group
        self.recalled += len(names)
        return group[2]

    def keep(self, path: str, checked: Checked) -> None:
        blob = self._identity(path) if self.converting else self.listed.get(path)
        if path in self.used:  # recalled, but not taken: the roster no longer answers as it did
            self.recalled -= 1
        if blob is not None:
            self.used[path] = (blob, checked)
            self._fresh[path] = None
            self.changed = True

    def save(self) -> None:
        """Write what this run used, if it differs from what was read (files were checked
        afresh, or kept ones are gone): in the journal while few results differ from the
        cache file, else whole. A read-only checkout simply has no cache."""
        if self.path is None:
            return
        if not (self.changed or self.used.keys() != self.kept.keys() or self.taken.keys() != self.groups.keys()):
            return
        base, used = self._base, self.used
        # What differs from the cache file was made now or taken from the journal: only
        # those few are compared, not the 110,000 results taken from the file as they were.
        made = {path: used[path] for path in (*self._fresh, *self._journaled) if path in used}
        made = {path: entry for path, entry in made.items() if base.get(path) is not entry}
        gone = sorted(self._gone())
        if self._token and len(made) + len(gone) <= JOURNAL_LIMIT:
            self._write(_JOURNAL, JOURNAL_FORMAT, self._token, (self._token, made, gone))
            return
        self._write(_NAME, FORMAT, uuid.uuid4().hex, _grouped(used, self.taken))
        with contextlib.suppress(OSError):
            (self.path.parent / _JOURNAL).unlink(missing_ok=True)

    def _gone(self) -> list[str]:
        """The paths of the cache file (its groups' files too) that this run did not use."""
        used, taken = self.used, self.taken
        gone = [path for path in self._base if path not in used]
        for folder, group in self._base_groups.items():
            if folder not in taken:
                gone += [path for path in map(f"{folder}/".__add__, group[0]) if path not in used]
        return gone

    def _write(self, name: str, form: bytes, token: str, content: object) -> None:
        assert self.path is not None
        header = form + f"{self.key} {token}\n".encode()
        caches.write(self.path.parent / name, header + pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))

    def _read(self, name: str, form: bytes) -> tuple[str, object]:
        """The token and the content of a cache file of this key, or ("", {})."""
        if self.path is None:
            return "", {}
        try:
            with (self.path.parent / name).open("rb") as stream, caches.uncollected(loading=True):
                if stream.readline() != form:
                    return "", {}
                key, _, token = stream.readline().decode("ascii").rstrip("\n").partition(" ")
                if key != self.key or not token:
                    return "", {}
                return token, _Unpickler(stream).load()
        except Exception:  # noqa: BLE001  a damaged cache fails in any way unpickling can: only a slower run
            return "", {}


def _grouped(used: dict[str, Entry], taken: dict[str, Group]) -> tuple[dict[str, Entry], dict[str, Group]]:
    """What the cache file holds: the groups taken whole, each other folder's plain results
    as a group, and every other result on its own."""
    files: dict[str, Entry] = {}
    groups: dict[str, Group] = {}
    seen: dict[str, str] = {}  # each name and blob id once, which pickling then refers to
    for path, entry in used.items():
        folder, _, name = path.rpartition("/")
        checked = entry[1]
        if folder in taken or not _plain(checked):
            files[path] = entry
            continue
        group = groups.get(folder) or groups.setdefault(folder, ([], [], [], []))
        group[0].append(seen.setdefault(name, name))  # 2,000 names and 700 blob ids of 100,000 at 10,000 ideas
        group[1].append(seen.setdefault(entry[0], entry[0]))
        group[2].append(checked.item)  # type: ignore[arg-type]  # a feedback, as `_plain` saw
        group[3].append(checked.asked)
    return files, {**taken, **groups}


def _plain(checked: Checked) -> bool:
    """A result that a group keeps: a feedback without problems, as every plain vote file gives."""
    return checked.item.__class__ is Feedback and not checked.problems and checked.lines == _PLAIN_LINES


def _never() -> bool:
    return False


LARGEST = 16 * 1024 * 1024
"""A file larger than this is not read to be recalled: the loader refuses it unread anyway."""


def _digest(path: Path) -> str | None:
    """The digest of a file's bytes, or None if it is too large or cannot be read."""
    try:
        if path.stat().st_size > LARGEST:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _well_formed(kept: object) -> TypeGuard[dict[str, Entry]]:
    """A cache of the right shape (a foreign pickle with the right classes is still refused)."""
    if not isinstance(kept, dict):
        return False
    return all(
        isinstance(path, str)
        and isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and isinstance(entry[1], Checked)
        for path, entry in kept.items()
    )


def _well_formed_cache(content: object) -> TypeGuard[tuple[dict[str, Entry], dict[str, Group]]]:
    """The results on their own and the groups, each of the right shape (all at once for
    the groups' columns, at the speed of C)."""
    if not (isinstance(content, tuple) and len(content) == 2 and _well_formed(content[0])):
        return False
    groups = content[1]
    if groups.__class__ is not dict or not set(map(type, groups)) <= {str}:
        return False
    for group in groups.values():
        if group.__class__ is not tuple or len(group) != 4 or set(map(type, group)) != {list}:
            return False
        names, blobs, items, asked = group
        if not (len(names) == len(blobs) == len(items) == len(asked)):
            return False
        if not (set(map(type, names)) | set(map(type, blobs)) | set(map(type, asked)) <= {str}):
            return False
        if not set(map(type, items)) <= {Feedback} or "/" in "".join(names):
            return False
    return True


def _journal(journal: object) -> TypeGuard[tuple[str, dict[str, Entry], list[str]]]:
    """A journal of the right shape: the token of its cache, the results made, the paths gone."""
    return (
        isinstance(journal, tuple)
        and len(journal) == 3
        and isinstance(journal[0], str)
        and _well_formed(journal[1])
        and isinstance(journal[2], list)
        and all(isinstance(path, str) for path in journal[2])
    )
