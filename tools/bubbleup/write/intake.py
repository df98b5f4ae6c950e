"""Taking part through the Git host: an issue form becomes a vote, a customer's voice or a proposal.

The host vouches for one thing: the login of the person who opened the issue. Intake
maps that login to a handle through the roster (`github:`), applies the rules of
`bubbleup vote`, writes the file and commits it as that person (the automation is the
committer; trailers name the login and the issue), then says what to reply. A refusal
writes nothing and says what to do instead.

Nothing in the event is trusted to have the shape GitHub gives it: every value is read
with its type checked, and whatever the event holds, the outcome is a reply, never a
traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from bubbleup.core import drafts
from bubbleup.core.atomic import write_atomic
from bubbleup.core.config import Settings
from bubbleup.core.loader import CUSTOMERS_DIR
from bubbleup.core.markup import escape_markdown
from bubbleup.core.model import HANDLE_PATTERN, LOGIN_PATTERN, SLUG_PATTERN, BubbleupError, Catalog, Person, Vote
from bubbleup.git.commit import Identity, commit_files
from bubbleup.write import forms
from bubbleup.write.edit import edit_front_matter
from bubbleup.write.intake_rules import (
    IGNORED,
    RECORDED,
    REFUSED,
    Event,
    Outcome,
    author_of,
    checked_text,
    closed_reason,
    idea_slug,
    page_url,
    person_for,
    trailers_for,
)
from bubbleup.write.participate import revote, verify
from bubbleup.write.proposal import propose


def _get(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def read_event(raw: bytes) -> Event | str:
    """The event, or why it cannot be read (a message for the log, not for the issue)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "the event is not JSON"
    action, number, url = _get(data, "action"), _get(data, "issue", "number"), _get(data, "issue", "html_url")
    login, body = _get(data, "issue", "user", "login"), _get(data, "issue", "body")
    sender = _get(data, "sender", "login")
    repository = _get(data, "repository", "full_name")
    if not isinstance(action, str) or not isinstance(_get(data, "issue"), dict):
        return "not an issues event (no action and issue)"
    if not isinstance(number, int) or isinstance(number, bool) or not isinstance(url, str):
        return "the issue has no number or html_url"
    if not isinstance(login, str) or not LOGIN_PATTERN.match(login.removesuffix("[bot]")):
        return "the issue has no author login (issue.user.login)"
    if not isinstance(sender, str):
        return "the event has no sender login (sender.login)"
    if url and urlsplit(url).scheme not in ("https", "http"):
        return "the issue's html_url is not a web address"
    return Event(
        action,
        number,
        url,
        login,
        body if isinstance(body, str) else "",
        repository if isinstance(repository, str) else "",
        sender,
        _get(data, "changes", "old_repository") is not None or _get(data, "changes", "old_issue") is not None,
    )


def intake(settings: Settings, catalog: Catalog, event: Event, committer: Identity) -> Outcome:
    """Handle one opened issue: recognise its form, then record what it asks, or refuse."""
    if event.action != "opened":
        return Outcome(IGNORED, f"Nothing to do for an issue that was {escape_markdown(event.action)}.")
    recognised = forms.recognise(event.body, forms.load_forms(settings.root))
    if recognised is None:
        return Outcome(IGNORED, "This issue was not written from a Bubbleup form; nothing to do.")
    form, answers = recognised
    if event.transferred or event.sender.lower() != event.login.lower():
        return Outcome(REFUSED, transferred(event))
    person = person_for(catalog, event)
    if isinstance(person, str):
        return Outcome(REFUSED, person)
    try:
        if form.name == forms.IDEA_FORM:
            return propose(settings, catalog, event, person, answers, committer)
        return _feedback(settings, catalog, event, person, answers, committer, form.name == forms.CUSTOMER_FORM)
    except BubbleupError as error:
        return Outcome(REFUSED, f"@{event.login}, nothing was recorded: {escape_markdown(str(error))}.")


def transferred(event: Event) -> str:
    """The refusal for an issue that arrived by transfer, or that someone other than its author opened.

    A transfer from another repository sends `opened` with the old issue in
    `changes.old_issue` and the person who moved it as sender. Only the author writes an
    issue's body when opening it; a transferred one may have been edited since by anyone
    allowed to triage the other repository, so its body is not vouched to be the author's.
    """
    return (
        f"@{event.login}, nothing was recorded: this issue was moved here by {escape_markdown(event.sender)}, "
        "not opened by you from the form here, so Bubbleup cannot tell that its text is yours. "
        "Fill in the form in this repository yourself."
    )


