"""The record cache changes speed, never results: same dataset, same errors with the same locations."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from tracker import background, load, record_cache
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


def test_a_cache_file_as_this_process_left_it_is_not_read_again(mini_project: Path, monkeypatch):
    """`mkdocs serve` loads the dataset on every save: the cache file is read again only when another
    process changed it, and its entries are used only under the same fingerprint."""
    load_dataset(mini_project, cache=True)
    cache_file = mini_project / ".cache" / "tracker-records.marshal"
    reads: list[int] = []
    parsed: list[str] = []
    loads, parse = marshal.loads, load.parse_checked

    def counted_loads(data: bytes):
        reads.append(len(data))
        return loads(data)

    def counted_parse(*args):
        parsed.append(args[3])
        return parse(*args)
    monkeypatch.setattr(record_cache.marshal, "loads", counted_loads)
    monkeypatch.setattr(load, "parse_checked", counted_parse)
    assert len(load_dataset(mini_project, cache=True).deals) == 3
    assert reads == [] and parsed == []
    stored = loads(cache_file.read_bytes())
    cache_file.write_bytes(marshal.dumps({**stored, "records": {}}))  # another process empties it
    assert len(load_dataset(mini_project, cache=True).deals) == 3
    assert len(reads) == 1 and len(parsed) > 3
    reads.clear()
    parsed.clear()
    schema = mini_project / "data" / "schema" / "deal.schema.json"
    schema.write_text(schema.read_text("utf-8") + "\n", "utf-8")  # a new fingerprint
    assert len(load_dataset(mini_project, cache=True).deals) == 3
    assert len(reads) == 1 and len(parsed) > 3, "entries kept under another fingerprint must not be used"


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


def test_files_checked_by_a_second_process_load_as_in_one(mini_project: Path, monkeypatch):
    """With the cache empty, a second process checks the second half of the files (load.SecondHalf):
    the dataset, and every error with its line and column, are those of a load in one process."""
    assert background.can_fork()
    system = mini_project / "data" / "systems" / "skydagger.yaml"  # in the second half; a year to normalise
    system.write_text(system.read_text("utf-8").replace('published: "2025-10-08"', "published: 2025"), "utf-8")
    fresh = load_dataset(mini_project)
    assert fresh.systems["skydagger"].sources[0]["published"] == "2025"
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    forked: list[bool] = []
    parsed_here: list[str] = []

    class Watched(background.Background):
        def __init__(self, function):
            super().__init__(function)
            forked.append(self.forked)

    parse_checked = load.parse_checked

    def counted(project, raw, schema, display, errors):
        parsed_here.append(display)  # in the second process, this list is its own copy
        return parse_checked(project, raw, schema, display, errors)
    monkeypatch.setattr(load, "Background", Watched)
    monkeypatch.setattr(load, "parse_checked", counted)
    cached = load_dataset(mini_project, cache=True)
    assert forked == [True]
    records = len(cached.deals) + len(cached.companies) + len(cached.systems)
    assert 0 < len(parsed_here) - 1 <= (records + 1) // 2, parsed_here  # the countries file, then the first half
    assert {k: v.data for k, v in cached.deals.items()} == {k: v.data for k, v in fresh.deals.items()}
    assert list(cached.deals) == list(fresh.deals) and list(cached.companies) == list(fresh.companies)
    assert {k: v.data for k, v in cached.systems.items()} == {k: v.data for k, v in fresh.systems.items()}
    # A broken file in the second half: reported by this process, with its place.
    shutil.rmtree(mini_project / ".cache")
    deal = mini_project / "data" / "systems" / "small-arms-ammunition-plant.yaml"
    deal.write_text(deal.read_text("utf-8").replace("category:", "category: [", 1), "utf-8")
    with pytest.raises(DatasetInvalid) as caught:
        load_dataset(mini_project, cache=True)
    with pytest.raises(DatasetInvalid) as alone:
        load_dataset(mini_project)
    assert [str(e) for e in caught.value.errors] == [str(e) for e in alone.value.errors]
    assert str(caught.value.errors[0]).startswith("data/systems/small-arms-ammunition-plant.yaml:")


def test_a_second_process_that_fails_leaves_the_files_to_the_first(mini_project: Path, monkeypatch):
    fresh = load_dataset(mini_project)
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    monkeypatch.setattr(load, "check_alone", lambda *args: os._exit(3))
    cached = load_dataset(mini_project, cache=True)
    assert {k: v.data for k, v in cached.systems.items()} == {k: v.data for k, v in fresh.systems.items()}
