"""The rules intake shares with `bubbleup vote`: who is acting, and whether an idea takes votes.

Each refusal is a sentence for the person who opened the issue: what went wrong and
what to do instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bubbleup.core import markup
from bubbleup.core.config import Settings
from bubbleup.core.markup import escape_markdown
from bubbleup.core.model import HANDLE_PATTERN, SLUG_MAX, SLUG_PATTERN, BubbleupError, Catalog, Person, Status
from bubbleup.git.commit import TRAILER_LOGIN, TRAILER_SOURCE, Identity

RECORDED, REFUSED, IGNORED = "recorded", "refused", "ignored"


@dataclass(frozen=True)
class Event:
    """What intake needs from an `issues` event; every field already checked for its type."""

    action: str
    number: int
    url: str
    login: str
    body: str
    repository: str = ""
    sender: str = ""
    """Who triggered the event (sender.login): for `opened`, the author, unless the issue was transferred."""
    transferred: bool = False
    """The issue was moved here from another repository (`changes.old_repository` in an `opened` event)."""


@dataclass(frozen=True)
class Outcome:
    """What intake did: recorded, refused or ignored, the reply to post, and what it made."""

    status: str
    reply: str
    path: str | None = None
    commit: str | None = None
    branch: str | None = None
    title: str | None = None


CLOSED = (Status.DECLINED, Status.DONE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def person_for(catalog: Catalog, event: Event) -> Person | str:
    """The roster entry of the issue's author, or a refusal that says how to join the roster."""
    if catalog.roster is None:
        handle = event.login.lower()
        if not HANDLE_PATTERN.match(handle):
            return f"@{event.login}, your login cannot be used as a handle; ask an administrator to add you to ideas/people.yml."
        return Person(handle=handle, name=event.login)
    person = catalog.person_with_login(event.login)
    if person is None:
        return (
            f"@{event.login}, nothing was recorded: your login is not in the roster yet, so Bubbleup cannot tell "
            "who you are. Ask an administrator to add `github: "
            f"{event.login}` to your entry in `ideas/people.yml` (or propose that change in a pull request), "
            "then open the form again."
        )
    return person


def idea_slug(text: str) -> str:
    """An idea's slug from what was typed: the slug itself, or the address of its page."""
    value = text.strip().strip("`").strip()
    if "://" in value or value.startswith("ideas/"):
        path = urlsplit(value).path if "://" in value else value
        parts = [part for part in path.split("/") if part and part != "index.html"]
        value = parts[-1] if parts else ""
    return value.removesuffix(".md").lower()


def page_url(settings: Settings, slug: str) -> str | None:
    """The idea's page on the published site, when site_url is set."""
    if not settings.site_url:
        return None
    pages = settings.pages_dir.relative_to(settings.docs_dir).as_posix()
    return f"{settings.site_url.rstrip('/')}/{pages}/{slug}/"


def closed_reason(settings: Settings, catalog: Catalog, slug: str, typed: str) -> str | None:
    """Why an idea takes no vote (no such idea, broken, declined, done, a duplicate), or None."""
    if not slug or len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        return (
            f"“{escape_markdown(typed[:80])}” is not the short name of an idea; copy it from the idea's web "
            "address (ideas/<name>/), or use the buttons on the idea's page."
        )
    idea = catalog.ideas.get(slug)
    if idea is None:
        broken = (settings.ideas_dir / f"{slug}.md").is_file()
        return (
            f"the idea `{slug}` has errors, so it takes no votes until they are fixed."
            if broken
            else f"there is no idea `{slug}`; check its short name in its web address."
        )
    if idea.status in CLOSED:
        decision = idea.decision
        why = f" on {decision.date}: {escape_markdown(decision.reason)}" if decision else "."
        return f"“{escape_markdown(idea.title)}” is {idea.status.value}{why} It takes no more votes."
    if idea.status is Status.DUPLICATE:
        original = catalog.ideas.get(idea.duplicate_of or "")
        if original is None:
            return f"“{escape_markdown(idea.title)}” is a duplicate; vote on the idea it duplicates."
        link = page_url(settings, original.slug)
        name = f"[{escape_markdown(original.title)}]({link})" if link else f"`{original.slug}`"
        return (
            f"“{escape_markdown(idea.title)}” is a duplicate of {name}, where its votes count; "
            f"vote there instead (idea `{original.slug}`)."
        )
    return None


def checked_text(text: str, what: str) -> str:
    """Feedback or a proposal's text as it will be written, or a refusal naming what check would reject.

    Raises:
        BubbleupError: control characters, raw HTML or unsafe links, which `check` would
            report and the site would drop.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    found = _CONTROL.search(text)
    if found:
        raise BubbleupError(f"the {what} holds an invisible control character ({found.group()!r}); remove it")
    problems = markup.scan(text)
    if problems:
        raise BubbleupError(f"the {what} cannot be published as written: {problems[0][1]}")
    return text


def author_of(person: Person, event: Event) -> Identity:
    """The person as a commit author: roster name and first email (the host's no-reply address without one)."""
    host = urlsplit(event.url).hostname or "github.com"
    email = person.emails[0] if person.emails else f"{event.login}@users.noreply.{host}"
    return Identity(" ".join(person.name.split()) or person.handle, email)


def trailers_for(event: Event) -> list[tuple[str, str]]:
    return [(TRAILER_LOGIN, event.login), (TRAILER_SOURCE, event.url or f"#{event.number}")]
