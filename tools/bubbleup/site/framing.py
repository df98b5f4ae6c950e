"""Building the generated pages that mkdocs' own loop left alone: each page goes through
the same steps and plugin events as in mkdocs (`_populate_page`, then `_build_page`),
except that its skeleton is converted by site/skeleton.py and its HTML filled into a
frame (site/frames.py) wherever those give what Python-Markdown and the theme would.

The plugin marks these pages unmodified, so that mkdocs' dirty mode skips them, and
calls `build` from its `on_post_build`, before the search index is written. It is used
only with mkdocs 1.6 (whose internals it follows; there will be no later 1.x), the
Material theme, and no plugins beyond search, offline and bubbleup: another plugin
could read or change a page in ways a frame would not repeat.

Each build checks the shortcuts against the real thing on some of its pages (the
first of every shape, and every sixteenth after). Should one differ, the pages are all
built again the ordinary way, with the search entries they had added taken back. Under
serve, where a rebuild builds a handful of pages after the first build checked
hundreds, the smallest is built first, so that the check is not Python-Markdown over a
view of thousands of rows (8% of a rebuild at 5,000 ideas). Nor is a skeleton longer than
`CHECK_UP_TO` checked: the Decisions page (859 headings at 5,000 ideas, 0.3 s through
Python-Markdown) passes the check on to the next page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, cast

from bubbleup.site import halves, skeleton
from bubbleup.site.frames import Disagreement, Frames
from bubbleup.site.search_merge import search_indexes

log = logging.getLogger("mkdocs.plugins.bubbleup")

SPLIT_FROM = 400
"""From how many pages the work is shared with a second process."""
KNOWN_PLUGINS = frozenset({"search", "material/search", "offline", "material/offline", "bubbleup"})
CHECK_EVERY = 16
CHECK_UP_TO = 20_000
"""The longest skeleton (in characters) that is checked against Python-Markdown; a
converted page's is a few hundred, a view's with a heading per row tens of thousands."""


def supported(config) -> bool:
    """Whether this build may use skeletons and frames."""
    import mkdocs

    return (
        mkdocs.__version__.startswith("1.6.")
        and config.theme.name == "material"
        and all(name in KNOWN_PLUGINS for name in config.plugins)
    )


@dataclass
class Built:
    pages: int = 0
    converted: int = 0
    framed: int = 0
    due: int = 0
    """How many pages are to be converted before the next check."""
    fallback: list[Any] = field(default_factory=list)
    """Pages built the ordinary way, whose links mkdocs did not check yet."""


def _toc(items) -> list:
    return [(item.title, item.id, item.level, _toc(item.children)) for item in items]


def _populate(page, config, files, calibration, built: Built) -> None:
    """`_populate_page`, with the skeleton converted without Python-Markdown when it can be."""
    from mkdocs.structure.toc import get_toc

    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    converted = skeleton.convert(calibration, page.markdown) if calibration is not None else None
    if converted is None:
        page.render(config, files)
        built.fallback.append(page)
    else:
        toc = get_toc(cast(Any, converted.tokens))
        if built.converted >= built.due and len(page.markdown) <= CHECK_UP_TO:  # the first, every sixteenth after
            built.due = built.converted + CHECK_EVERY
            page.render(config, files)
            if (page.content, _toc(page.toc.items)) != (converted.html, _toc(toc.items)):
                raise Disagreement(page.file.src_uri)
        page.content, page.toc = converted.html, toc
        page._title_from_render = converted.title
        page.present_anchor_ids = set(converted.anchors)
        page.links_to_anchors = {}
        built.converted += 1
    page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)


def _build(page, config, doc_files, nav, env, frames: Frames | None, built: Built) -> None:
    """`_build_page`, with the HTML from a frame when there is one."""
    from mkdocs import utils
    from mkdocs.commands.build import get_context

    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        if frames is not None:
            output, framed = frames.render(page, config, context, template)
            built.framed += framed
        else:
            output = template.render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        if output.strip():
            utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
    finally:
        page.active = False


def _all(pages, config, files, doc_files, nav, env, shortcuts: bool) -> Built:
    calibration = skeleton.calibrate(config.markdown_extensions, config.mdx_configs) if shortcuts else None
    frames = Frames(env, nav, doc_files) if shortcuts else None
    built = Built()
    for page in pages:
        config._current_page = page
        try:
            _populate(page, config, files, calibration, built)
            _build(page, config, doc_files, nav, env, frames, built)
        finally:
            config._current_page = None
        built.pages += 1
    return built


def _attempt(pages: list, config, files, doc_files, nav, env, indexes: list[list], shortcuts: bool) -> Built:
    """The pages with the shortcuts, or, should one differ, again without them."""
    before = [len(entries) for entries in indexes]
    try:
        built = _all(pages, config, files, doc_files, nav, env, shortcuts)
    except Disagreement as where:
        log.info(f"bubbleup: a shortcut differed on {where}; building every page the ordinary way")
        for entries, count in zip(indexes, before, strict=True):
            del entries[count:]
        built = _all(pages, config, files, doc_files, nav, env, shortcuts=False)
    level = config.validation.links.anchors
    for page in built.fallback:
        page.validate_anchor_links(files=files, log_level=level)
    return built


def _size(page) -> int:
    content = page.file.content_string if page.file.abs_src_path is None else ""
    return len(content)


def build(pages: list, config, files, nav, env, serving: bool) -> Built:
    """Build the pages, each as mkdocs would, as quickly as the checks allow: on a
    machine with more than one processor, half of them in a second process."""
    from mkdocs.structure.files import InclusionLevel

    doc_files = files.documentation_pages(
        inclusion=InclusionLevel.is_in_serve if serving else InclusionLevel.is_included
    )
    indexes = [entries for _, entries in search_indexes(config)]
    shortcuts = supported(config)
    if serving:  # the check falls on the smallest
        pages = sorted(pages, key=_size)
    if len(pages) >= SPLIT_FROM and not serving and shortcuts and halves.available():
        middle = len(pages) // 2
        return halves.split(
            lambda part: _attempt(part, config, files, doc_files, nav, env, indexes, shortcuts),
            pages[:middle],
            pages[middle:],
            indexes,
        )
    return _attempt(pages, config, files, doc_files, nav, env, indexes, shortcuts)
