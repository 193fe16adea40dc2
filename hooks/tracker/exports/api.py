"""The JSON API (v1): every record as written in its YAML file, with its page, source file and dates,
one file per collection and one per deal; and the JSON Schemas the records validate against."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import urls
from ..model import Dataset, SiteSettings
from ..schema_check import SCHEMA_NAMES
from .encode import to_json

API_VERSION = "1.0"


def record_entry(kind: str, record, settings: SiteSettings, dataset: Dataset) -> dict[str, Any]:
    folder = {"deal": "deals", "company": "companies", "system": "systems"}[kind]
    history = dataset.history.of(record.path)
    return {
        "id": record.id,
        "record": record.data,
        "added": history.added.date if history else None,
        "changed": history.changed.date if history else None,
        "links": {
            "html": f"{settings.site_url.rstrip('/')}/{urls.record_page(folder, record.id)}",
            "source_file": record.path,
        },
    }


def api_files(dataset: Dataset, settings: SiteSettings) -> dict[str, bytes]:
    deals = [record_entry("deal", d, settings, dataset) for _, d in sorted(dataset.deals.items())]
    files = {
        urls.api_list("deals"): to_json({"api_version": API_VERSION, "count": len(deals), "deals": deals}),
        urls.api_list("companies"): to_json({"api_version": API_VERSION, "count": len(dataset.companies), "companies": [
            record_entry("company", c, settings, dataset) for _, c in sorted(dataset.companies.items())]}),
        urls.api_list("systems"): to_json({"api_version": API_VERSION, "count": len(dataset.systems), "systems": [
            record_entry("system", s, settings, dataset) for _, s in sorted(dataset.systems.items())]}),
        urls.api_list("countries"): to_json({"countries": {
            code: {"region": c.region, "name": c.name, **({"note": c.note} if c.note else {})}
            for code, c in sorted(dataset.countries.items())}}),
        urls.api_list("annual-totals"): to_json({"totals": dataset.totals}),
    }
    for entry in deals:
        files[urls.api_deal(entry["id"])] = to_json({"api_version": API_VERSION, **entry})
    return files


def schema_files(root: Path) -> dict[str, bytes]:
    return {urls.schema_file(name): (root / "data" / "schema" / f"{name}.schema.json").read_bytes()
            for name in SCHEMA_NAMES}
