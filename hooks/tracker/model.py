"""The validated dataset: plain records with the few derived values every renderer needs."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .history import FileHistory, RecordHistory

# A deal in one of these states can still change; its status is re-checked against the sources when
# `checked` is older than STALE_AFTER_MONTHS.
OPEN_STATUSES = frozenset({"negotiating", "ordered", "in-production", "delivering", "reported"})
STALE_AFTER_MONTHS = 12
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def readable_date(date: str) -> str:
    """A partial ISO date at its own precision: '2019', 'Mar 2019', '14 Mar 2019'."""
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


@dataclass
class Record:
    """One data file: its id, its path in the repository, and its validated fields."""

    id: str
    path: str
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def sources(self) -> list[dict[str, Any]]:
        return self.data["sources"]


@dataclass
class Country:
    code: str
    name: str
    region: str
    slug: str
    note: str | None = None


@dataclass
class Event:
    """A dated event of a deal, with the deal it belongs to."""

    date: str
    type: str
    note: str
    deal: Deal
    position: int

    @property
    def year(self) -> str:
        return self.date[:4]


class Deal(Record):
    @property
    def recipient(self) -> str:
        return self.data["recipient"]

    @property
    def suppliers(self) -> list[str]:
        return self.data["suppliers"]

    @property
    def systems(self) -> list[str]:
        return [item["system"] for item in self.data["items"]]

    @property
    def events(self) -> list[Event]:
        return [Event(e["date"], e["type"], e["note"], self, n) for n, e in enumerate(self.data["events"])]

    @property
    def first_date(self) -> str:
        return min(e["date"] for e in self.data["events"])

    @property
    def last_date(self) -> str:
        """The latest event that has happened (plans excluded); the first date if all are plans."""
        return max((e["date"] for e in self.data["events"] if e["type"] != "planned"), default=self.first_date)


class Company(Record):
    pass


class System(Record):
    pass


class Seed(Record):
    pass


@dataclass
class Dataset:
    deals: dict[str, Deal] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    systems: dict[str, System] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    totals: list[dict[str, Any]] = field(default_factory=list)
    seeds: dict[str, Seed] = field(default_factory=dict)
    source_health: dict[str, dict[str, Any]] = field(default_factory=dict)  # data/source-health.json by URL
    history: RecordHistory = field(default_factory=RecordHistory)  # from git, set by the build; empty in checks
    _indexes: dict[str, dict[str, list[Any]]] = field(default_factory=dict, repr=False)

    def events(self) -> list[Event]:
        """Every event of every deal, newest first; ties broken by deal id for a stable order."""
        every = [event for deal in self.deals.values() for event in deal.events]
        every.sort(key=lambda e: (e.deal.id, e.date))
        every.sort(key=lambda e: e.date, reverse=True)
        return every

    def changed_records(self) -> list[tuple[str, Record, FileHistory]]:
        """(folder, record, history) of every deal, company and system whose history is known."""
        found: list[tuple[str, Record, FileHistory]] = []
        folders: tuple[tuple[str, dict[str, Deal] | dict[str, Company] | dict[str, System]], ...] = (
            ("deals", self.deals), ("companies", self.companies), ("systems", self.systems))
        for folder, records in folders:
            for record in records.values():
                history = self.history.of(record.path)
                if history is not None:
                    found.append((folder, record, history))
        return found

    def related_deals(self, deal_id: str) -> list[str]:
        """Ids of the deals related to this one, whichever of the two records names the other, sorted."""
        return self._index("related").get(deal_id, [])

    def needs_checking(self, as_of: dt.date) -> list[Deal]:
        """Deals whose status could still change and was last confirmed over STALE_AFTER_MONTHS before
        `as_of`, least recently checked first."""
        months = as_of.year * 12 + as_of.month - STALE_AFTER_MONTHS
        limit = dt.date(months // 12 if months % 12 else months // 12 - 1, months % 12 or 12, 1)
        limit = limit.replace(day=min(as_of.day, calendar.monthrange(limit.year, limit.month)[1]))
        stale = [d for d in self.deals.values() if d["status"] in OPEN_STATUSES and d["checked"] < limit.isoformat()]
        return sorted(stale, key=lambda d: (d["checked"], d.id))

    def deals_for_country(self, code: str) -> list[Deal]:
        return self._index("recipient").get(code, [])

    def deals_for_company(self, company_id: str) -> list[Deal]:
        return self._index("suppliers").get(company_id, [])

    def deals_for_system(self, system_id: str) -> list[Deal]:
        return self._index("systems").get(system_id, [])

    def _index(self, attribute: str) -> dict[str, list[Any]]:
        """Deals by recipient, supplier or system, built once (a scan per page would be quadratic)."""
        if attribute == "related" and attribute not in self._indexes:
            pairs: dict[str, set[str]] = {}
            for deal in self.deals.values():
                for other in deal.get("related", []):
                    pairs.setdefault(deal.id, set()).add(other)
                    pairs.setdefault(other, set()).add(deal.id)
            self._indexes[attribute] = {key: sorted(ids) for key, ids in pairs.items()}
        if attribute not in self._indexes:
            index: dict[str, list[Deal]] = {}
            for deal in self.deals.values():
                keys = getattr(deal, attribute)
                for key in ([keys] if isinstance(keys, str) else dict.fromkeys(keys)):
                    index.setdefault(key, []).append(deal)
            self._indexes[attribute] = index
        return self._indexes[attribute]


# ---- the site around the dataset --------------------------------------------------------------------

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
