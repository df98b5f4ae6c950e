"""The optional MkDocs plugin: regenerate the idea pages on every build, and under `serve`
watch the ideas folder so that a changed vote reloads the browser.

It is a convenience over the same core as the CLI, never the only way a page appears:
`bubbleup build` writes the same pages and then runs the builder, which is how builders
that ignore plugins (zensical) get them.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from mkdocs.config.base import BaseConfigOption, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from bubbleup.core.config import Options, Settings, SiteKeys, require_ideas, resolve
from bubbleup.core.config_options import Kind, OptionError, kind_of
from bubbleup.core.model import BubbleupError

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


class BubbleupPlugin(BasePlugin):
    config_scheme = _scheme()

    def __init__(self) -> None:
        self.pages_ready = False
        """Set by `bubbleup build`, which has just generated the pages itself."""
        self.settings: Settings | None = None

    def on_config(self, config):
        """Settings from what mkdocs has already read and checked: its own keys, and this
        plugin's options through the scheme above; mkdocs.yml is not read a second time."""
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
        return config

    def on_pre_build(self, config) -> None:
        if self.pages_ready:
            self.pages_ready = False
            return
        if not self.config["enabled"] or self.settings is None:
            return
        from bubbleup.git.snapshot import snapshot
        from bubbleup.site.build import generate

        state = snapshot(self.settings)
        for problem in state.catalog.problems:
            log.warning(str(problem))
        try:
            written = generate(state)
        except BubbleupError as error:
            raise PluginError(str(error)) from None
        if written.written or written.removed:
            log.info(f"bubbleup: {len(written.written)} pages written, {len(written.removed)} removed")

    def on_serve(self, server, config, builder):
        if self.config["enabled"] and self.settings is not None:
            server.watch(str(self.settings.ideas_dir))
        return server
