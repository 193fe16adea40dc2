"""How records are made: definitions, freshness, the records that need checking, and every schema field."""

from __future__ import annotations

from typing import Any

from .. import i18n, urls
from ..model import OPEN_STATUSES, STALE_AFTER_MONTHS
from ..schema_check import resolved
from .context import ABOUT, PageContext

RECORD_TYPES = ("deal", "company", "system", "countries", "annual-totals", "seed")


def render(ctx: PageContext) -> None:
    if not ctx.renders(urls.METHODOLOGY):
        return
    as_of, t = ctx.settings.as_of, ctx.t
    english = ctx.lang == i18n.DEFAULT
    translated = i18n.schema_descriptions(ctx.lang)

    def describe(record_type: str, field: str) -> str:
        """A field's description in the page's language: the schema's own in English."""
        if english:
            return ctx.field_schema(record_type, field).get("description", "")
        return translated[f"{record_type}/{field}"]

    fields = [(title.lower().replace(" ", "-"), title if english else translated[name],
               [(field, description if english else translated[f"{name}/{field}"], required)
                for field, description, required in rows])
              for name, (title, rows) in zip(RECORD_TYPES, schema_fields(ctx.schemas), strict=True)]
    ctx.render("methodology.md", "methodology.html", "data/schema/", t.plain("methodology.title"),
               t.plain("methodology.description"), hide=ABOUT, fields=fields, describe=describe,
               needs_checking=ctx.data.needs_checking(as_of), as_of=as_of.isoformat(),
               open_statuses=[t.value("status", s) for s in sorted(OPEN_STATUSES)], stale_after=STALE_AFTER_MONTHS)


def schema_fields(schemas: dict[str, dict[str, Any]]) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """(record type, [(dotted field, description, required)]) for every property of every schema, with
    English descriptions (from the schemas)."""
    def walk(node: dict[str, Any], base: str, prefix: str) -> list[tuple[str, str, bool]]:
        node, base = resolved(schemas, node, base)
        if node.get("type") == "array" and "items" in node:
            return walk(node["items"], base, prefix + "[]")
        rows = []
        required = set(node.get("required", []))
        properties = node.get("properties") or {}
        if isinstance(node.get("additionalProperties"), dict):
            properties = {"<code>": node["additionalProperties"]}
        for name, sub in properties.items():
            full = f"{prefix}.{name}" if prefix else name
            merged, merged_base = resolved(schemas, sub, base)
            rows.append((full, merged.get("description", ""), name in required))
            rows += walk(merged, merged_base, full)
        return rows
    return [(schemas[name]["title"], walk(schemas[name], name, "")) for name in RECORD_TYPES]
