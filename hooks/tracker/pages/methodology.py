"""How records are made: definitions, freshness, the records that need checking, and every schema field."""

from __future__ import annotations

from typing import Any

from ..model import OPEN_STATUSES, STALE_AFTER_MONTHS
from ..schema_check import resolved
from .context import ABOUT, PageContext

RECORD_TYPES = ("deal", "company", "system", "countries", "annual-totals", "seed")


def render(ctx: PageContext) -> None:
    as_of = ctx.settings.as_of
    ctx.render("methodology.md", "methodology.html", "data/schema/", "Methodology",
               "How the Turkish Defense Exports Tracker records deals: definitions of every status, event type, "
               "transfer type, confidence level and field.", hide=ABOUT, fields=schema_fields(ctx.schemas),
               needs_checking=ctx.data.needs_checking(as_of), as_of=as_of.isoformat(),
               open_statuses=sorted(OPEN_STATUSES), stale_after=STALE_AFTER_MONTHS)


def schema_fields(schemas: dict[str, dict[str, Any]]) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """(record type, [(dotted field, description, required)]) for every property of every schema."""
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
