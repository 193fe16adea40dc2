"""The home page: headline figures, the charts, the map and the latest events."""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from .. import charts, urls
from .context import WIDE, PageContext


def render(ctx: PageContext) -> None:
    if not ctx.renders(urls.HOME):
        return
    data = ctx.data
    deals = list(data.deals.values())
    totals_svg, totals_rows = charts.annual_totals_chart(data, ctx.t)
    deals_svg, deals_by_year = charts.deals_by_year_chart(data, ctx.t)
    latest = [e for e in data.events() if e.type != "planned"]
    figures = {
        "deals": len(deals),
        "countries": len(ctx.countries_with_deals()),
        "companies": len({c for d in deals for c in d.suppliers}),
        "systems": len({s for d in deals for s in d.systems}),
        "sources": len({s["url"] for d in deals for s in d.sources}),
        "latest": latest[0].date if latest else None,
    }
    t = ctx.t
    ctx.render("index.md", "home.html", "hooks/tracker/templates/home.html", ctx.settings.site_name,
               t.plain("home.description", deals=len(deals), countries=figures["countries"]),
               hide=WIDE, figures=figures, latest=[ctx.event_html(e) for e in latest[:12]],
               top_countries=Counter(d.recipient for d in deals).most_common(10),
               map=Markup(charts.recipients_map(data, ctx.link, t)),
               totals_chart=Markup(totals_svg), totals=totals_rows,
               deals_chart=Markup(deals_svg), deals_by_year=sorted(deals_by_year.items()),
               groups={g: t.plain(f"charts.groups.{g}") for g in charts.GROUPS},
               top_chart=Markup(charts.top_recipients_chart(data, t)))
