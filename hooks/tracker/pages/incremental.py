"""Rendering again in one `mkdocs serve`: after an edit, only the pages it can have changed.

A contributor saves a deal's file and the server builds the site again, from a dataset that differs
from the last one by that deal. A deal's fields reach:
- its own page, and the pages of the deals related to it (each shows the other's title and status);
- the pages of its recipient, its suppliers and its systems (before and after the edit: a deal moved
  to another country leaves one page and joins another);
- the pages that are not one record's own: home, timeline, indexes, sources, methodology, changes...
except the fields only its own page shows (its summary and notes): an edit of those reaches that page
alone.

So when the only difference from the last render is the content of some deals (the same deal ids,
companies, systems, countries, totals, seeds, source health, history and settings, the same
recipients, hence the same set of pages, and the same templates, catalogues and schemas), those
pages are rendered again and every other page is the last render's, as are the table rows and
timeline entries of the deals that did not change (their fragments depend only on the deal and on
the records it names: see PageContext.reuse). Anything else changed: every page is rendered.
tests/test_incremental.py edits deals in every way a deal can change and checks that the result is
the same as rendering everything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .. import urls
from ..i18n import MESSAGES
from ..model import Dataset, Deal, SiteSettings

# What every page can depend on besides the deals: when one of these differs, every page is rendered.
SHARED = ("companies", "systems", "countries", "totals", "seeds", "source_health", "history")

# The pages that are not one record's own (the Data page, which lists the export files' sizes, is always
# rendered again: pages/data.py).
SHARED_PAGES = frozenset({urls.HOME, urls.TIMELINE, urls.COUNTRIES, urls.COMPANIES, urls.SYSTEMS, urls.DEALS,
                          urls.SOURCES, urls.SEEDS, urls.METHODOLOGY, urls.CHANGES})

# The fields of a deal that no page shows but the deal's own (templates/deal.html alone reads them):
# when only these changed, only the deals' own pages are rendered again.
OWN_PAGE_FIELDS = frozenset({"summary", "summary_tr", "notes"})


@dataclass(frozen=True)
class Edit:
    """The deals whose content changed since the last render, and the pages (addresses without a
    language prefix) that can show any of the changes."""

    deals: frozenset[str]
    pages: frozenset[str]


def render_inputs(templates: Path, schema_dir: Path) -> str:
    """A hash of what pages and exports are rendered from besides the dataset and the settings: the
    templates, the message catalogues and the schemas. `mkdocs serve` also rebuilds when one of them is
    saved; then the last render is not reused at all."""
    digest = hashlib.sha256()
    for path in [*sorted(templates.glob("*.html")), *sorted(MESSAGES.glob("*.yaml")),
                 *sorted(schema_dir.glob("*.schema.json"))]:  # in this order wherever the folders are
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def changed_fields(before: Deal, after: Deal) -> set[str]:
    return {name for name in before.data.keys() | after.data.keys() if before.data.get(name) != after.data.get(name)}


def edit_between(before: Dataset, after: Dataset, settings_before: SiteSettings,
                 settings_after: SiteSettings) -> Edit | None:
    """What changed from `before` to `after`, if only deals' content did; None if anything else did."""
    if settings_before != settings_after or before.deals.keys() != after.deals.keys():
        return None
    if any(getattr(before, name) != getattr(after, name) for name in SHARED):
        return None
    if {d.recipient for d in before.deals.values()} != {d.recipient for d in after.deals.values()}:
        return None  # a country page appears or goes
    changed = frozenset(i for i, deal in after.deals.items() if deal != before.deals[i])
    if all(changed_fields(before.deals[i], after.deals[i]) <= OWN_PAGE_FIELDS for i in changed):
        return Edit(changed, frozenset(urls.deal_page(i) for i in changed))
    pages: set[str] = set(SHARED_PAGES)
    for data in (before, after):
        for deal_id in changed:
            deal = data.deals[deal_id]
            pages.update(urls.deal_page(i) for i in (deal_id, *data.related_deals(deal_id)))
            pages.add(urls.country_page(data.countries[deal.recipient]))
            pages.update(urls.company_page(i) for i in deal.suppliers)
            pages.update(urls.system_page(i) for i in deal.systems)
    return Edit(changed, frozenset(pages))
