"""Images beside an idea: checked, published with its page, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from bubbleup.cli.main import cli
from bubbleup.core.loader import load
from conftest import GitRepo, idea, vote, write

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 20
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), *args])


def test_check_accepts_images_and_refuses_svg_fakes_and_big_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "ideas/bikes.md": idea(
                "Bikes", body="![route](bikes/route.png) ![map](bikes/map.svg) ![x](bikes/gone.png)\n"
            ),
            "ideas/bikes/route.png": PNG,
            "ideas/bikes/anim.gif": GIF,
            "ideas/bikes/photo.webp": WEBP,
            "ideas/bikes/map.svg": SVG,
            "ideas/bikes/fake.jpg": b"<html><script>alert(1)</script>",
            "ideas/bikes/huge.png": PNG + b"\x00" * 2_000_000,
            "ideas/bikes/notes.txt": "x",
        },
    )
    catalog = load(tmp_path, tmp_path / "ideas")
    assert catalog.attachments == ("bikes/anim.gif", "bikes/photo.webp", "bikes/route.png")
    found = {(p.path, p.severity.value): p.message for p in catalog.problems}
    assert "runs its scripts" in found[("ideas/bikes/map.svg", "warning")]
    assert "not a JPG image" in found[("ideas/bikes/fake.jpg", "warning")]
    assert "over the limit of 1,048,576 (max_attachment_size)" in found[("ideas/bikes/huge.png", "warning")]
    assert "ignored" in found[("ideas/bikes/notes.txt", "warning")]
    body = found[("ideas/bikes.md", "warning")]
    assert "'bikes/map.svg'" in body and "'bikes/gone.png'" in body and "route.png" not in body
    assert not catalog.errors and "bikes" in catalog.ideas


@pytest.mark.slow  # a real mkdocs build
def test_attachments_are_published_with_the_page_and_only_those_shown(site_repo: GitRepo) -> None:
    site_repo.commit(
        {
            "ideas/bikes.md": idea(
                "Bikes",
                extra="visibility: public\n",
                body='Route: ![the route](bikes/route.png)\n\n<img src="bikes/anim.gif" alt="anim">\n',
            ),
            "ideas/bikes/route.png": PNG,
            "ideas/bikes/anim.gif": GIF,
            "ideas/bikes/unused.png": PNG,
            "ideas/bikes/bob.md": vote("up", "Mine: ![photo](photo.webp)\n"),
            "ideas/bikes/photo.webp": WEBP,
            "ideas/bikes/map.svg": SVG,
        },
        "idea",
    )
    assert run(site_repo, "build").exit_code == 0
    site = site_repo.root / "site/ideas/bikes"
    assert (site / "route.png").read_bytes() == PNG and (site / "anim.gif").read_bytes() == GIF
    assert (site / "photo.webp").read_bytes() == WEBP
    assert not (site / "unused.png").exists() and not list(site_repo.root.joinpath("site").rglob("*.svg"))
    page = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    sources = [img["src"] for img in page.select(".bubbleup-text img")]
    assert sources == ["../bikes/route.png", "../bikes/anim.gif", "../bikes/photo.webp"]
    for source in sources:  # each leads to the published file, from the page's own folder
        assert (site / source).resolve().is_file()
    person = BeautifulSoup((site_repo.root / "site/ideas/people/bob/index.html").read_text(), "html.parser")
    assert [img["src"] for img in person.select(".bubbleup-text img")] == ["../../bikes/photo.webp"]
    copy = site_repo.root / "docs/ideas/bikes/route.png"
    inode = copy.stat().st_ino
    assert run(site_repo, "build").exit_code == 0
    assert copy.stat().st_ino == inode  # an attachment that did not change is not copied again
    assert run(site_repo, "build", "--audience", "public").exit_code == 0
    public = site_repo.root / "site-public/ideas/bikes"
    assert (public / "route.png").exists()
    assert not (public / "photo.webp").exists()  # only feedback shows it, and the public site has none
    assert not (site_repo.root / "docs/ideas/bikes/photo.webp").exists()  # nor the pages folder


@pytest.mark.slow  # a real mkdocs build
def test_external_images_are_links_unless_their_host_is_allowed(site_repo: GitRepo) -> None:
    config = site_repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - bubbleup\n", "  - bubbleup:\n      image_hosts: [img.example]\n"))
    site_repo.commit(
        {
            "mkdocs.yml": config.read_text(),
            "ideas/bikes.md": idea(
                "Bikes", body="![a](https://img.example/a.png) ![b](https://tracker.example/b.png)\n"
            ),
        },
        "idea",
    )
    result = run(site_repo, "build")
    assert result.exit_code == 0, result.output
    page = BeautifulSoup((site_repo.root / "site/ideas/bikes/index.html").read_text(), "html.parser")
    text = page.select_one(".bubbleup-text")
    assert [img["src"] for img in text.find_all("img")] == ["https://img.example/a.png"]
    assert text.find("a", href="https://tracker.example/b.png").get_text() == "b"


def test_attachment_links_follow_the_page_layout() -> None:
    from datetime import UTC, datetime

    from bubbleup.core.model import Catalog
    from bubbleup.site.context import Site

    catalog = Catalog(ideas={}, attachments=("bikes/route.png",))
    now = datetime(2026, 11, 1, tzinfo=UTC)
    folders = Site.of(catalog, {}, now)  # ideas/bikes/ is the idea's page
    files = Site.of(catalog, {}, now, directory_urls=False)  # ideas/bikes.html, opened from file://
    assert folders.images("").url("bikes/route.png") == "../bikes/route.png"
    assert files.images("").url("bikes/route.png") == "bikes/route.png"
    assert folders.images("bikes", 1).url("bikes/route.png") == "../../bikes/route.png"  # a person's page
    assert files.images("bikes", 1).url("bikes/route.png") == "../bikes/route.png"
