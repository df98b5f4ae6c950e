"""The pull request check, scoped to the files a pull request changes and what depends on them.

A full check reads every file under ideas/ and the whole Git history: over a minute at
10,000 ideas and 50,000 commits. `check --changed-since` and `review` report only the
problems of the changed files and of the files that depend on them (`review.scope`), so
they load only what those problems depend on:

- each changed path's idea with its whole folder (feedback, customers' voices, images);
- the ideas that are duplicates of a changed idea, with their folders: `scope` reports
  them too. They are found with `git grep duplicate-of` over the idea files (tracked files
  as they are in the working tree, plus symbolic links; the pull request's untracked
  files are changed files, loaded anyway), then their front matter;
- the idea file that each loaded idea is a duplicate of: `validate.cross_check` needs to
  know that it exists and whether it is a duplicate itself;
- the roster and the campaigns, always: every file is checked against them;
- the images of any folder a loaded text names (a text may show another idea's image);
- with a `vote_budget`, every vote file of each voter in a loaded folder (found by listing
  the folders) and those votes' ideas: the budget counts a voter's open votes everywhere.

Git history is read for those paths only (`history.read(paths=...)`). Then the same rules
run as in the full check (`snapshot.assemble`), on the smaller catalog. A change to
people.yml, campaigns.yml or the site configuration concerns every file: then nothing can
be left out and the caller loads everything (`needs_everything`).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from bubbleup.core import attachments, frontmatter, loader
from bubbleup.core.adoption import Adoption
from bubbleup.core.config import Settings
from bubbleup.core.model import Catalog
from bubbleup.git import history, runner
from bubbleup.git.parse_cache import ParseCache
from bubbleup.git.snapshot import Snapshot, assemble, load_catalog

EVERYTHING = (loader.ROSTER_NAME, loader.CAMPAIGNS_NAME)
"""Files under ideas/ that every other file is checked against."""

_PATH_SEPARATORS = re.compile(r"[\s()\[\]<>\"'`]+")
"""What ends a path in a text: white space, brackets, angle brackets, quotes, backticks."""


def path_tokens(text: str) -> list[str]:
    """The words of a text (runs between separators) that hold a '/' after their first
    character: the paths a text may name, such as `other-idea/diagram.png`.

    Splitting first keeps this linear in the text's length. A single pattern such as
    `[^sep]+/[^sep]*`, searched for, retries from every character of a long word without a
    '/', which is quadratic: one 200 kB line (well under max_file_size) in a pull request
    kept `check --changed-since` and `review` busy for minutes.
    """
    return [word for word in _PATH_SEPARATORS.split(text) if "/" in word[1:]]


def slug_of(path: str, ideas: str) -> str | None:
    """The idea a path belongs to: ideas/<slug>.md and everything in ideas/<slug>/."""
    if not path.startswith(ideas + "/"):
        return None
    first = path[len(ideas) + 1 :].split("/")[0]
    return first[:-3] if first.endswith(".md") else first


def needs_everything(changed: set[str], ideas: str, config: str) -> bool:
    """Whether a change concerns every file: the site configuration, the roster or the campaigns."""
    return config in changed or any(f"{ideas}/{name}" in changed for name in EVERYTHING)


@dataclass
class Selection:
    """What a scoped check reads, by name under the ideas folder."""

    folders: set[str] = field(default_factory=set)
    """Slugs read whole: the idea file and everything in its folder."""
    idea_files: set[str] = field(default_factory=set)
    """Slugs whose idea file alone is read."""
    files: dict[str, set[str]] = field(default_factory=dict)
    """Single files read in other folders (a voter's other votes), by slug."""
    images: set[str] = field(default_factory=set)
    """Folders whose images are listed (a loaded text may show them)."""

    def visits(self, parts: tuple[str, ...]) -> bool:
        """The `loader.Visits` of this selection."""
        name = parts[-1]
        if len(parts) == 1:
            if name in EVERYTHING or name in self.folders or name in self.files or name in self.images:
                return True
            return name.endswith(".md") and (name[:-3] in self.folders or name[:-3] in self.idea_files)
        slug = parts[0]
        if slug in self.folders:
            return True
        return name in self.files.get(slug, ()) or (slug in self.images and attachments.is_candidate(name))

    def paths(self, ideas: str) -> list[str]:
        """The pathspecs of the files whose history the check needs."""
        found = {f"{ideas}/{slug}.md" for slug in self.folders | self.idea_files}
        found |= {f"{ideas}/{slug}/" for slug in self.folders}
        found |= {f"{ideas}/{slug}/{name}" for slug, names in self.files.items() for name in names}
        return sorted(found)


def _text(ideas_dir: Path, path: Path) -> str | None:
    """A file's text for a first look (None if missing, too odd, or a link out of the folder)."""
    try:
        real = path.resolve(strict=True)
        if not real.is_relative_to(ideas_dir) or not real.is_file() or real.stat().st_size > 10_000_000:
            return None
        return real.read_bytes().decode("utf-8", "replace")
    except (OSError, RuntimeError):
        return None


def duplicate_target(ideas_dir: Path, slug: str, adoption: Adoption) -> str | None:
    """The `duplicate-of` an idea file names, read from its front matter alone (None if none)."""
    text = _text(ideas_dir, ideas_dir / f"{slug}.md")
    if text is None:
        return None
    try:
        fields, _ = adoption.rename(frontmatter.parse(text.removeprefix("\ufeff")).fields)
    except frontmatter.FrontMatterError:
        return None
    node = fields.get("duplicate-of")
    return str(node.value).strip() if node is not None and node.kind == "str" else None


def _naming_duplicates(root: Path, ideas_dir: Path, ideas: str, adoption: Adoption) -> set[str]:
    """Slugs of idea files that may name a duplicate-of: those that `git grep` finds the key
    in (or a key the key_map reads as it), and symbolic links, which git grep does not follow."""
    keys = ["duplicate-of", *(theirs for theirs, ours in adoption.keys if ours == "duplicate-of")]
    patterns = [argument for key in keys for argument in ("-e", key)]
    command = ["git", "-C", str(root), "grep", "-l", "-z", "-i", "-F", *patterns, "--", f":(glob){ideas}/*.md"]
    output = subprocess.run(command, capture_output=True, text=True).stdout
    found = {slug for path in output.split("\0") if (slug := slug_of(path, ideas))}
    with os.scandir(ideas_dir) as listing:
        found |= {entry.name[:-3] for entry in listing if entry.name.endswith(".md") and entry.is_symlink()}
    return found


def _named_folders(ideas_dir: Path, selection: Selection) -> set[str]:
    """Every path segment that the loaded texts name: the folders whose images they may show."""
    found: set[str] = set()
    texts = [_text(ideas_dir, ideas_dir / f"{slug}.md") for slug in selection.folders | selection.idea_files]
    for slug in selection.folders:
        folder = ideas_dir / slug
        for path in folder.rglob("*.md") if folder.is_dir() else ():
            texts.append(_text(ideas_dir, path))
    for text in texts:
        for token in path_tokens(html.unescape(unquote(text or ""))):
            found.update(token.split("/"))
    return found


def _voters_elsewhere(ideas_dir: Path, selection: Selection) -> dict[str, set[str]]:
    """For a vote budget: every vote file, in any folder, of the voters in the loaded folders."""
    voters = set()
    for slug in selection.folders:
        folder = ideas_dir / slug
        voters |= {path.name for path in folder.glob("*.md")} if folder.is_dir() else set()
    found: dict[str, set[str]] = {}
    with os.scandir(ideas_dir) as listing:
        for entry in listing:
            if entry.is_dir() and entry.name not in selection.folders:
                with os.scandir(entry.path) as votes:
                    names = {vote.name for vote in votes if vote.name in voters}
                if names:
                    found[entry.name] = names
    return found


def select(settings: Settings, changed: set[str]) -> Selection:
    """What the problems of the changed files depend on (see the module's docstring)."""
    options = settings.options
    adoption = Adoption(options.status_map, options.key_map, options.extra_keys)
    ideas_dir = settings.ideas_dir.resolve()
    ideas = settings.ideas_dir.relative_to(settings.root).as_posix()
    selection = Selection()
    selection.folders = {slug for path in changed if (slug := slug_of(path, ideas))}
    for slug in _naming_duplicates(settings.root, ideas_dir, ideas, adoption) - selection.folders:
        if duplicate_target(ideas_dir, slug, adoption) in selection.folders:
            selection.folders.add(slug)
    if options.vote_budget > 0:
        selection.files = _voters_elsewhere(ideas_dir, selection)
        selection.idea_files = set(selection.files)
    for slug in selection.folders | selection.idea_files:
        target = duplicate_target(ideas_dir, slug, adoption)
        if target and "/" not in target:
            selection.idea_files.add(target)
    selection.images = _named_folders(ideas_dir, selection)
    return selection


def dated(settings: Settings, catalog: Catalog, selection: Selection) -> list[str]:
    """The loaded files whose problems depend on dates from Git: an idea in a campaign without
    a `created:` date (the campaign's window), with a vote budget every vote (the newest votes
    are over it), and with overdue warnings everything (when an idea crossed the threshold).
    The other rules read no history, so a check of the default settings often reads none."""
    options = settings.options
    ideas = settings.ideas_dir.relative_to(settings.root).as_posix()
    if options.overdue_warnings:
        return selection.paths(ideas)
    campaigns = catalog.campaigns or {}
    found = [idea.path for idea in catalog.ideas.values() if idea.campaign in campaigns and idea.created is None]
    if options.vote_budget > 0:
        found += [item.path for item in catalog.feedback if not item.customer]
    return sorted(found)


def _history(settings: Settings, paths: list[str], base: str, deleted: list[str]) -> history.History:
    """The history of `paths`: for those the pull request adds, only its own commits (a walk
    of a few commits); for the others every commit that touched them (a walk of the whole
    history, limited to those paths).

    When the pull request also deletes files, what it adds may be one of them renamed (Git
    pairs a deleted and an added file that are alike), and the full history dates a renamed
    file from its old name's first commit. So then the added files are read in the long
    walk too, beside the deleted ones, for Git to pair them as it does in the full walk."""
    root, folder, patterns = settings.root, settings.ideas_dir, settings.options.pull_request_patterns
    if not paths:
        return history.read(root, folder, patterns, paths=[])
    listed = runner.run(root, "ls-tree", "-r", "--name-only", "-z", base, "--", *paths).stdout.split("\0")
    existing = [path for path in paths if any(name == path or name.startswith(path) for name in listed if name)]
    added = [path for path in paths if path not in existing]
    if deleted and added:
        existing, added = existing + added + [path for path in deleted if path not in paths], []
    old = history.read(root, folder, patterns, paths=existing)
    new = history.read(root, folder, patterns, since=base, paths=added)
    files = {**new.files, **old.files}
    return history.History(files, old.warning, old.shallow, old.commits_read + new.commits_read)


def no_cache(settings: Settings) -> ParseCache:
    """No parse cache for a scoped load: listing the blob ids of every file in the ideas
    folder (what the cache is keyed by) costs more than checking the few files read."""
    return ParseCache(settings.root, settings.ideas_dir, None)


def snapshot(settings: Settings, changed: set[str], base: str, now: datetime | None = None) -> Snapshot:
    """The snapshot of what the changed files' problems depend on, dated from Git only where
    a rule needs dates (see `dated`)."""
    selection = select(settings, changed)
    catalog = load_catalog(settings, selection.visits, no_cache(settings))
    deleted = sorted(path for path in changed if not (settings.root / path).exists())
    return assemble(settings, catalog, _history(settings, dated(settings, catalog, selection), base, deleted), now)
