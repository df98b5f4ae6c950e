"""The Decisions page and its feed: every answer management gave, newest first, with who
decided, when, the new status, the idea and the reason.

Read in order, the answers are what make people believe that proposing is worth it, as
a blog would; the feed lets them follow new answers without visiting the site.

The page's sentences are written as HTML paragraphs, with their links at the addresses
mkdocs would give them, and the headings as Markdown of escaped text: site/lean.py holds
the paragraphs out and site/skeleton.py converts the rest, so that the page (859
decisions at 5,000 ideas, rebuilt after any vote on a decided idea) never goes through
Python-Markdown, which took half a second over it.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime, time

from bubbleup.core.markup import inline, render
from bubbleup.site.addresses import page_url, relative_url
from bubbleup.site.context import (
    Site,
    ago,
    block,
    front_matter,
    page_name,
    status_badge,
    status_label,
)
from bubbleup.site.feeds import ATOM
from bubbleup.site.home import recent_decisions

DECISIONS = "decisions.md"
DECISIONS_FEED = "decisions.xml"


def render_decisions(site: Site) -> str:
    """Each decision as a short post: the idea, the new status, who and when, the reason."""
    feed = html.escape(relative_url(page_url(DECISIONS, site.directory_urls), DECISIONS_FEED))
    lines = [
        front_matter("Decisions", searchable=False),
        "# Decisions\n\n",
        "<p>What the people who decide answered, newest first. Subscribe: "
        f'<a href="{feed}">Atom feed of decisions</a>.</p>\n\n',
    ]
    items = recent_decisions(site)
    if not items:
        lines.append("No decision yet.\n")
    for item in items:
        decision = item.idea.decision
        assert decision is not None
        who = "" if site.public else f" by {inline(site.catalog.display_name(decision.by))}"
        lines.append(f"## {inline(item.idea.title)}\n\n")
        lines.append(
            f"<p>{status_badge(item.idea.status)} {ago(decision.date, site.now)}{who} · "
            f"{item.score:+d} net · {site.link(DECISIONS, page_name(item.idea.slug), 'the idea')}</p>\n\n"
        )
        lines.append(block("bubbleup-decision", render(decision.reason)))
    return "".join(lines)


def _url(site: Site, slug: str) -> str:
    base = site.site_url.rstrip("/") + "/ideas/" if site.site_url else ""
    return f"{base}{slug}/"


def render_decisions_feed(site: Site, limit: int = 50) -> str:
    """Atom: one entry per decision, newest first; the reason is the entry's content."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    ElementTree.SubElement(feed, f"{{{ATOM}}}title").text = f"{site.site_name}: decisions"
    ElementTree.SubElement(feed, f"{{{ATOM}}}id").text = (site.site_url or "urn:bubbleup:") + "ideas/decisions.xml"
    items = recent_decisions(site)[:limit]
    newest = datetime.combine(items[0].idea.decision.date, time(0), UTC) if items else site.now  # type: ignore[union-attr]
    ElementTree.SubElement(feed, f"{{{ATOM}}}updated").text = newest.isoformat()
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    ElementTree.SubElement(author, f"{{{ATOM}}}name").text = site.site_name
    for item in items:
        decision = item.idea.decision
        assert decision is not None
        moment = datetime.combine(decision.date, time(0), UTC)
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        label = status_label(item.idea.status)
        ElementTree.SubElement(entry, f"{{{ATOM}}}title").text = f"{label}: {item.idea.title}"
        ElementTree.SubElement(
            entry, f"{{{ATOM}}}id"
        ).text = f"urn:bubbleup:{item.idea.slug}:decision:{decision.date.isoformat()}"
        ElementTree.SubElement(entry, f"{{{ATOM}}}updated").text = moment.isoformat()
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", href=_url(site, item.idea.slug))
        if not site.public:
            person = ElementTree.SubElement(entry, f"{{{ATOM}}}author")
            ElementTree.SubElement(person, f"{{{ATOM}}}name").text = site.catalog.display_name(decision.by)
        ElementTree.SubElement(entry, f"{{{ATOM}}}summary").text = " ".join(decision.reason.split())
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"
