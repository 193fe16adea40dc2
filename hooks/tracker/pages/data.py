"""The Data page: what can be downloaded, with sizes, and how the API and tables are shaped.
It is rendered last, from the sizes of the export files actually written."""

from __future__ import annotations

from .. import charts, urls
from ..exports.api import API_VERSION
from ..exports.tables import TABLES
from .context import ABOUT, PageContext


def render(ctx: PageContext, sizes: dict[str, int]) -> None:
    per_record = {urls.api_deal(deal_id) for deal_id in ctx.data.deals}
    per_record |= {urls.country_feed(c) for c in ctx.countries_with_deals()}
    per_record |= {urls.company_feed(company_id) for company_id in ctx.data.companies}
    per_record.add(charts.WORLD_OUTLINE)  # a picture, not a download
    listed = [(path, size) for path, size in sizes.items() if path not in per_record]
    per_deal = len(ctx.data.deals)
    ctx.render("data.md", "data.html", "hooks/tracker/templates/data.html", "Data and API",
               "Download the Turkish Defense Exports Tracker: JSON API, CSV tables with a Frictionless "
               "Data Package, JSON Schemas and Atom feeds. Data CC BY 4.0.",
               hide=ABOUT, files=listed, per_deal=per_deal, api_version=API_VERSION, tables=TABLES,
               example=next(iter(sorted(ctx.data.deals)), None))
