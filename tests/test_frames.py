"""Skeletons and frames (site/skeleton.py, site/frames.py, site/framing.py) give the
pages that Python-Markdown and the theme would give, byte for byte."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

import markdown
from browsing import copy_demo
from bubbleup.cli.main import cli
from bubbleup.core.markup import inline
from bubbleup.site import framing, halves, skeleton
from conftest import MKDOCS_YML, GitRepo, idea, vote

TITLES = [
    "Plain words for a title",
    "Votes",
    "Fish & chips on Fridays",
    "A <script>alert(1)</script> title",
    'Say "hello" to the team',
    "It's the café · naïve Ünïcode",
    "Use *stars* and _underscores_ and `code`",
    "1. Numbered first",
    "Feedback (3)",
    "bbuptitlemark in a title",
]

RICH_YML = """\
site_name: Rich ideas
site_url: https://ideas.example.com/
repo_url: https://github.com/example/ideas
edit_uri: edit/main/docs/
use_directory_urls: false
theme:
  name: material
  font: false
  features: [navigation.sections, content.action.edit, toc.follow]
plugins:
  - search
  - bubbleup
not_in_nav: |
  /ideas/*.md
nav:
  - Home: index.md
  - All ideas: ideas/index.md
markdown_extensions:
  - toc:
      permalink: "#"
      toc_depth: 3
  - admonition
  - attr_list
  - md_in_html
"""


def build(repo: GitRepo, *args: str) -> None:
    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build", *args])
    assert result.exit_code == 0, result.output


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def assert_same(one: dict[str, bytes], other: dict[str, bytes]) -> None:
    """Two sites hold the same files, byte for byte (the names of those that differ, if not)."""
    assert sorted(one) == sorted(other)
    assert [name for name in one if one[name] != other[name]] == []


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[framing.Built]:
    """What each build did with the shortcuts; builds made as of one moment."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    seen: list[framing.Built] = []
    original = framing.build

    def counting(*args, **kwargs):
        built = original(*args, **kwargs)
        seen.append(built)
        return built

    monkeypatch.setattr(framing, "build", counting)
    return seen


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that splits mkdocs' pages between two processes, however few pages it has
    and however many processors the machine has."""
    monkeypatch.setattr(framing, "SPLIT_FROM", 0)
    monkeypatch.setattr(halves, "available", lambda: True)


def ideas(repo: GitRepo) -> None:
    files = {f"ideas/idea-{number}.md": idea(title, authors="[ann, bob]") for number, title in enumerate(TITLES)}
    files["ideas/idea-0/bob.md"] = vote("up", "Yes, **please**.\n")
    files["ideas/idea-0/cat.md"] = vote("down")
    files["ideas/idea-1/cat.md"] = vote("up", "## A heading in feedback\n\nText.\n")
    files["ideas/idea-2.md"] = idea(TITLES[2], extra="status: declined\ndecision: Not now.\n")
    repo.commit(files)


def without_shortcuts(repo: GitRepo, monkeypatch: pytest.MonkeyPatch, folder: str) -> dict[str, bytes]:
    with monkeypatch.context() as patch:
        patch.setattr(framing, "supported", lambda config: False)
        build(repo, "--clean", "--site-dir", str(repo.root / folder))
    return tree(repo.root / folder)


@pytest.mark.slow
@pytest.mark.parametrize("config", [MKDOCS_YML, RICH_YML], ids=["plain", "rich"])
def test_pages_from_frames_equal_the_themes_own(
    site_repo: GitRepo, counted: list[framing.Built], monkeypatch: pytest.MonkeyPatch, config: str
) -> None:
    if config != MKDOCS_YML:
        site_repo.commit({"mkdocs.yml": config})
    ideas(site_repo)
    build(site_repo)
    built = counted[-1]
    assert built.framed > 0 and built.converted > 0  # the shortcuts were taken
    assert len(built.fallback) > 0  # and some pages (emphasis, ampersands) went the ordinary way
    fast, plain = tree(site_repo.root / "site"), without_shortcuts(site_repo, monkeypatch, "plain")
    assert_same(fast, plain)


@pytest.mark.slow
def test_the_demo_is_the_same_with_and_without_shortcuts(
    tmp_path: Path, counted: list[framing.Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled demo: its own theme overrides, the offline plugin, snippets."""
    repo = copy_demo(tmp_path / "repo")
    build(repo)
    assert counted[-1].framed > 0 and counted[-1].converted > 0
    fast, plain = tree(repo.root / "site"), without_shortcuts(repo, monkeypatch, "plain")
    assert_same(fast, plain)


@pytest.mark.slow
@pytest.mark.parametrize(
    "override",
    [
        "<p class='shout'>{{ page.title | upper }}</p>",
        "<p class='size'>{{ page.content | length }}</p>",
        "<p class='quoted'>{{ page.meta.title | urlencode }}</p>",
        "{% if page.title | length > 22 %}<p>long</p>{% endif %}",
    ],
)
def test_a_theme_that_reads_the_values_gets_the_same_pages(
    site_repo: GitRepo, counted: list[framing.Built], monkeypatch: pytest.MonkeyPatch, override: str
) -> None:
    site_repo.commit(
        {
            "mkdocs.yml": MKDOCS_YML.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"),
            "overrides/main.html": '{% extends "base.html" %}\n{% block content %}{{ super() }}'
            + override
            + "{% endblock %}\n",
        }
    )
    ideas(site_repo)
    build(site_repo)
    fast, plain = tree(site_repo.root / "site"), without_shortcuts(site_repo, monkeypatch, "plain")
    assert [name for name in sorted(set(fast) | set(plain)) if fast.get(name) != plain.get(name)] == []


@pytest.mark.slow
def test_a_shortcut_that_differs_builds_every_page_the_ordinary_way(
    site_repo: GitRepo, counted: list[framing.Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    ideas(site_repo)
    original = skeleton.convert

    def wrong(calibration, text):
        converted = original(calibration, text)
        if converted is not None:
            converted.html += "<p>wrong</p>"
        return converted

    with monkeypatch.context() as patch:
        patch.setattr(skeleton, "convert", wrong)
        build(site_repo)
    assert counted[-1].framed == 0 and counted[-1].converted == 0
    fast, plain = tree(site_repo.root / "site"), without_shortcuts(site_repo, monkeypatch, "plain")
    assert [name for name in fast if fast[name] != plain[name]] == []
    entries = json.loads(fast["search/search_index.json"])["docs"]
    locations = [entry["location"] for entry in entries]
    assert len(locations) == len(set(locations))  # the first attempt's entries were taken back


@pytest.mark.slow
@pytest.mark.usefixtures("two_processes")
def test_pages_built_in_two_processes_equal_those_built_in_one(
    site_repo: GitRepo, counted: list[framing.Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    ideas(site_repo)
    answers: list[object] = []

    class Heard(halves.Ahead):
        def result(self):
            answers.append(super().result())
            return answers[-1]

    monkeypatch.setattr(halves, "Ahead", Heard)
    build(site_repo)
    assert answers and None not in answers  # the child built its half: none was built here again
    two, built = tree(site_repo.root / "site"), counted[-1]
    with monkeypatch.context() as patch:
        patch.setattr(halves, "available", lambda: False)
        build(site_repo, "--clean", "--site-dir", str(site_repo.root / "one"))
    one = tree(site_repo.root / "one")
    assert built.pages == counted[-1].pages and built.framed > 0  # each process checks its first pages
    assert_same(two, one)


@pytest.mark.slow
@pytest.mark.usefixtures("two_processes")
@pytest.mark.parametrize("failure", [OSError(28, "No space left on device", "x.html"), ValueError("odd")])
def test_a_half_the_second_process_fails_is_built_here_and_the_site_is_the_same(
    site_repo: GitRepo, counted: list[framing.Built], monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    """A child that fails (or dies: killed for memory, say) costs time, not the build."""
    ideas(site_repo)
    parent, original = os.getpid(), framing._all
    halves_built: list[int] = []

    def failing_in_the_child(pages, *args, **kwargs):
        if os.getpid() != parent:
            raise failure
        halves_built.append(len(pages))
        return original(pages, *args, **kwargs)

    monkeypatch.setattr(framing, "_all", failing_in_the_child)
    build(site_repo)
    assert len(halves_built) == 2  # this process built its own half, then the child's
    two = tree(site_repo.root / "site")
    monkeypatch.setattr(framing, "_all", original)
    monkeypatch.setattr(halves, "available", lambda: False)
    build(site_repo, "--clean", "--site-dir", str(site_repo.root / "one"))
    one = tree(site_repo.root / "one")
    assert_same(two, one)


@pytest.mark.slow
@pytest.mark.usefixtures("two_processes")
def test_a_full_disk_while_pages_are_built_in_two_processes_fails_the_build_in_one_line(
    site_repo: GitRepo, counted: list[framing.Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    ideas(site_repo)

    def full(pages, *args, **kwargs):
        raise OSError(28, "No space left on device", "x.html")

    monkeypatch.setattr(framing, "_all", full)
    result = CliRunner().invoke(cli, ["-f", str(site_repo.root / "mkdocs.yml"), "build"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # an error line, not a crash
    assert "No space left" in result.output and "Traceback" not in result.output
    assert not (site_repo.root / "site").exists()  # nothing half built was put in place


@pytest.mark.slow
def test_a_long_skeleton_passes_its_check_to_the_next_page(
    site_repo: GitRepo, counted: list[framing.Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check against Python-Markdown falls on short skeletons only: on the Decisions
    page of 5,000 ideas it cost most of what converting the page saved."""
    from mkdocs.structure.pages import Page

    ideas(site_repo)
    checked: list[int] = []
    render, attempt = Page.render, framing._attempt
    within: list[bool] = []

    def checking(page, config, files):
        if within:  # a page built after mkdocs' loop: a check, or a page that fell back
            checked.append(len(page.markdown))
        return render(page, config, files)

    def attempting(*args, **kwargs):
        within.append(True)
        return attempt(*args, **kwargs)

    monkeypatch.setattr(framing, "CHECK_UP_TO", 200)
    monkeypatch.setattr(Page, "render", checking)
    monkeypatch.setattr(framing, "_attempt", attempting)
    build(site_repo)
    fallback = {len(page.markdown) for page in counted[-1].fallback}
    lengths = [length for length in checked if length not in fallback]
    assert lengths and max(lengths) <= 200 and counted[-1].converted > len(lengths)


CONFIGS = [
    (["toc", "tables"], {"toc": {"permalink": True}}),
    (["toc", "admonition", "attr_list", "md_in_html"], {"toc": {"permalink": "#", "toc_depth": 3}}),
    (["toc"], {"toc": {"baselevel": 2, "anchorlink": True}}),
    (["toc", "sane_lists", "def_list"], {}),
    (["toc", "admonition", "attr_list", "md_in_html", "pymdownx.snippets"], {"toc": {"permalink": True}}),
]
TEXT = st.text(alphabet="abcXYZ019 .,;:?!·()-_*&<>#[]`'\"é", min_size=1, max_size=24)
BLOCK = st.one_of(
    st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 6), TEXT),
    st.builds(lambda key: f"bubbleuphtml{key:016x}", st.integers(0, 2**64 - 1)),
    TEXT,
    st.sampled_from(["## Votes", "### Ann Example · votes up", "No written feedback yet.", "## Proposed (5)"]),
    st.builds(
        lambda level, text: "#" * level + " " + inline(text),
        st.integers(1, 6),
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=24),
    ),
)
"""Plain headings and sentences, headings of escaped titles (as core/markup.inline
escapes them: any character), placeholders, and text that is neither."""


@settings(max_examples=300, deadline=None)
@given(
    blocks=st.lists(BLOCK, max_size=8),
    separator=st.sampled_from(["\n\n", "\n\n\n", "\n \n"]),
    which=st.integers(0, len(CONFIGS) - 1),
)
@pytest.mark.slow
@example(blocks=["# Votes", "## Votes", "## Votes", "## Votes_1"], separator="\n\n", which=0)
@example(blocks=["## Take part", "bubbleuphtml00000000000000ff", "Team: support"], separator="\n\n", which=1)
@example(blocks=["## &#60;script&#62;", "## It's &#38; C++ 3.5 / ok?", "## ·", "## ·"], separator="\n\n", which=2)
def test_a_converted_skeleton_equals_python_markdown(blocks: list[str], separator: str, which: int) -> None:
    extensions, configs = CONFIGS[which]
    calibration = skeleton.calibrate(extensions, configs)
    assert calibration is not None
    text = separator.join(blocks)
    converted = skeleton.convert(calibration, text)
    if converted is None:
        return
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    assert converted.html == md.convert(text)
    assert converted.tokens == md.toc_tokens


def test_plain_skeletons_are_converted_and_others_are_not() -> None:
    calibration = skeleton.calibrate(["toc", "tables"], {"toc": {"permalink": True}})
    assert calibration is not None
    page = "# A title\n\nbubbleuphtml0123456789abcdef\n\n## Votes\n\n### Ann Example · votes up\n\nNo feedback yet.\n"
    converted = skeleton.convert(calibration, page)
    assert converted is not None and converted.title == "A title"
    assert [token["id"] for token in converted.tokens] == ["a-title"]
    assert converted.anchors == {"a-title", "votes", "ann-example-votes-up"}
    for other in ("Some *emphasis*", "[a link](x.md)", "1. a list", "> quoted", "a & b", "line\nbreak", "`code`"):
        assert skeleton.convert(calibration, f"## Votes\n\n{other}\n") is None
    assert skeleton.calibrate(["toc", "pymdownx.smartsymbols"], {}) is None  # it would turn (c) into ©


def test_headings_of_escaped_titles_are_converted() -> None:
    """A title or a name in a heading, escaped by core/markup.inline (hostile ones too), is
    converted; the same characters unescaped, or in a page's first heading, are not."""
    calibration = skeleton.calibrate(["toc", "tables"], {"toc": {"permalink": True}})
    assert calibration is not None
    titles = ["<script>alert(1)</script>", "Fish & chips", "Use *stars* and `code`", 'It\'s 3.5 / "ok"?']
    page = "# Decisions\n\n" + "".join(f"## {inline(title)}\n\nbubbleuphtml0123456789abcdef\n\n" for title in titles)
    converted = skeleton.convert(calibration, page)
    assert converted is not None and converted.title == "Decisions"
    md = markdown.Markdown(extensions=["toc", "tables"], extension_configs={"toc": {"permalink": True}})
    assert (converted.html, converted.tokens) == (md.convert(page), md.toc_tokens)
    assert [token["id"] for token in converted.tokens[0]["children"]] == [
        "scriptalert1script",
        "fish-chips",
        "use-stars-and-code",
        "its-35-ok",
    ]
    for other in (f"# {inline(titles[1])}", "## Fish & chips", "## a &#39; b", "## *stars*", "## tab\there"):
        assert skeleton.convert(calibration, f"{other}\n\nbubbleuphtml0123456789abcdef\n") is None, other
