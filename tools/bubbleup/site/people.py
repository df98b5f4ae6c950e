"""People pages: what each person proposed, voted for and wrote, and the recognition
page of those whose ideas were planned or done. Internal audience only: the public
site carries no names."""

from __future__ import annotations

from bubbleup.core.markup import inline, render
from bubbleup.core.model import Vote
from bubbleup.core.workflow import ADOPTED
from bubbleup.site.context import INDEX, PEOPLE, Site, block, front_matter, page_name, status_badge

RECOGNITION = "recognition.md"


def _idea_link(site: Site, slug: str) -> str:
    idea = site.catalog.ideas[slug]
    return f"[{inline(idea.title)}](../{page_name(slug)}) {status_badge(idea.status)}"


def render_person(site: Site, handle: str) -> str:
    person = (site.catalog.roster or {})[handle]
    lines = [front_matter(person.name), f"# {inline(person.name)}\n\n"]
    if person.team:
        lines.append(f"Team: {inline(person.team)}\n\n")
    proposed = sorted(
        (s for s, i in site.catalog.ideas.items() if handle in i.authors), key=lambda s: -site.tallies[s].score
    )
    lines.append(f"## Proposed ({len(proposed)})\n\n")
    lines += [f"- {_idea_link(site, slug)} {site.tallies[slug].score:+d}\n" for slug in proposed] or ["Nothing yet.\n"]
    own = [f for f in site.feedback_by_person.get(handle, []) if not f.customer]
    votes = [f for f in own if f.vote is not Vote.NONE]
    lines.append(f"\n## Votes ({len(votes)})\n\n")
    lines += [f"- {f.vote.value}: {_idea_link(site, f.idea)}\n" for f in sorted(votes, key=lambda f: f.idea)] or [
        "None yet.\n"
    ]
    written = [f for f in own if f.has_text]
    lines.append(f"\n## Feedback ({len(written)})\n\n")
    if not written:
        lines.append("None yet.\n")
    for item in sorted(written, key=lambda f: f.idea):
        lines.append(f"### On {inline(site.catalog.ideas[item.idea].title)}\n\n")
        lines.append(f"[The idea](../{page_name(item.idea)}) · {item.vote.value}\n\n")
        lines.append(block("bubbleup-text", render(item.text, site.images(item.idea, 1))))
    recorded = [f for f in site.feedback_by_person.get(handle, []) if f.customer]
    if recorded:
        lines.append(f"\n## Customers' voices recorded ({len(recorded)})\n\n")
        lines += [f"- {inline(f.customer or '')} ({f.vote.value}) on {_idea_link(site, f.idea)}\n" for f in recorded]
    return "".join(lines)


def render_people(site: Site) -> dict[str, str]:
    """A page per person in the roster, the list of everyone, and the recognition page."""
    roster = site.catalog.roster or {}
    everyone = [front_matter("People", searchable=False), "# People\n\n"]
    recognition = [front_matter("Recognition", searchable=False), "# Recognition\n\n"]
    if site.public or not roster:
        reason = (
            "People are not part of the public site.\n" if site.public else "There is no roster (ideas/people.yml).\n"
        )
        return {f"{PEOPLE}/{INDEX}": "".join(everyone) + reason, RECOGNITION: "".join(recognition) + reason}
    pages = {}
    counts = []
    for handle, person in roster.items():
        pages[f"{PEOPLE}/{page_name(handle)}"] = render_person(site, handle)
        proposed = sum(1 for i in site.catalog.ideas.values() if handle in i.authors)
        voted = sum(1 for f in site.feedback_by_person.get(handle, []) if f.vote is not Vote.NONE and not f.customer)
        counts.append((person.name.lower(), handle, person, proposed, voted))
    everyone.append("| Person | Team | Ideas | Votes |\n|---|---|--:|--:|\n")
    for _, handle, person, proposed, voted in sorted(counts):
        everyone.append(
            f"| [{inline(person.name)}]({page_name(handle)}) | {inline(person.team or '')} | {proposed} | {voted} |\n"
        )
    pages[f"{PEOPLE}/{INDEX}"] = "".join(everyone)

    recognition.append("The people whose ideas were adopted: planned, in progress or done.\n\n")
    adopted: dict[str, list[str]] = {}
    for slug, idea in site.catalog.ideas.items():
        if idea.status in ADOPTED:
            for handle in idea.authors:
                adopted.setdefault(handle, []).append(slug)
    if not adopted:
        recognition.append("No idea has been adopted yet.\n")
    for handle, slugs in sorted(adopted.items(), key=lambda pair: (-len(pair[1]), pair[0])):
        name = inline(site.catalog.display_name(handle))
        link = f"[{name}]({PEOPLE}/{page_name(handle)})" if handle in roster else name
        recognition.append(f"## {link}\n\n")
        recognition += [
            f"- [{inline(site.catalog.ideas[s].title)}]({page_name(s)}) {status_badge(site.catalog.ideas[s].status)}\n"
            for s in sorted(slugs)
        ]
        recognition.append("\n")
    pages[RECOGNITION] = "".join(recognition)
    return pages
