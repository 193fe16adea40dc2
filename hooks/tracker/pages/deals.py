"""A page per deal (everything in the record, how to cite and correct it), and the list of all deals."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from .. import search, urls
from ..i18n import Messages
from ..model import Deal
from . import fragments
from .context import SEARCH_EXCLUDED, WIDE, PageContext
from .views import DealRow


def render(ctx: PageContext) -> None:
    data, t = ctx.data, ctx.t
    deals = [deal for _, deal in sorted(data.deals.items())]
    for deal in deals:
        page = urls.deal_page(deal.id)
        if not ctx.renders(page):
            continue
        row = ctx.deal_row(deal)
        url = ctx.absolute_url(page)
        title = deal.get("title_tr") if ctx.lang == "tr" and deal.get("title_tr") else deal["title"]
        ctx.render(urls.page_source(page), "deal.html", deal.path, title,
                   describe(t, deal, row), meta=search_meta(row), deal=deal, row=row, url=url,
                   checked=fragments.time_tag(deal["checked"], t),
                   related=[data.deals[i] for i in data.related_deals(deal.id)],
                   edit=ctx.edit_url(deal.path), correction=correction_url(ctx, deal),
                   cite_text=citation_text(ctx, deal, url), bibtex=bibtex(ctx, deal, url),
                   translated=bool(deal.get("title_tr") or deal.get("summary_tr")))
    if ctx.renders(urls.DEALS):
        ctx.render("deals/index.md", "deals.html", "data/deals/", t.plain("deals.title"),
                   t.plain("deals.description", count=len(deals)),
                   meta=SEARCH_EXCLUDED, hide=WIDE, rows=ctx.deal_rows_html(deals), count=len(deals))


def search_meta(row: DealRow) -> dict[str, object]:
    """What the search index keeps of a deal page (see search.py): its title, its lead, and its systems
    and recipient as tags, in HTML: escaped here, like everything from the data that reaches a page's source."""
    names = [s["name"] for s in row.systems] + [row.country.name]
    return {search.ONLY_LEAD: True, search.TAGS: [html.escape(name, quote=False) for name in names]}


def describe(t: Messages, deal: Deal, row: DealRow) -> str:
    return t.plain("deal.description", systems=", ".join(s["name"] for s in row.systems),
                   suppliers=", ".join(c["name"] for c in row.suppliers), recipient=row.country.name,
                   transfer=t.value("transfer", deal["transfer"]), status=t.value("status", deal["status"]),
                   first=row.first[:4], last=row.last[:4], sources=len(deal.sources))


def correction_url(ctx: PageContext, deal: Deal) -> str:
    query = urlencode({"template": "correct-a-record.yml", "title": ctx.t.plain("deal.correction_title", id=deal.id),
                       "record": deal.id})
    return f"{ctx.settings.repo_url.rstrip('/')}/issues/new?{query}"


def citation_text(ctx: PageContext, deal: Deal, url: str) -> str:
    return ctx.t.plain("deal.citation", site=ctx.settings.site_name, title=deal["title"], id=deal.id, url=url)


def bibtex(ctx: PageContext, deal: Deal, url: str) -> str:
    def braces(text: str) -> str:
        return text.replace("\\", "").replace("{", "").replace("}", "")
    return (f"@misc{{tdet-{deal.id},\n  title = {{{braces(deal['title'])}}},\n"
            f"  author = {{{{{ctx.settings.site_name}}}}},\n  howpublished = {{\\url{{{url}}}}},\n"
            f"  note = {{Record {deal.id}}}\n}}")
