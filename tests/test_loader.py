"""Reading files defensively: size, encoding, symbolic links, stray files."""

from __future__ import annotations

import os
from pathlib import Path

from bubbleup.core.loader import load
from conftest import ROSTER, idea, vote, write


def problems(root: Path) -> list[str]:
    return [str(p) for p in load(root, root / "ideas").problems]


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, {"ideas/latin.md": b"---\ntitle: x\nauthors: [ann]\n---\nCaf\xe9\n"})
    assert problems(tmp_path) == [
        "ideas/latin.md:5: error: not valid UTF-8 (byte 0xe9); save the file with UTF-8 encoding"
    ]


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    write(tmp_path, {"ideas/bom.md": "\ufeff" + idea("With a BOM")})
    assert problems(tmp_path) == []


def test_files_over_the_size_limit_are_not_read(tmp_path: Path) -> None:
    text = idea("Big", body="x" * 2000)
    write(tmp_path, {"ideas/big.md": text})
    catalog = load(tmp_path, tmp_path / "ideas", max_size=1000)
    assert [str(p) for p in catalog.problems] == [
        f"ideas/big.md:1: error: file is {len(text):,} bytes, over the limit of 1,000 (max_file_size); it is not read"
    ]
    assert catalog.left_out == ()  # never read, so never an idea


def test_symlinks_leading_outside_the_repository_are_not_read(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(tmp_path, {"secret.md": idea("Secret"), "repo/ideas/ok.md": idea("Ok")})
    os.symlink(tmp_path / "secret.md", root / "ideas" / "leak.md")
    os.symlink(tmp_path, root / "ideas" / "ok", target_is_directory=True)
    os.symlink(root / "ideas" / "ok.md", root / "ideas" / "inside.md")
    catalog = load(root, root / "ideas")
    assert [str(p) for p in catalog.problems] == [
        "ideas/leak.md:1: error: symbolic link leads outside the repository; it is not read",
        "ideas/ok:1: error: symbolic link leads outside the repository; it is not read",
    ]
    assert sorted(catalog.ideas) == ["inside", "ok"]


def test_a_dangling_symlink_is_reported(tmp_path: Path) -> None:
    write(tmp_path, {"ideas/ok.md": idea("Ok")})
    os.symlink(tmp_path / "ideas" / "gone.md", tmp_path / "ideas" / "dangling.md")
    assert problems(tmp_path) == ["ideas/dangling.md:1: error: symbolic link leads nowhere (its target does not exist)"]


def test_readme_and_hidden_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, {"ideas/README.md": "# About this folder\n", "ideas/.draft.md": "x", "ideas/_notes.md": "x"})
    assert problems(tmp_path) == []


def test_feedback_and_roster_load_into_the_catalog(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "ideas/people.yml": ROSTER,
            "ideas/one.md": idea("One"),
            "ideas/one/bob.md": vote("up", "Good.\n"),
            "ideas/one/cat.md": "No front matter at all.\n",
        },
    )
    catalog = load(tmp_path, tmp_path / "ideas")
    assert catalog.problems == ()
    assert sorted(catalog.roster) == ["ann", "bob", "cat"]
    assert catalog.roster["bob"].emails == ("bob@example.com",) and catalog.roster["bob"].team == "sales"
    assert [(f.handle, f.vote.value, f.text) for f in catalog.feedback] == [
        ("bob", "up", "Good.\n"),
        ("cat", "none", "No front matter at all.\n"),
    ]


def test_a_broken_roster_is_reported_and_valid_entries_kept(tmp_path: Path) -> None:
    write(tmp_path, {"ideas/people.yml": "ann: {name: Ann\n", "ideas/one.md": idea("One", "[zed]")})
    catalog = load(tmp_path, tmp_path / "ideas")
    assert catalog.roster is None  # unreadable roster: handles are not checked
    assert [p.path for p in catalog.problems] == ["ideas/people.yml"]
    assert "the roster is not used" in catalog.problems[0].message
    assert "one" in catalog.ideas


def test_a_missing_ideas_folder_is_reported(tmp_path: Path) -> None:
    catalog = load(tmp_path, tmp_path / "ideas")
    assert catalog.ideas == {}
    assert [str(p) for p in catalog.problems] == [
        "ideas:1: error: the ideas folder does not exist; create it, or set the ideas_dir option in mkdocs.yml"
    ]


def test_a_symlink_to_the_git_folder_is_not_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        {".git/config": "[http]\n  extraheader = AUTHORIZATION: basic c2VjcmV0\n", "ideas/base.md": idea("Base")},
    )
    (tmp_path / "ideas/base").mkdir()
    os.symlink("../../.git/config", tmp_path / "ideas/base/bob.md")
    catalog = load(tmp_path, tmp_path / "ideas")
    assert [str(p) for p in catalog.problems] == [
        "ideas/base/bob.md:1: error: symbolic link leads outside the ideas folder; it is not read"
    ]
    assert catalog.feedback == ()


def test_a_symlink_loop_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "ideas").mkdir()
    os.symlink("loop.md", tmp_path / "ideas/loop.md")
    assert problems(tmp_path) == ["ideas/loop.md:1: error: symbolic link cannot be followed (it loops)"]


def test_lines_are_counted_as_editors_count_them(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "ideas/odd.md": "---\ntitle: caf\u00e9 \u2028 x\nauthors: [ann]\nstatus: maybe\n---\npage\x0cbreak\n<center>x</center>\n"
        },
    )
    assert [p.line for p in load(tmp_path, tmp_path / "ideas").problems] == [2, 4, 6, 7]


def test_an_empty_roster_checks_no_handles(tmp_path: Path) -> None:
    write(tmp_path, {"ideas/people.yml": "# nobody yet\n", "ideas/one.md": idea("One", "[zed]")})
    catalog = load(tmp_path, tmp_path / "ideas")
    assert [str(p) for p in catalog.problems] == [
        "ideas/people.yml:1: warning: the roster is empty, so handles are not checked; "
        "add people as 'handle: {name: ..., emails: [...]}'"
    ]
    assert "one" in catalog.ideas


def test_a_malformed_roster_entry_is_reported_once(tmp_path: Path) -> None:
    write(tmp_path, {"ideas/people.yml": "mkim: x\n", "ideas/one.md": idea("One", "[mkim]")})
    assert problems(tmp_path) == [
        "ideas/people.yml:1: error: mkim: expected the keys name, emails, team, github; got 'x'"
    ]
