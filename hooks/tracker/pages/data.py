"""The Data page: what can be downloaded, with sizes, and how the API and tables are shaped.
It is rendered last, from the sizes of the export files actually written."""

from __future__ import annotations

from .. import charts, i18n, urls
from ..exports.api import API_VERSION
from ..exports.tables import TABLES
from .context import ABOUT, PageContext


def render(ctx: PageContext, sizes: dict[str, int]) -> None:
    per_record = {urls.api_deal(deal_id) for deal_id in ctx.data.deals}
    for feeds in (urls.Feeds(i18n.prefix(lang)) for lang in i18n.LANGUAGES):
        per_record |= {feeds.country(c) for c in ctx.countries_with_deals()}
        per_record |= {feeds.company(company_id) for company_id in ctx.data.companies}
    per_record.add(charts.WORLD_OUTLINE)  # a picture, not a download
    listed = [(path, size) for path, size in sizes.items() if path not in per_record]
    per_deal = len(ctx.data.deals)
    ctx.render("data.md", "data.html", "hooks/tracker/templates/data.html", ctx.t.plain("data_page.title"),
               ctx.t.plain("data_page.description"),
               hide=ABOUT, files=listed, per_deal=per_deal, api_version=API_VERSION, tables=TABLES,
               example=next(iter(sorted(ctx.data.deals)), None))
