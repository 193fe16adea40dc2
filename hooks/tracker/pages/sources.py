"""Every source cited, grouped by publisher, each with the deals that cite it."""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup

from .. import urls
from .context import SEARCH_EXCLUDED, WIDE, PageContext
from .views import Citation


def render(ctx: PageContext) -> None:
    if not ctx.renders(urls.SOURCES):
        return
    by_publisher: dict[str, list[Markup]] = defaultdict(list)
    for deal in ctx.data.deals.values():
        for number, source in enumerate(deal.sources, 1):
            cite = Citation(source=source, deal=deal, number=number)
            by_publisher[source["publisher"]].append(ctx.citation_html(cite))
    groups = sorted(by_publisher.items(), key=lambda kv: kv[0].lower())
    ctx.render("sources.md", "sources.html", "data/deals/", ctx.t.plain("sources_page.title"),
               ctx.t.plain("sources_page.description", citations=sum(len(v) for _, v in groups),
                           publishers=len(groups)),
               meta=SEARCH_EXCLUDED, hide=WIDE, groups=groups)
