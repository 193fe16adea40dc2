"""Published data: the API round-trips the YAML, validates against the published schemas; the CSV
tables and the data package pass Frictionless; feeds are valid Atom with stable ids."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from checkout import DATASET
from conftest import ROOT
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from tracker.load import RECORD_FOLDERS
from tracker.rules import normalise_dates
from tracker.strict_yaml import read_yaml_file

ATOM = "{http://www.w3.org/2005/Atom}"


def published_validator(site: Path, name: str) -> Draft202012Validator:
    schemas = [json.loads(p.read_text("utf-8")) for p in sorted((site / "schema").glob("*.schema.json"))]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    return Draft202012Validator(json.loads((site / "schema" / f"{name}.schema.json").read_text("utf-8")),
                                registry=registry)


def test_api_records_equal_the_yaml_files(built_site: Path):
    for folder in RECORD_FOLDERS:
        listing = json.loads((built_site / "api" / "v1" / f"{folder}.json").read_text("utf-8"))
        entries = {entry["id"]: entry for entry in listing[folder]}
        files = sorted((ROOT / "data" / folder).glob("*.yaml"))
        assert listing["count"] == len(files) == len(entries)
        for path in files:
            expected = read_yaml_file(path).data
            normalise_dates(expected)
            assert entries[path.stem]["record"] == expected, path.name
            assert entries[path.stem]["links"]["source_file"] == f"data/{folder}/{path.name}"
    for deal_id in DATASET.deals:
        single = json.loads((built_site / "api" / "v1" / "deals" / f"{deal_id}.json").read_text("utf-8"))
        assert single["record"] == DATASET.deals[deal_id].data


def test_api_files_validate_against_the_published_schemas(built_site: Path):
    api = built_site / "api" / "v1"
    for folder, (kind, _) in RECORD_FOLDERS.items():
        validator = published_validator(built_site, kind)
        for entry in json.loads((api / f"{folder}.json").read_text("utf-8"))[folder]:
            errors = [e.message for e in validator.iter_errors(entry["record"])]
            assert not errors, (entry["id"], errors)
    for name in ("countries", "annual-totals"):
        document = json.loads((api / f"{name}.json").read_text("utf-8"))
        errors = [e.message for e in published_validator(built_site, name).iter_errors(document)]
        assert not errors, (name, errors[:5])


def read_csv(site: Path, name: str) -> list[dict[str, str]]:
    with open(site / "data" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_row_counts_equal_record_counts(built_site: Path):
    deals = DATASET.deals.values()
    assert len(read_csv(built_site, "deals")) == len(DATASET.deals)
    assert len(read_csv(built_site, "events")) == sum(len(d["events"]) for d in deals)
    assert len(read_csv(built_site, "sources")) == sum(len(d.sources) for d in deals)
    assert len(read_csv(built_site, "items")) == sum(len(d["items"]) for d in deals)
    assert len(read_csv(built_site, "companies")) == len(DATASET.companies)
    assert len(read_csv(built_site, "systems")) == len(DATASET.systems)
    kosovo = next(row for row in read_csv(built_site, "deals") if row["id"] == "small-arms-ammunition-plant-kosovo")
    assert kosovo["recipient"] == "XK" and kosovo["suppliers"] == "mke"


def test_frictionless_validates_the_data_package(built_site: Path):
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(frictionless), "validate", "--json", str(built_site / "data" / "datapackage.json")],
                            capture_output=True, text=True, timeout=600)
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:4000]
    assert len(report["tasks"]) == 7


def test_feeds_are_atom_with_unique_stable_ids(built_site: Path):
    feeds = sorted(p for p in (built_site / "feeds").glob("*.xml") if p.name != "sitemap.xml")
    assert len(feeds) >= 1 + len({d.recipient for d in DATASET.deals.values()})
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        ids = [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]
        assert len(ids) == len(set(ids)), feed
        assert all(i is not None and i.startswith("tag:") for i in ids)
    kosovo = (built_site / "countries" / "kosovo" / "index.html").read_text("utf-8")
    assert 'rel="alternate" type="application/atom+xml"' in kosovo and "feeds/country-kosovo.xml" in kosovo