def _feedback(
    settings: Settings,
    catalog: Catalog,
    event: Event,
    person: Person,
    answers: dict[str, str],
    committer: Identity,
    customer_form: bool,
) -> Outcome:
    """A vote (or a customer's voice): the vote command's rules, one file, one commit."""
    slug = idea_slug(answers["idea"])
    refusal = closed_reason(settings, catalog, slug, answers["idea"])
    if refusal:
        return Outcome(REFUSED, f"@{event.login}, your vote was not recorded: {refusal}")
    choice = forms.vote_word(answers["vote"])
    if choice is None:
        return Outcome(
            REFUSED,
            f"@{event.login}, your vote was not recorded: the vote field says "
            f"“{escape_markdown(answers['vote'][:80])}”; write up, down or none, and open the form again.",
        )
    path, voter, content, existing = _vote_file(settings, catalog, person, slug, answers, Vote(choice), customer_form)
    idea = catalog.ideas[slug]
    relative = path.relative_to(settings.root).as_posix()
    link = page_url(settings, slug)
    title = f"[{escape_markdown(idea.title)}]({link})" if link else f"**{escape_markdown(idea.title)}**"
    words = {"up": "for", "down": "against", "none": "without a vote on"}[choice]
    who = f"{escape_markdown(answers['customer'].strip())} (recorded by you)" if customer_form else "your"
    if content == existing:
        return Outcome(RECORDED, f"@{event.login}, {who} vote {words} {title} already says that; nothing changed.")
    write_atomic(path, content)
    message = f"Vote on {slug}: {voter}{' (recorded by ' + person.handle + ')' if customer_form else ''} {choice}"
    try:
        commit = commit_files(
            settings.root,
            {path: content.encode("utf-8")},
            message,
            author=author_of(person, event),
            committer=committer,
            trailers=trailers_for(event),
        )
    except BubbleupError:
        restore_file(path, existing)
        raise
    opening = f"@{event.login}, thank you: {who} vote {words} {title} is recorded"
    if customer_form:
        opening = f"@{event.login}, thank you: the voice of {who} {words} {title} is recorded"
    return Outcome(
        RECORDED,
        f"{opening} in `{relative}` (commit {commit[:10]}), as {escape_markdown(person.name)}. "
        "It shows on the site after the next build. To change it, fill in the form again.",
        path=relative,
        commit=commit,
    )


def _vote_file(
    settings: Settings,
    catalog: Catalog,
    person: Person,
    slug: str,
    answers: dict[str, str],
    vote: Vote,
    customer_form: bool,
) -> tuple[Path, str, str, str | None]:
    """Where the vote goes, who it counts for, the file's new text and its old one (None if new)."""
    text = checked_text(answers["feedback"], "feedback")
    folder = settings.ideas_dir / slug
    if customer_form:
        customer = drafts.slugify(answers["customer"]) if answers["customer"].strip() else ""
        if not customer or customer == "idea" or not SLUG_PATTERN.match(customer):
            raise BubbleupError("the customer's name has no letters or digits to file it under")
        path, voter = folder / CUSTOMERS_DIR / f"{customer}.md", customer
    else:
        path, voter = folder / f"{person.handle}.md", person.handle
    existing = path.read_text(encoding="utf-8") if path.is_file() else None
    if existing is None:
        content = drafts.feedback_text(vote, text, person.handle if customer_form else None)
    else:
        content = revote(existing, vote, text or None)
        if customer_form:  # whoever changes a customer's voice now answers for it
            content = edit_front_matter(content, {"recorded-by": person.handle}, after={"recorded-by": "vote"})
    if len(content.encode("utf-8")) > settings.options.max_file_size:
        raise BubbleupError(f"the feedback is longer than {settings.options.max_file_size} bytes; shorten it")
    options, relative = settings.options, path.relative_to(settings.root).as_posix()
    kind = "customer" if customer_form else "feedback"
    verify(relative, kind, slug, content, catalog.roster, options.criteria, options.score_scale)
    return path, voter, content, existing


def restore_file(path: Path, existing: str | None) -> None:
    """Put a file back as it was before a write whose commit failed."""
    if existing is None:
        path.unlink(missing_ok=True)
        for folder in (path.parent, path.parent.parent):
            try:
                folder.rmdir()  # only if empty
            except OSError:
                break
    else:
        write_atomic(path, existing)


def handle_login(login: str) -> str | None:
    """Without a roster, the login in lower case is the handle, if it is one."""
    handle = login.lower()
    return handle if HANDLE_PATTERN.match(handle) else None
