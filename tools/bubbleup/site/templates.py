"""The theme's templates compiled once, not on every build (jinja2's bytecode cache).

mkdocs makes a new template environment for each build, so every build, a preview's
rebuild after one vote included, compiled Material's templates again: about half a
second, whatever changed. jinja2 can keep the compiled code of each template in a
bytecode cache, which checks the template's source against a checksum before using it.
Here that cache is kept in memory for the process (a preview builds many times) and in
`.bubbleup-cache/templates.pickle` for the next build.

Compiled code depends on more than the source: the versions of jinja2 and Python, and
the environment's syntax, options and extensions. Those make the scope of every key, so
code compiled under other ones is never used. A damaged or foreign file is set aside,
and code that cannot be loaded is compiled again; a build with the cache makes the same
site as one without (tests/test_templates.py). Like the render cache, the file is the
build's own: only Bubbleup writes it. In CI it comes back only from the cache that the
publish workflow saved on the default branch (pull requests restore that cache and never
save one), since loading compiled code runs it.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

import jinja2

from bubbleup.core import caches

CACHE = "templates.pickle"
FORMAT = 1
OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)

_memory: dict[str, bytes] = {}
"""Compiled templates by key, for every build of this process."""
_unsaved = [False]
"""Whether a template was compiled since the file was written."""


def _name(value: object) -> str:
    """A setting as text that names no address: functions and classes by their name."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


def scope(environment: jinja2.Environment) -> str:
    """What compiled code depends on beside the template's source."""
    parts = [jinja2.__version__, sys.version, *sorted(environment.extensions)]
    parts += [f"{option}={_name(getattr(environment, option, None))}" for option in OPTIONS]
    for setting in ("autoescape", "finalize", "code_generator_class", "context_class", "concat"):
        parts.append(f"{setting}={_name(getattr(environment, setting, None))}")
    # The code that calls a filter or test depends on whether it exists and what it is passed.
    for kind, functions in (("filter", environment.filters), ("test", environment.tests)):
        parts += [f"{kind} {name} {getattr(function, 'jinja_pass_arg', None)}" for name, function in functions.items()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class Compiled(jinja2.BytecodeCache):
    """Compiled templates for one environment, in memory and in a file."""

    def __init__(self, environment: jinja2.Environment, path: Path | None) -> None:
        self.environment = environment
        self.scope = ""
        """The environment's `scope`, once its first template is asked for: plugins add
        filters after the environment is made (`on_env`)."""
        self.path = path
        if path is not None and not _memory:
            _memory.update(_read(path))

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        self.scope = self.scope or scope(self.environment)
        return hashlib.sha256(f"{self.scope}\0{name}\0{filename}".encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = _memory.get(bucket.key)
        if found is None:
            return
        try:
            bucket.bytecode_from_string(found)
        except Exception:  # damaged: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _memory[bucket.key] = bucket.bytecode_to_string()
        _unsaved[0] = True

    def save(self) -> None:
        """Write what this process compiled (in this environment or another one the theme
        made); a cache that cannot be written only makes the next build slower."""
        if self.path is not None and _unsaved[0]:
            caches.write(self.path, pickle.dumps({"format": FORMAT, "templates": dict(_memory)}, protocol=5))
            _unsaved[0] = False


def compile_once(theme: Any, path: Path | None) -> None:
    """Have every template environment the theme makes keep its compiled templates, not
    only the build's own (which the plugin's `on_env` gives them): Material's search plugin
    makes three environments while it is configured, each compiling the language template
    and the language's file again to read one word from them (60 ms of every build)."""
    made = theme.get_env

    def get_env() -> jinja2.Environment:
        env = made()
        if env.bytecode_cache is None:
            env.bytecode_cache = Compiled(env, path)
        return env

    theme.get_env = get_env


def _read(path: Path) -> dict[str, bytes]:
    try:
        raw = pickle.loads(path.read_bytes())
    except Exception:  # missing, damaged, or written by something else
        return {}
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("templates"), dict):
        return {}
    return {key: value for key, value in raw["templates"].items() if isinstance(key, str) and isinstance(value, bytes)}
