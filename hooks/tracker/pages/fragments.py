"""The small HTML pieces repeated across many pages, built in Python rather than as Jinja macros.

A timeline entry appears on the timeline and on its country's and companies' pages, a deal's row in
several tables, and links to records everywhere. At 10,000 deals that is 25,000 entries and 10,000
rows, and a Jinja macro call costs several times what a format call does. Every value from the data goes
through markupsafe's `escape`, the function the templates' autoescaping uses; the templates call
`names`, `country_link` and `source_list` as globals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup, escape

from .. import urls
from ..model import Country, Record, readable_date
from .views import DealRow, EventView

Link = Callable[[str], str]


def number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def names(records: Iterable[Record], folder: str, link: Link) -> Markup:
    """Comma-separated links to company or system pages."""
    return Markup(", ".join(f'<a href="{escape(link(urls.record_page(folder, r.id)))}">{escape(r["name"])}</a>'
                            for r in records))


def country_link(country: Country, link: Link) -> Markup:
    return Markup(f'<a href="{escape(link(urls.country_page(country)))}">{escape(country.name)}</a>')


DEAL_COLUMNS = ("Deal", "Recipient", "Systems", "Suppliers", "Ordered", "Delivered", "Status", "First", "Latest",
                "Sources")


def deal_row(row: DealRow, link: Link, omit: frozenset[str] = frozenset()) -> Markup:
    """A deal's row in the deals tables (columns as in the deals_table macro), without the `omit`
    columns: a page about a country, a company or a system leaves out the column that repeats it."""
    deal, ordered, delivered = row.deal, row.ordered, row.delivered
    status = escape(deal["status"])
    cells = {
        "Deal": f'<td><a href="{escape(link(urls.deal_page(deal.id)))}">{escape(deal["title"])}</a></td>',
        "Recipient": f"<td>{country_link(row.country, link)}</td>",
        "Systems": f'<td>{names(row.systems, "systems", link)}</td>',
        "Suppliers": f'<td>{names(row.suppliers, "companies", link)}</td>',
        "Ordered": f'<td data-sort="{-1 if ordered is None else ordered}">{number(ordered)}</td>',
        "Delivered": f'<td data-sort="{-1 if delivered is None else delivered}">{number(delivered)}</td>',
        "Status": f'<td><span class="tdet-status tdet-status--{status}">{status}</span></td>',
        "First": f'<td data-sort="{escape(row.first)}">{escape(readable_date(row.first))}</td>',
        "Latest": f'<td data-sort="{escape(row.last)}">{escape(readable_date(row.last))}</td>',
        "Sources": f"<td>{len(deal.sources)}</td>",
    }
    return Markup("<tr>" + "".join(cell for column, cell in cells.items() if column not in omit) + "</tr>")


def timeline_entry(view: EventView, link: Link) -> Markup:
    """One event in a timeline, with the data attributes the timeline's filters read."""
    event, deal, country = view.event, view.deal, view.country
    kind = escape(event.type)
    return Markup(
        f'<li class="tdet-event" data-category="{escape(view.categories)}" data-region="{escape(country.region)}" '
        f'data-companies="{escape(" ".join(deal.suppliers))}" data-type="{kind}">\n'
        f'<time datetime="{escape(event.date)}">{escape(readable_date(event.date))}</time>\n'
        f'<span class="tdet-event-type tdet-event-type--{kind}">{kind}</span>\n'
        f'{country_link(country, link)} · {names(view.systems, "systems", link)} · '
        f'{names(view.suppliers, "companies", link)}\n'
        f'<br>{escape(event.note)} <a href="{escape(link(urls.deal_page(deal.id)))}" '
        f'aria-label="Deal record: {escape(deal["title"])}">Deal record</a>\n'
        '</li>')


def breakable(address: str) -> Markup:
    """An address shown as text: percent-escapes decoded so it reads as written, and free to wrap after
    each slash (and nowhere inside a word)."""
    return Markup("/<wbr>".join(escape(part) for part in unquote(address).split("/")))


def source_list(sources: list[dict[str, Any]], health: dict[str, dict[str, Any]] | None = None) -> Markup:
    """A record's numbered sources; each item's id lets other pages link to source N. `health` is the
    link report by URL: a source whose link it marks dead says so."""
    items = []
    for number_, source in enumerate(sources, 1):
        published = f', {escape(readable_date(source["published"]))}' if "published" in source else ""
        archive = (f' <a href="{escape(source["archive"])}" rel="noopener nofollow">Archived copy</a>.'
                   if "archive" in source else "")
        report = health.get(source["url"], {}) if health else {}
        if report.get("status") == "dead":
            archive += (f' <span class="tdet-dead-link">Original link reported dead on <time datetime="'
                        f'{escape(report["checked"])}">{escape(readable_date(report["checked"]))}</time>.</span>')
        items.append(
            f'<li id="source-{number_}"><a href="{escape(source["url"])}" rel="noopener nofollow">'
            f'{escape(source["title"]) if "title" in source else breakable(source["url"])}</a>. '
            f'{escape(source["publisher"])}{published}.{archive}'
            f'<br><span class="tdet-supports">Supports: {escape(source["supports"])}</span></li>\n')
    return Markup('<ol class="tdet-sources">\n' + "".join(items) + "</ol>")
