"""What the loader found, made into a catalog's ideas and feedback (core/loader.py walks
the ideas folder and reads and checks each file, or takes its result from a memo; here the
results are put together and what depends on other files is checked).

After a vote, every idea's folder but one is as it was, and the loader's memo holds every
result of it. An idea's folder of plain vote files that the folders cache recalled
(core/folder_cache.py) comes as one `Folder`, and its results are taken together, at the
speed of C, when the parse cache (git/parse_cache.py `recall_folder`) holds all of its files
unchanged, as one group of feedback without problems, and each is a feedback on the idea
whose check the roster still answers as it did (`_simple`): what taking them one by one
would give. Any
other folder is taken apart into its files, each as the walk would have found it.
"""

from __future__ import annotations

from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple, Protocol

from bubbleup.core import registers, validate
from bubbleup.core.file_check import Checked, Memo
from bubbleup.core.model import Campaign, Feedback, Idea, Problem


class Pending(NamedTuple):
    """An idea or feedback file found by the walk, read only if no memo knows it (a tuple:
    the walk makes one for each of 100,000 vote files, and a frozen dataclass costs four
    times as much to make)."""

    path: str
    name: str
    """The path relative to the repository, as problems name it."""
    kind: str
    slug: str
    stem: str
    plain: bool
    """Neither the file nor its folders are symbolic links: a memo may answer for it."""


class Folder(NamedTuple):
    """An idea's folder of plain vote files, as a folders cache recalled it (core/folder_cache.py):
    its files are taken together, not one `Pending` each, while the memo holds all their
    results and they are simple (`feedback_of`)."""

    path: str
    name: str
    """The folder's path as found and as problems name it (as `Pending`'s)."""
    kind: str
    slug: str
    files: list[str]
    """The names of its Markdown files, in the walk's order."""

    def pending(self) -> list[Pending]:
        """Each file as the walk would have found it."""
        path, name, slug = self.path, self.name, self.slug
        return [Pending(f"{path}/{file}", f"{name}/{file}", "feedback", slug, file[:-3], True) for file in self.files]


class Reader(Protocol):
    """What the loader's reader does for the files taken one by one (core/loader.py `_Reader`)."""

    verdicts: registers.Verdicts
    problems: list[Problem]

    def read(self, path: Path) -> str | None: ...

    def problem(self, path: Path, line: int, message: str) -> None: ...

    def check(self, pending: Pending, memo: Memo, rules: dict) -> Checked | None: ...


def ideas_of(
    checked: list[tuple[Pending, Checked | None]],
    campaigns: dict[str, Campaign] | None,
    problems: list[Problem],
) -> tuple[dict[str, Idea], set[str], list[str]]:
    """The valid ideas, the slugs of broken ones (unreadable ones too: their feedback is
    not misreported), and the paths left out of the site."""
    ideas: dict[str, Idea] = {}
    campaign_lines: dict[str, int] = {}
    duplicate_lines: dict[str, int] = {}
    broken: set[str] = set()
    left_out: list[str] = []
    for pending, found in checked:
        if found is None:
            broken.add(pending.slug)
            continue
        problems.extend(found.problems)
        if found.lines is not None:
            duplicate_lines[pending.slug], campaign_lines[pending.slug] = found.lines
        if isinstance(found.item, Idea):
            ideas[found.item.slug] = found.item
        else:
            broken.add(pending.slug)
            left_out.append(pending.name)
    cross = validate.cross_check(ideas, broken, duplicate_lines)
    cross += validate.unknown_campaigns(ideas, campaigns, campaign_lines)
    problems.extend(cross)
    failing = {problem.path for problem in cross}
    ideas = {slug: item for slug, item in ideas.items() if item.path not in failing}
    left_out.extend(failing)
    return ideas, broken, left_out


def feedback_of(
    reader: Reader,
    pending: list[Pending | Folder],
    ideas: dict[str, Idea],
    broken: set[str],
    memo: Memo,
    rules: dict,
) -> list[Feedback]:
    """The valid feedback, in the order the walk found it. An idea's `Folder` whose files
    the memo holds all unchanged and whose results are simple (no problem, feedback each,
    the roster answering as it did) is taken whole, at the speed of C: 5,000 folders of
    50,000 vote files at 5,000 ideas, of which one changed after a vote. Any other is taken
    apart into its files, each as the walk would have found it."""
    feedback: list[Feedback] = []
    together = getattr(memo, "recall_folder", None)  # the parse cache's (git/parse_cache.py)
    for entry in pending:
        if not isinstance(entry, Folder):
            _file(reader, entry, ideas, broken, memo, rules, feedback)
            continue
        slug = entry.slug
        simple = partial(_simple, reader.verdicts, slug)
        kept = together(entry.name, entry.files, simple) if together and slug in ideas else None
        if kept is not None:
            feedback.extend(kept)
            continue
        for item in entry.pending():
            _file(reader, item, ideas, broken, memo, rules, feedback)
    return feedback


_IDEA = attrgetter("idea")


def _simple(verdicts: registers.Verdicts, slug: str, items: list[Feedback], asked: list[str]) -> bool:
    """Whether the feedback a memo kept for an idea's folder, each without problems, is taken
    as it is: each a feedback on it whose roster answers hold (what `_file` would find, file
    by file)."""
    questions = set(asked)
    questions.discard("")
    if not all(map(verdicts.__getitem__, questions)):
        return False
    return set(map(type, items)) == {Feedback} and set(map(_IDEA, items)) == {slug}


def _file(
    reader: Reader,
    item: Pending,
    ideas: dict[str, Idea],
    broken: set[str],
    memo: Memo,
    rules: dict,
    feedback: list[Feedback],
) -> None:
    """Add one feedback file's problems, and its feedback if it is valid."""
    if item.slug not in ideas and item.slug not in broken:
        if reader.read(Path(item.path)) is not None:  # what cannot be read says so, and no more
            reader.problem(
                Path(item.path),
                1,
                f"feedback for an idea that does not exist: there is no ideas/{item.slug}.md "
                "(check the folder name against the idea's file name)",
            )
        return
    found = reader.check(item, memo, rules)
    if found is None:
        return
    reader.problems.extend(found.problems)
    if isinstance(found.item, Feedback) and found.item.idea in ideas:
        feedback.append(found.item)
