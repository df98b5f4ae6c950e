"""Read the ideas folder safely and turn it into a `Catalog`.

Reading is defensive because the files come from anyone: each file is checked for size
before it is read, must be UTF-8 text without control characters (`core.characters`), and
a symbolic link must stay inside the repository. Every problem is collected; nothing here
raises for a bad file. Each idea and feedback file is checked on its own by
`file_check.check` (the same rules the writing commands apply through `file_check.examine`),
or its result comes from a `Memo` that kept it from an earlier run, if the roster answers
what that check asked of it as it did then (`Checked.asked`: a newcomer in people.yml
sends only the files that name them to be checked again); what depends on other files is
checked here every time.

The layout (see docs/file-format.md):

    ideas/<slug>.md                          an idea
    ideas/<slug>/<handle>.md                 one person's vote and feedback on it
    ideas/<slug>/customers/<customer>.md     a customer's voice, recorded by an employee
    ideas/people.yml                         the roster (optional)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from bubbleup.core import attachments, characters, file_check, registers
from bubbleup.core.adoption import NO_ADOPTION, Adoption
from bubbleup.core.config import DEFAULTS
from bubbleup.core.file_check import Checked, Memo, NoMemo, Source
from bubbleup.core.gather import Folder, Pending, feedback_of, ideas_of
from bubbleup.core.model import Catalog, Problem, Severity

ROSTER_NAME = "people.yml"
CAMPAIGNS_NAME = "campaigns.yml"
CUSTOMERS_DIR = "customers"
IGNORED_NAMES = frozenset({"readme.md"})
Visits = Callable[[tuple[str, ...]], bool]  # ('slug.md',), ('slug',), ('slug', 'handle.md'): look at it?


class Listings(Protocol):
    """What an idea's folder held when last walked, for a process that loads the folder
    again and again (core/resident.py): a folder that only holds vote files, and whose
    status says it did not change, is not listed again."""

    def recall(self, folder: str) -> list[Pending] | Folder | None:
        """The files found in `folder` last time, if it has not changed since."""

    def keep(self, folder: str, found: list[Pending]) -> None:
        """Keep the files just found in `folder` (listed after `recall` was asked)."""


def _name(entry: os.DirEntry) -> str:
    return entry.name


def prefix(root: Path, ideas_dir: Path) -> str:
    """What the walk puts before an idea's slug in the names of its files (`ideas/`)."""
    return _Reader(root, ideas_dir, 0).relative(ideas_dir / "-")[:-1]


