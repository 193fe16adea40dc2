"""What a reader sees equals what the YAML says.

The small project is rendered in process (pages and export files, in milliseconds), and every value on a
page, in a chart, a CSV table or a feed is compared with one worked out here straight from the YAML files
with PyYAML, not with the code under test. The project gets one extra deal made to tell values apart:
ordered differs from delivered, the first, contract and latest dates fall in different years, a plan lies
in the future, and a source has an archived copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_mini_project
from tracker.exports import export_files
from tracker.load import load_dataset
from tracker.model import MONTHS, SiteSettings
from tracker.pages import SiteRenderer

SETTINGS = SiteSettings(site_url="https://example.github.io/tracker/", repo_url="https://github.com/o/tracker",
                        as_of=dt.date(2026, 12, 2))
ATOM = "{http://www.w3.org/2005/Atom}"

VALUES_DEAL = """\
# yaml-language-server: $schema=../schema/deal.schema.json
title: Twelve test drones for Qatar
recipient: QA
suppliers: [baykar]
transfer: sale
items:
  - system: bayraktar-tb2
    ordered: 12
    delivered: 4
    quantity_inferred: two batches of two added up
status: delivering
checked: "2026-11-30"
events:
  - date: "2018-03"
    type: negotiation
    note: Talks reported
  - date: "2019-06-14"
    type: contract
    note: Contract for twelve signed
  - date: "2021"
    type: delivery
    note: First four handed over
    date_inferred: the 2022 report says last year
  - date: "2031"
    type: planned
    note: Last drones due
summary: >-
  A deal made for the tests, with values that differ from each other wherever a renderer could confuse them.
title_tr: Katar'a on iki test İHA'sı <ölçü & denge>
summary_tr: >-
  Testler için hazırlanmış bir anlaşma; değerler, bir oluşturucunun onları karıştırabileceği her yerde
  birbirinden farklıdır "çğıİöşü".
sources:
  - url: https://news.example.org/values
    title: Test source with an archive
    publisher: Example News
    published: "2019-06-15"
    archive: https://web.archive.org/web/2019/https://news.example.org/values
    supports: the contract and the deliveries
  - url: https://news.example.org/untitled?a=1&b=2
    publisher: Second <b>Desk</b> & Co
    supports: the talks
confidence: reported
related: [skydagger-kosovo]
"""

TOTALS = """\
totals:
  - year: 2021
    series: ssb
    measure: defence and aerospace exports (SSB)
    amount_million_usd: 3200
    sources:
      - {url: "https://news.example.org/ssb-2021", publisher: Example, supports: the figure}
  - year: 2021
    series: tim
    measure: defence and aerospace exports (TİM)
    amount_million_usd: 3900
    sources:
      - {url: "https://news.example.org/tim-2021", publisher: Example, supports: the figure}
  - year: 2022
    series: ssb
    measure: defence and aerospace exports (SSB)
    amount_million_usd: 4400
    sources:
      - {url: "https://news.example.org/ssb-2022", publisher: Example, supports: the figure}
  - year: 2022
    series: tim
    measure: defence and aerospace exports (TİM)
    amount_million_usd: 4100
    sources:
      - {url: "https://news.example.org/tim-2022", publisher: Example, supports: the figure}
