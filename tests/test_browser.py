"""A real browser on the built site: no console errors, no third-party requests, working filters,
search and sorting, no-JavaScript reading, data payloads that never run, and axe accessibility."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from browser import EVERY_LANGUAGE, open_page, search_for, serve
from checkout import DATASET, copy_project
from conftest import build_site
from playwright.sync_api import Dialog, Page
from tracker import i18n

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", EVERY_LANGUAGE)
def test_page_loads_without_errors_or_outside_requests(browser, site_url: str, name: str):
    page, errors, outside = open_page(browser, site_url + EVERY_LANGUAGE[name])
    assert page.title()
    assert not errors, errors
    assert not outside, outside
    page.context.close()


def visible_events(page: Page) -> int:
    return page.locator(".tdet-timeline .tdet-event:visible").count()


def test_timeline_filters_narrow_and_clearing_restores(browser, site_url: str):
    page, errors, _ = open_page(browser, site_url + "timeline/")
    total = page.locator(".tdet-timeline .tdet-event").count()
    assert visible_events(page) == total > 50
    page.select_option("select[name=region]", "europe")
    europe = visible_events(page)
    assert 0 < europe < total
    page.select_option("select[name=type]", "delivery")
    both = visible_events(page)
    assert 0 < both <= europe
    assert f"{both} of {total} events shown" in page.locator(".tdet-filter-count").inner_text()
    page.select_option("select[name=company]", "mke")
    assert visible_events(page) <= both
    page.locator("form.tdet-filters button[type=reset]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('.tdet-timeline .tdet-event:not([hidden])').length === {total}")
    assert visible_events(page) == total
    assert not errors
    page.context.close()


def test_timeline_without_javascript_is_complete(browser, site_url: str):
    page, _, _ = open_page(browser, site_url + "timeline/", java_script_enabled=False)
    total = sum(len(d["events"]) for d in DATASET.deals.values())
    assert page.locator(".tdet-timeline .tdet-event").count() == total
    assert visible_events(page) == total
    assert not page.locator("form.tdet-filters").is_visible()
    page.context.close()


@pytest.mark.parametrize("start, query, expected", [("", "Kosovo", "Kosovo"), ("", "TB2", "TB2"),
                                                    ("tr/", "Kosova", "Kosova'ya Bayraktar TB2"),
                                                    ("tr/", "mühimmat", "Mühimmat")])
def test_search_finds(browser, site_url: str, start: str, query: str, expected: str):
    page, errors, _ = open_page(browser, site_url + start)
    search_for(page, query)
    assert page.locator(".md-search-result__item").count() > 0
    assert expected.lower() in page.locator(".md-search-result").inner_text().lower()
    assert not errors
    page.context.close()


def test_sorting_a_table_sorts_it(browser, site_url: str):
    page, _, _ = open_page(browser, site_url + "countries/")
    header = page.locator("table.tdet-sortable th button", has_text="Deals")
    header.click()
    values = [int(v) for v in page.locator("table.tdet-sortable tbody tr td:nth-child(3)").all_inner_texts()]
    assert values == sorted(values)
    header.click()
    values = [int(v) for v in page.locator("table.tdet-sortable tbody tr td:nth-child(3)").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    names = page.locator("table.tdet-sortable th button", has_text="Country")
    names.click()
    countries = page.locator("table.tdet-sortable tbody tr td:nth-child(1)").all_inner_texts()
    assert countries == sorted(countries, key=lambda name: unicodedata.normalize("NFKD", name).lower())
    assert countries.index("Côte d'Ivoire") < countries.index("Croatia")  # accents do not send a name to the end
    page.context.close()


def test_turkish_tables_sort_in_the_turkish_alphabet_as_the_build_does(browser, site_url: str):
    page, _, _ = open_page(browser, site_url + "tr/countries/")
    built = page.locator("table.tdet-sortable tbody tr td:nth-child(1)").all_inner_texts()
    assert built == sorted(built, key=i18n.sort_key("tr"))
    assert built.index("Cezayir") < built.index("Çad") < built.index("Danimarka")
    page.locator("table.tdet-sortable th button", has_text="Bölge").click()
    page.locator("table.tdet-sortable th button", has_text="Ülke").click()
    assert page.locator("table.tdet-sortable tbody tr td:nth-child(1)").all_inner_texts() == built
    page.context.close()


@pytest.mark.parametrize(("start", "lang", "arrive"), [
    ("deals/bayraktar-tb2-kosovo/", "tr", "tr/deals/bayraktar-tb2-kosovo/"),
    ("tr/systems/bayraktar-tb2/", "en", "systems/bayraktar-tb2/"),
    ("", "tr", "tr/"), ("tr/", "en", ""), ("contribute/", "tr", "tr/contribute/")])
def test_the_language_switch_opens_the_same_page_in_the_other_language(browser, site_url: str, start: str,
                                                                       lang: str, arrive: str):
    page, errors, _ = open_page(browser, site_url + start)
    page.locator(".md-header__option .md-select button").click()
    page.locator(f'a.md-select__link[hreflang="{lang}"]').click()
    page.wait_for_url(site_url + arrive)
    assert page.evaluate("document.documentElement.lang") == lang
    assert not errors
    page.context.close()


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("payload")
    project = copy_project(root)
    deal = project / "data" / "deals" / "bayraktar-tb2-kosovo.yaml"
    text = deal.read_text("utf-8").replace(
        "summary: >-\n", "summary: >-\n  <script>alert('summary')</script> <img src=x onerror=alert('img')>\n", 1)
    text = text.replace("title: Bayraktar TB2 armed drones for Kosovo",
                        "title: \"TB2 <svg onload=alert('title')> for Kosovo\"")
    text = text.replace("    supports:",
                        "    archive: \"https://example.org/#\\\"><script>alert('archive')</script>\"\n"
                        "    supports:", 1)
    deal.write_text(text, "utf-8")
    result = build_site(project, root / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_a_payload_in_data_never_executes(browser, payload_site: Path):
    with serve(payload_site, "/tracker/") as url:
        dialogs: list[str] = []

        def dismiss(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        for path in ("deals/bayraktar-tb2-kosovo/", "countries/kosovo/", "timeline/", "systems/bayraktar-tb2/", ""):
            page, _, _ = open_page(browser, url + path)
            page.on("dialog", dismiss)
            page.reload(wait_until="networkidle")
            page.context.close()
        assert not dialogs


def test_javascript_urls_in_data_are_refused_before_the_build(tmp_path: Path):
    project = copy_project(tmp_path)
    deal = project / "data" / "deals" / "bayraktar-tb2-kosovo.yaml"
    text = deal.read_text("utf-8")
    first_url = text.split("  - url: ", 1)[1].split("\n", 1)[0]
    deal.write_text(text.replace(first_url, "javascript:alert(1)", 1), "utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0 and "must be a web address" in result.stdout + result.stderr
