"""Read the ideas folder safely and turn it into a `Catalog`.

Reading is defensive because the files come from anyone: each file is checked for size
before it is read, must be UTF-8 text without control characters (`core.characters`), and
a symbolic link must stay inside the repository. Every problem is collected; nothing here
raises for a bad file. `examine` checks one file with the same rules, so that the commands
that write files can refuse to write one that `check` would reject.

The layout (see docs/file-format.md):

    ideas/<slug>.md                          an idea
    ideas/<slug>/<handle>.md                 one person's vote and feedback on it
    ideas/<slug>/customers/<customer>.md     a customer's voice, recorded by an employee
    ideas/people.yml                         the roster (optional)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bubbleup.core import attachments, characters, drafts, frontmatter, markup, registers, validate
from bubbleup.core.adoption import NO_ADOPTION, Adoption
from bubbleup.core.config import DEFAULTS
from bubbleup.core.model import Campaign, Catalog, Feedback, Idea, Person, Problem, Severity

ROSTER_NAME = "people.yml"
CAMPAIGNS_NAME = "campaigns.yml"
CUSTOMERS_DIR = "customers"
IGNORED_NAMES = frozenset({"readme.md"})
Visits = Callable[[tuple[str, ...]], bool]  # ('slug.md',), ('slug',), ('slug', 'handle.md'): look at it?


@dataclass(frozen=True)
class Source:
    """A file to parse: its repository-relative path, its role and its text."""

    path: str
    kind: str  # idea, feedback, customer or roster
    slug: str
    stem: str
    text: str


class _Reader:
    """Walks the ideas folder, reading each file it should, and noting every problem."""

    def __init__(self, root: Path, ideas_dir: Path, max_size: int, max_attachment: int = DEFAULTS.max_attachment_size):
        self.root = root.resolve()
        self.visits: Visits | None = None
        self.ideas_dir = ideas_dir.resolve()
        self.max_size = max_size
        self.max_attachment = max_attachment
        self.sources: list[Source] = []
        self.problems: list[Problem] = []
        self.unreadable: set[str] = set()
        """Slugs of idea files that could not be read: their feedback is not misreported."""
        self.attachments: list[str] = []
        """Publishable images beside ideas, relative to the ideas folder (slug/name.png)."""

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
            size = real.stat().st_size
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

    def add(self, path: Path, kind: str, slug: str, stem: str) -> None:
        text = self.read(path)
        if text is not None:
            self.sources.append(Source(self.relative(path), kind, slug, stem, text))
        elif kind == "idea":
            self.unreadable.add(slug)

    def entries(self, folder: Path) -> list[os.DirEntry]:
        try:
            with os.scandir(folder) as listing:
                return sorted(
                    (e for e in listing if not e.name.startswith((".", "_")) and e.name.lower() not in IGNORED_NAMES),
                    key=lambda e: e.name,
                )
        except OSError as error:
            self.problem(folder, 1, f"folder cannot be read: {error.strerror or error}")
            return []

    def walk(self, ideas_dir: Path) -> None:
        for entry in self.entries(ideas_dir):
            if self.visits is not None and not self.visits((entry.name,)):
                continue
            path = Path(entry.path)
            real = self.target(path)
            if real is None:
                continue
            if real.is_dir():
                self.walk_feedback(path, real)
            elif entry.name == ROSTER_NAME:
                self.add(path, "roster", "", "")
            elif entry.name == CAMPAIGNS_NAME:
                self.add(path, "campaigns", "", "")
            elif entry.name.endswith(".md"):
                self.add(path, "idea", entry.name[:-3], entry.name[:-3])
            else:
                self.problem(
                    path,
                    1,
                    "ignored: only <slug>.md idea files, people.yml and campaigns.yml belong here",
                    Severity.WARNING,
                )

    def walk_feedback(self, folder: Path, real: Path) -> None:
        slug = folder.name
        for entry in self.entries(real):
            if self.visits is not None and not self.visits((slug, entry.name)):
                continue
            path = folder / entry.name
            target = self.target(path)
            if target is None:
                continue
            if target.is_dir() and entry.name == CUSTOMERS_DIR:
                for customer in self.entries(target):
                    customer_path = path / customer.name
                    if customer.name.endswith(".md") and not customer.is_dir():
                        self.add(customer_path, "customer", slug, customer.name[:-3])
                    else:
                        self.problem(
                            customer_path, 1, "ignored: only <customer>.md files belong here", Severity.WARNING
                        )
            elif entry.name.endswith(".md") and not target.is_dir():
                self.add(path, "feedback", slug, entry.name[:-3])
            elif attachments.is_candidate(entry.name) and not target.is_dir():
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


def load(
    root: Path,
    ideas_dir: Path,
    max_size: int = DEFAULTS.max_file_size,
    criteria: tuple[str, ...] = DEFAULTS.criteria,
    scale: int = DEFAULTS.score_scale,
    max_attachment_size: int = DEFAULTS.max_attachment_size,
    adoption: Adoption = NO_ADOPTION,
    visits: Visits | None = None,
) -> Catalog:
    """Read, parse and validate every file under `ideas_dir` (inside `root`; nothing outside it
    is read) into the catalog of valid ideas and feedback, with every problem found, sorted.

    Args:
        max_size: files larger than this many bytes are reported and not read.
        criteria, scale: what reviewers may score in a decision, and the top of the scale.
        visits: only the entries it accepts are looked at (git/scoped.py); None for all.
    """
    reader = _Reader(root, ideas_dir, max_size, max_attachment_size)
    reader.visits = visits
    if ideas_dir.is_dir():
        reader.walk(ideas_dir)
    else:
        what = "is not a folder" if ideas_dir.exists() else "does not exist"
        reader.problem(ideas_dir, 1, f"the ideas folder {what}; create it, or set the ideas_dir option in mkdocs.yml")
    problems = reader.problems
    by_kind: dict[str, list[Source]] = {"roster": [], "campaigns": [], "idea": [], "feedback": [], "customer": []}
    for source in reader.sources:
        by_kind[source.kind].append(source)
    roster = _roster(by_kind["roster"], problems)
    campaigns = _campaigns(by_kind["campaigns"], problems)
    shown = frozenset(reader.attachments)
    ideas, broken, left_out = _ideas(by_kind["idea"], roster, campaigns, criteria, scale, problems, shown, adoption)
    broken |= reader.unreadable
    feedback = _feedback(by_kind["feedback"] + by_kind["customer"], ideas, broken, roster, problems, shown)
    return Catalog(
        ideas=ideas,
        feedback=tuple(feedback),
        roster=roster,
        campaigns=campaigns,
        problems=tuple(sorted(set(problems))),
        left_out=tuple(sorted(set(left_out))),
        attachments=tuple(sorted(name for name in shown if name.split("/")[0] in ideas)),
    )


def examine(
    source: Source,
    roster: dict[str, Person] | None,
    criteria: tuple[str, ...] = DEFAULTS.criteria,
    scale: int = DEFAULTS.score_scale,
    *,
    attachments: frozenset[str] = frozenset(),
    adoption: Adoption = NO_ADOPTION,
) -> tuple[Idea | Feedback | None, list[Problem], frontmatter.Document | None]:
    """Check one idea or feedback file on its own, with every rule `check` applies to it
    (`attachments`: the images beside ideas that its text may show; `adoption`: how an
    existing folder's keys and statuses read).

    Returns:
        The idea or feedback (None if the file has an error), its problems, and the parsed
        document (None if it could not be read).
    """
    text, problems = _clean(source)
    document = _parse(source, problems, text)
    if document is None:
        return None, problems, None
    item: Idea | Feedback | None
    if source.kind == "idea":
        images = markup.Images(attachments=attachments)
        item, found = validate.idea(source.path, source.slug, document, roster, criteria, scale, images, adoption)
        found += drafts.unfilled(source.path, document.body, document.body_line)
    else:
        customer = source.kind == "customer"
        images = markup.Images(folder=source.slug, attachments=attachments)
        item, found = validate.feedback(
            source.path, source.slug, source.stem, document, roster, customer=customer, images=images
        )
    failed = any(problem.severity is Severity.ERROR for problem in problems)
    return (None if failed else item), problems + found, document


def _clean(source: Source) -> tuple[str, list[Problem]]:
    """The text to parse, and a problem for each line holding a character that must not be
    published. In front matter they are errors (a title or a handle is no place for them);
    in the text they are warnings and are left out, so they never reach a page or a feed."""
    unsafe = characters.problems(source.text)
    if not unsafe:
        return source.text, []
    blanked = characters.blank(source.text)
    try:
        body_line = frontmatter.sections(blanked)[4]
    except frontmatter.FrontMatterError:
        return blanked, [Problem(source.path, line, Severity.ERROR, message) for line, message in unsafe]
    lines = frontmatter.lines_of(source.text)
    head, body = "".join(lines[: body_line - 1]), "".join(lines[body_line - 1 :])
    problems = [
        Problem(source.path, line, Severity.ERROR, message)
        if line < body_line
        else Problem(source.path, line, Severity.WARNING, message.replace("; remove it", "; it is left out"))
        for line, message in unsafe
    ]
    return characters.blank(head) + characters.strip(body), problems


def _registers(source: Source, problems: list[Problem], *, what: str) -> tuple | None:
    """The parsed nodes of people.yml or campaigns.yml, or None (with the problem) if unreadable."""
    unsafe = characters.problems(source.text)
    try:
        if not unsafe:
            return frontmatter.parse_yaml(source.text)
    except frontmatter.FrontMatterError as error:
        unsafe = [(error.line, error.message)]
    problems.extend(Problem(source.path, line, Severity.ERROR, f"{message}; {what}") for line, message in unsafe)
    return None


def _roster(sources: list[Source], problems: list[Problem]) -> dict[str, Person] | None:
    roster = None
    for source in sources:
        parsed = _registers(source, problems, what="the roster is not used")
        if parsed is not None:
            roster, found = registers.roster(source.path, *parsed)
            problems.extend(found)
    return roster


def _campaigns(sources: list[Source], problems: list[Problem]) -> dict[str, Campaign] | None:
    campaigns: dict[str, Campaign] | None = None
    for source in sources:
        parsed = _registers(source, problems, what="no campaign is defined until it is fixed")
        if parsed is None:
            campaigns = {}
            continue
        campaigns, found = registers.campaigns(source.path, *parsed)
        problems.extend(found)
    return campaigns


def _ideas(
    sources: list[Source],
    roster: dict[str, Person] | None,
    campaigns: dict[str, Campaign] | None,
    criteria: tuple[str, ...],
    scale: int,
    problems: list[Problem],
    attachments: frozenset[str],
    adoption: Adoption,
) -> tuple[dict[str, Idea], set[str], list[str]]:
    """The valid ideas, the slugs of broken ones, and the paths left out of the site."""
    ideas: dict[str, Idea] = {}
    campaign_lines: dict[str, int] = {}
    duplicate_lines: dict[str, int] = {}
    broken: set[str] = set()
    left_out: list[str] = []
    for source in sources:
        item, found, document = examine(source, roster, criteria, scale, attachments=attachments, adoption=adoption)
        problems.extend(found)
        if document is not None:
            duplicate_lines[source.slug] = document.key_lines.get("duplicate-of", 1)
            campaign_lines[source.slug] = document.key_lines.get("campaign", 1)
        if isinstance(item, Idea):
            ideas[item.slug] = item
        else:
            broken.add(source.slug)
            left_out.append(source.path)
    cross = validate.cross_check(ideas, broken, duplicate_lines)
    cross += validate.unknown_campaigns(ideas, campaigns, campaign_lines)
    problems.extend(cross)
    failing = {problem.path for problem in cross}
    ideas = {slug: item for slug, item in ideas.items() if item.path not in failing}
    left_out.extend(failing)
    return ideas, broken, left_out


def _feedback(
    sources: list[Source],
    ideas: dict[str, Idea],
    broken: set[str],
    roster: dict[str, Person] | None,
    problems: list[Problem],
    attachments: frozenset[str],
) -> list[Feedback]:
    feedback: list[Feedback] = []
    for source in sources:
        if source.slug not in ideas and source.slug not in broken:
            problems.append(
                Problem(
                    source.path,
                    1,
                    Severity.ERROR,
                    f"feedback for an idea that does not exist: there is no ideas/{source.slug}.md "
                    "(check the folder name against the idea's file name)",
                )
            )
            continue
        given, found, _ = examine(source, roster, attachments=attachments)
        problems.extend(found)
        if isinstance(given, Feedback) and given.idea in ideas:
            feedback.append(given)
    return feedback


def _parse(source: Source, problems: list[Problem], text: str) -> frontmatter.Document | None:
    try:
        return frontmatter.parse(text)
    except frontmatter.FrontMatterError as error:
        problems.append(Problem(source.path, error.line, Severity.ERROR, error.message))
        return None