"""


# ---- the project, rendered in process --------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_mini_project(tmp_path_factory.mktemp("values") / "project")
    (root / "data" / "deals" / "values-test-qatar.yaml").write_text(VALUES_DEAL, "utf-8")
    (root / "data" / "annual-totals.yaml").write_text(TOTALS, "utf-8")
    return root


@pytest.fixture(scope="module")
def rendered(project: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    dataset = load_dataset(project)
    pages = SiteRenderer(dataset, SETTINGS, project / "data" / "schema").render_all()
    return {uri: page.markdown for uri, page in pages.items()}, export_files(dataset, SETTINGS, project)


@pytest.fixture(scope="module")
def yaml_deals(project: Path) -> dict[str, dict[str, Any]]:
    """The deal files as PyYAML reads them (BaseLoader: every scalar a string), independent of our reader."""
    return {path.stem: yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)
            for path in sorted((project / "data" / "deals").glob("*.yaml"))}


def date_key(date: str) -> tuple[int, ...]:
    return tuple(int(part) for part in date.split("-"))


def first_date(deal: dict[str, Any]) -> str:
    return min((e["date"] for e in deal["events"]), key=date_key)


def last_date(deal: dict[str, Any]) -> str:
    happened = [e["date"] for e in deal["events"] if e["type"] != "planned"]
    return max(happened, key=date_key) if happened else first_date(deal)


def shown_date(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 1:
        return date
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def total(deal: dict[str, Any], key: str) -> str:
    numbers = [int(item[key]) for item in deal["items"] if key in item]
    return f"{sum(numbers):,}" if numbers else ""


class Tables(HTMLParser):
    """Every table of a page as a list of {header: cell text} rows."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[list[dict[str, str]]] = []
        self._headers: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
            self._headers = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if not self._headers:
                self._headers = self._row
            else:
                self.tables[-1].append(dict(zip(self._headers, self._row, strict=False)))
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def deal_rows(html: str) -> dict[str, dict[str, str]]:
    """Rows of the deals table on a page, by deal title."""
    tables = [t for t in Tables(html).tables if t and "Ordered" in t[0]]
    assert len(tables) == 1, "expected one deals table"
    return {row["Deal"]: row for row in tables[0]}


class Citations(HTMLParser):
    """The sources page: by publisher heading, each list item's text and links."""

    def __init__(self, html: str):
        super().__init__()
        self.groups: dict[str, list[tuple[str, list[str]]]] = {}
        self._heading: list[str] | None = None
        self._item: tuple[list[str], list[str]] | None = None
        self._publisher = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self._heading = []
        elif tag == "li":
            self._item = ([], [])
        elif tag == "a" and self._item is not None:
            self._item[1].append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "h2" and self._heading is not None:
            self._publisher = "".join(self._heading).strip()
            self.groups[self._publisher] = []
            self._heading = None
        elif tag == "li" and self._item is not None:
            self.groups[self._publisher].append(("".join(self._item[0]), self._item[1]))
            self._item = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)
        elif self._item is not None:
            self._item[0].append(data)


# ---- tables -------------------------------------------------------------------------------------------

def test_deal_rows_show_each_deal_s_own_values(rendered, yaml_deals):
    pages, _ = rendered
    rows = deal_rows(pages["deals/index.md"])
    assert len(rows) == len(yaml_deals)
    for deal in yaml_deals.values():
        row = rows[deal["title"]]
        assert row["Ordered"] == total(deal, "ordered"), deal["title"]
        assert row["Delivered"] == total(deal, "delivered"), deal["title"]
        assert row["First"] == shown_date(first_date(deal)), deal["title"]
        assert row["Latest"] == shown_date(last_date(deal)), deal["title"]
        assert row["Status"] == deal["status"]
        assert row["Sources"] == str(len(deal["sources"]))
    assert rows["Twelve test drones for Qatar"]["Ordered"] == "12"  # the case made to tell the cells apart
    assert rows["Twelve test drones for Qatar"]["Latest"] == "2021"


def test_country_pages_list_their_deals_with_the_same_values(rendered, yaml_deals):
    pages, _ = rendered
    rows = deal_rows(pages["countries/qatar.md"])
    assert list(rows) == ["Twelve test drones for Qatar"]
    qatar = rows["Twelve test drones for Qatar"]
    assert (qatar["Ordered"], qatar["Delivered"]) == ("12", "4")


