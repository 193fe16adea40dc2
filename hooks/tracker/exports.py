"""Machine-readable outputs: JSON API v1, CSV tables with a Frictionless Data Package, JSON Schemas,
Atom feeds, and the Data page that lists them. Everything is rendered as `{path: bytes}`,
deterministically (sorted keys and rows, no build time), so two builds are byte-identical."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from jinja2 import Environment

from .model import Dataset, Event
from .pages import GeneratedPage, SiteSettings, front_matter, relative_url
from .schema_check import SCHEMA_NAMES

API_VERSION = "1.0"
FEED_LENGTH = 50
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


def to_json(value: Any) -> bytes:
    # Compact: the API is for programs (and Python's C encoder is used only without indentation).
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def to_csv(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    allowed = set(columns)
    for row in rows:
        if not row.keys() <= allowed:
            raise ValueError(f"CSV row has fields outside its columns: {sorted(row.keys() - allowed)}")
        writer.writerow(["" if row.get(key) is None else row[key] for key in columns])
    return buffer.getvalue().encode("utf-8")


# ---- JSON API -----------------------------------------------------------------------------------

def record_entry(kind: str, record, settings: SiteSettings, dataset: Dataset) -> dict[str, Any]:
    folder = {"deal": "deals", "company": "companies", "system": "systems"}[kind]
    history = dataset.history.of(record.path)
    return {
        "id": record.id,
        "record": record.data,
        "added": history.added.date if history else None,
        "changed": history.changed.date if history else None,
        "links": {
            "html": f"{settings.site_url.rstrip('/')}/{folder}/{record.id}/",
            "source_file": record.path,
        },
    }


def api_files(dataset: Dataset, settings: SiteSettings) -> dict[str, bytes]:
    deals = [record_entry("deal", d, settings, dataset) for _, d in sorted(dataset.deals.items())]
    files = {
        "api/v1/deals.json": to_json({"api_version": API_VERSION, "count": len(deals), "deals": deals}),
        "api/v1/companies.json": to_json({"api_version": API_VERSION, "count": len(dataset.companies), "companies": [
            record_entry("company", c, settings, dataset) for _, c in sorted(dataset.companies.items())]}),
        "api/v1/systems.json": to_json({"api_version": API_VERSION, "count": len(dataset.systems), "systems": [
            record_entry("system", s, settings, dataset) for _, s in sorted(dataset.systems.items())]}),
        "api/v1/countries.json": to_json({"countries": {
            code: {"region": c.region, "name": c.name, **({"note": c.note} if c.note else {})}
            for code, c in sorted(dataset.countries.items())}}),
        "api/v1/annual-totals.json": to_json({"totals": dataset.totals}),
    }
    for entry in deals:
        files[f"api/v1/deals/{entry['id']}.json"] = to_json({"api_version": API_VERSION, **entry})
    return files


def schema_files(root: Path) -> dict[str, bytes]:
    return {f"schema/{name}.schema.json": (root / "data" / "schema" / f"{name}.schema.json").read_bytes()
            for name in SCHEMA_NAMES}


# ---- CSV and the data package -------------------------------------------------------------------

TABLES: dict[str, dict[str, Any]] = {
    "deals": {
        "description": "One row per deal.",
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["recipient"], "reference": {"resource": "countries", "fields": ["code"]}}],
        "fields": [
            ("id", "string", "Record id (also the file name and the page URL)."),
            ("title", "string", "Short title."),
            ("recipient", "string", "Recipient country code (ISO 3166-1 alpha-2; XK Kosovo, ZZ undisclosed)."),
            ("recipient_name", "string", "Recipient country name as shown on the site."),
            ("end_user", "string", "Receiving service or force, when named."),
            ("suppliers", "string", "Supplier company ids, separated by semicolons."),
            ("transfer", "string", "Transfer type."),
            ("systems", "string", "System ids, separated by semicolons."),
            ("status", "string", "Deal status."),
            ("checked", "string", "The day the status was last confirmed against the sources (YYYY-MM-DD)."),
            ("value_amount", "number", "Contract value in units of value_currency, when known."),
            ("value_currency", "string", "ISO 4217 currency of the value."),
            ("first_date", "string", "Date of the earliest event (partial ISO date)."),
            ("last_date", "string", "Date of the latest event that is not a plan (partial ISO date)."),
            ("confidence", "string", "confirmed, reported or disputed."),
            ("source_count", "integer", "Number of sources cited."),
            ("summary", "string", "The record in our own words."),
            ("notes", "string", "Disagreements between sources and caveats."),
            ("related", "string", "Ids of related deals (named by this record or naming it), separated by semicolons."),
            ("added", "string", "The day the record was added (its first commit; empty without full git history)."),
            ("changed", "string",
             "The day the record last changed (its latest commit; empty without full git history)."),
            ("url", "string", "The record's page."),
        ],
    },
    "items": {
        "description": "One row per system in a deal.",
        "primaryKey": ["deal_id", "system"],
        "foreignKeys": [{"fields": ["deal_id"], "reference": {"resource": "deals", "fields": ["id"]}},
                        {"fields": ["system"], "reference": {"resource": "systems", "fields": ["id"]}}],
        "fields": [
            ("deal_id", "string", "The deal."),
            ("system", "string", "The system id."),
            ("ordered", "integer", "Number ordered, when a source gives it."),
            ("delivered", "integer", "Number delivered, when a source gives it."),
            ("quantity_note", "string", "Quantities in words."),
            ("quantity_inferred", "string", "When ordered or delivered was worked out rather than reported: how."),
        ],
    },
    "events": {
        "description": "One row per dated event of a deal.",
        "primaryKey": ["deal_id", "position"],
        "foreignKeys": [{"fields": ["deal_id"], "reference": {"resource": "deals", "fields": ["id"]}}],
        "fields": [
            ("deal_id", "string", "The deal."),
            ("position", "integer", "Position of the event in the deal, from 1 (oldest first)."),
            ("date", "string", "Partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD."),
            ("type", "string", "Event type."),
            ("note", "string", "What happened."),
            ("date_inferred", "string", "When the date was worked out rather than stated by a source: how."),
        ],
    },
    "sources": {
        "description": "One row per source cited by a deal.",
        "primaryKey": ["deal_id", "position"],
        "foreignKeys": [{"fields": ["deal_id"], "reference": {"resource": "deals", "fields": ["id"]}}],
        "fields": [
            ("deal_id", "string", "The deal citing the source."),
            ("position", "integer", "The source's number on the deal page."),
            ("url", "string", "Address of the source."),
            ("title", "string", "Title of the source."),
            ("publisher", "string", "Publisher."),
            ("published", "string", "Publication date (partial ISO date)."),
            ("archive", "string", "Archived copy."),
            ("supports", "string", "The facts it supports."),
        ],
    },
    "companies": {
        "description": "One row per supplier.",
        "primaryKey": ["id"],
        "foreignKeys": [],
        "fields": [
            ("id", "string", "Company id."), ("name", "string", "Name."), ("name_tr", "string", "Turkish name."),
            ("ownership", "string", "Ownership type."), ("parent", "string", "Parent."),
            ("founded", "string", "Foundation date (partial ISO date)."), ("headquarters", "string", "Head office."),
            ("website", "string", "Website."), ("summary", "string", "Profile in our words."),
        ],
    },
    "systems": {
        "description": "One row per system.",
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["maker"], "reference": {"resource": "companies", "fields": ["id"]}}],
        "fields": [
            ("id", "string", "System id."), ("name", "string", "Name."), ("maker", "string", "Maker's company id."),
            ("category", "string", "Category."), ("summary", "string", "Description in our words."),
        ],
    },
    "countries": {
        "description": "One row per country code used by the dataset.",
        "primaryKey": ["code"],
        "foreignKeys": [],
        "fields": [
            ("code", "string", "ISO 3166-1 alpha-2 code, or XK (Kosovo), ZZ (undisclosed)."),
            ("name", "string", "Name as shown."), ("region", "string", "Region used by the site."),
        ],
    },
}
DATE_FIELDS = {"first_date", "last_date", "date", "published", "founded", "checked", "added", "changed"}


def table_rows(dataset: Dataset, settings: SiteSettings) -> dict[str, list[dict[str, Any]]]:
    deals = [d for _, d in sorted(dataset.deals.items())]
    site = settings.site_url.rstrip("/")
    return {
        "deals": [{
            "id": d.id, "title": d["title"], "recipient": d.recipient,
            "recipient_name": dataset.countries[d.recipient].name, "end_user": d.get("end_user"),
            "suppliers": ";".join(d.suppliers), "transfer": d["transfer"], "systems": ";".join(d.systems),
            "status": d["status"], "checked": d["checked"], "value_amount": (d.get("value") or {}).get("amount"),
            "value_currency": (d.get("value") or {}).get("currency"), "first_date": d.first_date,
            "last_date": d.last_date, "confidence": d["confidence"], "source_count": len(d.sources),
            "summary": d["summary"], "notes": d.get("notes"), "related": ";".join(dataset.related_deals(d.id)),
            "added": history.added.date if (history := dataset.history.of(d.path)) else None,
            "changed": history.changed.date if history else None,
            "url": f"{site}/deals/{d.id}/",
        } for d in deals],
        "items": [{"deal_id": d.id, **item} for d in deals for item in d["items"]],
        "events": [{"deal_id": d.id, "position": n, **e} for d in deals for n, e in enumerate(d["events"], 1)],
        "sources": [{"deal_id": d.id, "position": n, **s} for d in deals for n, s in enumerate(d.sources, 1)],
        "companies": [{"id": c.id, **{k: v for k, v in c.data.items() if k != "sources"}}
                      for _, c in sorted(dataset.companies.items())],
        "systems": [{"id": s.id, **{k: v for k, v in s.data.items() if k != "sources"}}
                    for _, s in sorted(dataset.systems.items())],
        "countries": [{"code": c.code, "name": c.name, "region": c.region}
                      for _, c in sorted(dataset.countries.items())],
    }


def table_schema(spec: dict[str, Any]) -> dict[str, Any]:
    fields = []
    for name, kind, description in spec["fields"]:
        entry: dict[str, Any] = {"name": name, "type": kind, "description": description}
        if name in DATE_FIELDS:
            entry["constraints"] = {"pattern": DATE_PATTERN}
        if name in spec["primaryKey"]:
            entry["constraints"] = {**entry.get("constraints", {}), "required": True}
        fields.append(entry)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": spec["primaryKey"]}
    if spec["foreignKeys"]:
        schema["foreignKeys"] = spec["foreignKeys"]
    return schema


def csv_files(dataset: Dataset, settings: SiteSettings) -> dict[str, bytes]:
    rows = table_rows(dataset, settings)
    files = {f"data/{name}.csv": to_csv([f[0] for f in spec["fields"]], rows[name]) for name, spec in TABLES.items()}
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "turkish-defense-exports",
        "title": settings.site_name,
        "description": "Turkish defence export deals, one row per deal, with their items, events and sources.",
        "version": API_VERSION,
        "homepage": settings.site_url,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": "Published news reports, official statements and company releases, cited per record "
                              "in sources.csv"}],
        "resources": [{
            "name": name, "path": f"{name}.csv", "type": "table", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "description": spec["description"], "schema": table_schema(spec),
        } for name, spec in TABLES.items()],
    }
    files["data/datapackage.json"] = to_json(package)
    return files


# ---- Atom feeds ---------------------------------------------------------------------------------

def atom_time(date: str) -> str:
    parts = (date.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def event_id(event: Event, settings: SiteSettings) -> str:
    # Stable across builds and across edits elsewhere in the record: deal, date and type.
    host = settings.site_url.split("//", 1)[-1].split("/", 1)[0] or "localhost"
    position = [e for e in event.deal["events"] if e["date"] == event.date and e["type"] == event.type]
    same = next(i for i, e in enumerate(position) if e["note"] == event.note)
    suffix = f"-{same + 1}" if same else ""
    return f"tag:{host},2024:deal/{event.deal.id}/{event.date}/{event.type}{suffix}"


@dataclass(frozen=True)
class FeedEntry:
    title: str
    id: str
    link: str
    updated: str
    summary: str
    published: str | None = None


def atom_document(title: str, feed_path: str, page_path: str, entries: list[FeedEntry],
                  settings: SiteSettings) -> bytes:
    site = settings.site_url.rstrip("/")
    updated = max((e.updated for e in entries), default="2000-01-01T00:00:00Z")
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"  <title>{xml_escape(title)}</title>", f"  <id>{xml_escape(site)}/{feed_path}</id>",
             f"  <link rel=\"self\" href={quoteattr(f'{site}/{feed_path}')}/>",
             f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(f'{site}/{page_path}')}/>",
             f"  <updated>{updated}</updated>", f"  <author><name>{xml_escape(settings.site_name)}</name></author>"]
    for entry in entries:
        lines += ["  <entry>",
                  f"    <title>{xml_escape(entry.title)}</title>",
                  f"    <id>{xml_escape(entry.id)}</id>",
                  f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(entry.link)}/>",
                  *([f"    <published>{entry.published}</published>"] if entry.published else []),
                  f"    <updated>{entry.updated}</updated>",
                  f"    <summary>{xml_escape(entry.summary)}</summary>",
                  "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def atom_feed(title: str, feed_path: str, page_path: str, events: list[Event], dataset: Dataset,
              settings: SiteSettings) -> bytes:
    """The newest events that have happened. An entry is published on its event's date and updated
    when its record last changed (from git), since that is when its text could have changed."""
    site = settings.site_url.rstrip("/")
    entries = []
    for event in [e for e in events if e.type != "planned"][:FEED_LENGTH]:
        deal = event.deal
        history = dataset.history.of(deal.path)
        published = atom_time(event.date)
        entries.append(FeedEntry(
            title=f"{dataset.countries[deal.recipient].name}: {event.type}: {deal['title']}",
            id=event_id(event, settings), link=f"{site}/deals/{deal.id}/",
            updated=max(published, atom_time(history.changed.date)) if history else published,
            summary=f"{event.date}: {event.note}", published=published if history else None))
    return atom_document(title, feed_path, page_path, entries, settings)


def changes_feed(dataset: Dataset, settings: SiteSettings) -> bytes:
    """One entry per record, most recently changed first, updated when it last changed."""
    site = settings.site_url.rstrip("/")
    host = site.split("//", 1)[-1].split("/", 1)[0] or "localhost"
    entries = []
    for folder, records in (("deals", dataset.deals), ("companies", dataset.companies), ("systems", dataset.systems)):
        for record in records.values():
            history = dataset.history.of(record.path)
            if history is None:
                continue
            name = record.get("title") or record["name"]
            what = "added" if history.added == history.changed else "changed"
            entries.append(FeedEntry(
                title=f"{name} ({what})", id=f"tag:{host},2024:record/{folder}/{record.id}",
                link=f"{site}/{folder}/{record.id}/", updated=atom_time(history.changed.date),
                summary=f"Record {what} on {history.changed.date} (commit {history.changed.commit[:12]}).",
                published=atom_time(history.added.date)))
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    return atom_document(f"{settings.site_name}: record changes", "feeds/changes.xml", "changes/",
                         entries[:FEED_LENGTH], settings)


def feed_files(dataset: Dataset, settings: SiteSettings) -> dict[str, bytes]:
    events = dataset.events()
    by_country: dict[str, list[Event]] = {}
    by_company: dict[str, list[Event]] = {}
    for event in events:  # newest first, so each group stays newest first
        by_country.setdefault(event.deal.recipient, []).append(event)
        for company_id in dict.fromkeys(event.deal.suppliers):
            by_company.setdefault(company_id, []).append(event)
    files = {"feeds/changes.xml": changes_feed(dataset, settings),
             "feeds/all.xml": atom_feed(f"{settings.site_name}: latest events", "feeds/all.xml", "timeline/",
                                        events, dataset, settings)}
    for code, country_events in sorted(by_country.items()):
        country = dataset.countries[code]
        files[f"feeds/country-{country.slug}.xml"] = atom_feed(
            f"{settings.site_name}: {country.name}", f"feeds/country-{country.slug}.xml",
            f"countries/{country.slug}/", country_events, dataset, settings)
    for company_id, company in sorted(dataset.companies.items()):
        files[f"feeds/company-{company_id}.xml"] = atom_feed(
            f"{settings.site_name}: {company['name']}", f"feeds/company-{company_id}.xml",
            f"companies/{company_id}/", by_company.get(company_id, []), dataset, settings)
    files["feeds/sitemap.xml"] = feeds_sitemap(sorted(files), settings)
    return files


def feeds_sitemap(paths: list[str], settings: SiteSettings) -> bytes:
    """A sitemap of the feeds. Material for MkDocs reads every <link rel="alternate"> as a translation
    of the page and fetches the sitemap.xml beside it, so the feeds folder has one."""
    site = settings.site_url.rstrip("/")
    urls = "".join(f"  <url><loc>{xml_escape(site)}/{path}</loc></url>\n" for path in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n").encode()


# ---- everything, and the page that lists it -----------------------------------------------------

def export_files(dataset: Dataset, settings: SiteSettings, root: Path) -> dict[str, bytes]:
    files = {**api_files(dataset, settings), **csv_files(dataset, settings), **schema_files(root),
             **feed_files(dataset, settings)}
    return dict(sorted(files.items()))


def write_exports(dataset: Dataset, settings: SiteSettings, root: Path, site_dir: Path) -> dict[str, int]:
    """Write every export file under `site_dir`; return each file's size in bytes, by path."""
    sizes = {}
    folders: set[Path] = set()
    for relative, content in export_files(dataset, settings, root).items():
        target = site_dir / relative
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(content)
        sizes[relative] = len(content)
    return sizes


def data_page(sizes: dict[str, int], dataset: Dataset, env: Environment) -> GeneratedPage:
    """The Data page: what can be downloaded, with sizes, and how the API and tables are shaped."""
    listed = [(path, size) for path, size in sizes.items()
              if not path.startswith(("api/v1/deals/", "feeds/country-", "feeds/company-"))]
    per_deal = sum(1 for path in sizes if path.startswith("api/v1/deals/"))
    body = env.get_template("data.html").render(
        link=lambda target: relative_url("data.md", target), files=listed, per_deal=per_deal, api_version=API_VERSION,
        tables=TABLES, example=next(iter(sorted(dataset.deals)), None))
    description = ("Download the Turkish Defense Exports Tracker: JSON API, CSV tables with a Frictionless "
                   "Data Package, JSON Schemas and Atom feeds. Data CC BY 4.0.")
    return GeneratedPage(front_matter("Data and API", description) + body, "hooks/tracker/exports.py")
