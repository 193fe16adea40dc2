"""The record cache changes speed, never results: same dataset, same errors with the same locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.errors import DatasetInvalid
from tracker.load import load_dataset


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
    assert any(line.startswith("data/deals/small-arms-ammunition-plant-kosovo.yaml:4:13: suppliers[0]: unknown company 'mke'")
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
