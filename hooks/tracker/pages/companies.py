"""A page per supplier, and the companies index."""

from __future__ import annotations

from markupsafe import Markup

from .. import charts, search, urls
from .context import WIDE, PageContext, newest_first
from .views import CompanyRow

OMIT = frozenset({"Suppliers"})  # the page's own company is a supplier of every row


def render(ctx: PageContext) -> None:
    data = ctx.data
    rows = []
    for company_id, company in sorted(data.companies.items(), key=lambda kv: kv[1]["name"].lower()):
        deals = sorted(data.deals_for_company(company_id),
                       key=lambda d: (data.countries[d.recipient].name, d.first_date))
        events = newest_first(e for d in deals for e in d.events)
        systems = sorted((s for s, rec in data.systems.items() if rec["maker"] == company_id),
                         key=lambda i: data.systems[i]["name"].lower())
        countries = len({d.recipient for d in deals})
        reach = ctx.reach(deals)
        rows.append(CompanyRow(company=company, deals=len(deals), countries=countries, systems=len(systems)))
        ctx.render(urls.page_source(urls.company_page(company_id)), "company.html", company.path,
                   f"{company['name']}: exports",
                   f"{company['name']}: profile and {len(deals)} export deal(s) to {countries} countries, "
                   "with sources.",
                   meta={"feed": ctx.site_file(urls.company_feed(company_id)), **search.own_name(company["name"])},
                   hide=WIDE,
                   company=company, deals=ctx.deal_rows_html(deals, OMIT), omit=OMIT, timeline=ctx.timeline(events),
                   reach=reach,
                   map=Markup(charts.operators_map("map-recipients", company["name"], reach.recipients, ctx.link))
                   if reach.recipients else None,
                   chart=Markup(charts.events_per_year_chart("chart-events", company["name"], deals)),
                   systems=[data.systems[i] for i in systems])
    ctx.render("companies/index.md", "companies.html", "data/companies/",
               "Companies", f"The {len(rows)} Turkish companies and government bodies that export or donate "
               "defence equipment, with their deals.", hide=WIDE, rows=rows)
