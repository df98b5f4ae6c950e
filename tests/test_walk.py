"""The pages folder is listed once per build, and mkdocs' file list made from that listing
is the one its own walk gives (site/walk.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bubbleup.site.walk import hand_over, survey, take_back
from conftest import GitRepo, build_site, idea, tree, vote

CONFIG = "site_name: Walk\ndocs_dir: docs\nexclude_docs: |\n  *.tmp\n"


def _files(root: Path, generated: str, handed: bool) -> list[tuple]:
    """mkdocs' file list for `root`'s docs folder: walked by mkdocs, or with the pages
    folder's listing handed over; each file as everything a build reads of it."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config = load_config(config_file=str(root / "mkdocs.yml"))
    if handed:
        assert hand_over(config.docs_dir, generated, survey(root / "docs" / generated))
    try:
        files = get_files(config)
    finally:
        take_back()
    return [
        (file.src_uri, file.abs_src_path, file.dest_uri, file.url, file.name, file.inclusion, file.is_modified())
        + (type(file), vars(file))
        for file in files
    ]


LAYOUT = [
    "index.md",
    "ideas.md",
    "ideas-more/a.md",
    "idea/b.md",
    "about/index.md",
    "zeta/z.md",
    ".hidden.md",
    "section/ideas/index.md",
    "section/ideas/one/index.md",
    "section/other/x.md",
    "ideas/.bubbleup-generated",
    "ideas/index.md",
    "ideas/README.md",
    "ideas/one/index.md",
    "ideas/one/feed.xml",
    "ideas/one/README.md",
    "ideas/one/picture.png",
    "ideas/two/index.md",
    "ideas/two/.draft.md.tmp",
    "ideas/two/deeper/notes.md",
    "ideas/rankings.md",
    "ideas/z/index.md",
]


def _lay_out(root: Path, paths: list[str]) -> None:
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    for path in ["ideas/.bubbleup-generated", *paths]:
        target = root / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {path}\n", encoding="utf-8")
    (root / "docs/ideas/empty").mkdir(parents=True, exist_ok=True)


@pytest.mark.parametrize("generated", ["ideas/", "section/ideas/", "ideas/two/"])
def test_mkdocs_files_from_the_listing_are_those_of_its_own_walk(tmp_path: Path, generated: str) -> None:
    _lay_out(tmp_path, LAYOUT)
    outside = tmp_path / "outside.md"
    outside.write_text("# Linked\n", encoding="utf-8")
    (tmp_path / "docs/ideas/linked.md").symlink_to(outside)  # a link to a file: listed as a file
    walked = _files(tmp_path, generated, handed=False)
    assert any(entry[0] == "ideas/README.md" for entry in walked) is False  # index.md wins, as mkdocs decides
    assert _files(tmp_path, generated, handed=True) == walked
    assert [entry[0] for entry in walked].index("ideas/index.md") < [entry[0] for entry in walked].index("zeta/z.md")


