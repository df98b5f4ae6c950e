"""The views' HTML is taken out of the page while Material's search plugin looks at it
(`plugin.hide_from_search`): the site is byte for byte the one built without that."""

from __future__ import annotations

from pathlib import Path

import pytest

from bubbleup.site import plugin
from conftest import GitRepo, build_site, idea, tree, vote


@pytest.mark.slow
def test_hiding_the_views_from_search_changes_no_file(
    site_repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    site_repo.commit(
        {
            "ideas/one.md": idea("One", body='Text with data-search-exclude="x" in it.\n'),
            "ideas/two.md": idea("Two", extra="tags: [alpha]\n"),
            "ideas/two/bob.md": vote("up", "Yes.\n"),
        }
    )
    hidden: list[str] = []
    hide = plugin.hide_from_search

    def counted(page, plugins, own):
        found = hide(page, plugins, own)
        if found is not None:
            hidden.append(page.file.src_uri)
        return found

    monkeypatch.setattr(plugin, "hide_from_search", counted)
    build_site(site_repo, "--clean", "--site-dir", str(tmp_path / "hidden"))
    assert "ideas/index.md" in hidden and "ideas/tags/alpha.md" in hidden
    assert "ideas/one.md" not in hidden and "index.md" not in hidden  # searched pages are shown to search
    monkeypatch.setattr(plugin, "hide_from_search", lambda page, plugins, own: None)
    build_site(site_repo, "--clean", "--site-dir", str(tmp_path / "shown"))
    hidden_site, shown_site = tree(tmp_path / "hidden"), tree(tmp_path / "shown")
    assert sorted(hidden_site) == sorted(shown_site)
    assert [name for name in shown_site if hidden_site[name] != shown_site[name]] == []
