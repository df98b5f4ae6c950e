"""What changed, for one person: the ideas they proposed or voted on, over a period.

The management digest answers "what happened"; this one answers "what happened to what I
care about": decisions on ideas I proposed or voted on, new feedback on my ideas, and
how much support my ideas gained. It is what a notification would say, in one place, for
teams that send a weekly email per person.
"""

from __future__ import annotations

from datetime import datetime

from bubbleup.core.markup import escape_markdown
from bubbleup.git.snapshot import Snapshot
from bubbleup.site.digest import score_gains


def _followed(state: Snapshot, handle: str) -> tuple[set[str], set[str]]:
    """The slugs of the ideas a person proposed, and of those they voted on or gave feedback on."""
    authored = {slug for slug, idea in state.catalog.ideas.items() if handle in idea.authors}
    voted = {item.idea for item in state.catalog.feedback if item.handle == handle and not item.customer}
    return authored, voted - authored


def person_digest(state: Snapshot, handle: str, since: datetime) -> dict[str, object]:
    """The per-person digest's content (the JSON of `bubbleup digest --person HANDLE --format json`)."""
    authored, voted = _followed(state, handle)
    decisions = []
    for slug in sorted(authored | voted):
        idea = state.catalog.ideas[slug]
        if idea.decision and idea.decision.date >= since.date():
            decisions.append(
                {
                    "slug": slug,
                    "title": idea.title,
                    "status": idea.status.value,
                    "date": idea.decision.date.isoformat(),
                    "reason": idea.decision.reason,
                    "yours": slug in authored,
                }
            )
    feedback = []
    for slug in sorted(authored):
        for item in state.catalog.feedback_by_idea.get(slug, ()):
            created = state.history.created(item.path)
            if item.has_text and item.voter != handle and created and created >= since:
                feedback.append({"slug": slug, "title": state.catalog.ideas[slug].title, "from": item.voter})
    gains = score_gains(state, since)  # the votes that count, by the tally's own rule
    support = [
        {"slug": slug, "title": state.catalog.ideas[slug].title, "gained": gains[slug]}
        for slug in sorted(authored)
        if gains.get(slug)
    ]
    return {
        "person": handle,
        "since": since.isoformat(),
        "until": state.now.isoformat(),
        "decisions": decisions,
        "new_feedback_on_your_ideas": feedback,
        "support_for_your_ideas": support,
    }


def render_person_markdown(content: dict, name: str) -> str:
    """The per-person digest as Markdown, each item one line."""
    since, until = content["since"][:10], content["until"][:10]
    lines = [f"# For {escape_markdown(name)}: from {since} to {until}", ""]

    def title(entry: dict) -> str:
        return f"**{escape_markdown(entry['title'])}** (`{entry['slug']}`)"

    rows = [
        f"- {title(e)} ({'your idea' if e['yours'] else 'you voted'}): {e['status']} on {e['date']}. "
        f"{escape_markdown(e['reason'])}"
        for e in content["decisions"]
    ]
    lines += ["## Decisions on ideas you follow", "", *(rows or ["No decision."]), ""]
    rows = [f"- {title(e)}: feedback from {escape_markdown(e['from'])}" for e in content["new_feedback_on_your_ideas"]]
    lines += ["## New feedback on your ideas", "", *(rows or ["No new feedback."]), ""]
    rows = [f"- {title(e)}: {e['gained']:+d} net votes" for e in content["support_for_your_ideas"]]
    lines += ["## Support for your ideas", "", *(rows or ["No change in votes."]), ""]
    return "\n".join(lines).rstrip() + "\n"
