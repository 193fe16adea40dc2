"""Pages that read well at a desktop width and on a phone: no page-level sideways scroll, no word
broken inside itself, wide tables scrolling in their own box with the first column kept in view, no
column that repeats the page's subject, and a system page that says who has the system."""

from __future__ import annotations

import re

import pytest
from browser import EVERY_LANGUAGE, PAGE_TYPES

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# For every link and table cell: how many lines it occupies, and how many words it has (a hyphenated
# compound or an address counts its parts, since a line may end at a hyphen or a slash). A word broken
# inside itself makes an element take more lines than it has words.
BROKEN_WORDS = """() => {
  const lines = (el) => {
    // the tops of the lines the element's own text sits on (pseudo-elements and boxes left out)
    const tops = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && !tops.some(top => Math.abs(top - rect.top) < rect.height / 2)) tops.push(rect.top);
      }
    }
    return tops.length;
  };
  const found = [];
  for (const el of document.querySelectorAll('.md-content a, .md-content td, .md-content th')) {
    if (el.closest('svg') || el.closest('pre')) continue;
    const text = el.textContent.trim();
    if (!text) continue;
    const words = text.split(/[\\s\\-\u2010-\u2014\\/]+/).filter(Boolean).length;
    const count = lines(el);
    if (count > words) found.push(`${el.tagName} "${text.slice(0, 60)}": ${count} lines, ${words} words`);
  }
  return found;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize("name", EVERY_LANGUAGE, ids=list(EVERY_LANGUAGE))
def test_no_sideways_scroll_and_no_broken_words(browser, site_url: str, name: str, width: str):
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    page.goto(site_url + EVERY_LANGUAGE[name])
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= WIDTHS[width]["width"], "the page scrolls sideways"
        assert page.evaluate(BROKEN_WORDS) == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["country", "system", "company", "deals"])
def test_on_a_phone_wide_tables_scroll_in_their_box_with_the_first_column_in_view(browser, site_url: str,
                                                                                    name: str):
    context = browser.new_context(viewport=WIDTHS["phone"])
    page = context.new_page()
    page.goto(site_url + PAGE_TYPES[name])
    try:
        wrap = page.locator(".tdet-table-wrap").first
        assert wrap.evaluate("w => w.scrollWidth > w.clientWidth"), "the table should be wider than a phone"
        first = wrap.locator("tbody tr td").first
        left_before = first.bounding_box()["x"]
        wrap.evaluate("w => { w.scrollLeft = 400; }")
        page.wait_for_timeout(50)
        assert wrap.evaluate("w => w.scrollLeft") > 0
        assert abs(first.bounding_box()["x"] - left_before) < 1, "the first column scrolled away"
        third = wrap.locator("tbody tr td").nth(2)
        assert third.bounding_box()["x"] < left_before + 400, "the other columns did not scroll"
    finally:
        context.close()


@pytest.mark.browser
def test_generated_pages_leave_out_the_empty_navigation_sidebar(browser, site_url: str):
    context = browser.new_context(viewport=WIDTHS["desktop"])
    page = context.new_page()
    try:
        for name in ("home", "deal", "country", "system", "company", "deals", "timeline"):
            page.goto(site_url + PAGE_TYPES[name])
            assert not page.locator(".md-sidebar--primary").is_visible(), name
        page.goto(site_url + PAGE_TYPES["system"])
        assert page.locator(".md-content").bounding_box()["width"] > 1100, "the system page's table needs the width"
    finally:
        context.close()


def table_headers(html: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert head
    return re.findall(r"<th[^>]*>(.*?)</th>", head.group(1))


def test_tables_leave_out_the_column_that_repeats_the_page_s_subject(built_site):
    country = (built_site / "countries" / "kosovo" / "index.html").read_text("utf-8")
    company = (built_site / "companies" / "baykar" / "index.html").read_text("utf-8")
    deals = (built_site / "deals" / "index.html").read_text("utf-8")
    assert "Recipient" not in table_headers(country) and "Suppliers" in table_headers(country)
    assert "Suppliers" not in table_headers(company) and "Recipient" in table_headers(company)
    assert {"Recipient", "Suppliers"} <= set(table_headers(deals))
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", country, re.S)
    assert row and row.group(1).count("<td") == len(table_headers(country))


def test_home_page_heading_and_tab_title_name_the_site(built_site):
    home = (built_site / "index.html").read_text("utf-8")
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", home.split("<body", 1)[1], re.S)
    assert len(headings) == 1 and re.sub(r"<a class=\"headerlink\".*?</a>", "", headings[0]).strip() == (
        "Turkish Defense Exports Tracker")
    assert re.search(r"<title>\s*Turkish Defense Exports Tracker\s*</title>", home)
    deal = (built_site / "deals" / "small-arms-ammunition-plant-kosovo" / "index.html").read_text("utf-8")
    assert re.search(r"<title>[^<]+ - Turkish Defense Exports Tracker</title>", deal)


@pytest.mark.browser
def test_on_a_phone_long_notes_keep_a_readable_width(browser, site_url: str):
    context = browser.new_context(viewport=WIDTHS["phone"])
    page = context.new_page()
    try:
        for name in ("deal", "system"):
            page.goto(site_url + PAGE_TYPES[name])
            widths = page.eval_on_selector_all("td.tdet-wide",
                                               "cells => cells.map(c => c.getBoundingClientRect().width)")
            assert widths and min(widths) >= 200, (name, widths)  # squeezed, a note was about 60 px wide
    finally:
        context.close()