class _Reader:
    """Walks the ideas folder, reading each file it should, and noting every problem."""

    def __init__(self, root: Path, ideas_dir: Path, max_size: int, max_attachment: int = DEFAULTS.max_attachment_size):
        self.root = root.resolve()
        self.visits: Visits | None = None
        self.ideas_dir = ideas_dir.resolve()
        self.max_size = max_size
        self.max_attachment = max_attachment
        self.listings: Listings | None = None
        self.sources: list[Source] = []
        """The roster and the campaigns, read as they are found."""
        self.pending: list[Pending | Folder] = []
        self.problems: list[Problem] = []
        self.attachments: list[str] = []
        """Publishable images beside ideas, relative to the ideas folder (slug/name.png)."""
        self.verdicts = registers.Verdicts(None)

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def problem(self, path: Path, line: int, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.relative(path), line, severity, message))

    def target(self, path: Path) -> Path | None:
        """The path to read: a symlink's target if it stays in the ideas folder, else None.

        Not merely in the repository: a link to .git/config would publish its secrets.
        """
        if not path.is_symlink():
            return path
        try:
            resolved = path.resolve(strict=True)
        except FileNotFoundError:
            self.problem(path, 1, "symbolic link leads nowhere (its target does not exist)")
            return None
        except (OSError, RuntimeError):
            self.problem(path, 1, "symbolic link cannot be followed (it loops)")
            return None
        if not resolved.is_relative_to(self.ideas_dir):
            where = "outside the repository" if not resolved.is_relative_to(self.root) else "outside the ideas folder"
            self.problem(path, 1, f"symbolic link leads {where}; it is not read")
            return None
        return resolved

    def read(self, path: Path) -> str | None:
        real = self.target(path)
        if real is None:
            return None
        try:
            status = real.stat()
            if not (stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)):
                # A named pipe would wait for a writer for ever, a device never end.
                self.problem(path, 1, "not a regular file (a named pipe, a socket or a device); it is not read")
                return None
            size = status.st_size
            if size > self.max_size:
                self.problem(
                    path,
                    1,
                    f"file is {size:,} bytes, over the limit of {self.max_size:,} (max_file_size); it is not read",
                )
                return None
            data = real.read_bytes()
        except OSError as error:
            self.problem(path, 1, f"cannot be read: {error.strerror or error}")
            return None
        text, problem = characters.decode(data)
        if problem is not None:
            self.problem(path, *problem)
        return text

    def add(self, path: Path, kind: str, slug: str, stem: str, plain: bool = False) -> None:
        if kind in ("idea", "feedback", "customer"):
            self.pending.append(Pending(str(path), self.relative(path), kind, slug, stem, plain))
            return
        text = self.read(path)
        if text is not None:
            self.sources.append(Source(self.relative(path), kind, slug, stem, text))

    def check(self, pending: Pending, memo: Memo, rules: dict) -> Checked | None:
        """Read and check one file, or take what `memo` kept for it while the roster gives
        the answers its check was given; None if it cannot be read."""
        path = pending.name
        if pending.plain and (kept := memo.recall(path)) is not None:
            asked = kept.asked
            if not asked or self.verdicts[asked]:
                return kept
        mark = len(self.problems)
        text = self.read(Path(pending.path))
        if text is None:
            return None
        read = tuple(self.problems[mark:])
        del self.problems[mark:]
        found = file_check.check(Source(path, pending.kind, pending.slug, pending.stem, text), **rules)
        found = Checked(found.item, read + found.problems, found.lines, found.asked)
        if pending.plain:
            memo.keep(path, found)
        return found

    def entries(self, folder: Path | str) -> list[os.DirEntry]:
        try:
            with os.scandir(folder) as listing:
                found = [e for e in listing if e.name[0] not in "._" and e.name.lower() not in IGNORED_NAMES]
            found.sort(key=_name)
            return found
        except OSError as error:
            self.problem(Path(folder), 1, f"folder cannot be read: {error.strerror or error}")
            return []

    def walk(self, ideas_dir: Path) -> None:
        prefix = self.relative(ideas_dir / "-")[:-1]  # what `relative` makes of a path in the folder, less its name
        for entry in self.entries(ideas_dir):
            name = entry.name
            if self.visits is not None and not self.visits((name,)):
                continue
            if not entry.is_symlink() and (entry.is_dir() or name.endswith(".md")):
                # The common cases (an idea's folder, an idea), without pathlib for 20,000 entries.
                if entry.is_dir():
                    self.walk_feedback(entry.path, prefix + name, entry.path, True)
                else:
                    self.pending.append(Pending(entry.path, prefix + name, "idea", name[:-3], name[:-3], True))
                continue
            path = Path(entry.path)
            real = self.target(path)
            if real is None:
                continue
            if real.is_dir():
                self.walk_feedback(entry.path, prefix + name, real, False)
            elif name == ROSTER_NAME:
                self.add(path, "roster", "", "")
            elif name == CAMPAIGNS_NAME:
                self.add(path, "campaigns", "", "")
            elif name.endswith(".md"):
                self.add(path, "idea", name[:-3], name[:-3], False)
            else:
                self.problem(
                    path,
                    1,
                    "ignored: only <slug>.md idea files, people.yml and campaigns.yml belong here",
                    Severity.WARNING,
                )

    def walk_feedback(self, folder: str, base: str, real: Path | str, plain: bool) -> None:
        """Walk an idea's folder (`folder` as found, `base` as problems name it, `real` where
        a symbolic link leads, `plain` if no link was followed)."""
        slug = os.path.basename(folder)
        visits, pending = self.visits, self.pending
        listed = self.listings if plain and visits is None else None
        if listed is not None and (known := listed.recall(folder)) is not None:
            if isinstance(known, Folder):
                pending.append(known)  # taken apart by `gather.feedback_of` if need be
            else:
                pending.extend(known)
            return
        mark, problems, simple = len(pending), len(self.problems), True
        for entry in self.entries(real):
            name = entry.name
            if visits is not None and not visits((slug, name)):
                continue
            if plain and name.endswith(".md") and not entry.is_symlink() and not entry.is_dir():
                # The common case, without a Path for each of 100,000 vote files.
                pending.append(Pending(entry.path, f"{base}/{name}", "feedback", slug, name[:-3], True))
                continue
            simple = False
            path = Path(folder, name)
            target = self.target(path) if entry.is_symlink() else path
            if target is None:
                continue
            direct = plain and target is path
            is_dir = entry.is_dir() if target is path else target.is_dir()
            if is_dir and entry.name == CUSTOMERS_DIR:
                for customer in self.entries(target):
                    customer_path = path / customer.name
                    if customer.name.endswith(".md") and not customer.is_dir():
                        within = direct and not customer.is_symlink()
                        self.add(customer_path, "customer", slug, customer.name[:-3], within)
                    else:
                        self.problem(
                            customer_path, 1, "ignored: only <customer>.md files belong here", Severity.WARNING
                        )
            elif entry.name.endswith(".md") and not is_dir:
                self.add(path, "feedback", slug, entry.name[:-3], direct)
            elif attachments.is_candidate(entry.name) and not is_dir:
                refused = attachments.check(target, entry.name, self.max_attachment)
                if refused:
                    self.problem(path, 1, refused, Severity.WARNING)
                else:
                    self.attachments.append(f"{slug}/{entry.name}")
            else:
                self.problem(
                    path,
                    1,
                    "ignored: only <handle>.md feedback files, customers/ and images (png, jpg, gif, webp) belong here",
                    Severity.WARNING,
                )
        if listed is not None and simple and len(self.problems) == problems:
            listed.keep(folder, pending[mark:])  # type: ignore[arg-type]  # files only, just found


