"""The timeline: every dated event, newest first, grouped by year, with its filters."""

from __future__ import annotations

from .. import urls
from .context import SEARCH_EXCLUDED, PageContext


def render(ctx: PageContext) -> None:
    if not ctx.renders(urls.TIMELINE):
        return
    data = ctx.data
    events = data.events()
    categories = sorted({s["category"] for s in data.systems.values()})
    suppliers = sorted({c for d in data.deals.values() for c in d.suppliers},
                       key=lambda i: data.companies[i]["name"].lower())
    ctx.render("timeline.md", "timeline.html", "hooks/tracker/templates/timeline.html", ctx.t.plain("timeline.title"),
               ctx.t.plain("timeline.description", deals=len(data.deals)),
               meta=SEARCH_EXCLUDED, years=ctx.timeline(events), count=len(events), categories=categories,
               event_types=ctx.field_schema("deal", "events[].type")["enum"],
               suppliers=[data.companies[i] for i in suppliers],
               used_regions=sorted({data.countries[d.recipient].region for d in data.deals.values()}))
