"""MkDocs adapter: wires MkDocs events to the `tracker` package, which holds all the logic.

on_config loads and validates the dataset (every error logged, then the build fails), on_files adds
the generated pages and points each page's edit link at the file a reader would edit, and
on_post_build writes the data exports. Nothing is written into docs/.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from tracker.errors import DatasetInvalid, format_errors
from tracker.exports import render_exports
from tracker.load import load_dataset
from tracker.pages import BrokenLink, SiteRenderer, SiteSettings

log = logging.getLogger("mkdocs.hooks.tracker")
_build: dict[str, object] = {}


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    try:
        dataset = load_dataset(root, cache=True)
    except DatasetInvalid as invalid:
        for line in format_errors(invalid.errors):
            log.error(line)
        raise PluginError(f"the dataset has {len(invalid.errors)} error(s), listed above") from None
    settings = SiteSettings(site_name=config.site_name, site_url=config.site_url or "", repo_url=config.repo_url or "")
    _build.update(root=root, dataset=dataset, settings=settings)
    return config


def on_files(files: Files, config) -> Files:
    renderer = SiteRenderer(_build["dataset"], _build["settings"], _build["root"] / "data" / "schema")
    exports = render_exports(_build["dataset"], _build["settings"], _build["root"])
    try:
        pages = renderer.render_all()
        pages.update(exports.pages)
    except BrokenLink as broken:
        raise PluginError(f"generated pages link to missing pages: {broken}") from None
    for file in files.documentation_pages():
        file.edit_uri = f"docs/{file.src_uri}"
    for src_uri, page in pages.items():
        file = File.generated(config, src_uri, content=page.markdown)
        file.edit_uri = page.edit_path
        files.append(file)
    _build["exports"] = exports.files
    # The dataset and rendered pages live until the end of the build: keep the garbage collector from
    # scanning them again after every few thousand allocations while MkDocs renders the pages.
    gc.freeze()
    return files


def on_post_build(config) -> None:
    gc.unfreeze()  # `mkdocs serve` rebuilds in the same process: let this build's objects go
    site = Path(config.site_dir)
    for relative, content in _build["exports"].items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