def test_countries_table_gives_first_and_latest_year_of_events_that_happened(rendered, yaml_deals):
    pages, _ = rendered
    table = next(t for t in Tables(pages["countries/index.md"]).tables if t)
    by_country = {row["Country"]: row for row in table}
    names = {"XK": "Kosovo", "QA": "Qatar"}
    for code, name in names.items():
        deals = [d for d in yaml_deals.values() if d["recipient"] == code]
        years = [int(e["date"][:4]) for d in deals for e in d["events"] if e["type"] != "planned"]
        assert by_country[name]["First year"] == str(min(years)), name
        assert by_country[name]["Latest year"] == str(max(years)), name
        assert by_country[name]["Deals"] == str(len(deals)), name
    assert (by_country["Qatar"]["First year"], by_country["Qatar"]["Latest year"]) == ("2018", "2021")


# ---- charts ---------------------------------------------------------------------------------------------

def bar_titles(html: str, chart_id: str) -> list[tuple[str, str]]:
    """(class, title) of every bar of one chart."""
    chart = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert chart, f"no chart {chart_id}"
    svg = chart.group(0)
    return re.findall(r'<rect class="([^"]+)"[^>]*><title>([^<]+)</title>', svg)


def test_annual_totals_chart_draws_each_series_from_its_own_figures(rendered, project):
    pages, _ = rendered
    figures = yaml.safe_load((project / "data" / "annual-totals.yaml").read_text("utf-8"))["totals"]
    expected = {(f"tdet-series-{t['series']}",
                 f"{t['year']}, {t['series'].upper()}: {t['amount_million_usd']:,.0f} million USD")
                for t in figures}
    assert set(bar_titles(pages["index.md"], "chart-annual-totals")) == expected


def test_deals_by_year_chart_counts_each_deal_in_the_year_it_was_made(rendered, yaml_deals):
    pages, _ = rendered
    expected: dict[int, int] = {}
    for deal in yaml_deals.values():
        made = [e["date"] for e in deal["events"] if e["type"] in ("contract", "agreement")] or [first_date(deal)]
        year = int(min(made, key=date_key)[:4])
        expected[year] = expected.get(year, 0) + 1
    drawn: dict[int, int] = {}
    for _, title in bar_titles(pages["index.md"], "chart-deals-by-year"):
        bar = re.match(r"(\d{4}): (\d+) ", title)
        assert bar, title
        bar_year, count = bar.groups()
        drawn[int(bar_year)] = drawn.get(int(bar_year), 0) + int(count)
    assert drawn == expected


# ---- exports --------------------------------------------------------------------------------------------

def read_table(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"data/{name}.csv"].decode("utf-8"))))


def test_csv_deals_carry_each_deal_s_dates_and_values(rendered, yaml_deals):
    _, files = rendered
    rows = {row["id"]: row for row in read_table(files, "deals")}
    assert set(rows) == set(yaml_deals)
    for deal_id, deal in yaml_deals.items():
        row = rows[deal_id]
        assert row["first_date"] == first_date(deal), deal_id
        assert row["last_date"] == last_date(deal), deal_id
        assert row["status"] == deal["status"] and row["recipient"] == deal["recipient"]
        assert row["source_count"] == str(len(deal["sources"]))
    assert (rows["values-test-qatar"]["first_date"], rows["values-test-qatar"]["last_date"]) == ("2018-03", "2021")
    items = [r for r in read_table(files, "items") if r["deal_id"] == "values-test-qatar"]
    assert [(r["ordered"], r["delivered"]) for r in items] == [("12", "4")]


def test_feeds_list_events_that_happened_and_never_plans(rendered, yaml_deals):
    _, files = rendered
    entries = ET.fromstring(files["feeds/all.xml"]).findall(f"{ATOM}entry")
    summaries = sorted(e.findtext(f"{ATOM}summary", "") for e in entries)
    expected = sorted(f"{e['date']}: {e['note']}"
                      for d in yaml_deals.values() for e in d["events"] if e["type"] != "planned")
    assert summaries == expected
    qatar = ET.fromstring(files["feeds/country-qatar.xml"]).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}summary") for e in qatar] == ["2021: First four handed over",
                                                            "2019-06-14: Contract for twelve signed",
                                                            "2018-03: Talks reported"]