def load(
    root: Path,
    ideas_dir: Path,
    max_size: int = DEFAULTS.max_file_size,
    criteria: tuple[str, ...] = DEFAULTS.criteria,
    scale: int = DEFAULTS.score_scale,
    max_attachment_size: int = DEFAULTS.max_attachment_size,
    adoption: Adoption = NO_ADOPTION,
    visits: Visits | None = None,
    memo: Memo | None = None,
    listings: Listings | None = None,
) -> Catalog:
    """Read, parse and validate every file under `ideas_dir` (inside `root`; nothing outside it
    is read) into the catalog of valid ideas and feedback, with every problem found, sorted.

    Args:
        max_size: files larger than this many bytes are reported and not read.
        criteria, scale: what reviewers may score in a decision, and the top of the scale.
        visits: only the entries it accepts are looked at (git/scoped.py); None for all.
        memo: results kept from earlier runs, for files that did not change (none by default).
        listings: folders' files kept from earlier loads of this process (none by default).
    """
    reader = _Reader(root, ideas_dir, max_size, max_attachment_size)
    reader.visits, reader.listings = visits, listings
    if ideas_dir.is_dir():
        reader.walk(ideas_dir)
    else:
        what = "is not a folder" if ideas_dir.exists() else "does not exist"
        reader.problem(ideas_dir, 1, f"the ideas folder {what}; create it, or set the ideas_dir option in mkdocs.yml")
    problems = reader.problems
    roster, campaigns = registers.read_all(
        [(source.kind, source.path, source.text) for source in reader.sources], problems
    )
    shown = frozenset(reader.attachments)
    reader.verdicts = registers.Verdicts(roster)
    memo = memo or NoMemo()
    memo.start(file_check.context(max_size, criteria, scale, adoption, roster, shown))
    rules = {"roster": roster, "criteria": criteria, "scale": scale, "attachments": shown, "adoption": adoption}
    pending: dict[str, list] = {"idea": [], "feedback": [], "customer": []}  # Pending, or a Folder of feedback
    for item in reader.pending:
        pending[item.kind].append(item)
    checked = [(item, reader.check(item, memo, rules)) for item in pending["idea"]]
    ideas, broken, left_out = ideas_of(checked, campaigns, problems)
    feedback = feedback_of(reader, pending["feedback"] + pending["customer"], ideas, broken, memo, rules)
    return Catalog(
        ideas=ideas,
        feedback=tuple(feedback),
        roster=roster,
        campaigns=campaigns,
        problems=tuple(sorted(set(problems))),
        left_out=tuple(sorted(set(left_out))),
        attachments=tuple(sorted(name for name in shown if name.split("/")[0] in ideas)),
    )
