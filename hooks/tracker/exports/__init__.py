"""Machine-readable outputs, one module per kind: the JSON API and schemas (api.py), CSV tables with a
Frictionless Data Package (tables.py) and Atom feeds (feeds.py), plus the world outline the small
maps draw on (charts.py). Everything is rendered as
`{path: bytes}`, deterministically (sorted keys and rows, no build time), so two builds are
byte-identical; the Data page that lists them is pages/data.py."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .. import charts, urls
from ..model import Dataset, SiteSettings
from ..schema_check import load_schemas
from .api import api_files, deal_entries, schema_files
from .feeds import feed_files
from .tables import csv_files, deal_lines

if TYPE_CHECKING:
    from ..pages.incremental import Edit


class ExportRenderer:
    """Renders every export file of one dataset (`render`).

    Given `last`, the renderer of the previous build in the same process (`mkdocs serve`), and `edit`,
    the deals whose content alone changed since (pages/incremental.py), it takes from `last` what the
    edit cannot have changed: the API entries of the other deals, the CSV lines of the deals whose
    pages the edit does not reach (a deal's lines show what its page shows: its related deals too),
    and the feeds that follow a page the edit does not reach (feeds.feed_files). The files are the
    same either way."""

    def __init__(self, dataset: Dataset, settings: SiteSettings, root: Path, last: ExportRenderer | None = None,
                 edit: Edit | None = None):
        self.dataset, self.settings, self.root, self.edit = dataset, settings, root, edit
        self.last = last
        self.files: dict[str, bytes] = {}  # by path, once rendered
        self.entries: dict[str, str] = {}  # each deal's API entry as JSON, by id
        self.lines: dict[str, dict[str, str]] = {}  # each deal's CSV lines, by id and table

    def render(self) -> dict[str, bytes]:
        last, edit = self.last, self.edit
        kept_entries: Mapping[str, str] = {}
        kept_lines: Mapping[str, dict[str, str]] = {}
        if last is not None and edit is not None:
            kept_entries = {i: entry for i, entry in last.entries.items() if i not in edit.deals}
            kept_lines = {i: lines for i, lines in last.lines.items() if urls.deal_page(i) not in edit.pages}
        self.entries = deal_entries(self.dataset, self.settings, kept_entries)
        self.lines = deal_lines(self.dataset, self.settings, kept_lines)
        schemas = load_schemas(self.root / "data" / "schema")
        files = {**api_files(self.dataset, self.settings, self.entries),
                 **csv_files(self.dataset, self.settings, schemas, self.lines),
                 **schema_files(self.root),
                 **feed_files(self.dataset, self.settings, last.files if last else None, edit),
                 charts.WORLD_OUTLINE: charts.world_outline_svg().encode("utf-8")}
        self.files = dict(sorted(files.items()))
        self.last = None  # what this render took from it is in this one now
        return self.files


def export_files(dataset: Dataset, settings: SiteSettings, root: Path) -> dict[str, bytes]:
    return ExportRenderer(dataset, settings, root).render()


def write_exports(files: Mapping[str, bytes], site_dir: Path,
                  written: dict[str, bytes] | None = None) -> dict[str, int]:
    """Write the export `files` under `site_dir`; return each file's size in bytes, by path.

    `written` is what the last builds wrote, by file path, kept by the caller between the builds of one
    `mkdocs serve`: a file still there with the same bytes is not written again (most of them, after an
    edit of one deal). It is updated with this build's files."""
    sizes = {}
    folders: set[str] = set()
    site = os.fspath(site_dir)
    for relative, content in files.items():
        target = os.path.join(site, relative)  # strings, not Paths: about 2,000 files at 1,000 deals
        sizes[relative] = len(content)
        if written is not None and written.get(target) == content and os.path.isfile(target):
            continue
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        with open(target, "wb") as out:
            out.write(content)
        if written is not None:
            written[target] = content
    return sizes