def test_source_lists_link_the_archived_copy(rendered):
    pages, _ = rendered
    deal_page = pages["deals/values-test-qatar.md"]
    assert ('<a href="https://web.archive.org/web/2019/https://news.example.org/values" rel="noopener nofollow">'
            'Archived copy</a>') in deal_page
    assert ('<a href="https://news.example.org/values" rel="noopener nofollow">Test source with an archive</a>'
            in deal_page)


# ---- freshness, worked-out values, related deals --------------------------------------------------------

def test_deal_page_gives_the_status_as_of_its_checked_day_and_marks_worked_out_values(rendered):
    pages, _ = rendered
    page = pages["deals/values-test-qatar.md"]
    assert 'delivering</span> <span class="tdet-checked">as of <time datetime="2026-11-30">30 Nov 2026</time>' in page
    assert ("First four handed over <span class=\"tdet-inferred\">"
            "Date worked out, not stated: the 2022 report says last year") in page
    assert "Contract for twelve signed</li>" in page  # a stated date carries no mark
    assert '<span class="tdet-inferred">Worked out, not reported: two batches of two added up</span>' in page


def test_related_deals_link_each_other_whichever_names_the_other(rendered):
    pages, files = rendered
    assert ('<a href="../../deals/skydagger-kosovo/">'
            in pages["deals/values-test-qatar.md"].split("## Related deals")[1])
    assert '<a href="../../deals/values-test-qatar/">Twelve test drones for Qatar</a>' in (
        pages["deals/skydagger-kosovo.md"].split("## Related deals")[1])
    assert "## Related deals" not in pages["deals/bayraktar-tb2-kosovo.md"]
    rows = {row["id"]: row for row in read_table(files, "deals")}
    assert rows["values-test-qatar"]["related"] == "skydagger-kosovo"
    assert rows["skydagger-kosovo"]["related"] == "values-test-qatar"
    assert rows["bayraktar-tb2-kosovo"]["related"] == ""


def test_csv_and_api_carry_checked_and_the_worked_out_marks(rendered, yaml_deals):
    _, files = rendered
    rows = {row["id"]: row for row in read_table(files, "deals")}
    assert {deal_id: row["checked"] for deal_id, row in rows.items()} == {
        deal_id: deal["checked"] for deal_id, deal in yaml_deals.items()}
    events = [r for r in read_table(files, "events") if r["deal_id"] == "values-test-qatar"]
    assert [r["date_inferred"] for r in events] == ["", "", "the 2022 report says last year", ""]
    items = [r for r in read_table(files, "items") if r["deal_id"] == "values-test-qatar"]
    assert items[0]["quantity_inferred"] == "two batches of two added up"
    record = json.loads(files["api/v1/deals/values-test-qatar.json"])["record"]
    assert record["checked"] == "2026-11-30" and record["related"] == ["skydagger-kosovo"]
    package = json.loads(files["data/datapackage.json"])
    deals_fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert deals_fields["checked"]["constraints"]["pattern"].startswith("^[0-9]{4}")


