"""The record cache changes speed, never results: same dataset, same errors with the same locations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from tracker.errors import DatasetInvalid
from tracker.load import load_dataset
from tracker.record_cache import DECIDING_LIBRARIES, PACKAGE_DIR, fingerprint


def test_cached_load_equals_fresh_load(mini_project: Path):
    fresh = load_dataset(mini_project)
    load_dataset(mini_project, cache=True)
    assert (mini_project / ".cache" / "tracker-records.marshal").exists()
    cached = load_dataset(mini_project, cache=True)
    assert {k: v.data for k, v in cached.deals.items()} == {k: v.data for k, v in fresh.deals.items()}
    assert {k: v.data for k, v in cached.systems.items()} == {k: v.data for k, v in fresh.systems.items()}


def test_errors_in_cached_records_keep_their_line_and_column(mini_project: Path):
    load_dataset(mini_project, cache=True)
    (mini_project / "data" / "companies" / "mke.yaml").unlink()
    with pytest.raises(DatasetInvalid) as caught:
        load_dataset(mini_project, cache=True)
    lines = [str(e) for e in caught.value.errors]
    assert any(line.startswith("data/deals/small-arms-ammunition-plant-kosovo.yaml:4:13: "
                               "suppliers[0]: unknown company 'mke'")
               for line in lines), lines


def test_a_changed_file_is_read_again(mini_project: Path):
    load_dataset(mini_project, cache=True)
    deal = mini_project / "data" / "deals" / "skydagger-kosovo.yaml"
    deal.write_text(deal.read_text("utf-8").replace("status: delivered", "status: deliverd"), "utf-8")
    with pytest.raises(DatasetInvalid, match="1 error"):
        load_dataset(mini_project, cache=True)


def test_a_corrupt_cache_is_ignored(mini_project: Path):
    load_dataset(mini_project, cache=True)
    (mini_project / ".cache" / "tracker-records.marshal").write_bytes(b"\x00garbage")
    assert len(load_dataset(mini_project, cache=True).deals) == 3


def test_country_names_come_from_the_cache_and_errors_keep_their_place(mini_project: Path):
    fresh = load_dataset(mini_project)
    load_dataset(mini_project, cache=True)
    cached = load_dataset(mini_project, cache=True)
    assert cached.countries == fresh.countries
    assert cached.countries["QA"].name == "Qatar"
    countries = mini_project / "data" / "countries.yaml"
    countries.write_text(countries.read_text("utf-8").replace("  QA:", "  QB:"), "utf-8")
    for _ in range(2):  # the broken file is not cached: the second load reports the same error
        with pytest.raises(DatasetInvalid) as caught:
            load_dataset(mini_project, cache=True)
        assert [str(e) for e in caught.value.errors][0].startswith(
            "data/countries.yaml:6:3: countries.QB: 'QB' is not an ISO 3166-1 alpha-2 code")


def run_check_with_package(package: Path, project: Path) -> subprocess.CompletedProcess:
    """`tracker check` in `project`, importing the tracker package from `package` (a copy of ours)."""
    code = "import sys; from tracker.cli import main; sys.exit(main(['check']))"
    env = {**os.environ, "PYTHONPATH": str(package)}
    return subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_new_rule_is_applied_to_files_the_cache_already_holds(mini_project: Path, tmp_path: Path):
    package = tmp_path / "package"
    shutil.copytree(PACKAGE_DIR, package / "tracker", ignore=shutil.ignore_patterns("__pycache__"))
    warm = run_check_with_package(package, mini_project)
    assert warm.returncode == 0, warm.stdout + warm.stderr
    assert (mini_project / ".cache" / "tracker-records.marshal").exists()
    again = run_check_with_package(package, mini_project)
    assert again.returncode == 0, again.stdout + again.stderr  # the unchanged code still passes, from the cache

    rules = package / "tracker" / "rules.py"
    stricter = rules.read_text("utf-8").replace(
        "    return [*date_findings(deal, today), *url_findings(deal),",
        "    return [(('title',), 'a rule added after the cache was written'),\n"
        "            *date_findings(deal, today), *url_findings(deal),")
    assert stricter != rules.read_text("utf-8")
    rules.write_text(stricter, "utf-8")
    tightened = run_check_with_package(package, mini_project)
    assert tightened.returncode == 1, tightened.stdout + tightened.stderr
    assert tightened.stdout.count("title: a rule added after the cache was written") == 3, tightened.stdout


def test_the_fingerprint_covers_schemas_code_and_deciding_libraries(tmp_path: Path):
    schemas = shutil.copytree(ROOT / "data" / "schema", tmp_path / "schema")
    code = shutil.copytree(PACKAGE_DIR, tmp_path / "tracker", ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint(schemas, code)
    (code / "schema_check.py").write_text((code / "schema_check.py").read_text("utf-8") + "\n# changed\n", "utf-8")
    after_code = fingerprint(schemas, code)
    (schemas / "deal.schema.json").write_text((schemas / "deal.schema.json").read_text("utf-8") + " ", "utf-8")
    after_schema = fingerprint(schemas, code)
    assert len({before, after_code, after_schema}) == 3
    assert set(DECIDING_LIBRARIES) == {"pyyaml", "jsonschema", "pycountry"}
