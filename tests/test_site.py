"""Whole-site tests: a real `mkdocs build --strict` into a temporary folder, asserting on the HTML."""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from checkout import DATASET, copy_project
from conftest import ROOT, build_site
from markupsafe import escape as markup_escape
from tracker import urls
from tracker.schema_check import load_schemas

SITE_PATH = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["site_url"]).path


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
            self.links.append(attrs.get("href") or attrs.get("src"))
        if tag == "meta" and attrs.get("name"):
            self.meta[attrs["name"]] = attrs.get("content", "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text("utf-8"))
    return parser


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def generated_page_urls() -> list[str]:
    urls = ["", "timeline/", "countries/", "companies/", "systems/", "deals/", "sources/", "seeds/", "methodology/",
            "data/"]
    urls += [f"countries/{DATASET.countries[d.recipient].slug}/" for d in DATASET.deals.values()]
    urls += [f"companies/{c}/" for c in DATASET.companies] + [f"systems/{s}/" for s in DATASET.systems]
    urls += [f"deals/{d}/" for d in DATASET.deals]
    return sorted(set(urls))


def test_kosovo_page_lists_its_deals_with_sources(built_site: Path):
    html = page(built_site, "countries/kosovo")
    for deal_id in ("small-arms-ammunition-plant-kosovo", "skydagger-kosovo", "bayraktar-tb2-kosovo"):
        assert f'href="../../deals/{deal_id}/"' in html
        deal_html = page(built_site, f"deals/{deal_id}")
        for source in DATASET.deals[deal_id].sources:
            assert f'href="{source["url"].replace("&", "&amp;")}"' in deal_html


def test_every_deal_is_linked_from_country_company_system_pages_and_timeline(built_site: Path):
    timeline = page(built_site, "timeline")
    missing = []
    for deal in DATASET.deals.values():
        target = f'deals/{deal.id}/"'
        pages = [f"countries/{DATASET.countries[deal.recipient].slug}"]
        pages += [f"companies/{c}" for c in deal.suppliers] + [f"systems/{s}" for s in deal.systems]
        missing += [f"{p} -> {deal.id}" for p in pages if target not in page(built_site, p)]
        if target not in timeline:
            missing.append(f"timeline -> {deal.id}")
    assert not missing, missing[:20]


def test_every_generated_page_has_title_description_and_edit_link(built_site: Path):
    problems = []
    for url in generated_page_urls():
        parsed = parse(built_site / url / "index.html")
        html = (built_site / url / "index.html").read_text("utf-8")
        if not parsed.title.strip() or len(parsed.meta.get("description", "")) < 40:
            problems.append(f"{url}: title or description missing")
        if 'class="md-content__button md-icon"' not in html or "/edit/main/" not in html:
            problems.append(f"{url}: no edit link")
    assert not problems, problems[:20]


def test_deal_page_edit_link_points_at_its_yaml_file(built_site: Path):
    html = page(built_site, "deals/bayraktar-tb2-kosovo")
    assert "/edit/main/data/deals/bayraktar-tb2-kosovo.yaml" in html
    assert "issues/new?template=correct-a-record.yml" in html
    assert "@misc{tdet-bayraktar-tb2-kosovo" in html
    assert 'href="../../api/v1/deals/bayraktar-tb2-kosovo.json"' in html


def test_record_pages_are_not_in_the_nav(built_site: Path):
    html = page(built_site, "timeline")
    nav = html.split('<nav class="md-nav md-nav--primary', 1)[1].split('<nav class="md-nav md-nav--secondary', 1)[0]
    assert "deals/" in nav and "deals/bayraktar-tb2-kosovo" not in nav


def test_timeline_is_complete_newest_first_with_readable_dates(built_site: Path):
    html = page(built_site, "timeline")
    dates = re.findall(r'<li class="tdet-event"[^>]*>\s*<time datetime="([0-9-]+)">', html)
    assert len(dates) == sum(len(d["events"]) for d in DATASET.deals.values())
    assert dates == sorted(dates, reverse=True)
    assert re.search(r'<time datetime="\d{4}-\d{2}">[A-Z][a-z]{2} \d{4}</time>', html)
    assert '<form class="tdet-filters"' in html


def documented_fields(schema_dir: Path) -> list[tuple[str, str]]:
    """(dotted field, description) of every property of every schema file, read here from the JSON files
    themselves rather than through the code that renders the methodology page."""
    common = json.loads((schema_dir / "common.schema.json").read_text("utf-8"))["$defs"]

    def resolve(node: dict) -> dict:
        ref = node.get("$ref", "")
        return {**common[ref.rsplit("/", 1)[1]], **node} if ref.startswith("common.schema.json#") else node

    def walk(node: dict, prefix: str) -> list[tuple[str, str]]:
        node = resolve(node)
        if node.get("type") == "array" and "items" in node:
            return walk(node["items"], prefix + "[]")
        properties = dict(node.get("properties", {}))
        if isinstance(node.get("additionalProperties"), dict):
            properties["<code>"] = node["additionalProperties"]
        found = []
        for name, sub in properties.items():
            full = f"{prefix}.{name}" if prefix else name
            found.append((full, resolve(sub).get("description", "")))
            found += walk(sub, full)
        return found

    return [row for path in sorted(schema_dir.glob("*.schema.json")) if path.name != "common.schema.json"
            for row in walk(json.loads(path.read_text("utf-8")), "")]


def test_methodology_documents_every_schema_field(built_site: Path):
    html = page(built_site, "methodology")
    fields = documented_fields(ROOT / "data" / "schema")
    assert len(fields) > 60 and ("checked", json.loads((ROOT / "data" / "schema" / "deal.schema.json").read_text(
        "utf-8"))["properties"]["checked"]["description"]) in fields
    missing = [name for name, _ in fields if f"<code>{html_escape(name)}</code>" not in html]
    assert not missing
    undescribed = [name for name, description in fields if str(markup_escape(description)) not in html]
    assert not undescribed
    schemas = load_schemas(ROOT / "data" / "schema")
    for value in schemas["deal"]["properties"]["status"]["enum"]:
        assert value in html


def test_no_third_party_requests_in_markup(built_site: Path):
    offenders = []
    for path in built_site.rglob("*.html"):
        for match in re.finditer(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', path.read_text("utf-8")):
            if 'rel="alternate"' not in match.group(0) and 'rel="canonical"' not in match.group(0):
                offenders.append(f"{path.relative_to(built_site)}: {match.group(1)}")
    assert not offenders, offenders[:10]
    assert "fonts.googleapis" not in (built_site / "index.html").read_text("utf-8")


def internal_link_problems(site: Path, prefix: str) -> list[str]:
    """Resolve every internal link as a browser would with the site served under `prefix`."""
    problems = []
    for path in site.rglob("*.html"):
        relative = path.relative_to(site).as_posix()
        if relative == "404.html" and prefix != SITE_PATH:
            continue  # the 404 page uses absolute links built from site_url: it works at that path only
        page_url = prefix + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)
        for link in parse(path).links:
            parts = urlsplit(urljoin("http://host" + page_url, link))
            if parts.netloc != "host" or parts.scheme not in ("http", ""):
                continue
            if not parts.path.startswith(prefix):
                problems.append(f"{relative}: {link} leaves {prefix}")
                continue
            target = site / unquote(parts.path[len(prefix):])
            if not (target.is_file() or (target / "index.html").is_file()):
                problems.append(f"{relative}: {link}")
    return problems


@pytest.mark.parametrize("prefix", ["/", SITE_PATH])
def test_no_broken_internal_link_at_root_or_under_a_sub_path(built_site: Path, prefix: str):
    problems = internal_link_problems(built_site, prefix)
    assert not problems, problems[:20]


def test_data_text_is_escaped(tmp_path: Path):
    project = copy_project(tmp_path)
    deal = project / "data" / "deals" / "bayraktar-tb2-kosovo.yaml"
    payload = '<script>alert("x")</script> <img src=x onerror=alert(1)>'
    text = deal.read_text("utf-8").replace("summary: >-\n", f"summary: >-\n  {payload}\n", 1)
    text = text.replace("title: Bayraktar TB2 armed drones for Kosovo",
                        'title: "TB2 <b onmouseover=alert(1)>bold</b> \\" onload=x"')
    deal.write_text(text, "utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "deals" / "bayraktar-tb2-kosovo" / "index.html").read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(" in html
    assert '" onload=x' not in html.split("<body", 1)[0]


def test_a_data_error_fails_the_build_with_its_location(tmp_path: Path):
    project = copy_project(tmp_path)
    deal = project / "data" / "deals" / "skydagger-kosovo.yaml"
    deal.write_text(deal.read_text("utf-8").replace("suppliers: [baykar]", "suppliers: [baykr]"), "utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0
    assert "data/deals/skydagger-kosovo.yaml:5:" in result.stdout + result.stderr
    assert "did you mean 'baykar'?" in result.stdout + result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_every_kind_of_public_url_exists_in_the_built_site(built_site: Path):
    """The URL scheme is a public contract: one address of every kind urls.py builds must be in the site."""
    deal_id = sorted(DATASET.deals)[0]
    company_id = sorted(DATASET.companies)[0]
    system_id = sorted(DATASET.systems)[0]
    country = DATASET.countries[DATASET.deals[deal_id].recipient]
    pages = [urls.HOME, urls.TIMELINE, urls.COUNTRIES, urls.COMPANIES, urls.SYSTEMS, urls.DEALS, urls.SOURCES,
             urls.SEEDS, urls.METHODOLOGY, urls.DATA, urls.CONTRIBUTE, urls.CHANGES,
             urls.deal_page(deal_id), urls.country_page(country), urls.company_page(company_id),
             urls.system_page(system_id), *(urls.record_page(folder, record_id) for folder, record_id in
                                            (("deals", deal_id), ("companies", company_id), ("systems", system_id)))]
    files = [urls.api_deal(deal_id), *(urls.api_list(name) for name in ("deals", "companies", "systems", "countries",
                                                                       "annual-totals")),
             *(urls.csv_table(name) for name in ("deals", "items", "events", "sources", "companies", "systems",
                                                 "countries")),
             urls.DATAPACKAGE, *(urls.schema_file(name) for name in ("common", "deal", "company", "system",
                                                                     "countries", "annual-totals", "seed")),
             urls.FEED_ALL, urls.FEED_CHANGES, urls.FEEDS_SITEMAP, urls.country_feed(country),
             urls.company_feed(company_id)]
    missing = [url for url in pages if not (built_site / url / "index.html").is_file()]
    missing += [path for path in files if not (built_site / path).is_file()]
    assert not missing
    # the addresses themselves, as published: a change here breaks every link to the site
    assert (urls.deal_page("x"), urls.company_page("x"), urls.system_page("x"), urls.api_deal("x"),
            urls.country_feed(country), urls.schema_file("deal")) == (
        "deals/x/", "companies/x/", "systems/x/", "api/v1/deals/x.json", f"feeds/country-{country.slug}.xml",
        "schema/deal.schema.json")