class LangBlocks(HTMLParser):
    """The text inside each element marked lang="tr" (nested elements included), and the attributes of
    each such element."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.attrs: list[dict[str, str | None]] = []
        self._depth = 0
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if self._depth:
            self._depth += 1
        elif dict(attrs).get("lang") == "tr":
            self._depth, self._text = 1, []
            self.attrs.append(dict(attrs))

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
            if not self._depth:
                self.blocks.append(" ".join("".join(self._text).split()))

    def handle_data(self, data):
        if self._depth:
            self._text.append(data)


def test_deal_page_shows_the_turkish_title_and_summary_marked_as_turkish_and_escaped(rendered, yaml_deals):
    pages, _ = rendered
    deal = yaml_deals["values-test-qatar"]
    page = pages["deals/values-test-qatar.md"]
    blocks = LangBlocks(page)
    assert len(blocks.blocks) == 1, "expected one block marked lang=tr"
    assert deal["title_tr"] in blocks.blocks[0] and deal["summary_tr"] in blocks.blocks[0]
    assert blocks.attrs[0].get("aria-label") == "Türkçe"
    # escaped in the markup: the title's angle brackets and ampersand, the summary's quotes left as text
    assert "Katar&#39;a on iki test İHA&#39;sı &lt;ölçü &amp; denge&gt;" in page
    assert "<ölçü" not in page
    # right after the lead paragraph, before the profile
    lead = page.index('<p class="tdet-lead">')
    assert lead < page.index('lang="tr"') < page.index('<dl class="tdet-profile"')


def test_csv_and_api_carry_the_turkish_title_and_summary_exactly(rendered, yaml_deals):
    _, files = rendered
    rows = {row["id"]: row for row in read_table(files, "deals")}
    for deal_id, deal in yaml_deals.items():
        assert rows[deal_id]["title_tr"] == deal.get("title_tr", ""), deal_id
        assert rows[deal_id]["summary_tr"] == deal.get("summary_tr", ""), deal_id
    assert rows["values-test-qatar"]["title_tr"] == "Katar'a on iki test İHA'sı <ölçü & denge>"
    record = json.loads(files["api/v1/deals/values-test-qatar.json"])["record"]
    assert record["title_tr"] == yaml_deals["values-test-qatar"]["title_tr"]
    assert record["summary_tr"] == yaml_deals["values-test-qatar"]["summary_tr"]
    package = json.loads(files["data/datapackage.json"])
    deals_fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert deals_fields["title_tr"]["type"] == deals_fields["summary_tr"]["type"] == "string"
    assert "Turkish" in deals_fields["title_tr"]["description"]


def test_deals_without_turkish_text_show_no_turkish_block(tmp_path: Path):
    project = make_mini_project(tmp_path / "project")
    (project / "data" / "deals" / "values-test-qatar.yaml").write_text(VALUES_DEAL, "utf-8")
    for file in (project / "data" / "deals").glob("*.yaml"):
        data = yaml.safe_load(file.read_text("utf-8"))
        data.pop("title_tr", None)
        data.pop("summary_tr", None)
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    dataset = load_dataset(project)
    pages = SiteRenderer(dataset, SETTINGS, project / "data" / "schema").render_all()
    deal_pages = {uri: page.markdown for uri, page in pages.items() if uri.startswith("deals/")}
    assert "deals/values-test-qatar.md" in deal_pages
    for uri, markup in deal_pages.items():
        assert 'lang="tr"' not in markup and "tdet-tr" not in markup, uri
    rows = read_table(export_files(dataset, SETTINGS, project), "deals")
    assert {(row["title_tr"], row["summary_tr"]) for row in rows} == {("", "")}


@pytest.mark.parametrize(("as_of", "listed"), [(dt.date(2026, 12, 2), False), (dt.date(2027, 11, 30), False),
                                               (dt.date(2027, 12, 1), True)])
def test_methodology_lists_open_deals_checked_over_twelve_months_before(project, as_of, listed):
    dataset = load_dataset(project)
    settings = SiteSettings(site_url=SETTINGS.site_url, repo_url=SETTINGS.repo_url, as_of=as_of)
    page = SiteRenderer(dataset, settings, project / "data" / "schema").render_all()["methodology.md"].markdown
    section = page.split('id="needs-checking"')[1].split("## ")[0]
    assert ('<a href="../deals/values-test-qatar/">Twelve test drones for Qatar</a>: '
            'delivering, last checked 30 Nov 2026' in section) is listed
    assert "skydagger-kosovo" not in section  # delivered: its status cannot change
    assert ("None: every such deal" in section) is not listed


# ---- every text field, poisoned ------------------------------------------------------------------------

def free_text_paths(schema: dict[str, Any], common: dict[str, Any], path: tuple = ()) -> list[tuple]:
    """Paths ('*' for any list index) of the plain-text fields of a schema: strings with no enum,
    pattern or format, i.e. the ones a contributor writes freely."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = {**common["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    if schema.get("type") == "array":
        return free_text_paths(schema["items"], common, path + ("*",))
    if schema.get("type") == "object" or "properties" in schema:
        found = []
        for name, sub in schema.get("properties", {}).items():
            found += free_text_paths(sub, common, path + (name,))
        return found
    if schema.get("type") == "string" and not {"enum", "pattern", "format"} & schema.keys():
        return [path]
    return []


