"""The theme's files listed without its hidden folders are the files mkdocs lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from bubbleup.site.theme_files import prune_hidden, visible_templates


def _theme_files(config, env) -> list[tuple[str, str | None]]:
    files = Files([])
    files.add_files_from_theme(env, config)
    return [(file.src_uri, file.abs_src_path) for file in files]


@pytest.mark.slow
def test_the_theme_s_files_are_the_same_without_walking_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Home\n")
    overrides = {
        "extra.js": "1",
        ".hidden/inside.js": "2",
        "assets/.cache/inside.css": "3",
        "assets/.dotted.css": "4",
        "assets/kept.css": "5",
        "partials/footer.html": "6",
    }
    for name, text in overrides.items():
        path = tmp_path / "overrides" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ntheme:\n  name: material\n  custom_dir: overrides\n")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    plain_env = config.theme.get_env()
    plain = _theme_files(config, plain_env)
    prune_hidden(config.theme)
    prune_hidden(config.theme)  # once is enough
    env = config.theme.get_env()
    assert _theme_files(config, env) == plain
    assert ("extra.js", str(tmp_path / "overrides/extra.js")) in plain and len(plain) > 10
    assert not any("/." in name or name.startswith(".") for name, _ in plain)
    assert len(visible_templates(env.loader)) < len(plain_env.list_templates()) / 10  # Material's icons skipped
    assert env.list_templates(extensions=["html"]) == plain_env.list_templates(extensions=["html"])
