"""The configuration schema: each field's check and message, `!ENV`, and one reading shared
by the CLI and the MkDocs plugin."""

from __future__ import annotations

import ast
import dataclasses
import typing
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from bubbleup.cli.main import cli
from bubbleup.core.config import OptionProblem, Options, settings
from bubbleup.core.config_options import kind_of
from bubbleup.core.model import BubbleupError
from conftest import idea, write

CONFIG = Path(__file__).resolve().parents[1] / "tools/bubbleup/core/config.py"


def configure(root: Path, options: str) -> Path:
    """An mkdocs.yml whose bubbleup plugin entry holds `options` (indented lines)."""
    text = "site_name: Test\nplugins:\n  - search\n  - bubbleup:\n" + "".join(
        f"      {line}\n" for line in options.splitlines()
    )
    write(root, {"mkdocs.yml": text, "ideas/alpha.md": idea("Alpha")})
    return root / "mkdocs.yml"


def test_every_field_has_a_kind_of_its_type_and_a_docstring() -> None:
    hints = typing.get_type_hints(Options)
    for field in dataclasses.fields(Options):
        kind = kind_of(field)
        assert typing.get_origin(hints[field.name]) or hints[field.name] is kind.python_type, field.name
        assert kind.check(field.default) == field.default
    body = next(node for node in ast.parse(CONFIG.read_text()).body if getattr(node, "name", "") == "Options")
    statements = body.body  # type: ignore[attr-defined]
    for index, statement in enumerate(statements):
        if isinstance(statement, ast.AnnAssign):
            following = statements[index + 1]
            assert isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant), ast.dump(statement)


def test_env_tag_reads_the_environment_with_a_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = configure(tmp_path, "threshold_votes: !ENV [BUBBLEUP_VOTES, 3]\naudience: !ENV BUBBLEUP_AUDIENCE")
    monkeypatch.delenv("BUBBLEUP_VOTES", raising=False)
    monkeypatch.delenv("BUBBLEUP_AUDIENCE", raising=False)
    found = settings(config).options
    assert found.threshold_votes == 3 and found.audience == "internal"
    monkeypatch.setenv("BUBBLEUP_VOTES", "7")
    monkeypatch.setenv("BUBBLEUP_AUDIENCE", "public")
    found = settings(config).options
    assert found.threshold_votes == 7 and found.audience == "public"
    monkeypatch.setenv("BUBBLEUP_VOTES", "seven")
    with pytest.raises(BubbleupError, match=r"mkdocs.yml:5: plugins.bubbleup.threshold_votes: expected a number"):
        settings(config)


def test_tags_for_mkdocs_alone_are_harmless(tmp_path: Path) -> None:
    config = configure(tmp_path, "ideas_dir: ideas")
    with config.open("a") as file:
        file.write(
            "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        )
        file.write("extra:\n  logo: !relative $config_dir/logo.png\n")
    assert settings(config).options == Options()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("trending_half_life: 0", "trending_half_life: expected a number of 1 or more, got 0"),
        ("max_file_size: -1", "max_file_size: expected a number of 0 or more, got -1"),
        ("score_scale: true", "score_scale: expected a number of 1 or more, got True"),
        ("threshold_votes: '3'", "threshold_votes: expected a number of 0 or more, got '3'"),
        ("audience: world", "audience: expected one of internal, public, got 'world'"),
        ("enabled: 'no'", "enabled: expected true or false, got 'no'"),
        ("ideas_dir: [a]", "ideas_dir: expected text, got ['a']"),
        ("criteria: impact", "criteria: expected a list of text, got 'impact'"),
        ("pull_request_patterns: ['(x']", "pull_request_patterns: '(x' is not a regular expression"),
        ("pull_request_patterns: ['#\\d+']", "needs exactly one group, the pull request number"),
        ("colour: blue", "plugins.bubbleup: unknown option 'colour'; expected one of enabled, ideas_dir"),
        ("ideas_dir: ../../etc", "ideas_dir must be inside"),
    ],
)
def test_each_check_is_one_error_line_naming_file_line_and_key(tmp_path: Path, line: str, message: str) -> None:
    config = configure(tmp_path, f"pages_dir: ideas\n{line}")
    result = CliRunner().invoke(cli, ["-f", str(config), "tally"])
    assert result.exit_code == 1
    error = result.output.strip()
    assert error.startswith(f"Error: {config}:6: ") and message in error and "\n" not in error, error


