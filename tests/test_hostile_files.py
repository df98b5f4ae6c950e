"""Files as a hostile or careless colleague writes them: each gives a `path:line: message`
or the right result, never a traceback, a lost file, or text that should not be published."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from bubbleup.cli.main import cli
from bubbleup.core import frontmatter
from bubbleup.core.loader import load
from conftest import GitRepo, idea, vote, write

NESTED = "[" * 500 + "]" * 500


def run(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


def no_traceback(result: Result) -> None:
    """The command ended on its own terms: an exit code, not an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output


@pytest.fixture
def repo(site_repo: GitRepo) -> GitRepo:
    """The site repository with one valid idea and git's user.email set to Ann's."""
    site_repo.commit({"ideas/fine.md": idea("Fine idea"), "ideas/campaigns.yml": "q4:\n  title: Q4?\n"})
    site_repo.git("config", "user.email", "ann@example.com")
    return site_repo


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("ideas/deep.md", idea("Deep", extra=f"tags: {NESTED}\n"), 4),
        ("ideas/fine/bob.md", f"---\nvote: up\nx: {NESTED}\n---\n", 3),
        ("ideas/people.yml", f"ann:\n  name: Ann\n  emails: [ann@example.com]\n  team: {NESTED}\n", 4),
        ("ideas/campaigns.yml", f"q4:\n  title: Q4?\n  description: {NESTED}\n", 3),
    ],
)
def test_500_nested_brackets_are_a_problem_in_every_command(repo: GitRepo, name: str, content: str, line: int) -> None:
    write(repo.root, {name: content})
    result = run(repo, "check")
    no_traceback(result)
    assert f"{name}:{line}: error: values nest more than 16 levels deep" in result.output
    for command in (["tally"], ["queue"], ["history"], ["vote", "fine", "--down"], ["new", "Another", "--yes"]):
        no_traceback(run(repo, *command))


def test_the_pure_python_yaml_composer_is_stopped_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frontmatter, "_Loader", yaml.SafeLoader)
    with pytest.raises(frontmatter.FrontMatterError, match="nest too deeply"):
        frontmatter.parse(f"---\ntitle: x\nx: {NESTED}\n---\n")


@pytest.mark.parametrize("args", [["--down"], ["--withdraw"], ["--up", "-m", "New text"]])
def test_a_vote_on_ones_own_broken_file_says_where_and_keeps_it(repo: GitRepo, args: list[str]) -> None:
    broken = "---\nvote: [up\n---\n"
    write(repo.root, {"ideas/fine/ann.md": broken})
    result = run(repo, "vote", "fine", *args)
    no_traceback(result)
    assert result.exit_code == 1
    assert "ideas/fine/ann.md:3: invalid YAML" in result.output and "fix the file" in result.output
    assert (repo.root / "ideas/fine/ann.md").read_text() == broken


def test_a_vote_file_in_utf16_is_refused_not_overwritten(repo: GitRepo) -> None:
    data = "---\nvote: up\n---\n".encode("utf-16")
    write(repo.root, {"ideas/fine/ann.md": data})
    result = run(repo, "vote", "fine", "--down")
    no_traceback(result)
    assert "ideas/fine/ann.md:1: the file is UTF-16" in result.output
    assert (repo.root / "ideas/fine/ann.md").read_bytes() == data


def test_decide_on_front_matter_in_braces_keeps_the_idea(repo: GitRepo) -> None:
    write(repo.root, {"ideas/braces.md": "---\n{title: F, authors: [ann]}\n---\nBody.\n"})
    result = run(repo, "decide", "braces", "planned", "--reason", "We will, soon: next quarter.", "--by", "bob")
    assert result.exit_code == 0, result.output
    catalog = load(repo.root, repo.root / "ideas")
    assert catalog.ideas["braces"].status.value == "planned" and not catalog.problems
    assert catalog.ideas["braces"].decision.reason == "We will, soon: next quarter."


