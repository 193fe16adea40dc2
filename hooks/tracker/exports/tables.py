"""CSV tables, one row per deal, item, event, source, company, system and country, described by a
Frictionless Data Package with column types, primary keys and foreign keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import urls
from ..model import Dataset, Deal, SiteSettings
from ..schema_check import date_fields
from .api import API_VERSION
from .encode import csv_lines, to_csv, to_json

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
            ("title_tr", "string", "Short title in Turkish, in our own words, when the record has one."),
            ("summary_tr", "string", "The summary in Turkish, in our own words, when the record has one."),
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
# Date columns worked out rather than copied from a record field (which the schemas name as dates).
DERIVED_DATE_COLUMNS = {"first_date", "last_date", "added", "changed"}


# The tables with one row or more per deal: each deal's lines are encoded on their own (deal_lines).
DEAL_TABLES = ("deals", "items", "events", "sources")


def columns(name: str) -> list[str]:
    return [field[0] for field in TABLES[name]["fields"]]


def deal_rows(dataset: Dataset, settings: SiteSettings, d: Deal) -> dict[str, list[dict[str, Any]]]:
    """A deal's rows in each of DEAL_TABLES."""
    history = dataset.history.of(d.path)
    return {
        "deals": [{
            "id": d.id, "title": d["title"], "recipient": d.recipient,
            "recipient_name": dataset.countries[d.recipient].name, "end_user": d.get("end_user"),
            "suppliers": ";".join(d.suppliers), "transfer": d["transfer"], "systems": ";".join(d.systems),
            "status": d["status"], "checked": d["checked"], "value_amount": (d.get("value") or {}).get("amount"),
            "value_currency": (d.get("value") or {}).get("currency"), "first_date": d.first_date,
            "last_date": d.last_date, "confidence": d["confidence"], "source_count": len(d.sources),
            "summary": d["summary"], "title_tr": d.get("title_tr"), "summary_tr": d.get("summary_tr"),
            "notes": d.get("notes"), "related": ";".join(dataset.related_deals(d.id)),
            "added": history.added.date if history else None,
            "changed": history.changed.date if history else None,
            "url": f"{settings.site_url.rstrip('/')}/{urls.deal_page(d.id)}",
        }],
        "items": [{"deal_id": d.id, **item} for item in d["items"]],
        "events": [{"deal_id": d.id, "position": n, **e} for n, e in enumerate(d["events"], 1)],
        "sources": [{"deal_id": d.id, "position": n, **s} for n, s in enumerate(d.sources, 1)],
    }


def deal_lines(dataset: Dataset, settings: SiteSettings,
               kept: Mapping[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each deal's CSV lines in each of DEAL_TABLES, by id in id order; `kept`'s where it has them (the
    last build's, for the deals an edit cannot have changed)."""
    return {deal_id: kept.get(deal_id) or {name: csv_lines(columns(name), rows)
                                          for name, rows in deal_rows(dataset, settings, deal).items()}
            for deal_id, deal in sorted(dataset.deals.items())}


def record_rows(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """The rows of the tables that are not one deal's."""
    return {
        "companies": [{"id": c.id, **{k: v for k, v in c.data.items() if k != "sources"}}
                      for _, c in sorted(dataset.companies.items())],
        "systems": [{"id": s.id, **{k: v for k, v in s.data.items() if k != "sources"}}
                    for _, s in sorted(dataset.systems.items())],
        "countries": [{"code": c.code, "name": c.name, "region": c.region}
                      for _, c in sorted(dataset.countries.items())],
    }


def table_schema(spec: dict[str, Any], schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A table's Frictionless schema. Date columns carry the partial-date pattern of common.schema.json
    (which full dates also match)."""
    dates = set(date_fields(schemas)) | DERIVED_DATE_COLUMNS
    pattern = schemas["common"]["$defs"]["partialDate"]["pattern"]
    fields = []
    for name, kind, description in spec["fields"]:
        entry: dict[str, Any] = {"name": name, "type": kind, "description": description}
        if name in dates:
            entry["constraints"] = {"pattern": pattern}
        if name in spec["primaryKey"]:
            entry["constraints"] = {**entry.get("constraints", {}), "required": True}
        fields.append(entry)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": spec["primaryKey"]}
    if spec["foreignKeys"]:
        schema["foreignKeys"] = spec["foreignKeys"]
    return schema


def csv_files(dataset: Dataset, settings: SiteSettings, schemas: dict[str, dict[str, Any]],
              lines: Mapping[str, Mapping[str, str]]) -> dict[str, bytes]:
    """The tables, from the deals' `lines` (deal_lines) and the other records, and their data package."""
    tables = {name: "".join(deal[name] for deal in lines.values()) for name in DEAL_TABLES}
    tables.update({name: csv_lines(columns(name), rows) for name, rows in record_rows(dataset).items()})
    files = {urls.csv_table(name): to_csv(columns(name), tables[name]) for name in TABLES}
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
            "encoding": "utf-8", "description": spec["description"], "schema": table_schema(spec, schemas),
        } for name, spec in TABLES.items()],
    }
    files[urls.DATAPACKAGE] = to_json(package)
    return files
