"""Ways to take part from the published site, without a clone: links to the Git host.

On GitHub (and GitHub Enterprise, which has the same addresses on another domain), the
buttons open the repository's issue forms with the idea and the vote filled in through
the address (`issues/new?template=vote.yml&idea=<slug>&vote=up`); submitting the form is
the second click, and the `intake` workflow records the vote as the person who submitted
it. On GitLab, they open a new issue whose title and description are filled in the same
shape. The field ids are the forms' contract (see .github/ISSUE_TEMPLATE/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from bubbleup.core.config import Settings

VOTE_FORM = "vote.yml"
IDEA_FORM = "idea.yml"
_VOTE_WORDS = {"up": "Vote for", "down": "Vote against", "none": "Feedback on"}


@dataclass(frozen=True)
class Host:
    """A repository on a Git host, and how to open its forms prefilled."""

    kind: str
    """github or gitlab."""
    repo_url: str

    def _github(self, template: str, fields: dict[str, str]) -> str:
        query = urlencode({"template": template, **fields}, quote_via=quote)
        return f"{self.repo_url}/issues/new?{query}"

    def _gitlab(self, title: str, answers: dict[str, str]) -> str:
        description = "\n\n".join(f"### {label}\n\n{value}" for label, value in answers.items())
        query = urlencode({"issue[title]": title, "issue[description]": description}, quote_via=quote)
        return f"{self.repo_url}/-/issues/new?{query}"

    def vote_url(self, slug: str, vote: str = "up") -> str:
        """The vote form with the idea and the vote filled in (up, down, or none for feedback)."""
        title = f"{_VOTE_WORDS[vote]}: {slug}"
        if self.kind == "gitlab":
            return self._gitlab(title, {"Idea": slug, "Vote": vote, "Feedback": ""})
        return self._github(VOTE_FORM, {"idea": slug, "vote": vote, "title": title})

    def feedback_url(self, slug: str) -> str:
        return self.vote_url(slug, "none")

    def propose_url(self) -> str:
        if self.kind == "gitlab":
            return self._gitlab("Idea: ", {"Title": "", "Problem": "", "Proposal": "", "Tags": ""})
        return self._github(IDEA_FORM, {})


def host_kind(settings: Settings) -> str | None:
    """github, gitlab or None, from the `host` option (auto: judged by repo_url's domain)."""
    url = (settings.repo_url or "").rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or len([p for p in parts.path.split("/") if p]) < 2:
        return None
    chosen = settings.options.host
    if chosen == "none":
        return None
    if chosen != "auto":
        return chosen
    if re.fullmatch(r"(www\.)?github\.com", parts.hostname):
        return "github"
    if parts.hostname.startswith("gitlab."):
        return "gitlab"
    return None


def host(settings: Settings) -> Host | None:
    """The host whose forms the buttons open, if repo_url is on one we know."""
    kind = host_kind(settings)
    return Host(kind, (settings.repo_url or "").rstrip("/")) if kind else None


def editor(settings: Settings) -> Host | None:
    """The links for the site's buttons (kept under its old name for callers that import it)."""
    return host(settings)


def pull_request_url(settings: Settings) -> str | None:
    """Where pull request {number} lives on the Git host of repo_url, if we know the host."""
    kind = host_kind(settings)
    url = (settings.repo_url or "").rstrip("/")
    if kind == "github":
        return url + "/pull/{number}"
    if kind == "gitlab":
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