def test_decide_and_vote_keep_crlf_line_endings(repo: GitRepo) -> None:
    write(repo.root, {"ideas/windows.md": idea("Windows").replace("\n", "\r\n")})
    assert run(repo, "decide", "windows", "planned", "--reason", "Yes.", "--by", "bob").exit_code == 0
    text = (repo.root / "ideas/windows.md").read_bytes()
    assert text.count(b"\n") == text.count(b"\r\n") and b"status: planned\r\n" in text
    write(repo.root, {"ideas/windows/ann.md": vote("up", "First.\n").replace("\n", "\r\n")})
    assert run(repo, "vote", "windows", "--down", "-m", "Second\nthoughts.").exit_code == 0
    assert (repo.root / "ideas/windows/ann.md").read_bytes() == b"---\r\nvote: down\r\n---\r\nSecond\r\nthoughts.\r\n"


def test_a_byte_order_mark_survives_an_edit(repo: GitRepo) -> None:
    write(repo.root, {"ideas/fine/ann.md": "\ufeff" + vote("up")})
    assert run(repo, "vote", "fine", "--down").exit_code == 0
    assert (repo.root / "ideas/fine/ann.md").read_text(encoding="utf-8") == "\ufeff" + vote("down")


def test_new_with_a_two_line_title_writes_nothing(repo: GitRepo) -> None:
    result = run(repo, "new", "First line\nsecond line", "--yes")
    no_traceback(result)
    assert result.exit_code == 1
    assert "nothing written" in result.output and "title: expected one line of text" in result.output
    assert sorted(p.name for p in (repo.root / "ideas").glob("*.md")) == ["fine.md"]


def test_decide_writes_a_reason_with_a_tag_that_check_shows_as_text(repo: GitRepo) -> None:
    # A reason is Markdown, as GitHub reads it: <Enter> is not a tag GitHub shows, so the
    # page shows it as text and check warns; the idea stays on the site.
    result = run(repo, "decide", "fine", "planned", "--reason", "Press <Enter>", "--by", "bob")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    checked = run(repo, "check")
    assert checked.exit_code == 0 and "warning: decision.reason: shown as text, not as HTML: <Enter>" in checked.output


@pytest.mark.parametrize("reason", ["Bad \x01 byte", "Spoof \u202eevil"])
def test_decide_checks_the_file_it_would_write_as_check_does(repo: GitRepo, reason: str) -> None:
    before = (repo.root / "ideas/fine.md").read_bytes()
    result = run(repo, "decide", "fine", "planned", "--reason", reason, "--by", "bob")
    no_traceback(result)
    assert result.exit_code == 1 and "nothing written: ideas/fine.md would not pass bubbleup check" in result.output
    assert "\n  ideas/fine.md:7: error: " in result.output  # the line of decision.reason
    assert (repo.root / "ideas/fine.md").read_bytes() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("---\ntitle: T\nauthors: [ann]\n---\nText\n".encode("utf-16-le"), "1: error: the file holds NUL bytes"),
        ("---\ntitle: T\nauthors: [ann]\n---\nText\n".encode("utf-16"), "1: error: the file is UTF-16"),
        (b"---\rtitle: T\rauthors: [ann]\r---\rText\r", "1: error: the lines end with a carriage return only"),
        ("---\ntitle: a\u202eb\nauthors: [ann]\n---\n".encode(), "2: error: U+202E (right-to-left override"),
        (b"---\ntitle: a\x01b\nauthors: [ann]\n---\n", "2: error: U+0001 (a control character) at column 9"),
        (b"---\ntitle: T\nauthors: [ann]\x1b[2J\n---\n", "3: error: U+001B"),
    ],
)
def test_odd_encodings_and_control_characters_in_front_matter_are_errors(
    tmp_path: Path, data: bytes, message: str
) -> None:
    write(tmp_path, {"ideas/odd.md": data, "ideas/odd/ann.md": vote("up")})
    catalog = load(tmp_path, tmp_path / "ideas")
    assert any(str(problem).startswith(f"ideas/odd.md:{message}") for problem in catalog.problems), catalog.problems
    assert "odd" not in catalog.ideas and not catalog.feedback
    assert not any("does not exist" in problem.message for problem in catalog.problems)


