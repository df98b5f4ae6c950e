"""A proposal from the "Propose an idea" form: a branch with the idea file, authored by the person.

The idea is not committed to the default branch: the workflow opens a pull request from
the branch, so that the discussion of a new idea happens where every other change to
the ideas is discussed.
"""

from __future__ import annotations

from bubbleup.core import drafts, markup
from bubbleup.core.config import Settings
from bubbleup.core.frontmatter import render_value
from bubbleup.core.markup import escape_markdown
from bubbleup.core.model import SLUG_MAX, SLUG_PATTERN, BubbleupError, Catalog, Person
from bubbleup.git.commit import Identity, branches, commit_files
from bubbleup.write.intake_rules import RECORDED, Event, Outcome, author_of, checked_text, trailers_for
from bubbleup.write.participate import verify

BRANCH_PREFIX = "idea/"


def _tags(text: str) -> list[str]:
    tags = [tag.strip().lower().lstrip("#") for tag in text.replace("\n", ",").split(",")]
    tags = [tag for tag in dict.fromkeys(tags) if tag]
    for tag in tags:
        if not SLUG_PATTERN.match(tag) or len(tag) > SLUG_MAX:
            raise BubbleupError(
                f"the tag “{escape_markdown(tag[:40])}” is not lower-case words joined by hyphens, such as customer-service"
            )
    return tags


def idea_file(title: str, handle: str, problem: str, proposal: str, tags: list[str]) -> str:
    """The idea file a proposal becomes: front matter, then the two sections the form asked for."""
    front = render_value("title", title) + render_value("authors", [handle]) + "status: proposed\n"
    if tags:
        front += render_value("tags", tags)
    body = f"## Problem\n\n{problem or 'Not said yet.'}\n\n## Proposal\n\n{proposal or 'Not said yet.'}\n"
    return f"---\n{front}---\n{body}"


def propose(
    settings: Settings, catalog: Catalog, event: Event, person: Person, answers: dict[str, str], committer: Identity
) -> Outcome:
    """Commit the new idea on a branch of its own, starting at the current commit."""
    title = " ".join(answers["title"].split())
    if not title:
        raise BubbleupError("the idea has no title; say what it is in one line")
    if markup.has_html(title) or any(ord(char) < 32 for char in title):
        raise BubbleupError("the title cannot hold HTML or control characters")
    problem = checked_text(answers["problem"], "problem")
    proposal = checked_text(answers["proposal"], "proposal")
    tags = _tags(answers["tags"])
    ideas = settings.ideas_dir
    taken = {p.stem if p.suffix == ".md" else p.name for p in ideas.iterdir()} if ideas.is_dir() else set()
    taken |= {name.removeprefix(BRANCH_PREFIX) for name in branches(settings.root, BRANCH_PREFIX)}
    slug = drafts.unique_slug(title, taken)
    content = idea_file(title, person.handle, problem, proposal, tags)
    if len(content.encode("utf-8")) > settings.options.max_file_size:
        raise BubbleupError(f"the idea is longer than {settings.options.max_file_size} bytes; shorten it")
    branch = BRANCH_PREFIX + slug
    path = ideas / f"{slug}.md"
    options = settings.options
    relative = path.relative_to(settings.root).as_posix()
    verify(relative, "idea", slug, content, catalog.roster, options.criteria, options.score_scale)
    commit = commit_files(
        settings.root,
        {path: content.encode("utf-8")},
        f"Propose an idea: {title}",
        branch=branch,
        base="HEAD",
        author=author_of(person, event),
        committer=committer,
        trailers=trailers_for(event),
    )
    return Outcome(
        RECORDED,
        f"@{event.login}, thank you: your idea “{escape_markdown(title)}” is written as `{relative}` "
        f"on the branch `{branch}` (commit {commit[:10]}), as {escape_markdown(person.name)}. "
        "A pull request follows, where colleagues can discuss it before it is published.",
        path=relative,
        commit=commit,
        branch=branch,
        title=title,
    )
