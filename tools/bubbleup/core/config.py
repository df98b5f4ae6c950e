"""The one configuration schema, read from mkdocs.yml by the CLI and by the plugin alike.

Options live in the `bubbleup` entry of `plugins:` or, for a site builder that must not
see a plugin entry, under `extra: bubbleup:`. Either way, `Options` below is the schema:
each field has a type, a kind that checks it (`config_options`) and a docstring. To add
an option, add one field. `settings()` reads mkdocs.yml once and resolves the options
against the repository into absolute, checked paths; commands pass the result down.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
import yaml_env_tag

from bubbleup.core.config_options import (
    Choice,
    Flag,
    Number,
    OptionError,
    Pairs,
    Patterns,
    Text,
    Texts,
    kind_of,
    option,
)
from bubbleup.core.model import BubbleupError
from bubbleup.core.project import CONFIG_NAME, IDEAS_DIR, OptionProblem, find_config, find_project, require_ideas
from bubbleup.core.yaml_nodes import line_of, repeated_key

AUDIENCES = ("internal", "public")
HOSTS = ("auto", "github", "gitlab", "none")


@dataclass(frozen=True)
class Options:
    """The `bubbleup` options: each field's kind checks what mkdocs.yml gives it."""

    enabled: bool = option(Flag(), True)
    """Generate idea pages when the plugin runs (mkdocs build or serve)."""
    ideas_dir: str = option(Text(), "ideas")
    """The folder of idea files, relative to mkdocs.yml."""
    pages_dir: str = option(Text(), "ideas")
    """Where generated pages go, relative to docs_dir; git-ignored and owned by bubbleup."""
    max_file_size: int = option(Number(minimum=0), 262_144)
    """Files larger than this many bytes are reported and not read."""
    max_attachment_size: int = option(Number(minimum=0), 1_048_576)
    """Images beside an idea (ideas/<slug>/*.png, .jpg, .gif, .webp) larger than this many
    bytes are reported and not published."""
    image_hosts: tuple[str, ...] = option(Texts(), ())
    """Hosts that readers' browsers may load images from, such as an intranet's image
    server; an image from anywhere else is shown as a link to it."""
    status_map: tuple[tuple[str, str], ...] = option(Pairs(), ())
    """For an existing folder of proposals: their statuses and the status each means here,
    such as {Final: done, Accepted: planned, Draft: proposed, Rejected: declined} (matched
    whatever the case). A status read through this map needs no decision block."""
    key_map: tuple[tuple[str, str], ...] = option(Pairs(), ())
    """For an existing folder of proposals: their front matter keys and the key each means
    here, such as {author: authors, created-on: created}. Authors read through the map may
    be free text ("Jane Doe <jane@example.com>"): kept as names, or matched to the roster
    by email."""
    extra_keys: tuple[str, ...] = option(Texts(), ())
    """Further keys that ideas may carry (discussions-to, rfc-pr): kept without a warning
    and shown on the idea's page as metadata."""
    pull_request_patterns: tuple[str, ...] = option(Patterns(), (r"^Merge pull request #(\d+)\b", r"\(#(\d+)\)\s*$"))
    """Regular expressions, one group each, that find a pull request's number in a commit
    subject: a matching merge commit credits its branch's commits; any other, itself."""
    repo_url: str = option(Text(), "")
    """The repository's web address, for the site's Vote / Propose links and pull request
    links. Default: mkdocs' own repo_url. Set it here instead of there for an offline
    intranet: with mkdocs' repo_url, Material fetches the repository's stars from the
    host's API in every reader's browser."""
    edit_uri: str = option(Text(), "")
    """Like mkdocs' edit_uri (edit/<branch>/docs/): the branch the links propose to.
    Default: mkdocs' own edit_uri."""
    host: str = option(Choice(HOSTS), "auto")
    """The Git host behind repo_url, for the site's Vote / Give feedback / Propose buttons:
    github (also GitHub Enterprise, on any domain), gitlab, none (command lines only), or
    auto (github for github.com, gitlab for a gitlab.* domain, else none)."""
    intake_committer: str = option(
        Text(), "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    )
    """The committer of the commits `bubbleup intake` makes ('Name <email>'): the automation.
    The author is the person the host vouches for; `audit` trusts a vote whose commit has
    this committer and names its login in a trailer."""
    criteria: tuple[str, ...] = option(Texts(), ("impact", "effort"))
    """What reviewers may score in a decision's scores block."""
    score_scale: int = option(Number(minimum=1), 5)
    """Scores go from 1 to this number."""
    threshold_votes: int = option(Number(minimum=0), 10)
    """Net votes (up minus down) an idea needs to be ready for review."""
    threshold_teams: int = option(Number(minimum=0), 2)
    """Distinct roster teams its up votes must come from, so one team cannot push an idea alone."""
    response_days: int = option(Number(minimum=0), 30)
    """Days within which an idea ready for review should get a decision."""
    overdue_warnings: bool = option(Flag(), False)
    """Report overdue ideas as warnings, so that check --strict fails on them."""
    audience: str = option(Choice(AUDIENCES), "internal")
    """internal: everything; public: only ideas marked public, without names or feedback."""
    trending_half_life: int = option(Number(minimum=1), 14)
    """Days after which a vote counts half as much in the trending ranking (at least 1:
    the weight divides by it)."""
    tool_pages: bool = option(Flag(), True)
    """Publish the pages about Bubbleup itself: the navigation section "About Bubbleup"
    (command line, file format, architecture, performance). false leaves them out of the
    site, its navigation and its search, for a company site that is about ideas only."""
    vote_budget: int = option(Number(minimum=0), 0)
    """At most this many open votes per person (0: no limit); votes on done, declined
    and duplicate ideas are given back."""

    @classmethod
    def from_mapping(cls, raw: Any, where: tuple[str | int, ...] = ()) -> Options:
        """Options from the mapping that mkdocs.yml gives, each value checked by its field's kind.

        A value of None (an empty key, an unset `!ENV` variable without a default, a tag
        Bubbleup does not run) means the default, as it does for mkdocs' own options.

        Raises:
            OptionProblem: an unknown key or a value its kind refuses.
        """
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise OptionProblem(f"{_name(where)}: expected a set of options, got {raw!r}", where)
        fields = {field.name: field for field in dataclasses.fields(cls)}
        values = {}
        for key, value in raw.items():
            if key not in fields:
                choices = ", ".join(fields)
                raise OptionProblem(f"{_name(where)}: unknown option {key!r}; expected one of {choices}", (*where, key))
            if value is None:
                continue
            try:
                values[key] = kind_of(fields[key]).check(value)
            except OptionError as error:
                raise OptionProblem(f"{_name((*where, key))}: {error}", (*where, key)) from None
        return cls(**values)


DEFAULTS = Options()
"""Every option's default: the one place that modules without a configuration take them from."""


def _name(keys: tuple[str | int, ...]) -> str:
    """`plugins.bubbleup.audience` for the keys that lead to an option (list positions left out)."""
    return ".".join(key for key in keys if isinstance(key, str))


@dataclass(frozen=True)
class SiteKeys:
    """The keys of mkdocs' own that Bubbleup reads, with the values mkdocs gives them."""

    docs_dir: str = "docs"
    site_dir: str = "site"
    site_name: str = "Ideas"
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    directory_urls: bool = True
    """False when pages are built as name.html (use_directory_urls: false, or Material's
    offline plugin enabled, which sets it so): links written as HTML must follow."""

    @classmethod
    def from_mapping(cls, raw: dict[str, Any]) -> SiteKeys:
        """The keys as mkdocs validates them: a site_url ends with a slash, and an edit_uri
        left out is mkdocs' default for the host (so the CLI and the plugin agree)."""
        site_url = str(raw["site_url"]) if raw.get("site_url") else None
        if site_url and not site_url.endswith("/"):
            site_url += "/"
        repo_url = str(raw["repo_url"]) if raw.get("repo_url") else None
        edit_uri = str(raw["edit_uri"]) if raw.get("edit_uri") is not None else None
        if edit_uri is None and repo_url is not None:
            host = urlsplit(repo_url).netloc.lower()
            edit_uri = {"github.com": "edit/master/docs/", "gitlab.com": "edit/master/docs/"}.get(host)
            edit_uri = "src/default/docs/" if host == "bitbucket.org" else edit_uri
        if edit_uri and not edit_uri.endswith("/"):
            edit_uri += "/"
        return cls(
            docs_dir=str(raw.get("docs_dir") or "docs"),
            site_dir=str(raw.get("site_dir") or "site"),
            site_name=str(raw.get("site_name") or "Ideas"),
            site_url=site_url,
            repo_url=repo_url,
            edit_uri=edit_uri,
            directory_urls=raw.get("use_directory_urls") is not False and not _offline(raw.get("plugins")),
        )


def _offline(plugins: Any) -> bool:
    """Whether Material's offline plugin is listed and enabled (its default)."""
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    else:
        entries = [
            next(iter(entry.items())) if isinstance(entry, dict) and entry else (entry, None)
            for entry in (plugins if isinstance(plugins, list) else [])
        ]
    for name, options in entries:
        if name in ("offline", "material/offline"):
            return not (isinstance(options, dict) and options.get("enabled") is False)
    return False


@dataclass(frozen=True)
class Settings:
    """Options resolved against one repository."""

    root: Path
    config_file: Path | None
    options: Options
    ideas_dir: Path
    docs_dir: Path
    pages_dir: Path
    site_dir: Path
    site_name: str = "Ideas"
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    cache_dir: Path | None = None
    """Where the history cache lives (git-ignored)."""
    directory_urls: bool = True
    """Pages at name/ (True) or at name.html (False, as for the offline plugin)."""
    plugin_enabled: bool = False
    """Whether mkdocs.yml lists the bubbleup plugin (which regenerates pages under serve)."""


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml as mkdocs does for `!ENV` (through pyyaml_env_tag); any other tag
    (`!relative`, `!!python/name:...`) is mkdocs' business and becomes None here."""


_Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_Loader.add_constructor(None, lambda loader, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_options(config: dict[str, Any]) -> tuple[Options, bool, tuple[str | int, ...]]:
    """The bubbleup options of an mkdocs.yml mapping (its plugin entry, else extra.bubbleup),
    whether the plugin is listed, and the keys that lead to the options.

    Raises:
        OptionProblem: an option is unknown or wrong.
    """
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):  # mkdocs also accepts `plugins: {name: options}`
        if "bubbleup" in plugins:
            where: tuple[str | int, ...] = ("plugins", "bubbleup")
            return Options.from_mapping(plugins["bubbleup"], where), True, where
        plugins = []
    for index, entry in enumerate(plugins if isinstance(plugins, list) else []):
        where = ("plugins", index, "bubbleup")
        if entry == "bubbleup":
            return Options(), True, where
        if isinstance(entry, dict) and "bubbleup" in entry:
            return Options.from_mapping(entry["bubbleup"], where), True, where
    extra = config.get("extra") or {}
    if isinstance(extra, dict) and "bubbleup" in extra:
        return Options.from_mapping(extra["bubbleup"], ("extra", "bubbleup")), False, ("extra", "bubbleup")
    return Options(), False, ()


def inside(root: Path, path: Path, what: str) -> Path:
    """`path` resolved, refusing anything that escapes the repository.

    Raises:
        OptionProblem: naming the key `what`.
    """
    try:
        resolved = path.resolve()
    except (OSError, ValueError, RuntimeError):
        raise OptionProblem(f"{what}: {str(path)!r} is not a usable path", (what,)) from None
    if not resolved.is_relative_to(root):
        raise OptionProblem(f"{what} must be inside {root}; got {path}", (what,))
    return resolved


def _read(config_file: Path) -> tuple[dict[str, Any], yaml.Node | None]:
    """mkdocs.yml's mapping, and its node tree (for the line of a wrong option)."""
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError as error:
        raise BubbleupError(f"cannot read {config_file}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise BubbleupError("not valid UTF-8; save the file with UTF-8 encoding", str(config_file), 1) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        loaded = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise BubbleupError(f"invalid YAML: {error.problem}", str(config_file), line) from None
    except yaml.YAMLError as error:
        raise BubbleupError(f"invalid YAML: {' '.join(str(error).split())}", str(config_file), 1) from None
    finally:
        loader.dispose()
    repeated = repeated_key(node)
    if repeated is not None:
        line, key, first = repeated
        raise BubbleupError(
            f"duplicate key '{key}': it is already set on line {first}, and YAML keeps only the last",
            str(config_file),
            line,
        )
    return (loaded if isinstance(loaded, dict) else {}), node


def settings(config_file: Path | None = None, start: Path | None = None, ideas_dir: str | None = None) -> Settings:
    """Find and read mkdocs.yml (or use defaults beside `start` when there is none).

    Raises:
        BubbleupError: the file is unreadable or an option is wrong; the message names
            the file, the line and the key.
    """
    here = (start or Path.cwd()).resolve()
    if config_file is None:
        config_file = find_config(here)
    if config_file is None:
        root = here if ideas_dir is not None else find_project(here)
        if root is None:
            raise BubbleupError(
                f"not in a Bubbleup project: there is no {CONFIG_NAME} and no {IDEAS_DIR}/ folder in {here} "
                f"or any folder above; run bubbleup inside the project, or name its {CONFIG_NAME} with -f"
            )
        found = resolve(root, None, Options(), SiteKeys(), ideas_dir=ideas_dir)
        require_ideas(found.root, found.ideas_dir, ideas_dir is not None)
        return found
    config_file = config_file.resolve()
    raw, node = _read(config_file)
    where: tuple[str | int, ...] = ()
    try:
        options, plugin_enabled, where = read_options(raw)
        found = resolve(config_file.parent, config_file, options, SiteKeys.from_mapping(raw), plugin_enabled, ideas_dir)
        inside(found.root, found.site_dir, "site_dir")
        require_ideas(found.root, found.ideas_dir, ideas_dir is not None)
    except OptionProblem as problem:
        keys = (*where, *problem.keys) if problem.keys in (("ideas_dir",), ("pages_dir",)) else problem.keys
        raise BubbleupError(problem.message, str(config_file), line_of(node, keys)) from None
    return found


def resolve(
    root: Path,
    config_file: Path | None,
    options: Options,
    site: SiteKeys,
    plugin_enabled: bool = False,
    ideas_dir: str | None = None,
) -> Settings:
    """Options and mkdocs' keys resolved into checked, absolute paths inside `root`.

    Args:
        ideas_dir: the CLI's --ideas-dir, relative to where the command runs.
    """
    if ideas_dir is not None:
        given = Path(ideas_dir)
        options = replace(options, ideas_dir=str(given if given.is_absolute() else (Path.cwd() / given)))
    docs_dir = inside(root, root / site.docs_dir, "docs_dir")
    pages_dir = inside(docs_dir, docs_dir / options.pages_dir, "pages_dir")
    if pages_dir == docs_dir:
        raise OptionProblem(
            "pages_dir must be a folder of its own under docs_dir, such as 'ideas'; it is emptied on every build",
            ("pages_dir",),
        )
    return Settings(
        root=root,
        config_file=config_file,
        options=options,
        ideas_dir=inside(root, root / options.ideas_dir, "ideas_dir"),
        docs_dir=docs_dir,
        pages_dir=pages_dir,
        site_dir=(root / site.site_dir).resolve(),
        site_name=site.site_name,
        site_url=site.site_url,
        repo_url=options.repo_url or site.repo_url,
        edit_uri=options.edit_uri or site.edit_uri,
        plugin_enabled=plugin_enabled,
        cache_dir=root / ".bubbleup-cache",
        directory_urls=site.directory_urls,
    )