def test_the_handed_walk_makes_the_pages_folder_s_files_without_mkdocs_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files of the folders the walk gave are made without `File.__init__` (its path
    made a `PurePath` and back); the rest as mkdocs makes them, and its `File` is its own
    again once the walk ends, or when the build hands back (`take_back`)."""
    from mkdocs.config import load_config
    from mkdocs.structure import files
    from mkdocs.structure.files import File, get_files

    _lay_out(tmp_path, LAYOUT)
    made: list[str] = []
    original = File.__init__

    def counted(self, path, *rest, **more) -> None:
        made.append(path)
        original(self, path, *rest, **more)

    monkeypatch.setattr(File, "__init__", counted)
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    assert hand_over(config.docs_dir, "ideas/", survey(tmp_path / "docs/ideas"))
    try:
        found = get_files(config)
        assert files.File is File
    finally:
        take_back()
    assert "ideas/one/index.md" in found.src_uris and "ideas/two/deeper/notes.md" in found.src_uris
    assert made and not [path for path in made if path.startswith(("ideas/", "zeta/"))]
    hand_over(config.docs_dir, "ideas/", survey(tmp_path / "docs/ideas"))
    walk = files.os.walk(config.docs_dir, followlinks=True)
    next(walk)
    assert files.File is not File
    take_back()
    assert files.File is File and files.os is os


names = st.sampled_from(["index.md", "README.md", "a.md", "b.txt", ".c.md", "ideas", "ideas.md", "x-y.md"])
folders = st.sampled_from(["", "ideas/", "ideas/one/", "ideas/one/two/", "ideas-x/", "a/", "ideas/a/"])


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.tuples(folders, names), min_size=1, max_size=14))
def test_any_docs_folder_gives_mkdocs_the_same_files_with_the_listing(tmp_path: Path, drawn: set) -> None:
    root = tmp_path / "drawn"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    paths = [folder + name for folder, name in sorted(drawn) if folder + name != "ideas"]
    paths = [path for path in paths if not any(other.startswith(path + "/") for other in paths)]  # file or folder
    _lay_out(root, paths)
    assert _files(root, "ideas/", handed=True) == _files(root, "ideas/", handed=False)


def test_the_listing_stands_for_the_walk_once_and_only_when_whole(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    _lay_out(tmp_path, LAYOUT)
    listed = survey(tmp_path / "docs/ideas")
    (tmp_path / "docs/ideas/later.md").write_text("# Later\n", encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    assert hand_over(config.docs_dir, "ideas/", listed)
    try:
        first, second = get_files(config), get_files(config)
    finally:
        take_back()
    assert "ideas/later.md" not in first.src_uris and "ideas/later.md" in second.src_uris
    (tmp_path / "docs/ideas/folder").symlink_to(tmp_path / "docs/zeta", target_is_directory=True)
    linked = survey(tmp_path / "docs/ideas")
    assert not linked.whole and not hand_over(config.docs_dir, "ideas/", linked)
    assert "ideas/folder/z.md" in get_files(config).src_uris  # mkdocs follows the link itself
    from mkdocs.structure import files

    assert files.os is os


@pytest.fixture
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def _same_as_a_clean_build(repo: GitRepo) -> dict[str, bytes]:
    build_site(repo)
    build_site(repo, "--clean", "--site-dir", str(repo.root / "full"))
    built, full = tree(repo.root / "site"), tree(repo.root / "full")
    assert sorted(built) == sorted(full)
    assert [name for name in built if built[name] != full[name]] == []
    shutil.rmtree(repo.root / "full")
    return built


@pytest.mark.slow
def test_files_put_into_or_taken_from_the_pages_folder_between_builds(site_repo: GitRepo, fixed_time: None) -> None:
    site_repo.commit({"ideas/one.md": idea("One"), "ideas/two.md": idea("Two"), "ideas/two/bob.md": vote("up")})
    build_site(site_repo)
    pages = site_repo.root / "docs/ideas"
    (pages / "stray.md").write_text("# Stray\n", encoding="utf-8")  # someone's file: removed, never published
    (pages / "one/notes.txt").write_text("notes\n", encoding="utf-8")
    (pages / "new-folder").mkdir()
    (pages / "new-folder/page.md").write_text("# Page\n", encoding="utf-8")
    (pages / "two.md").unlink()  # a page the ledger holds, removed behind the build's back
    next(pages.glob("*/*.xml")).unlink()  # a feed
    site_repo.commit({"ideas/one/cat.md": vote("down")})
    built = _same_as_a_clean_build(site_repo)
    assert "stray/index.html" not in built and "ideas/stray/index.html" not in built
    assert not (pages / "stray.md").exists() and not (pages / "new-folder/page.md").exists()
    assert "ideas/two/index.html" in built and (pages / "two.md").is_file()


@pytest.mark.slow
def test_a_link_to_a_folder_in_the_pages_folder_is_walked_by_mkdocs(site_repo: GitRepo, fixed_time: None) -> None:
    site_repo.commit({"ideas/one.md": idea("One")})
    build_site(site_repo)
    elsewhere = site_repo.root / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.md").write_text("# Linked\n", encoding="utf-8")
    (site_repo.root / "docs/ideas/linked").symlink_to(elsewhere, target_is_directory=True)
    site_repo.commit({"ideas/one/bob.md": vote("up")})
    built = _same_as_a_clean_build(site_repo)
    assert "ideas/linked/linked/index.html" in built  # as mkdocs' own walk finds it


def test_a_build_gives_mkdocs_the_listing_the_page_writer_took(site_repo: GitRepo, fixed_time: None) -> None:
    """What `generate` listed is what mkdocs builds from: a page put into the pages folder
    after the listing (which no build does: it holds the project's lock) is not seen,
    and without a listing mkdocs walks the folder itself and finds it."""
    from bubbleup.core.config import settings
    from bubbleup.git.snapshot import snapshot
    from bubbleup.site.build import generate, run_mkdocs

    site_repo.commit({"ideas/one.md": idea("One")})
    config = settings(site_repo.root / "mkdocs.yml")
    written = generate(snapshot(config, whole_history=True))
    assert written.tree is not None and "one.md" in set(written.tree.files())
    (config.pages_dir / "late.md").write_text("# Late\n", encoding="utf-8")
    run_mkdocs(config, strict=False, pages=lambda: written.tree)
    site = site_repo.root / "site"
    assert (site / "ideas/one/index.html").is_file() and not (site / "ideas/late/index.html").exists()
    run_mkdocs(config, strict=False)
    assert (site / "ideas/late/index.html").is_file()
