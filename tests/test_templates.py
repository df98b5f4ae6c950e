"""The theme's templates compiled once and kept (site/templates.py) make the same site as
templates compiled on every build, and a damaged or foreign cache is set aside."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from bubbleup.site import templates
from conftest import GitRepo, build_site, idea, tree, vote


def build(repo: GitRepo, *args: str) -> None:
    build_site(repo, "--clean", *args)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the templates taken from the cache rather than compiled."""
    taken: list[str] = []
    original = templates.Compiled.load_bytecode

    def counted(self, bucket) -> None:
        original(self, bucket)
        if bucket.code is not None:
            taken.append(bucket.key)

    monkeypatch.setattr(templates.Compiled, "load_bytecode", counted)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    templates._memory.clear()
    return taken


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the templates compiled, by any environment (the search plugin makes its own)."""
    names: list[str | None] = []
    original = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


@pytest.mark.slow  # three real builds
def test_templates_compiled_once_make_the_same_site(
    site_repo: GitRepo, loads: list[str], compiled: list[str | None]
) -> None:
    site_repo.commit({"ideas/one.md": idea("One", extra="tags: [alpha]\n"), "ideas/one/bob.md": vote("up", "Yes.\n")})
    cache = site_repo.root / ".bubbleup-cache" / templates.CACHE
    build(site_repo, "--site-dir", str(site_repo.root / "compiled"))
    assert cache.is_file() and "partials/language.html" in compiled
    assert compiled.count("partials/language.html") == 1  # not again for each word the search plugin reads
    first = len(loads)
    build(site_repo, "--site-dir", str(site_repo.root / "from-memory"))
    from_memory = len(loads) - first
    templates._memory.clear()
    build(site_repo, "--site-dir", str(site_repo.root / "from-file"))
    assert from_memory > 5 and len(loads) == first + 2 * from_memory  # every template, from memory, then the file
    named = [name for name in compiled if name is not None]  # not from a string, which no cache holds
    assert len(named) == len(set(named))  # none compiled again
    compiled_site = tree(site_repo.root / "compiled")
    for other in ("from-memory", "from-file"):
        found = tree(site_repo.root / other)
        assert sorted(found) == sorted(compiled_site)
        assert [name for name in found if found[name] != compiled_site[name]] == [], other


@pytest.mark.slow  # two real builds
def test_a_damaged_cache_is_set_aside(site_repo: GitRepo, loads: list[str]) -> None:
    site_repo.commit({"ideas/one.md": idea("One")})
    build(site_repo, "--site-dir", str(site_repo.root / "compiled"))
    first = list(loads)
    cache = site_repo.root / ".bubbleup-cache" / templates.CACHE
    cache.write_bytes(cache.read_bytes()[:200])
    templates._memory.clear()
    build(site_repo, "--site-dir", str(site_repo.root / "damaged"))
    assert not set(loads) - set(first)  # only what this build compiled itself
    assert tree(site_repo.root / "damaged") == tree(site_repo.root / "compiled")


def test_damaged_code_is_compiled_again_and_other_settings_never_share_code(tmp_path: Path) -> None:
    templates._memory.clear()
    loader = jinja2.DictLoader({"page.html": "{% for x in items %}<{{ x }}>{% endfor %}\n"})
    plain = jinja2.Environment(loader=loader)
    plain.bytecode_cache = templates.Compiled(plain, tmp_path / templates.CACHE)
    assert plain.get_template("page.html").render(items=[1, 2]) == "<1><2>"
    trimmed = jinja2.Environment(loader=loader, keep_trailing_newline=True)
    assert templates.scope(trimmed) != templates.scope(plain)
    trimmed.bytecode_cache = templates.Compiled(trimmed, None)
    assert trimmed.get_template("page.html").render(items=[1]) == "<1>\n"
    key = next(iter(templates._memory))
    templates._memory[key] = b"not compiled code"
    again = jinja2.Environment(loader=loader)
    again.bytecode_cache = templates.Compiled(again, None)
    assert again.get_template("page.html").render(items=[3]) == "<3>"
