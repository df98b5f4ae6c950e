"""The issue forms people fill in on the Git host, and the answers GitHub writes from them.

GitHub turns a submitted issue form into the issue's body: for each field, a level-three
heading with the field's label, a blank line, then the answer; `_No response_` stands for
an empty optional field. The body carries labels, not ids, so the labels are read from
the form templates in the repository (.github/ISSUE_TEMPLATE/): rewording a label there
keeps intake working. Without the templates, the labels Bubbleup ships are used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

TEMPLATE_DIR = ".github/ISSUE_TEMPLATE"
NO_RESPONSE = "_No response_"

VOTE_FORM = "vote.yml"
IDEA_FORM = "idea.yml"
CUSTOMER_FORM = "customer.yml"

DEFAULT_LABELS = {
    VOTE_FORM: {"idea": "Idea", "vote": "Vote", "feedback": "Feedback"},
    IDEA_FORM: {"title": "Title", "problem": "Problem", "proposal": "Proposal", "tags": "Tags"},
    CUSTOMER_FORM: {"idea": "Idea", "customer": "Customer", "vote": "Vote", "feedback": "What they said"},
}
"""The labels of the forms Bubbleup ships, by form and field id (a test keeps them in step)."""

REQUIRED = {VOTE_FORM: ("idea", "vote"), IDEA_FORM: ("title",), CUSTOMER_FORM: ("idea", "customer", "vote")}
"""The answers each form cannot do without: they identify the form in an issue's body."""


@dataclass(frozen=True)
class Form:
    """One issue form: its file name and the label of each field id, in order."""

    name: str
    labels: dict[str, str]


def load_forms(root: Path) -> list[Form]:
    """The three forms, with the labels of the repository's templates where they can be read."""
    forms = []
    for name, defaults in DEFAULT_LABELS.items():
        labels = dict(defaults)
        labels.update(_template_labels(root / TEMPLATE_DIR / name, set(defaults)))
        forms.append(Form(name, labels))
    return forms


def _template_labels(path: Path, wanted: set[str]) -> dict[str, str]:
    """Field id to label in one template; nothing for a missing or unreadable one."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return {}
    body = data.get("body") if isinstance(data, dict) else None
    found = {}
    for element in body if isinstance(body, list) else []:
        if not isinstance(element, dict) or element.get("id") not in wanted:
            continue
        attributes = element.get("attributes")
        label = attributes.get("label") if isinstance(attributes, dict) else None
        if isinstance(label, str) and label.strip():
            found[element["id"]] = label.strip()
    return found


def _headings(lines: list[str], labels: dict[str, str]) -> dict[str, int]:
    """The line of each field's heading, searched in the form's order."""
    found, start = {}, 0
    for field, label in labels.items():
        heading = f"### {label}"
        for number in range(start, len(lines)):
            if lines[number].rstrip() == heading:
                found[field] = number
                start = number + 1
                break
    return found


def answers(body: str, form: Form) -> dict[str, str] | None:
    """The answers of `form` in an issue body, or None if the body is not from that form.

    An empty or `_No response_` answer is an empty string. Each answer runs from its
    heading to the next field's heading, so text that itself contains `###` lines stays whole.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = _headings(lines, form.labels)
    if any(field not in found for field in REQUIRED[form.name]):
        return None
    ordered = sorted(found.items(), key=lambda item: item[1])
    result = dict.fromkeys(form.labels, "")
    for position, (field, line) in enumerate(ordered):
        end = ordered[position + 1][1] if position + 1 < len(ordered) else len(lines)
        text = "\n".join(lines[line + 1 : end]).strip("\n")
        result[field] = "" if text.strip() == NO_RESPONSE else text.strip()
    return result


def recognise(body: str, forms: list[Form]) -> tuple[Form, dict[str, str]] | None:
    """The form an issue body was written from, and its answers: of the forms whose required
    headings all appear, the one with the most headings found."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    best: tuple[int, Form, dict[str, str]] | None = None
    for form in forms:
        found = answers(body, form)
        if found is None:
            continue
        score = len(_headings(lines, form.labels))
        if best is None or score > best[0]:
            best = (score, form, found)
    return (best[1], best[2]) if best else None


_WORDS = {
    "up": ("up", "for", "yes", "+1", "👍", "vote for", "for it", "in favour", "in favor"),
    "down": ("down", "against", "no", "-1", "👎", "vote against", "against it"),
    "none": ("none", "no vote", "feedback", "feedback only", "neutral", "abstain", ""),
}


def vote_word(text: str) -> str | None:
    """up, down or none from what someone typed in the vote field; None if it is none of them."""
    cleaned = re.sub(r"[\s.!:]+", " ", text.strip().lower()).strip()
    first = cleaned.split(" (")[0].strip()
    for value, words in _WORDS.items():
        if cleaned in words or first in words:
            return value
    return None
