"""A history brought forward from the cache orders commits on two branches as a fresh read
does: the audit's "which commit cast the vote", the tally, the history and the built pages
are the same whichever branch was built before the merge (git/commit_log.py
`in_graph_order`, git/history.py `_commits_to_read`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.git.commit_log import Commit, in_graph_order, on_first_parents
from conftest import GitRepo, build_site, idea, tree, vote

ANN = "Ann Example <ann@example.com>"
BOB = "Bob Example <bob@example.com>"
CAT = "Cat Example <cat@example.com>"


def when(day: int) -> str:
    return f"2026-01-{day:02d}T10:00:00+00:00"


def results(repo: GitRepo) -> dict:
    """What a person sees: the audit, the tally and the history, as JSON, and the built site."""
    seen = {}
    for command in (["audit", "--format", "json"], ["tally", "--format", "json"], ["history", "--format", "json"]):
        result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *command])
        assert result.exit_code in (0, 1), result.output
        seen[command[0]] = result.output
    build_site(repo)
    seen["site"] = tree(repo.root / "site")
    del seen["site"][".bubbleup-build.json"]  # what the next build reuses, not what anyone reads
    return seen


def fresh(repo: GitRepo, name: str) -> dict:
    """The results of a clone, which has no cache."""
    clone = GitRepo.__new__(GitRepo)
    clone.root = repo.root.parent / name
    repo.git("clone", "-q", str(repo.root), str(clone.root))
    return results(clone)


@pytest.mark.slow
@pytest.mark.parametrize("built_on", ["side", "main"])
def test_a_vote_changed_on_two_branches_reads_the_same_from_the_cache(
    site_repo: GitRepo, built_on: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ann flips Bob's vote on a branch while Bob changes it on the main line; a build on one
    of them, then the branch merged: the run brought forward from that build's cache finds
    what a clone finds (before, the one built on the branch said Ann cast the vote, the
    clone that she changed it), and so does the next run, after one more vote."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # one "now" for every build
    repo = site_repo
    repo.commit({"ideas/one.md": idea("One")}, "one", author=ANN, when=when(1))
    repo.commit({"ideas/one/bob.md": vote("up")}, "bob votes", author=BOB, when=when(2))
    repo.git("switch", "-q", "-c", "side")
    repo.commit({"ideas/one/bob.md": vote("down")}, "ann flips bob's vote", author=ANN, when=when(3))
    repo.git("switch", "-q", "main")
    repo.commit({"ideas/one/bob.md": vote("down", "Changed my mind.\n")}, "bob", author=BOB, when=when(4))
    repo.git("switch", "-q", built_on)
    results(repo)  # the cache, at the branch built
    repo.git("switch", "-q", "main")
    repo.git("merge", "-q", "--no-commit", "-s", "ours", "side", when=when(5))
    repo.git("commit", "-q", "-m", "Merge branch 'side'", author=BOB, when=when(5))
    merged, clone = results(repo), fresh(repo, "merged")
    assert merged == clone
    assert '"cast-by-someone-else"' not in merged["audit"]  # Bob's own commit set the vote he has
    repo.commit({"ideas/one/cat.md": vote("up")}, "cat votes", author=CAT, when=when(6))
    assert results(repo) == fresh(repo, "voted")


def _ancestors(parents: list[list[int]], tip: int) -> set[int]:
    found, stack = set(), [tip]
    while stack:
        at = stack.pop()
        if at not in found:
            found.add(at)
            stack.extend(parents[at])
    return found


def _ordered(parents: list[list[int]], wanted: set[int]) -> list[str]:
    """`in_graph_order` of the commits `wanted`, listed parents first as `git log --reverse` lists them."""
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    commits = [Commit(str(i), [str(p) for p in parents[i]], moment, "", "", "", []) for i in sorted(wanted)]
    return [commit.sha for commit in in_graph_order(commits)]


@pytest.mark.slow
@given(st.data())
def test_the_commits_since_a_head_on_the_first_parent_line_follow_its_own(data: st.DataObject) -> None:
    """For any commit graph, and any earlier head on the head's first-parent line, the order
    of the whole log is the earlier head's order followed by the order of the commits since:
    what lets the cache be brought forward without changing any event's place."""
    count = data.draw(st.integers(1, 14))
    parents: list[list[int]] = [[]]
    for at in range(1, count):
        parents.append(data.draw(st.lists(st.integers(0, at - 1), max_size=3, unique=True)))
    head, line = count - 1, [count - 1]
    while parents[line[-1]]:
        line.append(parents[line[-1]][0])
    earlier = data.draw(st.sampled_from(line))
    whole, before = _ancestors(parents, head), _ancestors(parents, earlier)
    order = _ordered(parents, whole)
    assert order == _ordered(parents, before) + _ordered(parents, whole - before)
    assert sorted(order, key=int) == sorted(map(str, whole), key=int)
    assert all(order.index(str(p)) < order.index(str(c)) for c in whole for p in parents[c])  # parents first
    since = [Commit(str(i), [str(p) for p in parents[i]], datetime.now(UTC), "", "", "", []) for i in whole - before]
    assert on_first_parents(since, str(earlier), str(head))
