"""A page per system (its operators: who has it, how many, since when), and the systems index."""

from __future__ import annotations

from markupsafe import Markup

from .. import charts, search, urls
from .context import WIDE, PageContext
from .views import Operator, SystemRow


def render(ctx: PageContext) -> None:
    data, t = ctx.data, ctx.t
    index = ctx.renders(urls.SYSTEMS)  # the index needs every row; an edit may need none
    rows = []
    for system_id, system in sorted(data.systems.items(), key=lambda kv: kv[1]["name"].lower()):
        if not index and not ctx.renders(urls.system_page(system_id)):
            continue
        deals = sorted(data.deals_for_system(system_id),
                       key=lambda d: (ctx.sort_key(data.countries[d.recipient].name), d.first_date))
        countries = len({d.recipient for d in deals})
        maker = data.companies[system["maker"]]
        rows.append(SystemRow(system=system, maker=maker, deals=len(deals), countries=countries))
        if not ctx.renders(urls.system_page(system_id)):
            continue
        operators = [Operator(row=ctx.deal_row(deal), item=item)
                     for deal in deals for item in deal["items"] if item["system"] == system_id]
        reach = ctx.reach(deals, system_id)
        ctx.render(urls.page_source(urls.system_page(system_id)), "system.html", system.path,
                   t.plain("system.title", name=system["name"]),
                   t.plain("system.description", name=system["name"], countries=countries),
                   meta=search.own_name(system["name"]), hide=WIDE, translated=False,
                   system=system, maker=maker, operators=operators, reach=reach,
                   map=Markup(charts.operators_map("map-operators", system["name"], reach.recipients, ctx.link, t))
                   if reach.recipients else None)
    if index:
        ctx.render("systems/index.md", "systems.html", "data/systems/", t.plain("systems.title"),
                   t.plain("systems.description", count=len(rows)), hide=WIDE, rows=rows)
