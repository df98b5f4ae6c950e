"""What a pull request changes, for the people who review it.

`scope` narrows check's problems to the files a pull request changed and what depends on
them; `summary` writes the Markdown that the pull request job puts in its summary: each
idea added or changed with its possible duplicates, each vote with whether its commit
was made by the voter, and each status change with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bubbleup.core import frontmatter
from bubbleup.core.config import Settings
from bubbleup.core.markup import escape_markdown
from bubbleup.core.model import Catalog, Idea, Problem, Severity, Status
from bubbleup.core.similarity import Match, similar
from bubbleup.core.workflow import TRANSITIONS
from bubbleup.git import history, review_people, runner, scoped
from bubbleup.git.scoped import slug_of as _slug_of
from bubbleup.git.snapshot import Snapshot


def scope(
    problems: Iterable[Problem], changed: Iterable[str], catalog: Catalog, ideas: str, config: str = "mkdocs.yml"
) -> list[Problem]:
    """The problems in changed files, or in files that depend on them.

    An idea's feedback and its duplicates depend on the idea; everything depends on the
    roster, the campaigns and the site configuration.
    """
    changed = set(changed)
    if scoped.needs_everything(changed, ideas, config):
        return list(problems)
    slugs = {slug for path in changed if (slug := _slug_of(path, ideas))}
    slugs |= {idea.slug for idea in catalog.ideas.values() if idea.duplicate_of in slugs}
    return [p for p in problems if p.path in changed or _slug_of(p.path, ideas) in slugs]


@dataclass(frozen=True)
class _Before:
    """A file's front matter at the base of the pull request (empty if it was added)."""

    fields: dict[str, frontmatter.Node]
    body: str | None = None
    existed: bool = False

    @classmethod
    def read(cls, root: Path, base: str, path: str) -> _Before:
        text = runner.file_at(root, base, path)
        if text is None:
            return cls({})
        try:
            document = frontmatter.parse(text)
        except frontmatter.FrontMatterError:
            return cls({}, None, True)
        return cls(document.fields, document.body, True)

    def get(self, key: str, default: str) -> str:
        node = self.fields.get(key)
        return str(node.value) if node is not None and node.kind == "str" else default


def _authors(catalog: Catalog, entry: history.FileHistory | None) -> list[tuple[str, str | None]]:
    """(who as written in the commit, their handle if the roster knows the email)."""
    if entry is None:
        return []
    people = [(f"{name} <{email}>", catalog.person_with_email(email)) for name, email in entry.authors]
    return [(written, person.handle if person else None) for written, person in people]


def _verdict(voter: str, authors: list[tuple[str, str | None]], pr_author: str | None) -> str:
    if pr_author is not None:
        return "yes" if pr_author == voter else f"**no**: the pull request is by {escape_markdown(pr_author)}"
    if not authors:
        return "unknown (not committed)"
    others = [written for written, handle in authors if handle != voter]
    if not others:
        return "yes"
    return "**no**: committed by " + ", ".join(escape_markdown(o) for o in others)


@dataclass(frozen=True)
class Review:
    """A pull request's summary, whether it may merge itself, and whom to tell about status changes."""

    markdown: str
    ready: bool = False
    """Only its author's own vote files change, and check finds no error in them."""
    notify: str = ""
    """A comment that @-mentions the authors and voters of ideas whose status changes."""


def summary(root: Path, ideas_dir: Path, catalog: Catalog, base_ref: str, pr_author: str | None = None) -> str:
    """The Markdown summary of a pull request compared with `base_ref` (see `assess`)."""
    return assess(root, ideas_dir, catalog, base_ref, pr_author).markdown


