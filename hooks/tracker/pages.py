"""Render the dataset into Markdown pages (`{src_uri: GeneratedPage}`), with no MkDocs import.

Data reaches pages only through Jinja templates with autoescaping, inside raw HTML blocks that
Markdown leaves alone, so contributor text is always shown as text. Links between pages are
relative, so the site works under any sub-path, and each one is checked against the page list.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import charts, fragments
from .model import OPEN_STATUSES, STALE_AFTER_MONTHS, Dataset, Deal, Event, readable_date
from .schema_check import load_schemas

TEMPLATES = Path(__file__).parent / "templates"
REGION_NAMES = {
    "europe": "Europe", "caucasus-central-asia": "Caucasus and Central Asia", "middle-east": "Middle East",
    "north-africa": "North Africa", "sub-saharan-africa": "Sub-Saharan Africa", "south-asia": "South Asia",
    "east-asia-pacific": "East Asia and Pacific", "americas": "Americas", "other": "Other",
}


def build_date() -> dt.date:
    """The day the site describes itself as of: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()


@dataclass(frozen=True)
class SiteSettings:
    site_name: str = "Turkish Defense Exports Tracker"
    site_url: str = ""
    repo_url: str = ""
    branch: str = "main"
    as_of: dt.date = field(default_factory=build_date)  # what "checked over 12 months ago" is measured from


@dataclass
class GeneratedPage:
    markdown: str
    edit_path: str  # repository path of the file a reader would edit to change this page


# Pages that only list what record pages already say stay out of the search index, which every
# reader's browser downloads: it then grows with the records, not with the records times the indexes.
SEARCH_EXCLUDED = {"search": {"exclude": True}}


class BrokenLink(Exception):
    pass


def raise_broken_links(broken: list[str]) -> None:
    if broken:
        raise BrokenLink("; ".join(sorted(set(broken))))


def page_url(src_uri: str) -> str:
    """MkDocs' directory URL of a page: 'countries/kosovo.md' -> 'countries/kosovo/'."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def root_prefix(src_uri: str) -> str:
    """The way back to the site root from a page's directory URL: '', '../' or '../../'."""
    return "../" * page_url(src_uri).count("/")


def relative_url(from_src: str, to_path: str) -> str:
    """Relative link from one page to a page URL ('deals/x/') or a site file ('data/deals.csv')."""
    return root_prefix(from_src) + to_path


# Links are written with this placeholder for the site root, so a fragment rendered once (a table row,
# a timeline entry) serves every page; each page then swaps in its own relative way back to the root.
ROOT = "@@root@@"

# Each section is one SiteRenderer.render_<section> method.
SECTIONS = ("home", "timeline", "countries", "companies", "systems", "deals", "sources", "seeds", "methodology",
            "changes")
CHANGES_LISTED = 200  # the /changes/ page lists this many of the most recent additions and changes


def template_environment(cache_dir: Path | None = None) -> Environment:
    """The Jinja environment of every page template: autoescaped, strict about missing values.

    With `cache_dir`, compiled templates are kept there (keyed by their source), which saves
    compiling them again on the next build."""
    bytecode_cache = None
    if cache_dir is not None:
        (cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
        bytecode_cache = FileSystemBytecodeCache(str(cache_dir / "jinja"))
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=bytecode_cache, auto_reload=False)
    env.filters["date"] = readable_date
    env.filters["region"] = lambda code: REGION_NAMES.get(code, code)
    env.filters["number"] = fragments.number
    env.globals.update(names=fragments.names, country_link=fragments.country_link, source_list=fragments.source_list)
    return env


def front_matter(title: str, description: str, **extra: Any) -> str:
    # MkDocs' theme templates print page titles and meta unescaped, so they are escaped here.
    values = {"title": html.escape(title), "description": html.escape(description), **extra}
    return ("---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items())
            + "---\n\n")