@pytest.mark.parametrize(
    ("body", "message", "published"),
    [
        (b"A\x01B\n", "5: warning: U+0001 (a control character) at column 2; it is left out", "AB\n"),
        (b"A\rB\n", "5: warning: U+000D (a carriage return without a line feed)", "AB\n"),
        (b"\x1b[31mred\n", "5: warning: U+001B", "[31mred\n"),
        ("A\u202eB\u2066C\n".encode(), "5: warning: U+202E (right-to-left override", "ABC\n"),
        (b"ok\nA\x7fB\x0cC\n", "6: warning: U+007F", "ok\nABC\n"),
    ],
)
def test_control_characters_in_the_text_are_reported_and_left_out(
    tmp_path: Path, body: bytes, message: str, published: str
) -> None:
    write(tmp_path, {"ideas/odd.md": b"---\ntitle: T\nauthors: [ann]\n---\n" + body})
    catalog = load(tmp_path, tmp_path / "ideas")
    assert any(str(problem).startswith(f"ideas/odd.md:{message}") for problem in catalog.problems), catalog.problems
    assert catalog.ideas["odd"].text == published


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"ideas/one.md": idea("One", '["ann\\n"]')}, "authors: expected a handle"),
        ({"ideas/one\n.md": idea("One")}, "file name: expected a slug"),
        ({"ideas/one.md": idea("One", extra='campaign: "q4\\n"\n')}, "campaign: expected a slug"),
        ({"ideas/one.md": idea("One"), "ideas/one/ann\n.md": vote("up")}, "file name: expected a handle"),
        ({"ideas/people.yml": '"ann\\n": {name: Ann}\n'}, "handle: expected lower-case letters"),
        ({"ideas/people.yml": 'ann: {name: "Ann \u202eevil"}\n'}, "U+202E"),
        ({"ideas/people.yml": 'ann: {name: "Ann \\u202eevil"}\n'}, "ann.name: control characters"),
        ({"ideas/one.md": idea("Spoof \u2067txt.exe\u2069")}, "U+2067"),
    ],
)
def test_names_ending_in_a_newline_or_holding_bidi_controls_fail(tmp_path: Path, files: dict, message: str) -> None:
    write(tmp_path, files)
    catalog = load(tmp_path, tmp_path / "ideas")
    assert any(message in problem.message for problem in catalog.problems), catalog.problems


@pytest.mark.slow
def test_a_control_byte_never_reaches_the_feed(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/good.md": idea("Good idea", body="Hidden\x01\x0c text\n"),
            "ideas/bad-title.md": "---\ntitle: Bad\x1b[2J title\nauthors: [ann]\n---\n",
        }
    )
    result = run(site_repo, "build")
    assert result.exit_code == 0, result.output
    feed = (site_repo.root / "site/ideas/feed.xml").read_text(encoding="utf-8")
    root = ElementTree.fromstring(feed)  # well-formed
    titles = [entry.text for entry in root.iter() if entry.tag.endswith("title")]
    assert "New idea: Good idea" in titles and not any("Bad" in (title or "") for title in titles)
    assert not any(character in feed for character in "\x01\x0c\x1b")
    page = (site_repo.root / "site/ideas/good/index.html").read_text(encoding="utf-8")
    assert "Hidden text" in page and "\x01" not in page
    assert run(site_repo, "build", "--strict").exit_code == 1


def test_intake_checks_the_file_it_would_write_as_check_does(site_repo: GitRepo, tmp_path: Path) -> None:
    from intake_events import ROSTER, TEMPLATES, install_templates, payload, render_body, write_event

    install_templates(site_repo.root)
    site_repo.commit({"ideas/people.yml": ROSTER}, "forms")
    before = site_repo.git("branch", "-a")
    answers = {"title": "Free fruit \u202eyadirf no", "problem": "We snack.", "proposal": "Fruit.", "tags": ""}
    event = write_event(tmp_path / "event.json", payload("ann-gh", render_body(TEMPLATES / "idea.yml", answers)))
    result = run(site_repo, "intake", "--event", str(event))
    no_traceback(result)
    assert "nothing was recorded" in result.output and "would not pass bubbleup check" in result.output
    assert site_repo.git("branch", "-a") == before