def test_other_places_report_their_line(tmp_path: Path) -> None:
    write(tmp_path, {"mkdocs.yml": "site_name: x\nextra:\n  bubbleup:\n    vote_budget: -2\n"})
    with pytest.raises(BubbleupError, match=r"mkdocs.yml:4: extra.bubbleup.vote_budget: expected a number of 0"):
        settings(tmp_path / "mkdocs.yml")
    write(tmp_path, {"mkdocs.yml": "site_name: x\nplugins:\n  bubbleup:\n    audience: all\n"})
    with pytest.raises(BubbleupError, match=r"mkdocs.yml:4: plugins.bubbleup.audience: expected one of"):
        settings(tmp_path / "mkdocs.yml")
    write(tmp_path, {"mkdocs.yml": "site_name: x\nsite_dir: /elsewhere\n"})
    with pytest.raises(BubbleupError, match=r"mkdocs.yml:2: site_dir must be inside"):
        settings(tmp_path / "mkdocs.yml")


def test_a_key_set_twice_is_named_with_both_lines(tmp_path: Path) -> None:
    """mkdocs keeps the last of two `plugins:` silently; bubbleup says where both are."""
    write(tmp_path, {"mkdocs.yml": "site_name: x\nplugins:\n  - bubbleup\ntheme: material\nplugins:\n  - search\n"})
    with pytest.raises(BubbleupError, match=r"mkdocs.yml:5: duplicate key 'plugins': it is already set on line 2"):
        settings(tmp_path / "mkdocs.yml")
    nested = "site_name: x\nplugins:\n  - search\n  - bubbleup:\n      threshold_votes: 3\n      threshold_votes: 5\n"
    write(tmp_path, {"mkdocs.yml": nested})
    result = CliRunner().invoke(cli, ["-f", str(tmp_path / "mkdocs.yml"), "check"])
    assert result.exit_code == 1
    assert "mkdocs.yml:6: duplicate key 'plugins.bubbleup.threshold_votes': it is already set on line 5" in (
        result.output
    )
    merged = "site_name: x\nbase: &base {a: 1}\nextra:\n  <<: *base\n  b: 2\n"
    write(tmp_path, {"mkdocs.yml": merged, "ideas/people.yml": ""})
    assert settings(tmp_path / "mkdocs.yml").site_name == "x"  # a merge key is not a repeated key
    write(tmp_path, {"mkdocs.yml": "site_name: x\nextra:\n  loop: &loop [1, *loop]\n  again: *loop\n"})
    assert settings(tmp_path / "mkdocs.yml").site_name == "x"  # an alias that holds itself is looked at once


def test_half_life_of_zero_is_refused_before_it_divides(tmp_path: Path) -> None:
    config = configure(tmp_path, "trending_half_life: 0")
    for command in (["tally", "--sort", "trending"], ["build"]):
        result = CliRunner().invoke(cli, ["-f", str(config), *command])
        assert result.exit_code == 1 and "trending_half_life: expected a number of 1 or more" in result.output
        assert not isinstance(result.exception, ZeroDivisionError)


def test_plugin_reads_the_same_options_as_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config

    monkeypatch.setenv("BUBBLEUP_TEAMS", "4")
    config = configure(
        tmp_path,
        "threshold_votes: 5\nthreshold_teams: !ENV [BUBBLEUP_TEAMS, 1]\ntrending_half_life: 7\n"
        "criteria: [value]\naudience: public\noverdue_warnings: true\npull_request_patterns: ['!(\\d+)']",
    )
    with config.open("a") as file:
        file.write("site_url: https://ideas.example.org\nrepo_url: https://github.com/acme/ideas\ndocs_dir: docs\n")
    (tmp_path / "docs").mkdir()
    mkdocs_config = load_config(config_file=str(config))
    plugin = mkdocs_config.plugins["bubbleup"]
    plugin.on_config(mkdocs_config)
    assert plugin.settings == settings(config)
    assert plugin.settings.options.threshold_teams == 4 and plugin.settings.options.criteria == ("value",)
    assert plugin.settings.site_url == "https://ideas.example.org/"
    assert plugin.settings.edit_uri == "edit/master/docs/"


def test_plugin_refuses_what_the_cli_refuses(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    config = configure(tmp_path, "trending_half_life: 0")
    with pytest.raises(Abort):
        load_config(config_file=str(config))


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(allow_nan=False),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


@pytest.mark.slow
@examples(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([f.name for f in dataclasses.fields(Options)] + ["other"]), yaml_values))
def test_any_mapping_gives_options_or_one_problem(raw: dict) -> None:
    try:
        options = Options.from_mapping(raw, ("plugins", "bubbleup"))
    except OptionProblem as problem:
        assert str(problem).startswith("plugins.bubbleup")
    else:
        assert yaml.safe_dump(dataclasses.asdict(options))
