"""A page per supplier, and the companies index."""

from __future__ import annotations

from markupsafe import Markup

from .. import charts, urls
from .context import PageContext, newest_first
from .views import CompanyRow


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
        rows.append(CompanyRow(company=company, deals=len(deals), countries=countries, systems=len(systems)))
        ctx.render(urls.page_source(urls.company_page(company_id)), "company.html", company.path,
                   f"{company['name']}: exports",
                   f"{company['name']}: profile and {len(deals)} export deal(s) to {countries} countries, "
                   "with sources.",
                   meta={"feed": ctx.site_file(urls.company_feed(company_id))},
                   company=company, deals=ctx.deal_rows_html(deals), timeline=ctx.timeline(events),
                   chart=Markup(charts.events_per_year_chart("chart-events", company["name"], deals)),
                   systems=[data.systems[i] for i in systems])
    ctx.render("companies/index.md", "companies.html", "data/companies/",
               "Companies", f"The {len(rows)} Turkish companies and government bodies that export or donate "
               "defence equipment, with their deals.", rows=rows)