def poison(data: Any, path: tuple, make: Any) -> None:
    """Append a numbered payload to the field at `path` wherever it is present."""
    key, rest = path[0], path[1:]
    targets = list(range(len(data))) if key == "*" and isinstance(data, list) else [key]
    for target in targets:
        if isinstance(data, dict) and target not in data:
            continue
        if rest:
            poison(data[target], rest, make)
        else:
            data[target] = f"{data[target]} {make()}"


def test_every_text_field_of_every_record_type_is_escaped_on_every_page_and_export(tmp_path: Path):
    project = make_mini_project(tmp_path / "project")
    (project / "data" / "deals" / "values-test-qatar.yaml").write_text(VALUES_DEAL, "utf-8")
    schema_dir = project / "data" / "schema"
    common = yaml.safe_load((schema_dir / "common.schema.json").read_text("utf-8"))
    payloads: list[str] = []

    def make() -> str:
        payloads.append(f'<script>P{len(payloads)}</script><img src=x onerror="P{len(payloads)}">&amp;')
        return payloads[-1]

    for folder, schema_name in (("deals", "deal"), ("companies", "company"), ("systems", "system")):
        schema = yaml.safe_load((schema_dir / f"{schema_name}.schema.json").read_text("utf-8"))
        paths = free_text_paths(schema, common)
        assert ("title",) in paths or ("name",) in paths
        if schema_name == "deal":  # the optional Turkish text is poisoned too (VALUES_DEAL has it)
            assert {("title_tr",), ("summary_tr",)} <= set(paths)
        for file in (project / "data" / folder).glob("*.yaml"):
            data = yaml.safe_load(file.read_text("utf-8"))  # the files quote their dates
            for path in paths:
                poison(data, path, make)
            file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    countries = project / "data" / "countries.yaml"
    countries.write_text(countries.read_text("utf-8").replace("name: Kosovo", f"name: {json.dumps(make())}"),
                         "utf-8")
    assert len(payloads) > 60

    dataset = load_dataset(project)
    pages = SiteRenderer(dataset, SETTINGS, schema_dir).render_all()
    files = export_files(dataset, SETTINGS, project)
    markup = {uri: page.markdown for uri, page in pages.items()}
    markup |= {path: content.decode("utf-8") for path, content in files.items() if path.endswith(".xml")}
    for where, text in markup.items():
        assert "<script>P" not in text and "<img src=x" not in text, f"unescaped data on {where}"
    shown = "".join(markup.values())
    visible = [n for n in range(len(payloads)) if f"&lt;script&gt;P{n}&lt;/script&gt;" in shown]
    assert len(visible) > len(payloads) * 0.8, f"only {len(visible)} of {len(payloads)} fields shown escaped"
    # Data files carry the text exactly: JSON is not markup, its own quoting applies.
    strings: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for export_path, content in files.items():
        if export_path.startswith("api/v1/") and export_path.count("/") == 2:
            collect(json.loads(content))
    missing = [p for p in payloads if not any(p in s for s in strings)]
    assert not missing, f"{len(missing)} text values are not carried exactly by the API"


