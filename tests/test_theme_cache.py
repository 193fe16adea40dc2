"""The theme's compiled templates kept in .cache/ (tracker/theme_cache.py): a template edited between two
builds shows in the second, the cache is used when nothing changed, and code compiled under other
settings is never read."""

from __future__ import annotations

import sys
from pathlib import Path

from checkout import copy_project
from conftest import ROOT, build_site
from jinja2 import Environment

sys.path.insert(0, str(ROOT / "hooks"))
from tracker.theme_cache import theme_bytecode_cache  # noqa: E402


def test_an_edited_override_shows_in_the_next_build_and_the_cache_serves_the_rest(tmp_path: Path):
    project = copy_project(tmp_path)
    first = build_site(project, tmp_path / "site-1")
    assert first.returncode == 0, first.stdout + first.stderr
    compiled = sorted((project / ".cache" / "jinja-theme").glob("*/*.cache"))
    assert len(compiled) >= 30  # Material's templates and ours, compiled once
    kept = {path: path.stat().st_mtime_ns for path in compiled}

    override = project / "hooks" / "overrides" / "main.html"
    override.write_text(override.read_text("utf-8").replace(
        "{% block extrahead %}\n", '{% block extrahead %}\n  <meta name="tdet-edited" content="yes">\n', 1), "utf-8")
    second = build_site(project, tmp_path / "site-2")
    assert second.returncode == 0, second.stdout + second.stderr
    assert '<meta name="tdet-edited" content="yes">' not in (tmp_path / "site-1" / "index.html").read_text("utf-8")
    assert '<meta name="tdet-edited" content="yes">' in (tmp_path / "site-2" / "index.html").read_text("utf-8")
    assert '<meta name="tdet-edited" content="yes">' in (
        tmp_path / "site-2" / "deals" / "bayraktar-tb2-kosovo" / "index.html").read_text("utf-8")
    rewritten = [path.name for path, mtime in kept.items() if path.stat().st_mtime_ns != mtime]
    assert len(rewritten) == 1, rewritten  # main.html alone was compiled again


def test_other_compile_settings_get_a_folder_of_their_own(tmp_path: Path):
    folder = Path(theme_bytecode_cache(Environment(), tmp_path).directory)
    assert folder.parent == tmp_path / "jinja-theme"
    assert Path(theme_bytecode_cache(Environment(), tmp_path).directory) == folder
    for other in (Environment(trim_blocks=True), Environment(autoescape=True),
                  Environment(extensions=["jinja2.ext.i18n"]), Environment(variable_start_string="[[")):
        assert Path(theme_bytecode_cache(other, tmp_path).directory) != folder
