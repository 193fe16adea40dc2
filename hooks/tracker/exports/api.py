"""The JSON API (v1): every record as written in its YAML file, with its page, source file and dates,
one file per collection and one per deal; and the JSON Schemas the records validate against."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import urls
from ..model import Dataset, SiteSettings
from ..schema_check import SCHEMA_NAMES
from .encode import json_text, to_json

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


def deal_entries(dataset: Dataset, settings: SiteSettings, kept: Mapping[str, str]) -> dict[str, str]:
    """Each deal's API entry as compact JSON, by id in id order; `kept`'s entry where it has one (the
    last build's, for the deals an edit did not change)."""
    return {deal_id: kept.get(deal_id) or json_text(record_entry("deal", deal, settings, dataset))
            for deal_id, deal in sorted(dataset.deals.items())}


def api_files(dataset: Dataset, settings: SiteSettings, entries: Mapping[str, str]) -> dict[str, bytes]:
    """The collections and one file per deal, from the deals' `entries` (deal_entries): each is written
    once and placed in both files, as `to_json` would place it."""
    version = f'{{"api_version":{json_text(API_VERSION)},'
    deals = ",".join(entries.values())
    files = {
        urls.api_list("deals"): f'{version}"count":{len(entries)},"deals":[{deals}]}}\n'.encode(),
        urls.api_list("companies"): to_json({"api_version": API_VERSION, "count": len(dataset.companies), "companies": [
            record_entry("company", c, settings, dataset) for _, c in sorted(dataset.companies.items())]}),
        urls.api_list("systems"): to_json({"api_version": API_VERSION, "count": len(dataset.systems), "systems": [
            record_entry("system", s, settings, dataset) for _, s in sorted(dataset.systems.items())]}),
        urls.api_list("countries"): to_json({"countries": {
            code: {"region": c.region, "name": c.name, **({"note": c.note} if c.note else {})}
            for code, c in sorted(dataset.countries.items())}}),
        urls.api_list("annual-totals"): to_json({"totals": dataset.totals}),
    }
    for deal_id, entry in entries.items():
        files[urls.api_deal(deal_id)] = f"{version}{entry[1:]}\n".encode()
    return files


def schema_files(root: Path) -> dict[str, bytes]:
    return {urls.schema_file(name): (root / "data" / "schema" / f"{name}.schema.json").read_bytes()
            for name in SCHEMA_NAMES}
