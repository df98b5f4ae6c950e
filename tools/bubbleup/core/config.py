"""The one configuration schema, read from mkdocs.yml by the CLI and by the plugin alike.

Options live in the `bubbleup` entry of `plugins:` or, for a site builder that must not
see a plugin entry, under `extra: bubbleup:`. Either way, `Options` below is the schema,
and `settings()` resolves it against a repository into absolute, checked paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bubbleup.core.model import BubbleupError

CONFIG_NAME = "mkdocs.yml"
AUDIENCES = ("internal", "public")


@dataclass(frozen=True)
class Options:
    """The `bubbleup` options, with their defaults."""

    enabled: bool = True
    """Generate idea pages when the plugin runs (mkdocs build or serve)."""
    ideas_dir: str = "ideas"
    """The folder of idea files, relative to mkdocs.yml."""
    pages_dir: str = "ideas"
    """Where generated pages go, relative to docs_dir; git-ignored and owned by bubbleup."""
    max_file_size: int = 262_144
    """Files larger than this many bytes are reported and not read."""
    pull_request_patterns: tuple[str, ...] = (r"^Merge pull request #(\d+)\b", r"\(#(\d+)\)\s*$")
    """Regular expressions, one group each, that find a pull request's number in a commit
    subject: a matching merge commit credits its branch's commits; any other, itself."""
    repo_url: str = ""
    """The repository's web address, for the site's Vote / Propose links and pull request
    links. Default: mkdocs' own repo_url. Set it here instead of there for an offline
    intranet: with mkdocs' repo_url, Material fetches the repository's stars from the
    host's API in every reader's browser."""
    edit_uri: str = ""
    """Like mkdocs' edit_uri (edit/<branch>/docs/): the branch the links propose to.
    Default: mkdocs' own edit_uri."""
    criteria: tuple[str, ...] = ("impact", "effort")
    """What reviewers may score in a decision's scores block."""
    score_scale: int = 5
    """Scores go from 1 to this number."""
    threshold_votes: int = 10
    """Net votes (up minus down) an idea needs to be ready for review."""
    threshold_teams: int = 2
    """Distinct roster teams its up votes must come from, so one team cannot push an idea alone."""
    response_days: int = 30
    """Days within which an idea ready for review should get a decision."""
    overdue_warnings: bool = False
    """Report overdue ideas as warnings, so that check --strict fails on them."""
    audience: str = "internal"
    """internal: everything; public: only ideas marked public, without names or feedback."""
    trending_half_life: int = 14
    """Days after which a vote counts half as much in the trending ranking."""
    vote_budget: int = 0
    """At most this many open votes per person (0: no limit); votes on done, declined
    and duplicate ideas are given back."""

    @classmethod
    def from_dict(cls, raw: Any, where: str) -> Options:
        """Options from a mapping, with a clear error for unknown keys or wrong types."""
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise BubbleupError(f"{where}: expected a set of options, got {raw!r}")
        known = cls.__dataclass_fields__
        values = {}
        for key, value in raw.items():
            if key not in known:
                raise BubbleupError(f"{where}: unknown option {key!r}; expected one of {', '.join(known)}")
            expected = type(getattr(cls(), key))
            if expected is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = tuple(value)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise BubbleupError(f"{where}.{key}: expected {expected.__name__}, got {value!r}")
            if expected is tuple and key == "pull_request_patterns":
                _check_patterns(value, f"{where}.{key}")
            if key == "audience" and value not in AUDIENCES:
                raise BubbleupError(f"{where}.audience: expected one of {', '.join(AUDIENCES)}, got {value!r}")
            if expected is int and value < 0:
                raise BubbleupError(f"{where}.{key}: expected a number of 0 or more, got {value!r}")
            values[key] = value
        return cls(**values)


