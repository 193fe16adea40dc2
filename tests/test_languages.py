"""The Turkish interface beside the English one: one catalogue per language with the same keys, every key
the code uses present and every key present used, every page in both languages, Turkish pages that say
nothing in English but the records' own text, and the links between the two versions of a page.

The catalogue and the rendered pages are checked in process; the built site (lang attributes, hreflang
links, the language switch, sitemaps, feeds) in the tests marked with `built_site`."""

from __future__ import annotations

import ast
import html
import json
import posixpath
import re
import string
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_mini_project
from tracker import i18n, urls
from tracker.exports import export_files
from tracker.i18n import Messages, catalogue
from tracker.load import load_dataset
from tracker.model import SiteSettings
from tracker.pages import SiteRenderer
from tracker.pages.fragments import DEAL_COLUMNS
from tracker.pages.methodology import RECORD_TYPES, schema_fields
from tracker.schema_check import field_schema, load_schemas

SETTINGS = SiteSettings(site_url="https://example.github.io/tracker/", repo_url="https://github.com/o/tracker")
TRACKER = ROOT / "hooks" / "tracker"
OTHER = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]


def placeholders(text) -> set[str]:
    if not isinstance(text, str):
        return {f"list of {len(text)}"}
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("lang", OTHER)
def test_every_language_has_every_key_with_the_same_placeholders(lang: str):
    english, other = catalogue(i18n.DEFAULT), catalogue(lang)
    assert sorted(set(english) - set(other)) == [], f"missing from messages/{lang}.yaml"
    assert sorted(set(other) - set(english)) == [], f"missing from messages/{i18n.DEFAULT}.yaml"
    differing = {key: (placeholders(english[key]), placeholders(other[key])) for key in english
                 if placeholders(english[key]) != placeholders(other[key])}
    assert differing == {}
    assert all(value for value in other.values()), "empty messages"


def test_a_missing_message_fails_loudly():
    with pytest.raises(i18n.MissingMessage, match="no message 'deal.no_such_key' in messages/tr.yaml"):
        Messages("tr")("deal.no_such_key")


# Keys built at run time from a prefix and a value, with where the values come from.
DYNAMIC = ("values.", "columns.", "data_page.tables.", "charts.groups.", "charts.series.", "nav.", "date.")
USED = re.compile(r"""\bt(?:\.plain|\.count)?\(\s*["']([a-z_]+(?:\.[a-z0-9_-]+)+)["']""")
VALUE = re.compile(r"""\bt\.value\(\s*["']([a-z]+)["']""")


