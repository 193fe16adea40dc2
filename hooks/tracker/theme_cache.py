"""The theme's compiled templates (Material's and hooks/overrides/), kept in .cache/ from one build to the next.

MkDocs makes a new Jinja environment for the theme at every build, so every build, and every rebuild of
`mkdocs serve` after an edit, compiles the same forty-odd templates again. Jinja's file cache of compiled
templates keys each one by its name and file and checks a hash of its source before using it, so an
edited template is compiled again. The folder is named after everything else that shapes the compiled
code (the versions of Jinja, MkDocs and Material, the environment's extensions and syntax options), so
an upgrade or a changed setting never reads code compiled under another.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache


def _installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


def _compile_settings(env: Environment) -> str:
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else getattr(env.autoescape, "__qualname__", "?")
    return repr((
        [_installed(package) for package in ("jinja2", "mkdocs", "mkdocs-material")],
        sorted(env.extensions), autoescape, env.optimized, env.trim_blocks, env.lstrip_blocks,
        env.keep_trailing_newline, env.newline_sequence, env.block_start_string, env.block_end_string,
        env.variable_start_string, env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix,
    ))


def theme_bytecode_cache(env: Environment, cache_dir: Path) -> FileSystemBytecodeCache:
    """A cache of compiled templates for the theme environment `env`, in a folder of `cache_dir` of its own."""
    key = hashlib.sha1(_compile_settings(env).encode("utf-8")).hexdigest()[:16]
    folder = cache_dir / "jinja-theme" / key
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))
