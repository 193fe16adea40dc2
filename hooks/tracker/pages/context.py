"""What every page renderer shares: the template environment, link resolution through what exists,
the fragments rendered once and reused, and the pages rendered so far."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import i18n, urls
from ..i18n import Messages
from ..model import Country, Dataset, Deal, Event, GeneratedPage, SiteSettings
from ..schema_check import field_schema, load_schemas
from . import fragments
from .incremental import Edit
from .views import Citation, DealRow, EventView, Reach

DELIVERED_STATUSES = {"delivering", "delivered"}

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Pages that only list what record pages already say stay out of the search index, which every
# reader's browser downloads: it then grows with the records, not with the records times the indexes.
SEARCH_EXCLUDED = {"search": {"exclude": True}}
WIDE = ("navigation", "toc")  # pages whose tables use the whole width
ABOUT = ()  # pages of the About section keep its navigation

# Links are written with this placeholder for the site root, so a fragment rendered once (a table row,
# a timeline entry) serves every page; each page then swaps in its own relative way back to the root.
ROOT = "@@root@@"


def template_environment(t: Messages, cache_dir: Path | None = None) -> Environment:
    """The Jinja environment of every page template in one language (`t`): autoescaped, strict about
    missing values.

    With `cache_dir`, compiled templates are kept there (keyed by their source), which saves
    compiling them again on the next build."""
    bytecode_cache = None
    if cache_dir is not None:
        (cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
        bytecode_cache = FileSystemBytecodeCache(str(cache_dir / "jinja"))
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=bytecode_cache, auto_reload=False)
    env.filters["date"] = t.date
    env.filters["region"] = lambda code: t.value("region", code)
    env.filters["number"] = t.number
    env.filters["breakable"] = fragments.breakable
    env.globals.update(t=t, names=fragments.names, country_link=fragments.country_link, urls=urls,
                       deal_columns=fragments.DEAL_COLUMNS)
    return env


def front_matter(title: str, description: str, **extra: Any) -> str:
    # MkDocs' theme templates print page titles and meta unescaped, so they are escaped here.
    values = {"title": html.escape(title), "description": html.escape(description), **extra}
    return ("---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items())
            + "---\n\n")


def newest_first(events) -> list[Event]:
    return sorted(events, key=lambda e: (e.date, e.deal.id), reverse=True)


class PageContext:
    """The dataset, the settings and the shared rendering machinery of one build in one language: its
    pages are at `i18n.prefix(lang)` and link to the pages of the same language."""

    def __init__(self, dataset: Dataset, settings: SiteSettings, schema_dir: Path, cache_dir: Path | None = None,
                 lang: str = i18n.DEFAULT):
        dataset = i18n.localized(dataset, lang)
        self.data = dataset
        self.settings = settings
        self.lang = lang
        self.sort_key = i18n.sort_key(lang)
        self.prefix = i18n.prefix(lang)
        self.t = Messages(lang)
        self.feeds = urls.Feeds(self.prefix)
        self.schemas = load_schemas(schema_dir)
        self.env = template_environment(self.t, cache_dir)
        self.env.globals.update(site=settings, data=dataset, history_of=dataset.history.of,
                                history_url=self.history_url, field_schema=self.field_schema,
                                feeds=self.feeds)
        self.env.globals["source_list"] = lambda sources: fragments.source_list(sources, self.t, dataset.source_health)
        self.known_pages = self._pages()
        self.pages: dict[str, GeneratedPage] = {}
        self.broken: list[str] = []
        self.linked_files: set[str] = set()
        self._rows: dict[str, DealRow] = {}
        self._fragments: dict[tuple[Any, ...], Markup] = {}
        self._edited_pages: frozenset[str] | None = None  # None: every page is rendered

    def reuse(self, last: PageContext, edit: Edit) -> None:
        """Render again after `edit` (incremental.py): only the pages that can show what was edited,
        with the rows, timeline entries and citations of the other deals kept from `last`, the last
        render's context in this language. They are keyed by deal id, and depend on nothing but the deal
        and the companies, systems and countries it names, which an edit of deals alone leaves as they
        were; their links were checked when they were rendered, against the same set of pages."""
        self._edited_pages = edit.pages
        self._rows = {i: row for i, row in last._rows.items() if i not in edit.deals}
        self._fragments = {key: html for key, html in last._fragments.items() if key[1] not in edit.deals}

    def renders(self, page: str) -> bool:
        """Whether this render writes the page `page` (an address without the language prefix)."""
        return self._edited_pages is None or page in self._edited_pages

    # ---- addresses ------------------------------------------------------------------------------

    def _pages(self) -> set[str]:
        pages = {urls.HOME, urls.TIMELINE, urls.COUNTRIES, urls.COMPANIES, urls.SYSTEMS, urls.DEALS, urls.SOURCES,
                 urls.SEEDS, urls.METHODOLOGY, urls.DATA, urls.CONTRIBUTE, urls.CHANGES}
        pages |= {urls.country_page(c) for c in self.countries_with_deals()}
        pages |= {urls.company_page(i) for i in self.data.companies}
        pages |= {urls.system_page(i) for i in self.data.systems}
        pages |= {urls.deal_page(i) for i in self.data.deals}
        return pages

    def link(self, target: str) -> str:
        """A link to a page (in this language) or a site file. Pages are checked now; files once the
        exports are written."""
        if not urls.is_page(target):
            self.linked_files.add(target)
            return ROOT + target
        if target not in self.known_pages:
            self.broken.append(f"a generated page links to missing page /{target}")
        return ROOT + self.prefix + target

    def site_file(self, path: str) -> str:
        """A site file named outside the page body (the feed in a page's metadata), checked like a link."""
        self.linked_files.add(path)
        return path

    def edit_url(self, path: str) -> str:
        return f"{self.settings.repo_url.rstrip('/')}/edit/{self.settings.branch}/{path}"

    def history_url(self, path: str) -> str:
        return f"{self.settings.repo_url.rstrip('/')}/commits/{self.settings.branch}/{path}"

    def absolute_url(self, path: str) -> str:
        return self.settings.site_url.rstrip("/") + "/" + path

    def field_schema(self, record_type: str, field: str) -> dict[str, Any]:
        return field_schema(self.schemas, record_type, field)

    # ---- shared views ---------------------------------------------------------------------------

    def countries_with_deals(self) -> list[Country]:
        codes = {deal.recipient for deal in self.data.deals.values()}
        return sorted((self.data.countries[code] for code in codes), key=lambda c: self.sort_key(c.name))

    def deal_row(self, deal: Deal) -> DealRow:
        if deal.id not in self._rows:
            items = deal["items"]
            self._rows[deal.id] = DealRow(
                deal=deal,
                country=self.data.countries[deal.recipient],
                systems=[self.data.systems[item["system"]] for item in items],
                suppliers=[self.data.companies[c] for c in deal.suppliers],
                ordered=(sum(item.get("ordered", 0) for item in items)
                         if any("ordered" in i for i in items) else None),
                delivered=(sum(item.get("delivered", 0) for item in items)
                           if any("delivered" in i for i in items) else None),
                first=deal.first_date,
                last=deal.last_date,
            )
        return self._rows[deal.id]

    def deal_rows_html(self, deals: list[Deal], omit: frozenset[str] = frozenset()) -> list[Markup]:
        """Table rows without the `omit` columns, each rendered once and reused by every table that
        lists the deal the same way."""
        rows = []
        for deal in deals:
            key = ("row", deal.id, omit)
            if key not in self._fragments:
                self._fragments[key] = fragments.deal_row(self.deal_row(deal), self.link, self.t, omit)
            rows.append(self._fragments[key])
        return rows

    def reach(self, deals: list[Deal], system_id: str | None = None) -> Reach:
        """Recipients, quantities and years of these deals (only the items of `system_id` when given).
        Cancelled deals count for the years but not for recipients or quantities."""
        live = [d for d in deals if d["status"] != "cancelled"]
        items = [(d, item) for d in live for item in d["items"] if system_id in (None, item["system"])]
        delivering = [(d, item) for d, item in items if d["status"] in DELIVERED_STATUSES]
        years = sorted(e.year for d in deals for e in d.events if e.type != "planned")
        return Reach(
            recipients=sorted({self.data.countries[d.recipient].code: self.data.countries[d.recipient]
                               for d in live}.values(), key=lambda c: self.sort_key(c.name)),
            delivered_to=len({d.recipient for d in live if d["status"] in DELIVERED_STATUSES}),
            deals=len(live),
            ordered=sum(item.get("ordered", 0) for _, item in items),
            ordered_partial=any("ordered" not in item for _, item in items),
            delivered=sum(item.get("delivered", 0) for _, item in items),
            delivered_partial=any("delivered" not in item for _, item in delivering),
            first=years[0] if years else None, last=years[-1] if years else None)

    def event_view(self, event: Event) -> EventView:
        deal = event.deal
        systems = [self.data.systems[s] for s in deal.systems]
        return EventView(event=event, deal=deal, country=self.data.countries[deal.recipient],
                         systems=systems, suppliers=[self.data.companies[c] for c in deal.suppliers],
                         categories=" ".join(sorted({s["category"] for s in systems})))

    def event_html(self, event: Event) -> Markup:
        """A timeline entry, rendered once and reused by every timeline that shows the event."""
        key = ("event", event.deal.id, event.position)
        if key not in self._fragments:
            self._fragments[key] = fragments.timeline_entry(self.event_view(event), self.link, self.t)
        return self._fragments[key]

    def citation_html(self, cite: Citation) -> Markup:
        """A source as a deal cites it, rendered once per build and reused by the next (`reuse`)."""
        key = ("cite", cite.deal.id, cite.number)
        if key not in self._fragments:
            self._fragments[key] = fragments.citation(cite, self.link, self.t)
        return self._fragments[key]

    def timeline(self, events: list[Event]) -> list[tuple[str, list[Markup]]]:
        by_year: dict[str, list[Markup]] = defaultdict(list)
        for event in events:
            by_year[event.year].append(self.event_html(event))
        return list(by_year.items())

    # ---- pages ----------------------------------------------------------------------------------

    def render(self, src_uri: str, template: str, edit_path: str, title: str, description: str,
               meta: dict[str, Any] | None = None, hide: tuple[str, ...] = ("navigation",),
               translated: bool = True, **context: Any) -> None:
        """Render one page. `hide` names Material's sidebars to leave out: the navigation by default, whose
        only link on most generated pages would be the page's own section; also the table of contents
        on pages whose tables need the width. A page that is not `translated` (a record page whose text
        is all the record's English) is searched through its English page only: in other languages it is
        left out of the search index, which would otherwise hold each record twice."""
        if not translated and self.lang != i18n.DEFAULT:
            meta = {**(meta or {}), **SEARCH_EXCLUDED}
        src_uri = self.prefix + src_uri
        body = self.env.get_template(template).render(link=self.link, title=title, **context)
        body = body.replace(ROOT, urls.root_prefix(src_uri))
        meta = {**(meta or {}), **({"hide": list(hide)} if hide else {})}
        self.pages[src_uri] = GeneratedPage(front_matter(title, description, **meta) + body, edit_path)