def used_keys() -> tuple[set[str], set[str]]:
    """Every message key written out in a template or a module, and every value kind asked for."""
    keys: set[str] = set()
    kinds: set[str] = set()
    for path in [*TRACKER.glob("templates/*.html"), *TRACKER.rglob("*.py"), ROOT / "hooks" / "site_hook.py"]:
        text = path.read_text("utf-8")
        keys |= set(USED.findall(text))
        kinds |= set(VALUE.findall(text))
        tree = ast.parse(text) if path.suffix == ".py" else ast.Module(body=[], type_ignores=[])
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
        for call in calls:  # t.count("home.top_deals", n): a key whose plural forms are key.one and key.other
            func = call.func
            if (isinstance(func, ast.Attribute) and func.attr == "count" and call.args
                    and isinstance(func.value, ast.Name) and func.value.id == "t"
                    and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
                keys.add(call.args[0].value)
    return keys, kinds


def test_every_key_the_code_uses_exists_and_every_key_is_used():
    english = catalogue(i18n.DEFAULT)
    keys, kinds = used_keys()
    plural = {key.rsplit(".", 1)[0] for key in english if key.endswith((".one", ".other"))}
    missing = sorted(key for key in keys if key not in english and key not in plural)
    assert missing == []
    unused = sorted(key for key in english if key not in keys and key.rsplit(".", 1)[0] not in keys
                    and not key.startswith(DYNAMIC))
    assert unused == [], "messages no code uses"
    assert kinds <= {key.split(".")[1] for key in english if key.startswith("values.")}


ENUMS = {"status": ("deal", "status"), "event": ("deal", "events[].type"), "transfer": ("deal", "transfer"),
         "confidence": ("deal", "confidence"), "category": ("system", "category"),
         "ownership": ("company", "ownership"), "verdict": ("seed", "claims[].verdict"),
         "region": ("countries", "countries.<code>.region")}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_enumerated_value_has_a_name_in_every_language(lang: str):
    schemas = load_schemas(ROOT / "data" / "schema")
    messages = catalogue(lang)
    for kind, (record_type, field) in ENUMS.items():
        if kind == "region":
            countries = schemas["countries"]["properties"]["countries"]["additionalProperties"]
            enum = countries["properties"]["region"]["enum"]
        else:
            enum = field_schema(schemas, record_type, field)["enum"]
        named = {key.split(".", 2)[2] for key in messages if key.startswith(f"values.{kind}.")}
        assert named == set(enum), kind
    assert {f"columns.{column}" for column in DEAL_COLUMNS} <= set(messages)


def test_every_schema_field_has_a_turkish_description():
    schemas = load_schemas(ROOT / "data" / "schema")
    expected = []
    for name, (_, rows) in zip(RECORD_TYPES, schema_fields(schemas), strict=True):
        expected += [name] + [f"{name}/{field}" for field, _, _ in rows]
    translated = i18n.schema_descriptions("tr")
    assert list(translated) == expected
    assert all(isinstance(text, str) and text.strip() for text in translated.values())


def test_turkish_month_names_are_cldr_s():
    from babel.dates import get_month_names
    assert catalogue("tr")["date.months"] == [get_month_names("wide", locale="tr")[m] for m in range(1, 13)]
    t = Messages("tr")
    assert [t.date("2019"), t.date("2019-03"), t.date("2019-03-04")] == ["2019", "Mart 2019", "4 Mart 2019"]
    assert Messages("en").date("2019-03-04") == "4 Mar 2019"
    assert (Messages("en").number(1250), t.number(1250), t.number(1250.5)) == ("1,250", "1.250", "1.250,5")


def test_turkish_names_sort_in_the_turkish_alphabet():
    key = i18n.sort_key("tr")
    names = ["Zambiya", "Çad", "Irak", "İran", "Cezayir", "Özbekistan", "Ukrayna", "Şili", "Umman"]
    assert sorted(names, key=key) == ["Cezayir", "Çad", "Irak", "İran", "Özbekistan", "Şili", "Ukrayna", "Umman",
                                      "Zambiya"]


def test_the_turkish_nav_has_every_english_entry_under_tr():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    english = config["nav"]

    def pages(nav):
        for item in nav:
            (title, target), = item.items()
            yield from pages(target) if isinstance(target, list) else [(title, target)]
    for (title, target), (tr_title, tr_target) in zip(pages(english), pages(i18n.navigation(english, "tr")),
                                                        strict=True):
        assert tr_target == "tr/" + target
        assert title == catalogue("en")[f"nav.{i18n.nav_key(target)}"]  # mkdocs.yml and en.yaml agree
        assert tr_title == catalogue("tr")[f"nav.{i18n.nav_key(target)}"] != title


def test_kosovo_tb2_and_plant_records_have_turkish_text():
    dataset = load_dataset(ROOT)
    chosen = [deal for deal in dataset.deals.values()
              if deal.recipient == "XK" or "bayraktar-tb2" in deal.systems
              or any(dataset.systems[s]["category"] == "ammunition-plant" for s in deal.systems)]
    assert len(chosen) >= 50
    assert [deal.id for deal in chosen if not (deal.get("title_tr") and deal.get("summary_tr"))] == []


# ---- rendered pages ------------------------------------------------------------------------------------

class TextParser(HTMLParser):
    """The text a reader sees, and every attribute value a screen reader or a tooltip reads."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.parts += [value for name, value in attrs if name in ("aria-label", "title", "alt") and value]

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(markdown: str) -> str:
    parser = TextParser()
    parser.feed(markdown)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    project = make_mini_project(tmp_path_factory.mktemp("languages") / "project")
    dataset = load_dataset(project)
    sizes = {path: len(content) for path, content in export_files(dataset, SETTINGS, project).items()}
    return {uri: page.markdown for uri, page in SiteRenderer(dataset, SETTINGS, project / "data" / "schema")
            .render_all(sizes).items()}


def test_every_page_exists_in_both_languages(rendered: dict[str, str]):
    english = {uri for uri in rendered if not uri.startswith("tr/")}
    assert {uri.removeprefix("tr/") for uri in rendered if uri.startswith("tr/")} == english
    assert len(english) >= 15


def english_phrases() -> set[str]:
    """The interface's English sentences and labels of two words or more that Turkish says differently."""
    english, turkish = catalogue("en"), catalogue("tr")
    phrases = set()
    for key, text in english.items():
        if not isinstance(text, str) or text == turkish[key] or key.startswith("nav."):
            continue
        for piece in re.split(r"\{[^}]*\}|<[^>]*>", text):
            piece = piece.strip(" .,:;()\"'")
            if len(piece) >= 15 and piece.count(" ") >= 2 and piece not in turkish[key]:
                phrases.add(piece)
    return phrases


def test_turkish_pages_say_nothing_in_english_but_the_records_text(rendered: dict[str, str]):
    phrases = english_phrases()
    assert len(phrases) > 100
    found = {}
    for uri, markdown in rendered.items():
        if uri.startswith("tr/"):
            text = visible_text(markdown)
            hits = [phrase for phrase in phrases if phrase in text]
            if hits:
                found[uri] = hits
    assert found == {}
    english_deal = visible_text(rendered["deals/bayraktar-tb2-kosovo.md"])
    assert "Report a correction" in english_deal and "Events per year" not in english_deal


def test_turkish_pages_link_to_turkish_pages_and_shared_files(rendered: dict[str, str]):
    page = rendered["tr/deals/bayraktar-tb2-kosovo.md"]
    links = re.findall(r'href="(\.\./[^"#]*)', page)
    assert "../../../tr/countries/kosovo/" in links
    assert "../../../api/v1/deals/bayraktar-tb2-kosovo.json" in links
    pages = [link for link in links if link.endswith("/")]
    assert pages and all(link.startswith("../../../tr/") for link in pages)
    country = rendered["tr/countries/kosovo.md"]
    assert 'feed: "tr/feeds/country-kosovo.xml"' in country


def test_turkish_pages_show_turkish_names_dates_and_record_text(rendered: dict[str, str]):
    deal = rendered["tr/deals/bayraktar-tb2-kosovo.md"]
    text = visible_text(deal)
    assert "teslim edildi" in text and "Tedarikçiler" in text and "Kalemler" in text
    assert '<time datetime="2023-07-16">16 Temmuz 2023</time>' in deal  # the events list, in Turkish
    assert '<time datetime="2023-05">Mayıs 2023</time>' in deal
    country = rendered["tr/countries/kosovo.md"]
    statuses = re.findall(r'<span class="tdet-status tdet-status--([a-z-]+)">([^<]*)</span>', country)
    assert statuses and all(shown == catalogue("tr")[f"values.status.{status}"] for status, shown in statuses)
    assert "Kosova" in text  # the country's name in Turkish (CLDR), the slug unchanged
    record = yaml.safe_load((ROOT / "data" / "deals" / "bayraktar-tb2-kosovo.yaml").read_text("utf-8"))
    assert "title: " + json.dumps(html.escape(record["title_tr"]), ensure_ascii=False) in deal  # its Turkish title
    assert record["summary"] in text.replace("&#x27;", "'")  # the English text stays, marked as English
    assert '<div class="tdet-tr" lang="en"' in deal
    english = rendered["deals/bayraktar-tb2-kosovo.md"]
    assert '<div class="tdet-tr" lang="tr"' in english and "delivered" in visible_text(english)
    countries = visible_text(rendered["tr/countries/index.md"])
    order = [name for name in ("Azerbaycan", "Çad", "Irak", "Özbekistan", "Ukrayna") if name in countries]
    assert order == sorted(order, key=i18n.sort_key("tr"))


def test_turkish_record_pages_without_turkish_text_stay_out_of_the_search_index(rendered: dict[str, str]):
    excluded = 'search: {"exclude": true}'
    assert excluded in rendered["tr/countries/kosovo.md"]
    assert excluded not in rendered["countries/kosovo.md"]
    assert excluded not in rendered["tr/deals/bayraktar-tb2-kosovo.md"]  # it has title_tr
    assert excluded not in rendered["tr/methodology.md"]


def test_turkish_feeds_have_turkish_titles_and_link_turkish_pages(tmp_path: Path):
    project = make_mini_project(tmp_path / "project")
    files = export_files(load_dataset(project), SETTINGS, project)
    feed = ET.fromstring(files["tr/feeds/all.xml"])
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "tr"
    assert feed.findtext(f"{atom}title", "").endswith("son olaylar")
    links = [link.get("href", "") for link in feed.findall(f"{atom}entry/{atom}link")]
    assert links and all(link.startswith(SETTINGS.site_url + "tr/deals/") for link in links)
    english = ET.fromstring(files["feeds/all.xml"])
    assert {e.findtext(f"{atom}id") for e in english.findall(f"{atom}entry")}.isdisjoint(
        {e.findtext(f"{atom}id") for e in feed.findall(f"{atom}entry")})
    assert "tr/feeds/sitemap.xml" in files and "feeds/country-kosovo.xml" in files


# ---- the built site --------------------------------------------------------------------------------------

def html_pages(site: Path) -> list[Path]:
    return [path for path in site.rglob("index.html") if path.relative_to(site).parts[:1] not in
            (("api",), ("assets",), ("search",))]


def test_every_built_page_names_its_language_and_links_its_other_version(built_site: Path):
    pages = html_pages(built_site)
    assert len(pages) > 1000
    for path in pages:
        url = path.parent.relative_to(built_site).as_posix() + "/"
        url = "" if url == "./" else url
        lang = i18n.language_of(url)
        markup = path.read_text("utf-8")
        assert f'<html lang="{lang}"' in markup, url
        # Material fetches a sitemap.xml beside every <link rel="alternate">: only feeds have one.
        assert not re.findall(r'<link rel="alternate" href="[^"]*" hreflang=', markup), url
        switch = {lang: posixpath.normpath(posixpath.join(url, href)).removeprefix(".") for href, lang
                  in re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)" lang="[a-z]+" class="md-select__link"', markup)}
        expected = {alt.lang: alt.url.rstrip("/") for alt in i18n.alternates(url)}
        assert switch == expected, url
        for alt in i18n.alternates(url):
            assert (built_site / alt.url / "index.html").exists(), alt.url


def test_material_speaks_the_page_s_language_and_its_tabs_stay_in_it(built_site: Path):
    turkish = (built_site / "tr" / "deals" / "bayraktar-tb2-kosovo" / "index.html").read_text("utf-8")
    english = (built_site / "deals" / "bayraktar-tb2-kosovo" / "index.html").read_text("utf-8")
    assert 'placeholder="Ara"' in turkish and 'placeholder="Search"' in english
    for markup, lang, page in ((turkish, "tr", "tr/deals/bayraktar-tb2-kosovo/"),
                             (english, "en", "deals/bayraktar-tb2-kosovo/")):
        tabs = re.findall(r'<a href="([^"]*)" class="md-tabs__link">\s*([^<]*?)\s*</a>', markup)
        titles = [title for _, title in tabs]
        assert titles[:2] == [catalogue(lang)["nav.home"], catalogue(lang)["nav.timeline"]], titles
        for href, _ in tabs:
            target = posixpath.normpath(posixpath.join(page, href)) + "/"
            assert i18n.language_of(target) == lang, (href, target)


def test_the_sitemap_lists_both_languages_with_hreflang(built_site: Path):
    sitemap = ET.fromstring((built_site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [url.findtext("s:loc", "", ns) for url in sitemap.findall("s:url", ns)]
    site = "https://turkish-defense-exports.github.io/tracker/"
    assert site + "deals/bayraktar-tb2-kosovo/" in locs and site + "tr/deals/bayraktar-tb2-kosovo/" in locs
    for url in sitemap.findall("s:url", ns):
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        path = url.findtext("s:loc", "", ns).removeprefix(site)
        assert links == {alt.lang: site + alt.url for alt in i18n.alternates(path)}, path


def test_every_url_kind_exists_in_turkish(built_site: Path):
    for page in (urls.HOME, urls.TIMELINE, urls.COUNTRIES, urls.METHODOLOGY, urls.DATA, urls.CONTRIBUTE,
                 urls.CHANGES, urls.deal_page("bayraktar-tb2-kosovo"), urls.system_page("bayraktar-tb2"),
                 urls.company_page("baykar")):
        assert (built_site / "tr" / page / "index.html").exists(), page
    for feed in ("all.xml", "changes.xml", "sitemap.xml", "country-kosovo.xml", "company-baykar.xml"):
        assert (built_site / "tr" / "feeds" / feed).exists(), feed
