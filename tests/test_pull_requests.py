"""Which pull request brought each proposal in, measured on a history whose answer is known.

This machine cannot clone a public repository, so the measurement runs on a synthetic
history built to the conventions real proposal repositories use, each document naming
its own pull request in its header (the ground truth): GitHub merge commits, squash
merges ("Subject (#123)"), a maintainer's merge commit "Merge RFC 1234: ...", a later
fix in another pull request, and a change pushed without any pull request. The figures
are asserted exactly and quoted in docs/cli.md.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo

RFC_PATTERN = r"^Merge RFC #?(\d+)\b"


def document(number: int, name: str) -> str:
    return f"- Feature Name: `{name}`\n- RFC PR: [org/rfcs#{number}](https://example.com/pull/{number})\n\n# Summary\n\nText.\n"


def merged(repo: GitRepo, number: int, name: str, subject: str) -> None:
    """A pull request on its own branch, merged with a merge commit whose subject is given."""
    repo.git("switch", "-q", "-c", f"pr-{number}")
    repo.commit({f"text/0000-{name}.md": document(number, name)}, f"Propose {name}")
    repo.commit({f"text/0000-{name}.md": document(number, name) + "\nMore.\n"}, "Address review")
    repo.git("mv", f"text/0000-{name}.md", f"text/{number:04d}-{name}.md")
    repo.git("commit", "-q", "-m", f"RFC {number} is {name}")
    repo.git("switch", "-q", "main")
    repo.git("merge", "-q", "--no-ff", f"pr-{number}", "-m", subject.format(number=number, name=name))


def history_of(repo: GitRepo, patterns: list[str] | None) -> dict[str, list[int]]:
    options = (
        "" if patterns is None else "      pull_request_patterns:\n" + "".join(f"        - '{p}'\n" for p in patterns)
    )
    (repo.root / "mkdocs.yml").write_text(f"site_name: RFCs\nplugins:\n  - bubbleup:\n      ideas_dir: text\n{options}")
    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "history", "--format", "json"])
    assert result.exit_code == 0, result.output
    return {record["path"]: record["pull_requests"] for record in json.loads(result.output)}


@pytest.mark.slow
def test_share_of_documents_linked_to_their_own_pull_request(git_repo: GitRepo) -> None:
    git_repo.commit({"README.md": "RFCs\n"}, "start")
    truth: dict[str, int] = {}
    for number, name in [(101, "github_merge"), (102, "second_merge"), (103, "third_merge")]:
        merged(git_repo, number, name, "Merge pull request #{number} from someone/{name}")
        truth[f"text/{number:04d}-{name}.md"] = number
    for number, name in [(201, "squashed"), (202, "squashed_too")]:
        git_repo.commit({f"text/{number:04d}-{name}.md": document(number, name)}, f"Add the {name} RFC (#{number})")
        truth[f"text/{number:04d}-{name}.md"] = number
    for number, name in [(301, "rfc_merge"), (302, "rfc_merge_two")]:
        merged(git_repo, number, name, "Merge RFC {number}: {name}")
        truth[f"text/{number:04d}-{name}.md"] = number
    git_repo.commit({"text/0401-pushed.md": document(401, "pushed")}, "Add the pushed RFC")  # no pull request at all
    truth["text/0401-pushed.md"] = 401
    git_repo.commit({"text/0101-github_merge.md": document(101, "github_merge") + "Typo.\n"}, "Fix a typo (#500)")

    def share(found: dict[str, list[int]]) -> float:
        return sum(truth[path] in found.get(path, []) for path in truth) / len(truth)

    default = history_of(git_repo, None)
    assert set(default) == set(truth)
    assert default["text/0101-github_merge.md"] == [101, 500]  # its own, and a later fix
    assert default["text/0301-rfc_merge.md"] == []
    assert share(default) == 5 / 8
    configured = history_of(git_repo, [r"^Merge pull request #(\d+)\b", r"\(#(\d+)\)\s*$", RFC_PATTERN])
    assert configured["text/0301-rfc_merge.md"] == [301]
    assert share(configured) == 7 / 8  # only the change pushed without a pull request stays unlinked
