"""A folder of existing proposals without front matter, RFC style: titles come from the
documents, code is never HTML, and every file is in `history`, broken ones included.

The documents are written for this test in the shapes such folders have (a header list,
a first heading that names a section, indented and fenced code with generics, a table of
contents in a comment, a file name that breaks the naming rule)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo

MKDOCS = "site_name: Proposals\nplugins:\n  - bubbleup:\n      ideas_dir: text\n"

DOCUMENTS = {
    "text/0001-private-fields.md": (
        "- Start Date: 2014-03-11\n- RFC PR: [org/rfcs#1](https://example.com/org/rfcs/pull/1)\n\n"
        "## Summary\n\nMake fields private by default.\n\n    struct Foo<T> { field: Vec<T> }\n\n"
        "## Detailed design\n\nSee `Option<T>` and:\n\n```rust\nfn id<T>(x: T) -> T { x }\n```\n"
    ),
    "text/2000-const-generics.md": (
        "- Feature Name: `const_generics`\n- Start Date: 2017-05-01\n- RFC PR: [org/rfcs#2000](https://example.com)\n\n"
        "# Summary\n[summary]: #summary\n\nTypes generic over values, such as `[T; N]`.\n\n"
        "<details>\n<summary>Examples</summary>\n\n    impl<T, const N: usize> Foo for [T; N] {}\n\n</details>\n\n"
        "Written as x<sup>2</sup>,<br>and more.\n"
    ),
    "text/1444-union.md": (
        "- Feature Name: `untagged_unions` (v1.2)\n- Start Date: 2015-12-29\n\n<!-- TOC -->\n\n"
        "- [Summary](#summary)\n\n<!-- /TOC -->\n\n# Summary\n\nUnions as in C: `union U { a: u8 }`.\n"
    ),
    "text/3000-better-errors.md": "# Better error messages\n\nErrors say what to do.\n",
    "text/0000-Project-Goals.md": "# Project goals\n\nThe file name breaks the naming rule.\n",
}


def test_a_proposal_folder_reads_as_ideas_with_their_history(git_repo: GitRepo) -> None:
    git_repo.commit({"mkdocs.yml": MKDOCS, "docs/index.md": "# Home\n"}, "site")
    for number, (path, text) in enumerate(DOCUMENTS.items(), start=10):
        git_repo.commit({path: text}, f"Add {path} (#{number})")
    runner = CliRunner()
    checked = runner.invoke(cli, ["-f", str(git_repo.root / "mkdocs.yml"), "check", "--format", "json"])
    problems = json.loads(checked.output)["problems"] if checked.output.startswith("{") else json.loads(checked.output)
    html_findings = [p for p in problems if "HTML" in p["message"] or "shown as text" in p["message"]]
    assert html_findings == [], html_findings
    errors = [(p["path"], p["message"]) for p in problems if p["severity"] == "error"]
    assert [path for path, _ in errors] == ["text/0000-Project-Goals.md"]
    history = runner.invoke(cli, ["-f", str(git_repo.root / "mkdocs.yml"), "history", "--format", "json"])
    records = {record["path"]: record for record in json.loads(history.output)}
    assert set(records) == set(DOCUMENTS)  # every file, the broken one too
    assert {path: record["pull_requests"] for path, record in records.items()} == {
        path: [number] for number, path in enumerate(DOCUMENTS, start=10)
    }
    titles = {path: record["title"] for path, record in records.items()}
    assert titles == {
        "text/0001-private-fields.md": "Private fields",
        "text/2000-const-generics.md": "Const generics",
        "text/1444-union.md": "Untagged unions (v1.2)",
        "text/3000-better-errors.md": "Better error messages",
        "text/0000-Project-Goals.md": None,
    }
    assert records["text/0000-Project-Goals.md"]["note"].startswith("left out of the site")
    assert records["text/0000-Project-Goals.md"]["created"] is not None
