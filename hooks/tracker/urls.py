"""Every public address of the site, built in one place.

The URL scheme is a public contract: once published, an address stays. Pages are directory URLs
relative to the site root ('deals/<id>/'), files are paths ('api/v1/deals/<id>.json'); renderers,
fragments, charts, exports, templates (as the global `urls`) and tests all build them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

API = "api/v1"


class HasSlug(Protocol):
    slug: str


# ---- pages ------------------------------------------------------------------------------------------

HOME = ""
TIMELINE = "timeline/"
COUNTRIES = "countries/"
COMPANIES = "companies/"
SYSTEMS = "systems/"
DEALS = "deals/"
SOURCES = "sources/"
SEEDS = "seeds/"
METHODOLOGY = "methodology/"
DATA = "data/"
CONTRIBUTE = "contribute/"
CHANGES = "changes/"


def deal_page(deal_id: str) -> str:
    return f"deals/{deal_id}/"


def country_page(country: HasSlug) -> str:
    return f"countries/{country.slug}/"


def company_page(company_id: str) -> str:
    return f"companies/{company_id}/"


def system_page(system_id: str) -> str:
    return f"systems/{system_id}/"


RECORD_PAGES = {"deals": deal_page, "companies": company_page, "systems": system_page}


def record_page(folder: str, record_id: str) -> str:
    """The page of a record in data/<folder>/ (deals, companies or systems)."""
    return RECORD_PAGES[folder](record_id)


# ---- files --------------------------------------------------------------------------------------------

def api_deal(deal_id: str) -> str:
    return f"{API}/deals/{deal_id}.json"


def api_list(name: str) -> str:
    """A whole collection: deals, companies, systems, countries or annual-totals."""
    return f"{API}/{name}.json"


def csv_table(name: str) -> str:
    return f"data/{name}.csv"


DATAPACKAGE = "data/datapackage.json"


def schema_file(name: str) -> str:
    return f"schema/{name}.schema.json"


FEED_ALL = "feeds/all.xml"
FEED_CHANGES = "feeds/changes.xml"
FEEDS_SITEMAP = "feeds/sitemap.xml"


def country_feed(country: HasSlug) -> str:
    return f"feeds/country-{country.slug}.xml"


def company_feed(company_id: str) -> str:
    return f"feeds/company-{company_id}.xml"


@dataclass(frozen=True)
class Feeds:
    """The feeds of one language, whose titles are in that language: English ones at 'feeds/', the
    others under their language's prefix ('tr/feeds/')."""

    prefix: str = ""

    @property
    def all(self) -> str:
        return self.prefix + FEED_ALL

    @property
    def changes(self) -> str:
        return self.prefix + FEED_CHANGES

    @property
    def sitemap(self) -> str:
        return self.prefix + FEEDS_SITEMAP

    def country(self, country: HasSlug) -> str:
        return self.prefix + country_feed(country)

    def company(self, company_id: str) -> str:
        return self.prefix + company_feed(company_id)


# ---- from page sources to addresses -------------------------------------------------------------------

def page_url(src_uri: str) -> str:
    """MkDocs' directory URL of a page: 'countries/kosovo.md' -> 'countries/kosovo/'."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def page_source(url: str) -> str:
    """The Markdown source of a generated record page: 'deals/x/' -> 'deals/x.md'."""
    return url.removesuffix("/") + ".md"


def root_prefix(src_uri: str) -> str:
    """The way back to the site root from a page's directory URL: '', '../' or '../../'."""
    return "../" * page_url(src_uri).count("/")


def is_page(target: str) -> bool:
    """Pages are directory URLs (or the home page); everything else is a file."""
    return target == HOME or target.endswith("/")
