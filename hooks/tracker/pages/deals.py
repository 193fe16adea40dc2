"""A page per deal (everything in the record, how to cite and correct it), and the list of all deals."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from .. import search, urls
from ..model import Deal
from .context import SEARCH_EXCLUDED, WIDE, PageContext
from .views import DealRow


def render(ctx: PageContext) -> None:
    data = ctx.data
    deals = [deal for _, deal in sorted(data.deals.items())]
    for deal in deals:
        row = ctx.deal_row(deal)
        page = urls.deal_page(deal.id)
        url = ctx.absolute_url(page)
        ctx.render(urls.page_source(page), "deal.html", deal.path, deal["title"],
                   describe(deal, row), meta=search_meta(row), deal=deal, row=row, url=url,
                   related=[data.deals[i] for i in data.related_deals(deal.id)],
                   edit=ctx.edit_url(deal.path), correction=correction_url(ctx, deal),
                   cite_text=citation_text(ctx, deal, url), bibtex=bibtex(ctx, deal, url))
    ctx.render("deals/index.md", "deals.html", "data/deals/", "All deals",
               f"All {len(deals)} recorded Turkish defence export deals: "
               "recipient, systems, suppliers, status and years.",
               meta=SEARCH_EXCLUDED, hide=WIDE, rows=ctx.deal_rows_html(deals), count=len(deals))


def search_meta(row: DealRow) -> dict[str, object]:
    """What the search index keeps of a deal page (see search.py): its title, its lead, and its systems
    and recipient as tags, in HTML: escaped here, like everything from the data that reaches a page's source."""
    names = [s["name"] for s in row.systems] + [row.country.name]
    return {search.ONLY_LEAD: True, search.TAGS: [html.escape(name, quote=False) for name in names]}


def describe(deal: Deal, row: DealRow) -> str:
    systems = ", ".join(s["name"] for s in row.systems)
    suppliers = ", ".join(c["name"] for c in row.suppliers)
    return (f"{systems} from {suppliers} to {row.country.name} ({deal['transfer']}, {deal['status']}, "
            f"{row.first[:4]}–{row.last[:4]}): events, quantities and {len(deal.sources)} source(s).")


def correction_url(ctx: PageContext, deal: Deal) -> str:
    query = urlencode({"template": "correct-a-record.yml", "title": f"Correction: {deal.id}", "record": deal.id})
    return f"{ctx.settings.repo_url.rstrip('/')}/issues/new?{query}"


def citation_text(ctx: PageContext, deal: Deal, url: str) -> str:
    return f"{ctx.settings.site_name}, “{deal['title']}”, record {deal.id}. {url}"


def bibtex(ctx: PageContext, deal: Deal, url: str) -> str:
    def braces(text: str) -> str:
        return text.replace("\\", "").replace("{", "").replace("}", "")
    return (f"@misc{{tdet-{deal.id},\n  title = {{{braces(deal['title'])}}},\n"
            f"  author = {{{{{ctx.settings.site_name}}}}},\n  howpublished = {{\\url{{{url}}}}},\n"
            f"  note = {{Record {deal.id}}}\n}}")