def pull_request(
    settings: Settings, base_ref: str, pr_author: str | None = None, login: str | None = None
) -> tuple[Snapshot, Review]:
    """Review a pull request from the files it changes and what they depend on.

    Only those are loaded and only their history read (git/scoped.py), and each new idea is
    compared with every other idea's title and text (git/review_similar.py); a change to the
    roster, the campaigns or the configuration loads everything.
    """
    from bubbleup.git.review_similar import Candidates
    from bubbleup.git.snapshot import snapshot

    base = runner.merge_base(settings.root, base_ref)
    changed = set(runner.changed_since(settings.root, base, worktree=False))
    ideas = settings.ideas_dir.relative_to(settings.root).as_posix()
    config = settings.config_file.name if settings.config_file else "mkdocs.yml"
    if scoped.needs_everything(changed, ideas, config):
        state = snapshot(settings)
        result = assess(settings.root, settings.ideas_dir, state.catalog, base_ref, pr_author, login)
    else:
        state = scoped.snapshot(settings, changed, base)
        queries = [idea for idea in state.catalog.ideas.values() if idea.path in changed]
        likeness = Candidates(settings, queries).similar
        result = assess(settings.root, settings.ideas_dir, state.catalog, base_ref, pr_author, login, likeness)
    return state, result


def assess(
    root: Path,
    ideas_dir: Path,
    catalog: Catalog,
    base_ref: str,
    pr_author: str | None = None,
    login: str | None = None,
    likeness: Callable[[Idea], list[Match]] | None = None,
) -> Review:
    """Review a pull request compared with `base_ref`.

    Args:
        pr_author: the pull request author's handle, if known; otherwise each change is
            judged by the authors of the commits that made it.
        login: the pull request author's login on the host; it is mapped to a handle
            through the roster of the base branch (and wins over `pr_author`).
        likeness: finds the ideas most like an idea (default: among `catalog`'s ideas).
    """
    base = runner.merge_base(root, base_ref)
    changes = history.read(root, ideas_dir, since=base).files
    ideas = ideas_dir.resolve().relative_to(root.resolve()).as_posix()
    roster = review_people.base_roster(root, base, ideas)
    if login is not None:
        pr_author = review_people.handle_of_login(roster, login) or f"{login} (a login not in the roster)"
    attention = review_people.Attention()
    lines = [f"## Bubbleup review\n\nCompared with `{escape_markdown(base_ref)}` (merge base `{base[:10]}`).\n"]
    depth = ideas.count("/") + 1
    markdown = [p for p in changes if p.endswith(".md") and _slug_of(p, ideas)]
    idea_paths = sorted(p for p in markdown if p.count("/") == depth)
    vote_paths = sorted(p for p in markdown if p.count("/") > depth)
    problems = scope(catalog.problems, changes, catalog, ideas)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    lines.append(
        f"Changed: {len(idea_paths)} idea file(s) and {len(vote_paths)} feedback file(s); "
        f"{len(errors)} error(s) and {len(problems) - len(errors)} warning(s) in them (see the check's annotations).\n"
    )
    deleted = review_people.deleted_paths(root, base, ideas)
    attention.deleted = [f"`{path}`" for path in deleted]
    if f"{ideas}/people.yml" in deleted:
        attention.roster = ["deletes people.yml: without a roster any handle may vote and no identity is checked"]
    elif f"{ideas}/people.yml" in changes:
        attention.roster = review_people.roster_changes(roster, catalog.roster)
    notify: list[str] = []
    if likeness is None:
        likeness = partial(_alike, catalog)
    sections = _ideas_section(root, base, catalog, idea_paths, ideas, changes, pr_author, (roster, notify), likeness)
    sections += _votes_section(root, base, catalog, vote_paths, ideas, changes, pr_author, attention)
    lines += attention.lines() + sections
    own = {f"{ideas}/{path.split('/')[depth]}/{pr_author}.md" for path in vote_paths if pr_author}
    everything = runner.changed_since(root, base, worktree=False)
    ready = bool(everything) and not errors and not deleted and all(path in own for path in everything)
    return Review("\n".join(lines) + "\n", ready, "\n".join(notify))


def _same_text(before: str | None, now: str) -> bool:
    """Whether the text is the one at the base, line ends aside: a checkout with
    `core.autocrlf` (Git for Windows' default) has CRLF where the base's blob has LF, and a
    file may use either (a lone CR is never accepted, core/characters.py)."""
    return before is not None and before.replace("\r\n", "\n") == now.replace("\r\n", "\n")


def _alike(catalog: Catalog, idea: Idea) -> list[Match]:
    return similar(idea.title, idea.text, [i for i in catalog.ideas.values() if i.slug != idea.slug])


