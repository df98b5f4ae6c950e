"""mkdocs' file list made while the pages are being made (site/listed_early.py): handed to
mkdocs only when the pages folder holds the same files once they are written, and the
site is then the one a build without it makes."""

from __future__ import annotations

import shutil

import pytest
from mkdocs.commands import build as mkdocs_build

from bubbleup.site import halves, listed_early
from bubbleup.site.walk import Tree
from conftest import GitRepo, build_site, idea, tree, vote

pytestmark = pytest.mark.skipif(not halves.available(), reason="needs a second processor to fork onto")


def walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the file lists mkdocs' build makes itself (those not handed to it)."""
    real, made = mkdocs_build.get_files, []

    def counted(config):
        made.append(1)
        return real(config)

    monkeypatch.setattr(mkdocs_build, "get_files", counted)
    return made


def one_process_site(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site a full build in one process makes (nothing listed early)."""
    shutil.rmtree(repo.root / "site")
    shutil.rmtree(repo.root / ".bubbleup-cache")
    monkeypatch.setattr(halves, "available", lambda: False)
    build_site(repo)
    return tree(repo.root / "site")


@pytest.mark.slow
def test_after_a_vote_the_early_list_is_handed_and_the_site_is_a_full_builds(
    site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    site_repo.commit({f"ideas/idea-{n}.md": idea(f"Idea {n}") for n in range(4)})
    build_site(site_repo)
    made = walks(monkeypatch)
    site_repo.commit({"ideas/idea-1/bob.md": vote("up", "Yes.")})
    build_site(site_repo)
    assert made == []  # the list made early stood in for mkdocs' own
    assert not isinstance(mkdocs_build.get_files, listed_early._Once)
    handed = tree(site_repo.root / "site")
    assert one_process_site(site_repo, monkeypatch) == handed


@pytest.mark.slow
def test_a_new_page_makes_mkdocs_list_the_folder_itself(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    site_repo.commit({f"ideas/idea-{n}.md": idea(f"Idea {n}") for n in range(3)})
    build_site(site_repo)
    made = walks(monkeypatch)
    site_repo.commit({"ideas/newcomer.md": idea("A new idea")})
    build_site(site_repo)
    assert made == [1]  # the early list lacked the new idea's page
    assert (site_repo.root / "site/ideas/newcomer/index.html").is_file()
    built = tree(site_repo.root / "site")
    assert one_process_site(site_repo, monkeypatch) == built


@pytest.mark.slow
def test_without_tool_pages_nothing_is_listed_early(site_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    config = (site_repo.root / "mkdocs.yml").read_text()
    site_repo.commit({"mkdocs.yml": config.replace("- bubbleup", "- bubbleup:\n      tool_pages: false", 1)})
    site_repo.commit({"ideas/idea-0.md": idea("Idea 0")})
    build_site(site_repo)
    made = walks(monkeypatch)
    site_repo.commit({"ideas/idea-0/bob.md": vote("up")})
    build_site(site_repo)
    assert made == [1]


def test_a_list_is_handed_only_for_the_same_tree_and_given_only_to_its_configuration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = mkdocs_build.get_files
    early, other = Tree(), Tree()
    early.add("ideas/a.md")
    other.add("ideas/b.md")
    config, files = object(), object()
    listed = listed_early.Listed(early, files, config)
    assert not listed_early.hand_listed(listed, other)
    assert not listed_early.hand_listed(listed, None)
    assert mkdocs_build.get_files is real
    same = Tree()
    same.add("ideas/a.md")
    assert listed_early.hand_listed(listed, same)
    assert mkdocs_build.get_files(config) is files
    assert mkdocs_build.get_files is real  # once
    asked = []
    monkeypatch.setattr(mkdocs_build, "get_files", lambda config: asked.append(config) or "walked")
    assert listed_early.hand_listed(listed, same)
    assert mkdocs_build.get_files(object()) == "walked"  # another configuration walks
    assert len(asked) == 1
    listed_early.hand_listed(listed, same)
    listed_early.take_listed_back()
    assert not isinstance(mkdocs_build.get_files, listed_early._Once)


def test_give_back_undoes_both_hand_overs(tmp_path) -> None:
    """A build that fails between the hand-overs and mkdocs' walk leaves mkdocs as it was."""
    import os

    from mkdocs.structure import files as mkdocs_files

    from bubbleup.site.walk import hand_over

    real = mkdocs_build.get_files
    pages = Tree()
    pages.add("ideas/a.md")
    (tmp_path / "ideas").mkdir()
    assert hand_over(str(tmp_path), "ideas/", pages)
    assert listed_early.hand_listed(listed_early.Listed(pages, object(), object()), pages)
    assert mkdocs_files.os is not os and mkdocs_build.get_files is not real
    listed_early.give_back()
    assert mkdocs_files.os is os and mkdocs_build.get_files is real
