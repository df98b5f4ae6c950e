"""Machine-readable outputs of the site: an Atom feed of new ideas and decisions, and
ideas.json, the tally and history of every idea in a stable format for other tools.

Both are built with ElementTree and a JSON writer whose text is `json.dumps`'s
(core/indented_json.py), never by pasting untrusted strings, so untrusted text
cannot break out of its element or its string.
"""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from datetime import UTC, datetime, time

from bubbleup.core.indented_json import dumps, dumps_within
from bubbleup.core.markup import render
from bubbleup.site.context import Site, status_label
from bubbleup.site.records import Records, idea_url, site_record

FEED = "feed.xml"
DATA = "ideas.json"
FORMAT_VERSION = 1
ATOM = "http://www.w3.org/2005/Atom"


# Characters XML 1.0 cannot carry: one of them in an idea's text would make the whole feed
# unreadable to every feed reader, so they are dropped (check refuses them only in front matter).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _moment(day) -> datetime:
    return datetime.combine(day, time(0), UTC) if not isinstance(day, datetime) else day


def render_data(
    site: Site,
    site_url: str | None = None,
    keys: Mapping[str, str | None] | None = None,
    written: Records | None = None,
) -> str:
    """ideas.json. With `keys` (the digest of each idea's inputs, site/recipes.py) and
    `written`, a record written from the same key is taken as it was written, with its
    trending value written anew; the text is the same as without them."""
    slugs = sorted(site.tallies)
    head = {
        "format": FORMAT_VERSION,
        "generated": site.now.isoformat(),
        "audience": "public" if site.public else "internal",
    }
    if keys is None or written is None or not slugs:
        return dumps({**head, "ideas": [site_record(site, slug, site_url) for slug in slugs]}, indent=1) + "\n"
    mark = f'"bubbleup{secrets.token_hex(8)}"'
    records = [_record_text(site, slug, site_url, keys.get(slug), written, mark) for slug in slugs]
    before, _, after = dumps({**head, "ideas": [mark[1:-1]]}, indent=1).partition(mark)
    return before + ",\n  ".join(records) + after + "\n"


def _record_text(site: Site, slug: str, site_url: str | None, key: str | None, written: Records, mark: str) -> str:
    """An idea's record as `dumps` writes it inside ideas.json's list, from `written` when
    it was written from the same `key` (`mark`: a word no text holds, where trending goes)."""
    trending = round(site.tallies[slug].trending(site.now, site.half_life), 3)
    key = None if key is None else f"{key} {site_url}"
    found = written.text(slug, key) if key is not None else None
    if found is not None:
        return found[0] + dumps(trending) + found[1]
    record = site_record(site, slug, site_url)
    if record.get("trending") != trending:
        return dumps_within(record, 1, 2)
    record["trending"] = mark[1:-1]
    text = dumps_within(record, 1, 2)
    if text.count(mark) != 1:
        record["trending"] = trending
        return dumps_within(record, 1, 2)
    before, _, after = text.partition(mark)
    if key is not None:
        written.keep(slug, key, before, after)
    return before + dumps(trending) + after


def _events(site: Site, slugs) -> list[tuple[datetime, str, str, str, str]]:
    """(moment, slug, kind, heading, Markdown text) of each new idea and each decision."""
    events = []
    for slug in slugs:
        item = site.tallies[slug]
        if item.created:
            events.append((_moment(item.created), slug, "proposed", f"New idea: {item.idea.title}", item.idea.text))
        decision = item.idea.decision
        if decision:
            label = status_label(item.idea.status)
            events.append(
                (_moment(decision.date), slug, item.idea.status.value, f"{label}: {item.idea.title}", decision.reason)
            )
    return events


def _atom(
    site: Site, title: str, feed_id: str, events: list, site_url: str | None, limit: int, relative_prefix: str = ""
) -> str:
    """An Atom feed whose entries carry rendered, sanitized HTML and, with site_url, absolute links."""
    events = sorted(events, key=lambda event: (event[0], event[1], event[2]), reverse=True)
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    ElementTree.SubElement(feed, f"{{{ATOM}}}title").text = title
    ElementTree.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    newest = events[0][0] if events else site.now
    ElementTree.SubElement(feed, f"{{{ATOM}}}updated").text = newest.isoformat()
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    ElementTree.SubElement(author, f"{{{ATOM}}}name").text = site.site_name
    for moment, slug, kind, heading, text in events[:limit]:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        ElementTree.SubElement(entry, f"{{{ATOM}}}title").text = _NOT_XML.sub("", heading)
        ElementTree.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:bubbleup:{slug}:{kind}:{moment.date().isoformat()}"
        ElementTree.SubElement(entry, f"{{{ATOM}}}updated").text = moment.isoformat()
        # Relative links resolve against the feed's own address: ideas/feed.xml, or
        # ideas/<slug>/feed.xml for an idea's feed, one folder deeper.
        href = idea_url(site_url, slug) if site_url else relative_prefix + idea_url(None, slug)
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", href=href)
        ElementTree.SubElement(entry, f"{{{ATOM}}}content", type="html").text = _NOT_XML.sub("", render(text))
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def render_feed(site: Site, title: str, site_url: str | None = None, limit: int = 50) -> str:
    """Atom: one entry per new idea and per decision, newest first."""
    feed_id = (site_url or "urn:bubbleup:") + "ideas/feed.xml"
    return _atom(site, f"{title}: new ideas and decisions", feed_id, _events(site, site.tallies), site_url, limit)


def render_idea_feed(site: Site, slug: str, site_url: str | None = None) -> str:
    """One idea's own feed, to follow it: its proposal, its decisions, and (for the internal
    audience) each written feedback that carries a vote, dated by when the vote was cast."""
    item = site.tallies[slug]
    events = _events(site, [slug])
    if not site.public:
        for feedback in site.catalog.feedback_by_idea.get(slug, ()):
            created = item.cast.get(feedback.voter)
            if created and feedback.has_text:
                who = site.catalog.display_name(feedback.voter)
                events.append(
                    (created, slug, f"feedback-{feedback.voter}", f"{who} on {item.idea.title}", feedback.text)
                )
    feed_id = (site_url or "urn:bubbleup:") + f"ideas/{slug}/feed.xml"
    return _atom(site, f"{site.site_name}: {item.idea.title}", feed_id, events, site_url, 50, relative_prefix="../")


def idea_feed_name(slug: str) -> str:
    """Where an idea's feed goes, beside its page: ideas/<slug>/feed.xml on the site."""
    return f"{slug}/{FEED}"


def render_feeds(site: Site, title: str, site_url: str | None = None) -> dict[str, str]:
    feeds = {FEED: render_feed(site, title, site_url), DATA: render_data(site, site_url)}
    for slug in site.tallies:
        feeds[idea_feed_name(slug)] = render_idea_feed(site, slug, site_url)
    return feeds
