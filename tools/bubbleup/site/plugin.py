"""The optional MkDocs plugin: regenerate the idea pages on every build, and under `serve`
watch the ideas folder so that a changed vote reloads the browser. With it, builds are
incremental (site/incremental.py) and generated pages lean (site/lean.py).

It is a convenience over the same core as the CLI, never the only way a page appears:
`bubbleup build` writes the same pages and then runs the builder, which is how builders
that ignore plugins (zensical) get them.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.base import BaseConfigOption, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from bubbleup.core.caches import settle
from bubbleup.core.config import Options, Settings, SiteKeys, require_ideas, resolve
from bubbleup.core.config_options import Kind, OptionError, kind_of
from bubbleup.core.model import BubbleupError
from bubbleup.site.incremental import (
    SOURCES,
    Early,
    Kept,
    Plan,
    plan,
    quiet_dirty_warning,
    read_early,
    record_order,
    write_manifest,
)
from bubbleup.site.lean import Held, hold, restore
from bubbleup.site.listed_early import Listed, give_back, hand_listed, list_early
from bubbleup.site.preview import Preview
from bubbleup.site.search import Section, hide_from_search, index_page, sections
from bubbleup.site.search_merge import merge_search
from bubbleup.site.theme_files import prune_hidden
from bubbleup.site.walk import Tree, hand_over

if TYPE_CHECKING:
    from bubbleup.site.watching import Changes

log = logging.getLogger("mkdocs.plugins.bubbleup")


class _Checked(BaseConfigOption):
    """An mkdocs config option that checks its value with the kind of an `Options` field."""

    def __init__(self, kind: Kind[Any], default: Any) -> None:
        super().__init__()
        self.kind = kind
        self.default = default

    def run_validation(self, value: object) -> Any:
        if value is None:  # as in Options.from_mapping: an empty key or an unset !ENV
            return self.default
        try:
            return self.kind.check(value)
        except OptionError as error:
            raise ValidationError(str(error)) from None


def _scheme() -> tuple[tuple[str, BaseConfigOption], ...]:
    """The plugin's options: the fields of `config.Options`, each checked by its own kind."""
    return tuple((field.name, _Checked(kind_of(field), field.default)) for field in dataclasses.fields(Options))


def steady_build_date(on: bool) -> None:
    """mkdocs asks for the build date once per page (6,000 pages at 5,000 ideas, each
    reading the environment and formatting a date: 0.05 s); while a build runs, every
    page is given the date found when it started. Only mkdocs' own function is replaced,
    and it is put back when the build ends or fails."""
    from mkdocs import utils
    from mkdocs.structure import pages

    if on and (pages.get_build_date is utils.get_build_date or getattr(pages.get_build_date, "steady", False)):
        date = utils.get_build_date()
        pages.get_build_date = lambda: date
        pages.get_build_date.steady = True  # type: ignore[attr-defined]
    elif not on and getattr(pages.get_build_date, "steady", False):
        pages.get_build_date = utils.get_build_date


