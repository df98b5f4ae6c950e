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

from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from bubbleup.core.config import Options, Settings, settings
from bubbleup.core.model import BubbleupError

log = logging.getLogger("mkdocs.plugins.bubbleup")


def _scheme() -> tuple:
    """The plugin's options, declared once in `config.Options`."""
    return tuple(
        (
            field.name,
            config_options.Type(
                list if isinstance(field.default, tuple) else type(field.default),
                default=list(field.default) if isinstance(field.default, tuple) else field.default,
            ),
        )
        for field in dataclasses.fields(Options)
    )


class BubbleupPlugin(BasePlugin):
    config_scheme = _scheme()

    def __init__(self) -> None:
        self.pages_ready = False
        """Set by `bubbleup build`, which has just generated the pages itself."""
        self.settings: Settings | None = None

    def on_config(self, config):
        try:
            self.settings = settings(Path(config.config_file_path))
        except BubbleupError as error:
            raise PluginError(str(error)) from None
        return config

    def on_pre_build(self, config) -> None:
        if not self.config["enabled"] or self.settings is None:
            return
        if self.pages_ready:
            self.pages_ready = False
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
