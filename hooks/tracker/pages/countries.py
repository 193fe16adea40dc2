"""A page per recipient country, and the countries index."""

from __future__ import annotations

from markupsafe import Markup

from .. import charts, search, urls
from .context import WIDE, PageContext, newest_first
from .views import CountryRow

OMIT = frozenset({"recipient"})  # the page's own country


def render(ctx: PageContext) -> None:
    data, t = ctx.data, ctx.t
    index = ctx.renders(urls.COUNTRIES)  # the index needs every row; an edit may need none
    rows = []
    for country in ctx.countries_with_deals():
        if not index and not ctx.renders(urls.country_page(country)):
            continue
        deals = sorted(data.deals_for_country(country.code), key=lambda d: d.first_date)
        events = newest_first(e for d in deals for e in d.events)
        systems = sorted({s for d in deals for s in d.systems}, key=lambda i: data.systems[i]["name"].lower())
        suppliers = sorted({c for d in deals for c in d.suppliers}, key=lambda i: data.companies[i]["name"].lower())
        years = [e.year for e in events if e.type != "planned"] or [e.year for e in events]
        row = CountryRow(country=country, deals=len(deals), systems=len(systems), first=min(years), last=max(years))
        rows.append(row)
        if not ctx.renders(urls.country_page(country)):
            continue
        ctx.render(urls.page_source(urls.country_page(country)), "country.html", "data/countries.yaml",
                   t.plain("country.title", name=country.name),
                   t.plain("country.description", count=len(deals), name=country.name, first=row.first, last=row.last),
                   meta={"feed": ctx.site_file(ctx.feeds.country(country)), **search.own_name(country.name)},
                   hide=WIDE, translated=False,
                   country=country, row=row, deals=ctx.deal_rows_html(deals, OMIT), omit=OMIT,
                   timeline=ctx.timeline(events),
                   chart=Markup(charts.events_per_year_chart("chart-events", country.name, deals, t)),
                   systems=[data.systems[i] for i in systems],
                   suppliers=[data.companies[i] for i in suppliers])
    if index:
        ctx.render("countries/index.md", "countries.html", "data/countries.yaml", t.plain("countries.title"),
                   t.plain("countries.description", count=len(rows)), hide=WIDE, rows=rows)
