"""A page per supplier, and the companies index."""

from __future__ import annotations

from markupsafe import Markup

from .. import charts, search, urls
from .context import WIDE, PageContext, newest_first
from .views import CompanyRow

OMIT = frozenset({"suppliers"})  # the page's own company is a supplier of every row


def render(ctx: PageContext) -> None:
    data, t = ctx.data, ctx.t
    index = ctx.renders(urls.COMPANIES)  # the index needs every row; an edit may need none
    rows = []
    for company_id, company in sorted(data.companies.items(), key=lambda kv: kv[1]["name"].lower()):
        if not index and not ctx.renders(urls.company_page(company_id)):
            continue
        deals = sorted(data.deals_for_company(company_id),
                       key=lambda d: (ctx.sort_key(data.countries[d.recipient].name), d.first_date))
        systems = sorted((s for s, rec in data.systems.items() if rec["maker"] == company_id),
                         key=lambda i: data.systems[i]["name"].lower())
        countries = len({d.recipient for d in deals})
        rows.append(CompanyRow(company=company, deals=len(deals), countries=countries, systems=len(systems)))
        if not ctx.renders(urls.company_page(company_id)):
            continue
        events = newest_first(e for d in deals for e in d.events)
        reach = ctx.reach(deals)
        ctx.render(urls.page_source(urls.company_page(company_id)), "company.html", company.path,
                   t.plain("company.title", name=company["name"]),
                   t.plain("company.description", name=company["name"], deals=len(deals), countries=countries),
                   meta={"feed": ctx.site_file(ctx.feeds.company(company_id)), **search.own_name(company["name"])},
                   hide=WIDE, translated=False,
                   company=company, deals=ctx.deal_rows_html(deals, OMIT), omit=OMIT, timeline=ctx.timeline(events),
                   reach=reach,
                   map=Markup(charts.operators_map("map-recipients", company["name"], reach.recipients, ctx.link, t))
                   if reach.recipients else None,
                   chart=Markup(charts.events_per_year_chart("chart-events", company["name"], deals, t)),
                   systems=[data.systems[i] for i in systems])
    if index:
        ctx.render("companies/index.md", "companies.html", "data/companies/", t.plain("companies.title"),
                   t.plain("companies.description", count=len(rows)), hide=WIDE, rows=rows)