class BubbleupPlugin(BasePlugin):
    config_scheme = _scheme()

    def __init__(self) -> None:
        self.pages_ready = False
        """Set by `bubbleup build`, which generates the pages itself."""
        self.waiting: Callable[[], Tree | None] | None = None
        """Set by `bubbleup build`: waits for the pages it is generating meanwhile (in a
        forked child, while mkdocs reads its configuration here) and gives their listing."""
        self.tree: Tree | None = None
        """What the pages folder holds, as the build that wrote it listed it (site/walk.py)."""
        self.previous_site: Path | None = None
        """The site a build may reuse pages from (set by `bubbleup build`; under serve, the
        preview's own folder)."""
        self.settings: Settings | None = None
        self.serving = False
        self.pages: dict[str, str] | None = None
        """Under serve, the generated pages, kept in memory rather than written into docs/."""
        self.attached: set[str] = set()
        """Under serve, the attachments those pages show, served from the ideas folder."""
        self.memory: dict[str, tuple[str, str]] = {}
        """Under serve, the pages made by the previous build with the digest of their
        inputs: a page whose inputs are the same is not made again (site/pages.py)."""
        self.preview = Preview()
        """Under serve, the Git history of the previous build (site/preview.py)."""
        self.settled = False
        """Under serve, whether the first build's objects were set aside (core/caches.py `settle`)."""
        self.changes: Changes | None = None
        """Under serve, what the watcher saw change since the previous build (site/watching.py)."""
        self.plan: Plan | None = None
        self.early: Early | None = None
        """What the plan reads of the previous site, read while `bubbleup build` makes the pages."""
        self.kept = Kept()
        """Under serve, what each build hands on to the next (site/incremental.py)."""
        self.made_files: tuple[tuple[str, bool], dict[str, Any]] = (("", False), {})
        """Under serve, the files of the generated pages of the previous build, with the
        output folder and URL style they were made for."""
        self.held: dict[str, Held] = {}
        self.sections: dict[str, list[Section]] = {}
        """The search sections of the generated pages being built (site/search.py)."""
        self.hidden: tuple[Any, str] | None = None
        """A page's HTML while Material's search plugin looks at the page (`hide_from_search`)."""
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        """This build's files, navigation and template environment, for the pages the
        plugin builds itself (site/framing.py)."""

    @property
    def reused(self) -> list[str]:
        """The output files this build took from the previous site without writing them."""
        return self.plan.reused if self.plan is not None and self.previous_site is not None else []

    def listed(self, site: Path):
        """What `site` held when this build planned, if it listed that folder then."""
        if self.plan is None or self.plan.previous != site:
            return None
        return self.plan.found

    def on_startup(self, *, command, dirty) -> None:
        # Having this method keeps one plugin instance for all of serve's rebuilds.
        self.serving = command == "serve"

    def on_config(self, config):
        """Settings from what mkdocs has already read and checked: its own keys, and this
        plugin's options through the scheme above; mkdocs.yml is not read a second time."""
        quiet_dirty_warning()
        steady_build_date(True)
        prune_hidden(config.theme)
        # One instance serves every build of the process (on_startup): nothing of a
        # previous build's plan may reach this one.
        self.plan = self.files = self.nav = self.env = self.early = None
        self.held.clear()
        self.sections.clear()
        if self.pages_ready:  # `bubbleup build` has read the configuration and made the pages
            return config
        options = Options(**{field.name: self.config[field.name] for field in dataclasses.fields(Options)})
        site = SiteKeys(
            docs_dir=config.docs_dir,
            site_dir=config.site_dir,
            site_name=config.site_name,
            site_url=config.site_url,
            repo_url=config.repo_url,
            edit_uri=config.edit_uri,
        )
        config_file = Path(config.config_file_path).resolve() if config.config_file_path else None
        root = config_file.parent if config_file else Path.cwd().resolve()
        try:
            self.settings = resolve(root, config_file, options, site, plugin_enabled=True)
            require_ideas(self.settings.root, self.settings.ideas_dir)
        except BubbleupError as error:
            raise PluginError(str(error)) from None
        if self.settings.pages_dir.is_dir():  # pruning by what exists needs pages generated once
            from bubbleup.site.audience import fit

            settings = self.settings
            fit(config, settings.options.tool_pages, settings.pages_dir.relative_to(settings.docs_dir).as_posix())
        if self.serving:
            self.previous_site = Path(config.site_dir)
        return config

    def on_pre_build(self, config) -> None:
        if self.pages_ready:
            self.pages_ready = False
            waiting, self.waiting = self.waiting, None
            listed = None
            if waiting is not None:
                self.early = self._read_early()  # while the pages are being made
                if self.config["enabled"] and self.settings is not None and self.settings.options.tool_pages:
                    # not when `fit` changes what is excluded once the pages are ready
                    listed = list_early(config, self.settings.pages_dir, self._generated(config))
                self.tree = waiting()
            self._hand_over(config, listed)
            return
        if not self.config["enabled"] or self.settings is None:
            return
        self._make_pages()
        self._hand_over(config)

    def _sources_cache(self) -> Path | None:
        assert self.settings is not None
        return self.settings.cache_dir / SOURCES if self.settings.cache_dir is not None else None

    def _read_early(self) -> Early | None:
        """What the plan will read of the previous site and of the cache (site/incremental.py)."""
        if not self.config["enabled"] or self.settings is None:
            return None
        return read_early(self.previous_site, self._sources_cache())

    def _hand_over(self, config, listed: Listed | None = None) -> None:
        """Give mkdocs' walk of the docs folder the pages folder's listing (site/walk.py):
        the one the writer took, or under serve an empty one, since `on_files` replaces
        whatever is there with the pages made in memory; or, when the writer's listing is
        the one taken early, the file list made from that (`listed`)."""
        tree, self.tree = (Tree() if self.pages is not None else self.tree), None
        if self.config["enabled"] and self.settings is not None and not hand_listed(listed, tree):
            hand_over(config.docs_dir, self._generated(config), tree)

    def _make_pages(self) -> None:
        assert self.settings is not None
        from bubbleup.git.snapshot import snapshot
        from bubbleup.site.pages import generate, render

        if self.serving:
            state = self.preview.snapshot(self.settings, calm=self.changes.take() if self.changes else None)
        else:
            state = snapshot(self.settings, whole_history=True)
        for problem in state.catalog.problems:
            log.warning(str(problem))
        if self.serving:
            # Nothing is written where the preview server watches, or every build would
            # trigger the next.
            self.attached = set()
            self.pages = render(state, attached=self.attached, memory=self.memory, kept=self.preview)
            return
        try:
            written = generate(state)
        except BubbleupError as error:
            raise PluginError(str(error)) from None
        self.tree = written.tree
        if written.written or written.removed:
            log.info(f"bubbleup: {len(written.written)} pages written, {len(written.removed)} removed")

    def _generated(self, config) -> str:
        assert self.settings is not None
        return self.settings.pages_dir.relative_to(Path(config.docs_dir).resolve()).as_posix() + "/"

    def on_files(self, files, config):
        give_back()
        if not self.config["enabled"] or self.settings is None:
            return files
        if self.pages is None:  # a build: the generated pages are on disk, their feeds linked
            from bubbleup.site.hardlinks import link_generated
            from bubbleup.site.publish import umask

            link_generated(files, self._generated(config), 0o666 & ~umask())
            return files
        from mkdocs.structure.files import File

        prefix = self._generated(config)
        for file in [file for file in files if file.src_uri.startswith(prefix)]:
            files.remove(file)
        for name, content in sorted(self.pages.items()):
            files.append(self._file(config, prefix + name, content))
        self.made_files = (self._made_for(config), {file.src_uri: file for file in files if file.generated_by})
        for name in sorted(self.attached):  # images served from the ideas folder itself
            files.append(File.generated(config, prefix + name, abs_src_path=str(self.settings.ideas_dir / name)))
        return files

    @staticmethod
    def _made_for(config) -> tuple[str, bool]:
        return (config.site_dir, config.use_directory_urls)

    def _file(self, config, src_uri: str, content: str):
        """A generated page's file: under serve, the previous build's when its text is the
        very same string (the page was not made again). Making 11,000 files, and working
        out their paths and addresses again, was a quarter of a second of every rebuild;
        what a build sets on a file (its page, whether it is in the navigation) is unset."""
        from mkdocs.structure.files import File, InclusionLevel

        made_for, made = self.made_files
        file = made.get(src_uri) if made_for == self._made_for(config) else None
        if file is None or file.abs_src_path is not None or file.content_string is not content:
            return File.generated(config, src_uri, content=content)
        file.page = None
        file.inclusion = InclusionLevel.UNDEFINED
        return file

    def on_nav(self, nav, config, files):
        if self.config["enabled"] and self.settings is not None:
            from bubbleup.site.framing import supported

            generated = self._generated(config)
            kept = self.kept if self.serving else None
            early, self.early = self.early, None
            self.plan = plan(
                config, nav, files, self.previous_site, generated, supported(config), self._sources_cache(), kept, early
            )
            self.files, self.nav = files, nav
        return nav

    def on_env(self, env, config, files):
        if self.plan is not None:
            record_order(self.plan, files)
            self.env = env
        if self.config["enabled"] and self.settings is not None and env.bytecode_cache is None:
            from bubbleup.site.templates import CACHE, Compiled

            cache_dir = self.settings.cache_dir
            env.bytecode_cache = Compiled(env, cache_dir / CACHE if cache_dir is not None else None)
        return env

    def on_page_markdown(self, markdown, page, config, files):
        if (
            self.settings is None
            or not self.config["enabled"]
            or not page.file.src_uri.startswith(self._generated(config))
        ):
            return markdown
        held = self.held[page.file.src_uri] = Held()
        markdown = hold(markdown, held)
        found = None if (page.meta.get("search") or {}).get("exclude") else sections(markdown, held)
        if found is not None:
            self.sections[page.file.src_uri] = found
        return markdown

    def on_page_content(self, html, page, config, files):
        held = self.held.pop(page.file.src_uri, None)
        return restore(html, held) if held is not None else html

    @event_priority(50)  # before the search plugin would parse the page
    def _index_before_search(self, context, page, config, nav):
        found = self.sections.pop(page.file.src_uri, None)
        if found is not None:
            index_page(config.plugins.values(), page, found)
        self.hidden = hide_from_search(page, config.plugins, self)
        return context

    @event_priority(-100)  # after the search plugin
    def _after_search(self, context, page, config, nav):
        if self.hidden is not None and self.hidden[0] is page:
            page.content = self.hidden[1]
        self.hidden = None
        return context

    on_page_context = CombinedEvent(_index_before_search, _after_search)

    def on_build_error(self, error) -> None:
        steady_build_date(False)
        give_back()

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, config) -> None:
        steady_build_date(False)
        if self.plan is None:
            return
        if self.plan.deferred and self.env is not None:
            from bubbleup.site.framing import build

            pages = [file.page for file in self.plan.deferred if file.page is not None]
            done = build(pages, config, self.files, self.nav, self.env, self.serving)
            log.debug(
                f"bubbleup: {done.pages} pages built after mkdocs, {done.converted} skeletons, {done.framed} frames"
            )
        merge_search(self.plan, config, self.kept if self.serving else None)
        if self.serving:  # what this build left in its site, now that it has ended
            self.kept.present = (Path(config.site_dir), self.plan.left)
        write_manifest(self.plan, Path(config.site_dir))
        if self.env is not None and hasattr(self.env.bytecode_cache, "save"):
            self.env.bytecode_cache.save()
        built = sum(1 for _, source in self.plan.order if source in self.plan.rebuilt)
        log.info(f"bubbleup: {built} of {len(self.plan.order)} pages built, the rest reused from the previous site")
        if self.plan.previous == Path(config.site_dir):
            self.plan.reused.clear()  # under serve, reused files are already in place
        if self.serving and not self.settled:
            self.settled = True
            settle()

    def on_serve(self, server, config, builder):
        if self.config["enabled"] and self.settings is not None:
            from bubbleup.site.watching import attach, native

            server.watch(str(self.settings.ideas_dir))
            if native(server):
                self.changes = attach(server, str(self.settings.ideas_dir))
                if self.changes is not None:
                    self.changes.confirm(self.preview.moved)
        return server
