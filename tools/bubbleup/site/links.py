"""Ways to take part from the published site, without a clone.

On GitHub, a link to the web editor's new-file page can carry the file's name and its
whole content (`filename` and `value` parameters), so "Vote for this idea" opens an
editor holding exactly the vote file; saving it proposes a pull request. For other hosts,
which cannot be prefilled this way, pages show the command line instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from bubbleup.core.config import Settings
from bubbleup.core.drafts import feedback_text, idea_text
from bubbleup.core.model import Vote

HANDLE_PLACEHOLDER = "your-handle"
IDEA_PLACEHOLDER = "your-idea-in-a-few-words"
FEEDBACK_PLACEHOLDER = "What you think, and why."


@dataclass(frozen=True)
class Editor:
    """A GitHub repository's web editor, for the branch the site is built from."""

    repo_url: str
    branch: str
    ideas_path: str
    """The ideas folder, relative to the repository root."""

    def new_file(self, folder: str, filename: str, content: str) -> str:
        base = f"{self.repo_url.rstrip('/')}/new/{quote(self.branch)}/{quote(folder)}"
        return base + "?" + urlencode({"filename": filename, "value": content}, quote_via=quote)

    def vote_url(self, slug: str) -> str:
        return self.new_file(f"{self.ideas_path}/{slug}", f"{HANDLE_PLACEHOLDER}.md", feedback_text(Vote.UP))

    def feedback_url(self, slug: str) -> str:
        content = feedback_text(Vote.NONE, FEEDBACK_PLACEHOLDER)
        return self.new_file(f"{self.ideas_path}/{slug}", f"{HANDLE_PLACEHOLDER}.md", content)

    def propose_url(self) -> str:
        content = idea_text("Your idea in one line", [HANDLE_PLACEHOLDER], None)
        return self.new_file(self.ideas_path, f"{IDEA_PLACEHOLDER}.md", content)


def editor(settings: Settings) -> Editor | None:
    """The web editor to prefill, if the site's repo_url is on GitHub."""
    url = settings.repo_url
    if not url or not re.match(r"^https://(www\.)?github\.com/[^/]+/[^/]+/?$", url):
        return None
    match = re.match(r"^(?:edit|blob|tree)/([^/]+)/", settings.edit_uri or "")
    branch = match.group(1) if match else "main"
    ideas_path = settings.ideas_dir.relative_to(settings.root).as_posix()
    return Editor(url, branch, ideas_path)


def pull_request_url(settings: Settings) -> str | None:
    """Where pull request {number} lives on the Git host of repo_url, if we know the host."""
    url = (settings.repo_url or "").rstrip("/")
    if re.match(r"^https://(www\.)?github\.com/[^/]+/[^/]+$", url):
        return url + "/pull/{number}"
    if re.match(r"^https://gitlab\.[^/]+/.+$", url):
        return url + "/-/merge_requests/{number}"
    return None


def source_url(settings: Settings) -> str | None:
    """The host's editor for any file of the repository, with {path} in it: what "Edit
    this page" opens for a generated page whose source is another file (an idea's)."""
    url = (settings.repo_url or "").rstrip("/")
    match = re.match(r"^(edit|blob)/([^/]+)/", settings.edit_uri or "")
    if not url.startswith("https://") or match is None:
        return None
    return f"{url}/{match.group(1)}/{quote(match.group(2))}/{{path}}"
