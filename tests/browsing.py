"""What the browser tests share: Debian's Chromium, a local web server, a page that
records what it runs and requests, and the bundled demo built as the README builds it."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bubbleup.cli.main import cli
from conftest import GitRepo

ROOT = Path(__file__).parent.parent
CHROMIUM = Path(os.environ.get("BUBBLEUP_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "test-output/screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SENTINEL = """
window.__pwned = 0;
window.pwned = () => { window.__pwned += 1; };
for (const name of ['alert', 'confirm', 'prompt']) { window[name] = () => { window.__pwned += 1; }; }
"""


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium from Debian's package."""
    if not (
        CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)
    ):  # fail, not skip: a skipped browser test proves nothing
        pytest.fail(
            f"the browser tests need Chromium and found none at {CHROMIUM}: install Debian's package "
            "(sudo apt-get install chromium; .ci/run does it) or set BUBBLEUP_CHROMIUM to a Chromium binary; "
            "to run everything else, leave these tests out with: pytest -m 'not browser'",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a built site on a free local port, as a web server would."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.handle_error = lambda request, address: None  # a browser that cancels a request is not a failure
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pages_of(base: str, site: Path) -> list[str]:
    return [f"{base}/{p.relative_to(site).as_posix()}" for p in sorted(site.rglob("*.html"))]


def visit(browser, url: str, requests: list[str] | None = None) -> tuple[object, list[str]]:
    page = browser.new_page()
    page.add_init_script(SENTINEL)
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: events.append(f"console: {message.text}") if "pwned" in message.text else None)
    page.on("pageerror", lambda error: events.append(f"error: {error}"))
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="load")
    return page, events


PUBLISHED = {"BUBBLEUP_OFFLINE": "false"}
"""The environment of the publish workflow: no offline build, pages at name/."""


def copy_demo(root: Path) -> GitRepo:
    """The bundled demo (mkdocs.yml, docs without generated pages, ideas) in a fresh repository."""
    repo = GitRepo(root)
    for name in ("mkdocs.yml", "docs", "ideas", "overrides"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, repo.root / name, ignore=shutil.ignore_patterns("ideas") if name == "docs" else None
            )
        elif source.exists():
            shutil.copy(source, repo.root / name)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "demo")
    return repo


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The bundled demo, built as the publish workflow builds it (directory URLs) and
    served over HTTP."""
    repo = copy_demo(tmp_path_factory.mktemp("demo") / "repo")
    result = CliRunner().invoke(cli, ["-f", str(repo.root / "mkdocs.yml"), "build"], env=PUBLISHED)
    assert result.exit_code == 0, result.output
    with serve(repo.root / "site") as base:
        yield base, repo.root / "site"
