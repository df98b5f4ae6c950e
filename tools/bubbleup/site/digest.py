"""A digest for management: what happened to the ideas in a period, to paste into an
email or a chat, or to publish from CI. Dates come from Git history."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bubbleup.core.markup import escape_markdown
from bubbleup.core.tally import Tally
from bubbleup.core.votes import vote_at, votes_that_count
from bubbleup.git.snapshot import Snapshot

_SPAN = re.compile(r"^(\d+)\s*([dw])\Z")


def parse_since(text: str, now: datetime) -> datetime:
    """`7d`, `2w` or a date (`2026-11-01`) into the moment the digest starts.

    Raises:
        ValueError: with a message saying what is accepted.
    """
    match = _SPAN.match(text.strip().lower())
    if match:
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
        return now - timedelta(days=days)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"expected a period such as 7d or 2w, or a date such as 2026-11-01; got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def score_gains(state: Snapshot, moment: datetime) -> dict[str, int]:
    """Each idea's score now minus its score at a past moment: the votes that count then
    are counted by the tally's own rule, from each vote file's history in Git."""
    then = votes_that_count(state.catalog, vote_at(state.history.value_changes, moment))
    return {slug: item.score - then[slug].net for slug, item in state.tallies.items() if slug in then}


def _brief(item: Tally) -> dict[str, object]:
    return {"slug": item.idea.slug, "title": item.idea.title, "status": item.idea.status.value, "score": item.score}


def digest(state: Snapshot, since: datetime, limit: int = 5) -> dict[str, object]:
    """The digest's content (the JSON of `bubbleup digest --format json`)."""
    now = state.now
    tallies = state.tallies
    new = sorted(
        (t for t in tallies.values() if t.created and t.created >= since.date()),
        key=lambda t: (t.created, t.idea.slug),
        reverse=True,
    )
    gains = [
        (gained, tallies[slug]) for slug, gained in score_gains(state, since).items() if gained > 0 and slug in tallies
    ]
    gains.sort(key=lambda pair: (-pair[0], pair[1].idea.slug))
    waiting = {entry.item.idea.slug for entry in state.queue}  # still needing a decision: not planned or done
    crossed = [
        (moments[-1], tallies[slug])
        for slug, moments in state.crossed.items()
        if slug in waiting and slug in tallies and moments and moments[-1] >= since
    ]
    decided = sorted(
        ((d, t) for t in tallies.values() if (d := t.idea.decision) and d.date >= since.date()),
        key=lambda pair: (pair[0].date, pair[1].idea.slug),
        reverse=True,
    )
    return {
        "since": since.isoformat(),
        "until": now.isoformat(),
        "new_ideas": [{**_brief(t), "created": t.created.isoformat()} for t in new if t.created],
        "gaining_support": [{**_brief(t), "gained": gained} for gained, t in gains[:limit]],
        "crossed_threshold": [
            {**_brief(t), "crossed": moment.isoformat()} for moment, t in sorted(crossed, key=lambda p: p[0])
        ],
        "decisions": [
            {**_brief(t), "date": decision.date.isoformat(), "by": decision.by, "reason": decision.reason}
            for decision, t in decided
        ],
        "overdue": [
            {**_brief(w.item), "waiting_since": w.since.isoformat() if w.since else None, "days": w.days}
            for w in state.queue
            if w.overdue
        ],
    }


def render_markdown(content: dict, title: str) -> str:
    """The digest as Markdown: short sections, each idea one line."""
    since, until = content["since"][:10], content["until"][:10]
    lines = [f"# {escape_markdown(title)}: ideas from {since} to {until}", ""]

    def section(heading: str, rows: list[str], empty: str) -> None:
        lines.extend([f"## {heading}", ""])
        lines.extend(rows or [empty])
        lines.append("")

    def name(entry: dict) -> str:
        return f"**{escape_markdown(entry['title'])}** (`{entry['slug']}`, {entry['status']}, {entry['score']:+d})"

    section("New ideas", [f"- {name(e)}" for e in content["new_ideas"]], "No new idea.")
    section(
        "Gaining support",
        [f"- {name(e)}: {e['gained']:+d} net votes" for e in content["gaining_support"]],
        "No idea gained votes.",
    )
    section(
        "Ready for review",
        [f"- {name(e)}: crossed the threshold on {e['crossed'][:10]}" for e in content["crossed_threshold"]],
        "No idea crossed the threshold.",
    )
    section(
        "Decisions",
        [
            f"- {name(e)}: {e['status']} on {e['date']} by {e['by']}. {escape_markdown(e['reason'])}"
            for e in content["decisions"]
        ],
        "No decision.",
    )
    section("Overdue", [f"- {name(e)}: waiting {e['days']} days" for e in content["overdue"]], "Nothing is overdue.")
    return "\n".join(lines).rstrip() + "\n"