class SiteRenderer:
    def __init__(self, dataset: Dataset, settings: SiteSettings, schema_dir: Path, cache_dir: Path | None = None):
        self.data = dataset
        self.schemas = load_schemas(schema_dir)
        self.settings = settings
        self.env = template_environment(cache_dir)
        self.env.globals.update(site=settings, data=dataset, regions=REGION_NAMES, history_of=dataset.history.of,
                                history_url=self.history_url)
        self.env.globals["source_list"] = lambda sources: fragments.source_list(sources, dataset.source_health)
        self.pages: dict[str, GeneratedPage] = {}
        self.known_targets = self._targets()
        self.broken: list[str] = []
        self._rows: dict[str, dict[str, Any]] = {}
        self._fragments: dict[tuple[Any, ...], Markup] = {}

    # ---- addresses ------------------------------------------------------------------------------

    def _targets(self) -> set[str]:
        targets = {"", "timeline/", "countries/", "companies/", "systems/", "deals/", "sources/", "seeds/",
                   "methodology/", "data/", "contribute/", "changes/"}
        targets |= {f"countries/{c.slug}/" for c in self.countries_with_deals()}
        targets |= {f"companies/{i}/" for i in self.data.companies}
        targets |= {f"systems/{i}/" for i in self.data.systems}
        targets |= {f"deals/{i}/" for i in self.data.deals}
        return targets

    def link(self, target: str) -> str:
        if target not in self.known_targets and not target.startswith(
                ("api/", "data/", "schema/", "feeds/", "assets/")):
            self.broken.append(f"a generated page links to missing page /{target}")
        return ROOT + target

    def edit_url(self, path: str) -> str:
        return f"{self.settings.repo_url.rstrip('/')}/edit/{self.settings.branch}/{path}"

    def history_url(self, path: str) -> str:
        return f"{self.settings.repo_url.rstrip('/')}/commits/{self.settings.branch}/{path}"

    def absolute_url(self, path: str) -> str:
        return self.settings.site_url.rstrip("/") + "/" + path

    # ---- shared views ---------------------------------------------------------------------------

    def countries_with_deals(self):
        codes = {deal.recipient for deal in self.data.deals.values()}
        return sorted((self.data.countries[code] for code in codes), key=lambda c: c.name)

    def deal_row(self, deal: Deal) -> dict[str, Any]:
        if deal.id not in self._rows:
            self._rows[deal.id] = self._deal_row(deal)
        return self._rows[deal.id]

    def deal_rows_html(self, deals: list[Deal]) -> list[Markup]:
        """Table rows, each rendered once and reused by every table that lists the deal."""
        rows = []
        for deal in deals:
            key = ("row", deal.id)
            if key not in self._fragments:
                self._fragments[key] = fragments.deal_row(self.deal_row(deal), self.link)
            rows.append(self._fragments[key])
        return rows

    def _deal_row(self, deal: Deal) -> dict[str, Any]:
        items = deal["items"]
        return {
            "deal": deal,
            "country": self.data.countries[deal.recipient],
            "systems": [self.data.systems[item["system"]] for item in items],
            "suppliers": [self.data.companies[c] for c in deal.suppliers],
            "ordered": (sum(item.get("ordered", 0) for item in items)
                        if any("ordered" in i for i in items) else None),
            "delivered": (sum(item.get("delivered", 0) for item in items)
                          if any("delivered" in i for i in items) else None),
            "first": deal.first_date,
            "last": deal.last_date,
        }

    def event_view(self, event: Event) -> dict[str, Any]:
        deal = event.deal
        systems = [self.data.systems[s] for s in deal.systems]
        return {
            "event": event,
            "deal": deal,
            "country": self.data.countries[deal.recipient],
            "suppliers": [self.data.companies[c] for c in deal.suppliers],
            "systems": systems,
            "categories": " ".join(sorted({s["category"] for s in systems})),
        }

    def event_html(self, event: Event) -> Markup:
        """A timeline entry, rendered once and reused by every timeline that shows the event."""
        key = ("event", event.deal.id, event.position)
        if key not in self._fragments:
            self._fragments[key] = fragments.timeline_entry(self.event_view(event), self.link)
        return self._fragments[key]

    def timeline(self, events: list[Event]) -> list[tuple[str, list[Markup]]]:
        by_year: dict[str, list[Markup]] = defaultdict(list)
        for event in events:
            by_year[event.year].append(self.event_html(event))
        return list(by_year.items())

    # ---- pages ----------------------------------------------------------------------------------

    def render(self, src_uri: str, template: str, edit_path: str, title: str, description: str,
               meta: dict[str, Any] | None = None, **context: Any) -> None:
        body = self.env.get_template(template).render(link=self.link, title=title, **context)
        body = body.replace(ROOT, root_prefix(src_uri))
        self.pages[src_uri] = GeneratedPage(front_matter(title, description, **(meta or {})) + body, edit_path)

    def render_all(self) -> dict[str, GeneratedPage]:
        pages, broken = self.render_sections(SECTIONS)
        raise_broken_links(broken)
        return pages

    def render_sections(self, sections: Iterable[str]) -> tuple[dict[str, GeneratedPage], list[str]]:
        """The pages of these sections, and the links among them that lead nowhere."""
        self.pages, self.broken = {}, []
        for section in sections:
            getattr(self, f"render_{section}")()
        return self.pages, self.broken

    def render_home(self) -> None:
        deals = list(self.data.deals.values())
        totals_svg, totals_rows = charts.annual_totals_chart(self.data)
        deals_svg, deals_by_year = charts.deals_by_year_chart(self.data)
        latest = [e for e in self.data.events() if e.type != "planned"]
        figures = {
            "deals": len(deals),
            "countries": len(self.countries_with_deals()),
            "companies": len({c for d in deals for c in d.suppliers}),
            "systems": len({s for d in deals for s in d.systems}),
            "sources": len({s["url"] for d in deals for s in d.sources}),
            "latest": latest[0].date if latest else None,
        }
        self.render("index.md", "home.html", "hooks/tracker/templates/home.html",
                    "Turkish Defense Exports Tracker",
                    f"An open, sourced register of {len(deals)} Turkish defence export deals to "
                    f"{figures['countries']} countries: drones, armoured vehicles, ships, missiles "
                    "and ammunition plants.",
                    figures=figures, latest=[self.event_html(e) for e in latest[:12]],
                    top_countries=Counter(d.recipient for d in deals).most_common(10),
                    map=Markup(charts.recipients_map(self.data, self.link)),
                    totals_chart=Markup(totals_svg), totals=totals_rows,
                    deals_chart=Markup(deals_svg), deals_by_year=sorted(deals_by_year.items()),
                    groups=charts.GROUP_NAMES, top_chart=Markup(charts.top_recipients_chart(self.data)))

    def render_timeline(self) -> None:
        events = self.data.events()
        categories = sorted({s["category"] for s in self.data.systems.values()})
        suppliers = sorted({c for d in self.data.deals.values() for c in d.suppliers},
                           key=lambda i: self.data.companies[i]["name"].lower())
        self.render("timeline.md", "timeline.html", "hooks/tracker/templates/timeline.html", "Timeline",
                    f"Every dated event of {len(self.data.deals)} Turkish defence export deals, newest first: "
                    "contracts, deliveries, commissionings and cancellations.",
                    meta=SEARCH_EXCLUDED, years=self.timeline(events), count=len(events), categories=categories,
                    event_types=self.schemas["deal"]["properties"]["events"]["items"]["properties"]["type"]["enum"],
                    suppliers=[self.data.companies[i] for i in suppliers],
                    used_regions=sorted({self.data.countries[d.recipient].region for d in self.data.deals.values()}))

    def render_countries(self) -> None:
        rows = []
        for country in self.countries_with_deals():
            deals = sorted(self.data.deals_for_country(country.code), key=lambda d: d.first_date)
            view = self.deal_rows_html(deals)
            events = newest_first(e for d in deals for e in d.events)
            systems = sorted({s for d in deals for s in d.systems},
                             key=lambda i: self.data.systems[i]["name"].lower())
            suppliers = sorted({c for d in deals for c in d.suppliers},
                               key=lambda i: self.data.companies[i]["name"].lower())
            years = [e.year for e in events if e.type != "planned"] or [e.year for e in events]
            row = {"country": country, "deals": len(deals), "systems": len(systems),
                   "first": min(years), "last": max(years)}
            rows.append(row)
            self.render(f"countries/{country.slug}.md", "country.html", "data/countries.yaml",
                        f"{country.name}: Turkish defence imports",
                        f"{len(deals)} defence deal(s) between Türkiye's industry and {country.name}, "
                        f"{row['first']}–{row['last']}: systems, suppliers, dates and sources.",
                        meta={"feed": f"feeds/country-{country.slug}.xml"},
                        country=country, row=row, deals=view, timeline=self.timeline(events),
                        chart=Markup(charts.events_per_year_chart("chart-events", country.name, deals)),
                        systems=[self.data.systems[i] for i in systems],
                        suppliers=[self.data.companies[i] for i in suppliers])
        self.render("countries/index.md", "countries.html", "data/countries.yaml", "Recipient countries",
                    f"The {len(rows)} countries that have bought or received Turkish defence equipment, "
                    "with deal counts and first and latest years.", rows=rows)

    def render_companies(self) -> None:
        rows = []
        for company_id, company in sorted(self.data.companies.items(), key=lambda kv: kv[1]["name"].lower()):
            deals = sorted(self.data.deals_for_company(company_id),
                           key=lambda d: (self.data.countries[d.recipient].name, d.first_date))
            events = newest_first(e for d in deals for e in d.events)
            systems = sorted((s for s, rec in self.data.systems.items() if rec["maker"] == company_id),
                             key=lambda i: self.data.systems[i]["name"].lower())
            rows.append({"company": company, "deals": len(deals),
                         "countries": len({d.recipient for d in deals}), "systems": len(systems)})
            self.render(f"companies/{company_id}.md", "company.html", company.path,
                        f"{company['name']}: exports",
                        f"{company['name']}: profile and {len(deals)} export deal(s) to "
                        f"{len({d.recipient for d in deals})} countries, with sources.",
                        meta={"feed": f"feeds/company-{company_id}.xml"},
                        company=company, deals=self.deal_rows_html(deals), timeline=self.timeline(events),
                        chart=Markup(charts.events_per_year_chart("chart-events", company["name"], deals)),
                        systems=[self.data.systems[i] for i in systems])
        self.render("companies/index.md", "companies.html", "data/companies/",
                    "Companies", f"The {len(rows)} Turkish companies and government bodies that export or donate "
                    "defence equipment, with their deals.", rows=rows)

    def render_systems(self) -> None:
        rows = []
        for system_id, system in sorted(self.data.systems.items(), key=lambda kv: kv[1]["name"].lower()):
            deals = sorted(self.data.deals_for_system(system_id),
                           key=lambda d: (self.data.countries[d.recipient].name, d.first_date))
            operators = []
            for deal in deals:
                for item in deal["items"]:
                    if item["system"] == system_id:
                        operators.append({**self.deal_row(deal), "item": item})
            rows.append({"system": system, "maker": self.data.companies[system["maker"]], "deals": len(deals),
                         "countries": len({d.recipient for d in deals})})
            self.render(f"systems/{system_id}.md", "system.html", system.path,
                        f"{system['name']}: operators and exports",
                        f"Who has bought the {system['name']}: {len({d.recipient for d in deals})} recipient "
                        "countries, quantities ordered and delivered, dates and sources.",
                        system=system, maker=self.data.companies[system["maker"]], operators=operators)
        self.render("systems/index.md", "systems.html", "data/systems/", "Systems",
                    f"The {len(rows)} Turkish defence systems exported, by category, with their recipients.",
                    rows=rows)

    def render_deals(self) -> None:
        schema = self.schemas["deal"]
        deals = [deal for _, deal in sorted(self.data.deals.items())]
        for deal_id, deal in sorted(self.data.deals.items()):
            row = self.deal_row(deal)
            url = self.absolute_url(f"deals/{deal_id}/")
            self.render(f"deals/{deal_id}.md", "deal.html", deal.path, deal["title"],
                        _describe_deal(deal, row), deal=deal, row=row, url=url,
                        related=[self.data.deals[i] for i in self.data.related_deals(deal_id)],
                        edit=self.edit_url(deal.path), correction=self.correction_url(deal),
                        cite_text=self.citation_text(deal, url), bibtex=self.bibtex(deal, url), schema=schema)
        self.render("deals/index.md", "deals.html", "data/deals/", "All deals",
                    f"All {len(deals)} recorded Turkish defence export deals: "
                    "recipient, systems, suppliers, status and years.",
                    meta=SEARCH_EXCLUDED, rows=self.deal_rows_html(deals), count=len(deals))

    def correction_url(self, deal: Deal) -> str:
        query = urlencode({"template": "correct-a-record.yml", "title": f"Correction: {deal.id}", "record": deal.id})
        return f"{self.settings.repo_url.rstrip('/')}/issues/new?{query}"

    def citation_text(self, deal: Deal, url: str) -> str:
        return f"{self.settings.site_name}, “{deal['title']}”, record {deal.id}. {url}"

    def bibtex(self, deal: Deal, url: str) -> str:
        def braces(text: str) -> str:
            return text.replace("\\", "").replace("{", "").replace("}", "")
        return (f"@misc{{tdet-{deal.id},\n  title = {{{braces(deal['title'])}}},\n"
                f"  author = {{{{{self.settings.site_name}}}}},\n  howpublished = {{\\url{{{url}}}}},\n"
                f"  note = {{Record {deal.id}}}\n}}")

    def render_sources(self) -> None:
        by_publisher: dict[str, list[dict[str, Any]]] = defaultdict(list)
        records = [*self.data.deals.values()]
        for deal in records:
            for number, source in enumerate(deal.sources, 1):
                by_publisher[source["publisher"]].append({"source": source, "deal": deal, "number": number})
        groups = sorted(by_publisher.items(), key=lambda kv: kv[0].lower())
        self.render("sources.md", "sources.html", "data/deals/", "Sources",
                    f"Every source cited by the dataset: {sum(len(v) for _, v in groups)} citations from "
                    f"{len(groups)} publishers, each with the records that cite it.",
                    meta=SEARCH_EXCLUDED, groups=groups)

    def render_seeds(self) -> None:
        self.render("seeds.md", "seeds.html", "seeds/", "Seed documents",
                    "The documents this dataset started from, each claim checked against other sources, "
                    "with its verdict and the records that cover it.",
                    seeds=sorted(self.data.seeds.values(), key=lambda s: s.id))

    def render_methodology(self) -> None:
        schemas = self.schemas
        self.render("methodology.md", "methodology.html", "data/schema/", "Methodology",
                    "How the Turkish Defense Exports Tracker records deals: definitions of every status, event type, "
                    "transfer type, confidence level and field.", schemas=schemas, fields=schema_fields(schemas),
                    needs_checking=self.data.needs_checking(self.settings.as_of), as_of=self.settings.as_of.isoformat(),
                    open_statuses=sorted(OPEN_STATUSES), stale_after=STALE_AFTER_MONTHS)


    def render_changes(self) -> None:
        records = [*self.data.deals.values(), *self.data.companies.values(), *self.data.systems.values()]
        kinds = {"deals": "deal", "companies": "company", "systems": "system"}
        changes = []
        for record in records:
            history = self.data.history.of(record.path)
            if history is None:
                continue
            folder = record.path.split("/")[1]
            name = record.get("title") or record["name"]
            changes.append({"date": history.changed.date, "commit": history.changed.commit, "kind": kinds[folder],
                            "what": "added" if history.added == history.changed else "changed",
                            "target": f"{folder}/{record.id}/", "name": name, "path": record.path})
        changes.sort(key=lambda c: (c["date"], c["target"]), reverse=True)
        self.render("changes.md", "changes.html", "data/deals/", "Recent changes",
                    "The records most recently added to or changed in the Turkish Defense Exports Tracker, "
                    "newest first, each with its commit.", meta=SEARCH_EXCLUDED, changes=changes[:CHANGES_LISTED],
                    total=len(changes), note=self.data.history.note,
                    commit_url=f"{self.settings.repo_url.rstrip('/')}/commit/")


