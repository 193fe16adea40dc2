"""The small HTML pieces repeated across many pages, built in Python rather than as Jinja macros.

A timeline entry appears on the timeline and on its country's and companies' pages, a deal's row in
several tables, and links to records everywhere. At 10,000 deals that is 25,000 entries and 10,000
rows, and a Jinja macro call costs several times what a format call does. The sources page's
citations are here too: `mkdocs serve` keeps them from one build to the next (incremental.py).
Every value from the data goes through markupsafe's `escape`, the function the templates'
autoescaping uses; the templates call `names`, `country_link` and `source_list` as globals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup, escape

from .. import urls
from ..i18n import Messages
from ..model import Country, Record
from .views import Citation, DealRow, EventView

Link = Callable[[str], str]


def names(records: Iterable[Record], folder: str, link: Link) -> Markup:
    """Comma-separated links to company or system pages."""
    return Markup(", ".join(f'<a href="{escape(link(urls.record_page(folder, r.id)))}">{escape(r["name"])}</a>'
                            for r in records))


def country_link(country: Country, link: Link) -> Markup:
    return Markup(f'<a href="{escape(link(urls.country_page(country)))}">{escape(country.name)}</a>')


# The deals tables' columns, by their key in the message catalogue ("columns.<key>").
DEAL_COLUMNS = ("deal", "recipient", "systems", "suppliers", "ordered", "delivered", "status", "first", "latest",
                "sources")


def citation(cite: Citation, link: Link, t: Messages) -> Markup:
    """A source as one deal cites it, on the sources page: the source, and the deal with its source number."""
    source, deal, number = cite.source, cite.deal, cite.number
    name = escape(source["title"]) if "title" in source else breakable(source["url"])
    published = f' ({escape(t.date(source["published"]))})' if "published" in source else ""
    return Markup(f'<li><a href="{escape(source["url"])}" rel="noopener nofollow">{name}</a>{published}: '
                  f'{t("sources_page.cited_by")} <a href="{escape(link(urls.deal_page(deal.id)))}#source-{number}">'
                  f'{escape(deal["title"])}</a> [{number}]</li>')


def deal_row(row: DealRow, link: Link, t: Messages, omit: frozenset[str] = frozenset()) -> Markup:
    """A deal's row in the deals tables (columns as in the deals_table macro), without the `omit`
    columns: a page about a country, a company or a system leaves out the column that repeats it."""
    deal, ordered, delivered = row.deal, row.ordered, row.delivered
    status = escape(deal["status"])
    cells = {
        "deal": f'<td><a href="{escape(link(urls.deal_page(deal.id)))}">{escape(deal["title"])}</a></td>',
        "recipient": f"<td>{country_link(row.country, link)}</td>",
        "systems": f'<td>{names(row.systems, "systems", link)}</td>',
        "suppliers": f'<td>{names(row.suppliers, "companies", link)}</td>',
        "ordered": f'<td data-sort="{-1 if ordered is None else ordered}">{t.number(ordered)}</td>',
        "delivered": f'<td data-sort="{-1 if delivered is None else delivered}">{t.number(delivered)}</td>',
        "status": f'<td><span class="tdet-status tdet-status--{status}">{escape(t.value("status", deal["status"]))}'
                  '</span></td>',
        "first": f'<td data-sort="{escape(row.first)}">{escape(t.date(row.first))}</td>',
        "latest": f'<td data-sort="{escape(row.last)}">{escape(t.date(row.last))}</td>',
        "sources": f"<td>{len(deal.sources)}</td>",
    }
    return Markup("<tr>" + "".join(cell for column, cell in cells.items() if column not in omit) + "</tr>")


def timeline_entry(view: EventView, link: Link, t: Messages) -> Markup:
    """One event in a timeline, with the data attributes the timeline's filters read."""
    event, deal, country = view.event, view.deal, view.country
    kind = escape(event.type)
    return Markup(
        f'<li class="tdet-event" data-category="{escape(view.categories)}" data-region="{escape(country.region)}" '
        f'data-companies="{escape(" ".join(deal.suppliers))}" data-type="{kind}">\n'
        f'<time datetime="{escape(event.date)}">{escape(t.date(event.date))}</time>\n'
        f'<span class="tdet-event-type tdet-event-type--{kind}">{escape(t.value("event", event.type))}</span>\n'
        f'{country_link(country, link)} · {names(view.systems, "systems", link)} · '
        f'{names(view.suppliers, "companies", link)}\n'
        f'<br>{escape(event.note)} <a href="{escape(link(urls.deal_page(deal.id)))}" '
        f'aria-label="{t("record.deal_record_label", title=deal["title"])}">{t("record.deal_record")}</a>\n'
        '</li>')


def time_tag(date: str, t: Messages) -> Markup:
    """A partial ISO date as a reader in `t`'s language reads it, marked up for machines."""
    return Markup(f'<time datetime="{escape(date)}">{escape(t.date(date))}</time>')


def breakable(address: str) -> Markup:
    """An address shown as text: percent-escapes decoded so it reads as written, and free to wrap after
    each slash (and nowhere inside a word)."""
    return Markup("/<wbr>".join(escape(part) for part in unquote(address).split("/")))


def source_list(sources: list[dict[str, Any]], t: Messages, health: dict[str, dict[str, Any]] | None = None) -> Markup:
    """A record's numbered sources; each item's id lets other pages link to source N. `health` is the
    link report by URL: a source whose link it marks dead says so."""
    items = []
    for number_, source in enumerate(sources, 1):
        published = f', {escape(t.date(source["published"]))}' if "published" in source else ""
        archive = (f' <a href="{escape(source["archive"])}" rel="noopener nofollow">{t("sources.archived")}</a>.'
                   if "archive" in source else "")
        report = health.get(source["url"], {}) if health else {}
        if report.get("status") == "dead":
            archive += f' <span class="tdet-dead-link">{t("sources.dead", date=time_tag(report["checked"], t))}</span>'
        items.append(
            f'<li id="source-{number_}"><a href="{escape(source["url"])}" rel="noopener nofollow">'
            f'{escape(source["title"]) if "title" in source else breakable(source["url"])}</a>. '
            f'{escape(source["publisher"])}{published}.{archive}'
            f'<br><span class="tdet-supports">{t("sources.supports", text=source["supports"])}</span></li>\n')
    return Markup('<ol class="tdet-sources">\n' + "".join(items) + "</ol>")
