"""What a table row or a timeline entry shows, worked out once from the dataset (typed, so a renderer
reads `row.ordered`, never a dict key that may be misspelt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Company, Country, Deal, Event, Record, System


@dataclass(frozen=True)
class DealRow:
    """A deal's row in the deals tables, and the summary a deal page starts with."""

    deal: Deal
    country: Country
    systems: list[System]
    suppliers: list[Company]
    ordered: int | None  # the items' sum, None when no item gives a number
    delivered: int | None
    first: str  # partial ISO dates
    last: str


@dataclass(frozen=True)
class Operator:
    """A row of a system page's operators table: one deal's item of that system."""

    row: DealRow
    item: dict[str, Any]


@dataclass(frozen=True)
class EventView:
    """A timeline entry: the event, its deal and what the timeline filters read."""

    event: Event
    deal: Deal
    country: Country
    systems: list[System]
    suppliers: list[Company]
    categories: str  # space-separated system categories


@dataclass(frozen=True)
class CountryRow:
    country: Country
    deals: int
    systems: int
    first: str  # years
    last: str


@dataclass(frozen=True)
class CompanyRow:
    company: Company
    deals: int
    countries: int
    systems: int


@dataclass(frozen=True)
class SystemRow:
    system: System
    maker: Company
    deals: int
    countries: int


@dataclass(frozen=True)
class Citation:
    """One source as one deal cites it (the sources page groups these by publisher)."""

    source: dict[str, Any]
    deal: Deal
    number: int


@dataclass(frozen=True)
class Change:
    """A row of the recent changes page."""

    date: str
    commit: str
    kind: str  # deal, company or system
    what: str  # added or changed
    target: str  # the record's page
    name: str
    record: Record


@dataclass(frozen=True)
class Reach:
    """Who has received a system or a company's products, at a glance: the head of their pages."""

    recipients: list[Country]  # by name
    delivered_to: int  # recipients with at least one delivering or delivered deal
    deals: int
    ordered: int  # summed over the items that give a number
    ordered_partial: bool  # some item gives no number, so the sum is a minimum
    delivered: int
    delivered_partial: bool
    first: str | None  # years of the first and latest events that happened
    last: str | None
