"""Generated pages' files (tracker/generated.py): under `mkdocs serve --dirtyreload` a generated page is
rebuilt only when its Markdown changed, and the search index keeps the other pages' entries; once MkDocs
has read a page, its file lets its copy of the Markdown go."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from conftest import ROOT
from mkdocs.config import load_config

sys.path.insert(0, str(ROOT / "hooks"))
from tracker.generated import GeneratedPages  # noqa: E402


def config(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", "utf-8")
    loaded = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    loaded.plugins._current_plugin = None  # set by MkDocs while it runs a plugin's event
    return loaded


def built(file) -> None:
    Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
    Path(file.abs_dest_path).write_text("<html>", "utf-8")


def test_only_changed_pages_are_modified(tmp_path: Path):
    cfg = config(tmp_path)
    dirty = GeneratedPages()
    dirty.start("serve", True)
    first = dirty.file(cfg, "deals/a.md", "A")
    assert first.is_modified()  # nothing built yet
    built(first)
    dirty.finished(succeeded=True)
    assert not dirty.file(cfg, "deals/a.md", "A").is_modified()
    assert dirty.file(cfg, "deals/a.md", "A changed").is_modified()
    assert dirty.file(cfg, "deals/b.md", "B").is_modified()  # a new page
    dirty.finished(succeeded=False)  # after a failed build, everything is built again
    assert dirty.file(cfg, "deals/a.md", "A").is_modified()


def test_outside_dirty_serve_every_page_is_modified(tmp_path: Path):
    cfg = config(tmp_path)
    for command, flag in (("serve", False), ("build", True), ("build", False)):
        dirty = GeneratedPages()
        dirty.start(command, flag)
        file = dirty.file(cfg, "deals/a.md", "A")
        built(file)
        dirty.finished(succeeded=True)
        assert dirty.file(cfg, "deals/a.md", "A").is_modified()


def test_search_index_keeps_the_pages_not_rebuilt():
    dirty = GeneratedPages()
    dirty.start("serve", True)
    previous = SimpleNamespace(entries=[{"location": ""}, {"location": "#intro"}, {"location": "deals/a/"},
                                        {"location": "deals/b/"}, {"location": "countries/x/"},
                                        {"location": "countries/x/#systems"}])
    current = SimpleNamespace(entries=[{"location": "deals/a/", "title": "new"}, {"location": "countries/x/"}])
    search = SimpleNamespace(search_index_prev=previous, search_index=current)
    dirty.page_built("deals/a/")
    dirty.page_built("countries/x/")
    dirty.merge_search_index(search)
    assert [e["location"] for e in current.entries] == ["", "#intro", "deals/b/", "deals/a/", "countries/x/"]
    assert search.search_index_prev is None


def test_file_lets_its_markdown_go_once_read(tmp_path: Path):
    cfg = config(tmp_path)
    pages = GeneratedPages()
    file = pages.file(cfg, "deals/a.md", "---\ntitle: A\n---\n\nText")
    assert file.content_string.endswith("Text")
    pages.page_read(file)
    assert file.content_string == ""
