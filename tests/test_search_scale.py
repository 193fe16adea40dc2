"""Search on a synthetic site of 1,000 deals, where deal pages are indexed by title and lead, with their
systems and recipient as search tags (tracker/search.py): typing a deal's title, one of its systems or its
recipient in the search box finds the deal, and the index holds no timeline sections."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from browser import open_page, search_for, serve
from conftest import ROOT, build_site

sys.path.insert(0, str(ROOT / "tests" / "benchmark"))
sys.path.insert(0, str(ROOT / "hooks"))
from generate_dataset import generate  # noqa: E402
from tracker.load import load_dataset  # noqa: E402

DEALS = 1000


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> Path:
    project = generate(DEALS, tmp_path_factory.mktemp("synthetic") / "project")
    for name in ("docs", "hooks"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, project / name)
    site = project / "site"
    result = build_site(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def deal_to_find(project: Path) -> tuple[str, str, str, str]:
    """A deal whose system is in no other deal (nor a prefix of another system's name) and whose
    recipient has few deals, so that it ranks among the first results: its id, title, system and recipient."""
    dataset = load_dataset(project)
    by_system = Counter(item["system"] for deal in dataset.deals.values() for item in deal["items"])
    by_country = Counter(deal["recipient"] for deal in dataset.deals.values())
    system_names = [system["name"] for system in dataset.systems.values()]

    def distinct(name: str) -> bool:  # Material matches the last word typed as a prefix: System 18 finds 180
        return sum(other.startswith(name) for other in system_names) == 1

    deal = min((d for d in dataset.deals.values()
                if len(d["items"]) == 1 and by_system[d["items"][0]["system"]] == 1
                and distinct(dataset.systems[d["items"][0]["system"]]["name"])),
               key=lambda d: (by_country[d["recipient"]], d.id))
    return (deal.id, deal["title"], dataset.systems[deal["items"][0]["system"]]["name"],
            dataset.countries[deal["recipient"]].name)


def test_index_is_small_and_has_no_timeline_sections(synthetic_site: Path):
    index = synthetic_site / "site" / "search" / "search_index.json"
    entries = json.loads(index.read_bytes())["docs"]
    assert not [e for e in entries if "#year-" in e["location"]]
    deal_entries = [e for e in entries if e["location"].startswith("deals/deal-")]
    assert len(deal_entries) == DEALS  # one entry per deal page
    assert all(len(e["tags"]) >= 2 for e in deal_entries)  # its systems and its recipient
    # what grows with the deals: 8 MB at 10,000 deals leaves under 800 bytes a deal for all the rest
    assert len(json.dumps(deal_entries, ensure_ascii=False).encode()) < DEALS * 700


@pytest.mark.parametrize("what", ["title", "system", "recipient"])
def test_search_finds_the_deal(browser, synthetic_site: Path, what: str):
    deal_id, title, system, recipient = deal_to_find(synthetic_site)
    query = {"title": title, "system": system, "recipient": recipient}[what]
    with serve(synthetic_site / "site", "/tracker/") as url:
        page, errors, _ = open_page(browser, url)
        wanted = page.locator(f'.md-search-result a[href*="deals/{deal_id}/"]')
        search_for(page, query, timeout_ms=20000)  # a bigger index than the real site's
        # Material shows results in batches as the list is scrolled. The worker answers every key typed in
        # turn, so on a busy machine the whole query's results can come seconds after the first results.
        for _ in range(100):
            if wanted.count():
                break
            page.locator(".md-search__scrollwrap").evaluate("wrap => { wrap.scrollTop = wrap.scrollHeight; }")
            page.wait_for_timeout(300)
        shown = (f"the box held {page.locator('.md-search__input').input_value()!r}, "
                 f"{page.locator('.md-search-result__item').count()} results shown of "
                 f"{page.locator('.md-search-result__meta').inner_text()!r}")
        assert wanted.count() > 0, f"searching {query!r} did not find {deal_id}: {shown}"
        assert not errors
        page.context.close()
