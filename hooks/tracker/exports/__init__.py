"""Machine-readable outputs, one module per kind: the JSON API and schemas (api.py), CSV tables with a
Frictionless Data Package (tables.py) and Atom feeds (feeds.py), plus the world outline the small
maps draw on (charts.py). Everything is rendered as
`{path: bytes}`, deterministically (sorted keys and rows, no build time), so two builds are
byte-identical; the Data page that lists them is pages/data.py."""

from __future__ import annotations

from pathlib import Path

from .. import charts
from ..model import Dataset, SiteSettings
from ..schema_check import load_schemas
from .api import api_files, schema_files
from .feeds import feed_files
from .tables import csv_files


def export_files(dataset: Dataset, settings: SiteSettings, root: Path) -> dict[str, bytes]:
    schemas = load_schemas(root / "data" / "schema")
    files = {**api_files(dataset, settings), **csv_files(dataset, settings, schemas), **schema_files(root),
             **feed_files(dataset, settings), charts.WORLD_OUTLINE: charts.world_outline_svg().encode("utf-8")}
    return dict(sorted(files.items()))


def write_exports(dataset: Dataset, settings: SiteSettings, root: Path, site_dir: Path,
                  written: dict[Path, bytes] | None = None) -> dict[str, int]:
    """Write every export file under `site_dir`; return each file's size in bytes, by path.

    `written` is what the last builds wrote, by file, kept by the caller between the builds of one
    `mkdocs serve`: a file still there with the same bytes is not written again (most of them, after an
    edit of one deal). It is updated with this build's files."""
    sizes = {}
    folders: set[Path] = set()
    for relative, content in export_files(dataset, settings, root).items():
        target = site_dir / relative
        sizes[relative] = len(content)
        if written is not None and written.get(target) == content and target.is_file():
            continue
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(content)
        if written is not None:
            written[target] = content
    return sizes