def _check_patterns(patterns: tuple[str, ...], where: str) -> None:
    for pattern in patterns:
        try:
            groups = re.compile(pattern).groups
        except re.error as error:
            raise BubbleupError(f"{where}: {pattern!r} is not a regular expression: {error}") from None
        if groups != 1:
            raise BubbleupError(f"{where}: {pattern!r} needs exactly one group, the pull request number")


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
    plugin_enabled: bool = False
    """Whether mkdocs.yml lists the bubbleup plugin (which regenerates pages under serve)."""


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (!ENV, !!python/name:...): they become None."""


_LenientLoader.add_constructor(None, lambda loader, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def find_config(start: Path) -> Path | None:
    """The nearest mkdocs.yml in `start` or a folder above it."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def read_options(config: dict[str, Any]) -> tuple[Options, bool]:
    """The bubbleup options of an mkdocs.yml mapping (its plugin entry, else extra.bubbleup),
    and whether the plugin is listed."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):  # mkdocs also accepts `plugins: {name: options}`
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins:
        if entry == "bubbleup":
            return Options(), True
        if isinstance(entry, dict) and "bubbleup" in entry:
            return Options.from_dict(entry["bubbleup"], "plugins.bubbleup"), True
    extra = config.get("extra") or {}
    if isinstance(extra, dict) and "bubbleup" in extra:
        return Options.from_dict(extra["bubbleup"], "extra.bubbleup"), False
    return Options(), False


def inside(root: Path, path: Path, what: str) -> Path:
    """`path` resolved, refusing anything that escapes the repository."""
    try:
        resolved = path.resolve()
    except (OSError, ValueError, RuntimeError):
        raise BubbleupError(f"{what}: {str(path)!r} is not a usable path") from None
    if not resolved.is_relative_to(root):
        raise BubbleupError(f"{what} must be inside {root}; got {path}")
    return resolved


def settings(config_file: Path | None = None, start: Path | None = None, ideas_dir: str | None = None) -> Settings:
    """Find and read mkdocs.yml (or use defaults beside `start` when there is none).

    Raises:
        BubbleupError: the file is unreadable or an option is wrong.
    """
    if config_file is None:
        config_file = find_config((start or Path.cwd()).resolve())
    raw: dict[str, Any] = {}
    if config_file is not None:
        config_file = config_file.resolve()
        try:
            loaded = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader)
        except OSError as error:
            raise BubbleupError(f"cannot read {config_file}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise BubbleupError("not valid UTF-8; save the file with UTF-8 encoding", str(config_file), 1) from None
        except yaml.MarkedYAMLError as error:
            line = error.problem_mark.line + 1 if error.problem_mark else 1
            raise BubbleupError(f"invalid YAML: {error.problem}", str(config_file), line) from None
        except yaml.YAMLError as error:
            raise BubbleupError(f"invalid YAML: {' '.join(str(error).split())}", str(config_file), 1) from None
        raw = loaded if isinstance(loaded, dict) else {}
        root = config_file.parent
    else:
        root = (start or Path.cwd()).resolve()
    options, plugin_enabled = read_options(raw)
    if ideas_dir is not None:  # --ideas-dir: relative to where the command runs
        given = Path(ideas_dir)
        options = replace(options, ideas_dir=str(given if given.is_absolute() else (Path.cwd() / given)))
    docs_dir = inside(root, root / str(raw.get("docs_dir") or "docs"), "docs_dir")
    pages_dir = inside(docs_dir, docs_dir / options.pages_dir, "pages_dir")
    if pages_dir == docs_dir:
        raise BubbleupError(
            "pages_dir must be a folder of its own under docs_dir, such as 'ideas'; it is emptied on every build"
        )
    return Settings(
        root=root,
        config_file=config_file,
        options=options,
        ideas_dir=inside(root, root / options.ideas_dir, "ideas_dir"),
        docs_dir=docs_dir,
        pages_dir=pages_dir,
        site_dir=inside(root, root / str(raw.get("site_dir") or "site"), "site_dir"),
        site_name=str(raw.get("site_name") or "Ideas"),
        site_url=str(raw["site_url"]) if raw.get("site_url") else None,
        repo_url=options.repo_url or raw.get("repo_url"),
        edit_uri=options.edit_uri or raw.get("edit_uri"),
        plugin_enabled=plugin_enabled,
        cache_dir=root / ".bubbleup-cache",
    )