def newest_first(events) -> list[Event]:
    return sorted(events, key=lambda e: (e.date, e.deal.id), reverse=True)


def schema_fields(schemas: dict[str, dict[str, Any]]) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """(record type, [(dotted field, description, required)]) for every property of every schema."""
    def walk(schema: dict[str, Any], prefix: str) -> list[tuple[str, str, bool]]:
        if "$ref" in schema and schema["$ref"].startswith("common.schema.json#/$defs/"):
            schema = {**schemas["common"]["$defs"][schema["$ref"].rsplit("/", 1)[1]], **schema}
        if schema.get("type") == "array" and "items" in schema:
            return walk(schema["items"], prefix + "[]")
        rows = []
        required = set(schema.get("required", []))
        properties = schema.get("properties") or {}
        if isinstance(schema.get("additionalProperties"), dict):
            properties = {"<code>": schema["additionalProperties"]}
        for name, sub in properties.items():
            full = f"{prefix}.{name}" if prefix else name
            merged = sub
            if "$ref" in sub:
                merged = {**schemas["common"]["$defs"][sub["$ref"].rsplit("/", 1)[1]], **sub}
            rows.append((full, merged.get("description", ""), name in required))
            rows += walk(merged, full)
        return rows
    order = ["deal", "company", "system", "countries", "annual-totals", "seed"]
    return [(schemas[name]["title"], walk(schemas[name], "")) for name in order]


def _describe_deal(deal: Deal, row: dict[str, Any]) -> str:
    systems = ", ".join(s["name"] for s in row["systems"])
    suppliers = ", ".join(c["name"] for c in row["suppliers"])
    return (f"{systems} from {suppliers} to {row['country'].name} ({deal['transfer']}, {deal['status']}, "
            f"{row['first'][:4]}–{row['last'][:4]}): events, quantities and {len(deal.sources)} source(s).")