def figures(html: str) -> dict[str, str]:
    block = re.search(r'<dl class="tdet-figures"[^>]*>(.*?)</dl>', html, re.S)
    assert block, "no figures on the page"
    return {re.sub(r"<[^>]+>", "", dt).strip(): re.sub(r"<[^>]+>", "", dd).strip()
            for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1), re.S)}


def test_system_page_says_who_has_it_how_many_and_since_when(rendered, yaml_deals, project):
    pages, _ = rendered
    system = "bayraktar-tb2"
    deals = [d for d in yaml_deals.values() if d["status"] != "cancelled"
             and any(item["system"] == system for item in d["items"])]
    items = [item for d in deals for item in d["items"] if item["system"] == system]
    ordered = sum(int(item["ordered"]) for item in items if "ordered" in item)
    delivered = sum(int(item["delivered"]) for item in items if "delivered" in item)
    partial_delivered = any("delivered" not in item for d in deals for item in d["items"]
                            if item["system"] == system and d["status"] in ("delivering", "delivered"))
    years = [e["date"][:4] for d in deals for e in d["events"] if e["type"] != "planned"]
    shown = figures(pages[f"systems/{system}.md"])
    assert shown["Recipient countries"] == str(len({d["recipient"] for d in deals}))
    assert shown["With deliveries"] == str(len({d["recipient"] for d in deals
                                                if d["status"] in ("delivering", "delivered")}))
    assert shown["Ordered"] == (f"at least {ordered:,}" if any("ordered" not in i for i in items) else f"{ordered:,}")
    assert shown["Delivered"] == (f"at least {delivered:,}" if partial_delivered else f"{delivered:,}")
    assert shown["Years"] == f"{min(years)}–{max(years)}"
    page = pages[f"systems/{system}.md"]
    operators_map = re.search(r'<svg[^>]*id="map-operators".*?</svg>', page, re.S)
    assert operators_map
    linked = set(re.findall(r'<a href="\.\./\.\./countries/([a-z-]+)/"', operators_map.group(0)))
    assert linked == {"kosovo", "qatar"}
    assert '<image href="../../assets/maps/world.svg"' in operators_map.group(0)


def test_company_page_says_where_it_sells(rendered, yaml_deals):
    pages, _ = rendered
    deals = [d for d in yaml_deals.values() if "baykar" in d["suppliers"] and d["status"] != "cancelled"]
    shown = figures(pages["companies/baykar.md"])
    assert shown["Recipient countries"] == str(len({d["recipient"] for d in deals}))
    assert shown["Deals"] == str(len(deals))


# ---- the sources page ------------------------------------------------------------------------------------

def test_sources_page_lists_every_citation_under_its_publisher(rendered, yaml_deals):
    pages, _ = rendered
    groups = Citations(pages["sources.md"]).groups
    expected: dict[str, list[tuple[str, list[str]]]] = {}
    for deal_id, deal in sorted(yaml_deals.items()):
        for number, source in enumerate(deal["sources"], 1):
            name = source.get("title", source["url"])
            published = f" ({shown_date(source['published'])})" if "published" in source else ""
            expected.setdefault(source["publisher"], []).append(
                (f"{name}{published}: cited by {deal['title']} [{number}]",
                 [source["url"], f"deals/{deal_id}/#source-{number}"]))
    shown = {heading.rsplit(" (", 1)[0]: items for heading, items in groups.items()}
    assert shown.keys() == expected.keys()
    for publisher, items in expected.items():
        assert f"{publisher} ({len(items)})" in groups
        got = sorted((" ".join(text.split()).replace("\u00ad", "").replace("\u200b", ""),
                      [href.replace("../", "") for href in hrefs]) for text, hrefs in shown[publisher])
        assert got == sorted(items), publisher
    assert "Second <b>Desk</b> & Co (1)" in groups  # shown as text, not as markup
