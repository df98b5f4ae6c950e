"""People in a pull request's review: who the author is, what needs attention, whom to tell.

Identity comes from the host: the pull request's author login, mapped to a handle through
the roster *as it is on the base branch*, never as the pull request under review changes
it. The summary puts first what a reviewer must not miss (votes cast for someone else,
deletions, roster changes), and when an idea's status changes it @-mentions the idea's
authors and voters so that the host notifies them where they already are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bubbleup.core import characters, frontmatter, registers
from bubbleup.core.markup import escape_markdown
from bubbleup.core.model import Catalog, Idea, Person, Problem, Severity
from bubbleup.git import runner

MENTION_LIMIT = 20
"""At most this many people are @-mentioned for one idea; the rest are counted."""


def base_roster(root: Path, base: str, ideas: str) -> dict[str, Person] | None:
    """The roster on the base branch (None if it has none or it cannot be read)."""
    path = f"{ideas}/people.yml"
    text = runner.file_at(root, base, path)
    if text is None:
        return None
    if not characters.problems(text):  # as read_roster reads it: the load's roster if the text is the same
        return registers.read_roster(path, text)[0]
    try:
        node, key_lines, problems = frontmatter.parse_yaml(text)
    except frontmatter.FrontMatterError:
        return None
    roster, _ = registers.roster(path, node, key_lines, problems)
    return roster


def handle_of_login(roster: dict[str, Person] | None, login: str) -> str | None:
    """The handle of a host login in a roster (without a roster: the login in lower case)."""
    if roster is None:
        return login.lower()
    wanted = login.strip().lower()
    return next((person.handle for person in roster.values() if person.github == wanted), None)


@dataclass
class Attention:
    """What a reviewer must not miss, gathered while the summary is written."""

    for_someone_else: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    roster: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not (self.for_someone_else or self.deleted or self.roster):
            return []
        out = ["### Needs attention\n"]
        out += [f"- **Vote for someone else:** {line}" for line in self.for_someone_else]
        out += [f"- **Deleted:** {line}" for line in self.deleted]
        out += [f"- **Roster:** {line}" for line in self.roster]
        return [*out, ""]


def deleted_paths(root: Path, base: str, ideas: str) -> list[str]:
    """Files under the ideas folder that the branch deletes (compared with `base`): ideas,
    feedback, and the roster or the campaigns."""
    output = runner.checked(root, "diff", "--name-only", "--diff-filter=D", "--no-renames", "-z", base, "HEAD", "--")
    return sorted(p for p in output.split("\0") if p.startswith(ideas + "/") and p.endswith((".md", ".yml")))


def roster_changes(before: dict[str, Person] | None, after: dict[str, Person] | None) -> list[str]:
    """People added, removed or given another login or email, in words."""
    before, after = before or {}, after or {}
    notes = [f"adds {escape_markdown(handle)}" for handle in sorted(set(after) - set(before))]
    notes += [f"removes {escape_markdown(handle)}" for handle in sorted(set(before) - set(after))]
    for handle in sorted(set(before) & set(after)):
        old, new = before[handle], after[handle]
        if old.github != new.github:
            notes.append(
                f"changes the login of {escape_markdown(handle)} ({old.github or 'none'} → {new.github or 'none'})"
            )
        if old.emails != new.emails:
            notes.append(f"changes the emails of {escape_markdown(handle)}")
    return notes or ["people.yml changes (no person added, removed or re-identified)"]


def mentions(catalog: Catalog, roster: dict[str, Person] | None, idea: Idea) -> str:
    """`cc @a @b; voters: @c …` for an idea's authors and voters who have a login, capped."""
    people = roster or {}

    def logins(handles) -> list[str]:
        return [f"@{people[h].github}" for h in dict.fromkeys(handles) if h in people and people[h].github]

    authors = logins(idea.authors)
    voters = [
        login
        for login in logins(f.handle for f in catalog.feedback_by_idea.get(idea.slug, ()) if not f.customer)
        if login not in authors
    ]
    if not authors and not voters:
        return ""
    shown = voters[: max(0, MENTION_LIMIT - len(authors))]
    parts = []
    if authors:
        parts.append("authors " + " ".join(authors[:MENTION_LIMIT]))
    if shown:
        more = len(voters) - len(shown)
        parts.append("voters " + " ".join(shown) + (f" and {more} more" if more else ""))
    return "cc " + "; ".join(parts)


def votes_for_others(
    root: Path, base: str, ideas: str, catalog: Catalog, changed: list[str], login: str
) -> list[Problem]:
    """A warning on each changed vote file that is not the pull request author's own.

    The author is the host login mapped through the base branch's roster; a customer's
    file belongs to the colleague in its `recorded-by`.
    """
    handle = handle_of_login(base_roster(root, base, ideas), login)
    owners = {item.path: item.handle for item in catalog.feedback}
    found = []
    for path in changed:
        parts = path.split("/")
        if not path.startswith(ideas + "/") or not path.endswith(".md") or len(parts) - ideas.count("/") < 3:
            continue
        owner = owners.get(path, parts[-1].removesuffix(".md"))
        if owner != handle:
            who = f"{login} ({handle})" if handle else f"{login}, a login not in the base branch's roster"
            found.append(
                Problem(
                    path,
                    1,
                    Severity.WARNING,
                    f"this vote is {owner}'s, but the pull request is by {who}; each person casts their own vote "
                    "(the site's Vote buttons record it as them)",
                )
            )
    return found
