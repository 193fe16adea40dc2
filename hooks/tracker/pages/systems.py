"""A page per system (its operators: who has it, how many, since when), and the systems index."""

from __future__ import annotations

from markupsafe import Markup

from .. import charts, search, urls
from .context import WIDE, PageContext
from .views import Operator, SystemRow


def render(ctx: PageContext) -> None:
    data = ctx.data
    rows = []
    for system_id, system in sorted(data.systems.items(), key=lambda kv: kv[1]["name"].lower()):
        deals = sorted(data.deals_for_system(system_id),
                       key=lambda d: (data.countries[d.recipient].name, d.first_date))
        operators = [Operator(row=ctx.deal_row(deal), item=item)
                     for deal in deals for item in deal["items"] if item["system"] == system_id]
        countries = len({d.recipient for d in deals})
        maker = data.companies[system["maker"]]
        reach = ctx.reach(deals, system_id)
        rows.append(SystemRow(system=system, maker=maker, deals=len(deals), countries=countries))
        ctx.render(urls.page_source(urls.system_page(system_id)), "system.html", system.path,
                   f"{system['name']}: operators and exports",
                   f"Who has bought the {system['name']}: {countries} recipient "
                   "countries, quantities ordered and delivered, dates and sources.",
                   meta=search.own_name(system["name"]), hide=WIDE, system=system, maker=maker, operators=operators,
                   reach=reach,
                   map=Markup(charts.operators_map("map-operators", system["name"], reach.recipients, ctx.link))
                   if reach.recipients else None)
    ctx.render("systems/index.md", "systems.html", "data/systems/", "Systems",
               f"The {len(rows)} Turkish defence systems exported, by category, with their recipients.",
               hide=WIDE, rows=rows)