def _ideas_section(root, base, catalog, paths, ideas, changes, pr_author, telling, likeness) -> list[str]:
    by_path = {idea.path: idea for idea in catalog.ideas.values()}
    lines = ["### Ideas\n"] if paths else []
    decisions = []
    for path in paths:
        idea = by_path.get(path)
        before = _Before.read(root, base, path)
        if idea is None:
            state = "removed" if not (root / path).exists() else "has errors, so it will not be published"
            lines.append(f"- `{path}` {state}.\n")
            continue
        new = not before.existed
        lines.append(f"#### {escape_markdown(idea.title)} ({'new' if new else 'changed'})\n")
        tags = ", ".join(idea.tags) or "none"
        lines.append(
            f"`{path}` · status {idea.status.value} · by {', '.join(idea.authors)} · tags: {escape_markdown(tags)}\n"
        )
        if not new and _same_text(before.body, idea.text) and before.get("title", "") == idea.title:
            lines.append("Only its front matter changed.\n")
        else:
            quoted = "\n".join("> " + line for line in idea.text.strip().splitlines()[:30])
            lines.append(f"<details><summary>Text</summary>\n\n{quoted}\n\n</details>\n")
        matches = likeness(idea) if new or before.get("title", "") != idea.title else []
        if matches:
            lines.append("Possible duplicates:\n\n| Score | Idea |\n|--:|---|")
            lines += [f"| {m.score:.2f} | {escape_markdown(m.idea.title)} (`{m.idea.slug}`) |" for m in matches]
            lines.append("")
        old = before.get("status", Status.PROPOSED.value)
        if not new and old != idea.status.value:
            decisions.append((idea, old, _authors(catalog, changes.get(path))))
    if decisions:
        lines.append("### Decisions\n")
        for idea, old, authors in decisions:
            allowed = [s.value for s in TRANSITIONS.get(Status(old), ())] if old in {s.value for s in Status} else []
            flag = (
                ""
                if idea.status.value in allowed
                else f" **Not a move the workflow allows** (from {old}: {', '.join(allowed) or 'none'})."
            )
            decision = idea.decision
            who = (
                f" by {decision.by} on {decision.date}: {escape_markdown(decision.reason.rstrip('.'))}"
                if decision
                else ""
            )
            lines.append(f"- **{escape_markdown(idea.title)}**: {old} → {idea.status.value}{who}.{flag}")
            cc = review_people.mentions(catalog, telling[0], idea)
            if cc:
                lines.append(f"  {cc}")
                telling[1].append(f"**{escape_markdown(idea.title)}**: {old} → {idea.status.value}. {cc}")
            if decision and pr_author is None and authors and all(handle != decision.by for _, handle in authors):
                lines.append(
                    f"  Recorded in commits by {', '.join(escape_markdown(w) for w, _ in authors)}, not by {decision.by}."
                )
        lines.append("")
    return lines


def _votes_section(root, base, catalog, paths, ideas, changes, pr_author, attention=None) -> list[str]:
    if not paths:
        return []
    lines = ["### Votes and feedback\n", "| Idea | Voter | Vote | By the voter? |", "|---|---|---|---|"]
    recorded = {f.path: f for f in catalog.feedback}
    for path in paths:
        parts = path[len(ideas) + 1 :].split("/")
        slug, stem = parts[0], Path(parts[-1]).stem
        customer = len(parts) == 3 and parts[1] == "customers"
        before = _Before.read(root, base, path)
        old = before.get("vote", "none") if before.fields else "—"
        item = recorded.get(path)
        if item is not None:
            now = item.vote.value
        elif (root / path).exists():
            now = "has errors"
        else:
            now = "removed"
        voter = (item.handle if item else before.get("recorded-by", "?")) if customer else stem
        who = f"{stem} (customer, recorded by {voter})" if customer else stem
        verdict = _verdict(voter, _authors(catalog, changes.get(path)), pr_author)
        lines.append(f"| `{slug}` | {escape_markdown(who)} | {old} → {now} | {verdict} |")
        if attention is not None and verdict.startswith("**no**"):
            attention.for_someone_else.append(f"`{path}` ({escape_markdown(who)}): {verdict.removeprefix('**no**: ')}")
    lines.append("")
    return lines
