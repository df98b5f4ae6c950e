"""People pages: what each person proposed, voted for and wrote, and the recognition
page of those whose ideas were planned or done. Internal audience only: the public
site carries no names.

The lists are written as HTML, which the site builder passes through unparsed: in
Markdown, a person's few hundred links were a large part of the whole build."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bubbleup.core.markup import inline, render
from bubbleup.core.model import Vote
from bubbleup.core.workflow import ADOPTED
from bubbleup.site.context import INDEX, PEOPLE, RIGHT, Site, block, front_matter, page_name, status_badge

RECOGNITION = "recognition.md"


def _idea_link(site: Site, page: str, slug: str) -> str:
    idea = site.catalog.ideas[slug]
    return f"{site.link(page, page_name(slug), inline(idea.title))} {status_badge(idea.status)}"


def html_list(items: list[str], empty: str) -> str:
    """Items (HTML) as a list block, or `empty` as a paragraph."""
    if not items:
        return f"<p>{empty}</p>\n\n"
    return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>\n\n"


def authored(site: Site) -> dict[str, list[str]]:
    """The ideas each person proposed, found in one pass over the ideas, once per site
    (the views and the people's pages both ask); callers never change it."""
    return site.once(_authored)


def _authored(site: Site) -> dict[str, list[str]]:
    by_author: dict[str, list[str]] = {}
    for slug, idea in site.catalog.ideas.items():
        for handle in dict.fromkeys(idea.authors):
            by_author.setdefault(handle, []).append(slug)
    return by_author


@dataclass(frozen=True)
class Participation:
    """Who took part through feedback, counted in one pass over the feedback files (50,000
    at 5,000 ideas), once per site: the list of everyone and the insights both ask."""

    votes: Counter[str]
    """By handle, the employee's votes (customers' are apart)."""
    customers: int
    writers: frozenset[str]
    """The employees who wrote feedback."""

    @property
    def employees(self) -> int:
        """Employees' votes."""
        return sum(self.votes.values())

    @property
    def voters(self) -> frozenset[str]:
        """The employees who voted."""
        return frozenset(self.votes)


def participation(site: Site) -> Participation:
    return site.once(_participation)


def _participation(site: Site) -> Participation:
    customers = 0
    votes: Counter[str] = Counter()
    writers: set[str] = set()
    for feedback in site.catalog.feedback:
        voted = feedback.vote is not Vote.NONE
        if feedback.customer:
            customers += voted
            continue
        if voted:
            votes[feedback.handle] += 1
        if feedback.has_text:
            writers.add(feedback.handle)
    return Participation(votes, customers, frozenset(writers))


def render_person(site: Site, handle: str, proposed: list[str] | None = None) -> str:
    """`proposed`: the ideas the person proposed, if the caller has them (`authored`)."""
    person = (site.catalog.roster or {})[handle]
    page = f"{PEOPLE}/{page_name(handle)}"
    lines = [front_matter(person.name), f"# {inline(person.name)}\n\n"]
    if person.team:
        lines.append(f"Team: {inline(person.team)}\n\n")
    if proposed is None:
        proposed = authored(site).get(handle, [])
    proposed = sorted(proposed, key=lambda s: -site.tallies[s].score)
    lines.append(f"## Proposed ({len(proposed)})\n\n")
    ideas = [f"{_idea_link(site, page, slug)} {site.tallies[slug].score:+d}" for slug in proposed]
    lines.append(html_list(ideas, "Nothing yet."))
    own = [f for f in site.feedback_by_person.get(handle, []) if not f.customer]
    votes = [f for f in own if f.vote is not Vote.NONE]
    lines.append(f"## Votes ({len(votes)})\n\n")
    votes.sort(key=lambda f: f.idea)
    lines.append(html_list([f"{f.vote.value}: {_idea_link(site, page, f.idea)}" for f in votes], "None yet."))
    written = [f for f in own if f.has_text]
    lines.append(f"## Feedback ({len(written)})\n\n")
    if not written:
        lines.append("None yet.\n\n")
    for item in sorted(written, key=lambda f: f.idea):
        lines.append(f"### On {inline(site.catalog.ideas[item.idea].title)}\n\n")
        lines.append(f"<p>{site.link(page, page_name(item.idea), 'The idea')} · {item.vote.value}</p>\n\n")
        lines.append(block("bubbleup-text", render(item.text, site.images(item.idea, 1))))
    recorded = [f for f in site.feedback_by_person.get(handle, []) if f.customer]
    if recorded:
        lines.append(f"## Customers' voices recorded ({len(recorded)})\n\n")
        voices = [f"{inline(f.customer or '')} ({f.vote.value}) on {_idea_link(site, page, f.idea)}" for f in recorded]
        lines.append(html_list(voices, ""))
    return "".join(lines)


def render_people(site: Site) -> dict[str, str]:
    """A page per person in the roster, the list of everyone, and the recognition page."""
    by_author = authored(site)
    pages = {
        f"{PEOPLE}/{page_name(handle)}": render_person(site, handle, by_author.get(handle, []))
        for handle in (site.catalog.roster or {})
        if not site.public
    }
    return pages | people_lists(site)


def people_lists(site: Site) -> dict[str, str]:
    """The list of everyone and the recognition page: what changes whenever anyone votes."""
    roster = site.catalog.roster or {}
    everyone = [front_matter("People", searchable=False), "# People\n\n"]
    recognition = [front_matter("Recognition", searchable=False), "# Recognition\n\n"]
    if site.public or not roster:
        reason = (
            "People are not part of the public site.\n" if site.public else "There is no roster (ideas/people.yml).\n"
        )
        return {f"{PEOPLE}/{INDEX}": "".join(everyone) + reason, RECOGNITION: "".join(recognition) + reason}
    by_author, votes = authored(site), participation(site).votes
    counts = [
        (person.name.lower(), handle, person, len(by_author.get(handle, [])), votes.get(handle, 0))
        for handle, person in roster.items()
    ]
    everyone.append(
        f"<table>\n<thead>\n<tr>\n<th>Person</th>\n<th>Team</th>\n<th{RIGHT}>Ideas</th>\n<th{RIGHT}>Votes</th>\n"
        "</tr>\n</thead>\n<tbody>\n"
    )
    for _, handle, person, proposed, voted in sorted(counts):
        everyone.append(
            f"<tr>\n<td>{site.link(f'{PEOPLE}/{INDEX}', f'{PEOPLE}/{page_name(handle)}', inline(person.name))}</td>\n"
            f"<td>{inline(person.team or '')}</td>\n<td{RIGHT}>{proposed}</td>\n<td{RIGHT}>{voted}</td>\n</tr>\n"
        )
    everyone.append("</tbody>\n</table>\n")
    pages = {f"{PEOPLE}/{INDEX}": "".join(everyone)}

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
        recognition.append(html_list([_idea_link(site, RECOGNITION, slug) for slug in sorted(slugs)], ""))
    pages[RECOGNITION] = "".join(recognition)
    return pages
