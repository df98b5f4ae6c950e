"""Issue events as GitHub sends them, with bodies rendered from the project's own issue forms."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT / ".github" / "ISSUE_TEMPLATE"

ROSTER = """\
ann:
  name: Ann Example
  emails: [ann@example.com]
  team: support
  github: ann-gh
bob:
  name: Bob Example
  emails: [bob@example.com]
  team: sales
  github: BobCodes
cat:
  name: Cat Example
  emails: [cat@example.com]
  team: engineering
"""


def render_body(template: Path, answers: dict[str, str]) -> str:
    """The issue body GitHub writes from a submitted form: '### Label', a blank line, the answer.

    Markdown elements are not part of the body; an empty answer is `_No response_`; GitHub
    separates sections with blank lines and writes CRLF inside textarea answers.
    """
    form = yaml.safe_load(template.read_text(encoding="utf-8"))
    sections = []
    for element in form["body"]:
        if element["type"] == "markdown":
            continue
        value = answers.get(element["id"], "").replace("\n", "\r\n")
        sections.append(f"### {element['attributes']['label']}\n\n{value or '_No response_'}")
    return "\n\n".join(sections)


def payload(login: str, body: str, number: int = 7, action: str = "opened", repository: str = "acme/ideas") -> dict:
    """An `issues` webhook payload with the fields GitHub sends (trimmed of URLs intake does not read)."""
    user = {"login": login, "id": 1000 + number, "type": "User", "html_url": f"https://github.com/{login}"}
    return {
        "action": action,
        "issue": {
            "url": f"https://api.github.com/repos/{repository}/issues/{number}",
            "html_url": f"https://github.com/{repository}/issues/{number}",
            "id": 9_000_000 + number,
            "number": number,
            "title": "Vote: coffee-chats",
            "user": user,
            "labels": [{"name": "bubbleup"}],
            "state": "open",
            "author_association": "MEMBER",
            "body": body,
        },
        "repository": {
            "id": 42,
            "name": repository.split("/")[1],
            "full_name": repository,
            "html_url": f"https://github.com/{repository}",
            "private": True,
        },
        "sender": user,
    }


def vote_event(
    login: str, idea: str, vote: str = "up", feedback: str = "", templates: Path = TEMPLATES, **kwargs
) -> dict:
    body = render_body(templates / "vote.yml", {"idea": idea, "vote": vote, "feedback": feedback})
    return payload(login, body, **kwargs)


def install_templates(root: Path) -> Path:
    """Copy the project's issue forms into a test repository; return their folder."""
    target = root / ".github" / "ISSUE_TEMPLATE"
    shutil.copytree(TEMPLATES, target, dirs_exist_ok=True)
    return target


def write_event(path: Path, event: dict) -> Path:
    path.write_text(json.dumps(event), encoding="utf-8")
    return path
