"""Rules beyond the JSON Schema: references, real dates, quantities, sources, event order, status.

Each rule reads a schema-valid record and yields (path, message); `located` turns them into errors
on the right line. Records are schema-valid here, so rules index fields without defensive checks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import DataError
from .schema_check import field_name, suggest
from .strict_yaml import Document, JsonPath

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# ISO 3166 leaves these alpha-2 codes to users; XK (Kosovo) and ZZ (unknown) are the common ones.
USER_ASSIGNED = re.compile(r"^(AA|Q[M-Z]|X[A-Z]|ZZ)$")
DELIVERY_EVENTS = {"delivery", "commissioning", "completion"}

Finding = tuple[JsonPath, str]


@dataclass
class KnownIds:
    companies: set[str]
    systems: set[str]
    deals: set[str]
    countries: set[str]


def iso_country_name(code: str) -> str | None:
    import pycountry  # loads its database on first use; only country files need it

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def parse_partial_date(value: Any) -> tuple[int, ...] | None:
    """(year,), (year, month) or (year, month, day) for a real calendar date, else None."""
    parts = str(value).split("-")
    try:
        numbers = tuple(int(part) for part in parts)
        dt.date(numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1)
    except (ValueError, IndexError):
        return None
    return numbers


def is_after(date: tuple[int, ...], today: dt.date) -> bool:
    """True only when the whole period the partial date names starts after today."""
    return date > (today.year, today.month, today.day)[: len(date)]


def precedes(earlier: tuple[int, ...], later: tuple[int, ...]) -> bool:
    """Order at the precision both share, so '2019-03' then '2019' is in order."""
    common = min(len(earlier), len(later))
    return earlier[:common] <= later[:common]


def located(document: Document, display: str, findings: Iterator[Finding], at_key: bool = False) -> list[DataError]:
    errors = []
    for path, message in findings:
        line, column = document.locate(path, key=at_key)
        errors.append(DataError(display, line, column, field_name(path), message))
    return errors


def file_name_errors(path: Path, display: str) -> list[DataError]:
    if ID_PATTERN.match(path.stem):
        return []
    return [DataError(display, 1, 1, "", f"file name '{path.name}' must be the record id in lowercase kebab-case, "
                                         f"e.g. '{re.sub(r'[^a-z0-9]+', '-', path.stem.lower()).strip('-')}.yaml'")]


# ---- one rule per function ----------------------------------------------------------------------

def date_findings(data: dict[str, Any], today: dt.date) -> Iterator[Finding]:
    """Every date field is a real calendar date; only planned events may lie in the future."""
    for path, value, may_be_future in _dates(data):
        parsed = parse_partial_date(value)
        if parsed is None:
            yield path, f"{str(value)!r} is not a real date"
        elif is_after(parsed, today) and not may_be_future:
            yield path, f"{value} is in the future: only events of type 'planned' may be"


def _dates(data: dict[str, Any], path: JsonPath = ()) -> Iterator[tuple[JsonPath, Any, bool]]:
    for key in ("date", "published", "founded", "checked"):
        if key in data:
            yield path + (key,), data[key], key == "date" and data.get("type") == "planned"
    for key, value in data.items():
        items = value if isinstance(value, list) else []
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield from _dates(item, path + (key, index))


def url_findings(data: dict[str, Any]) -> Iterator[Finding]:
    """Source, archive and website addresses are http(s) with a host; no source is cited twice."""
    seen: dict[str, int] = {}
    for index, source in enumerate(data.get("sources", [])):
        for key in ("url", "archive"):
            if key in source and not _is_web_address(source[key]):
                yield ("sources", index, key), f"{source[key]!r} is not an http(s) web address"
        if _is_placeholder(source["url"]):
            yield ("sources", index, "url"), "is the template's example address: cite the real source"
        url = source["url"].rstrip("/")
        if url in seen:
            yield ("sources", index, "url"), f"the same source is already cited as sources[{seen[url]}]"
        seen.setdefault(url, index)
    if "website" in data and not _is_web_address(data["website"]):
        yield ("website",), f"{data['website']!r} is not an http(s) web address"


PLACEHOLDER_HOSTS = {"example.org", "www.example.org", "example.com", "www.example.com",
                     "example.net", "www.example.net"}


def _is_placeholder(url: str) -> bool:
    """The template cites www.example.org (a domain reserved for examples): a source nobody replaced."""
    try:
        return urlsplit(url).hostname in PLACEHOLDER_HOSTS
    except ValueError:
        return False


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
        return parts.scheme in ("http", "https") and host is not None and "." in host
    except ValueError:
        return False


def quantity_findings(deal: dict[str, Any]) -> Iterator[Finding]:
    """Delivered never exceeds ordered unless a quantity note explains why."""
    for index, item in enumerate(deal["items"]):
        ordered, delivered = item.get("ordered"), item.get("delivered")
        if ordered is not None and delivered is not None and delivered > ordered and "quantity_note" not in item:
            yield ("items", index, "delivered"), (f"{delivered} delivered is more than {ordered} ordered: "
                                                  "fix the numbers or explain in quantity_note")


def event_order_findings(deal: dict[str, Any]) -> Iterator[Finding]:
    """Events are listed oldest first."""
    dates = [parse_partial_date(event["date"]) for event in deal["events"]]
    for index in range(1, len(dates)):
        previous, current = dates[index - 1], dates[index]
        if previous and current and not precedes(previous, current):
            yield ("events", index, "date"), (f"{deal['events'][index]['date']} comes before the previous event "
                                              f"({deal['events'][index - 1]['date']}): list events oldest first")


def status_findings(deal: dict[str, Any]) -> Iterator[Finding]:
    """The status agrees with the events that decide it."""
    types = {event["type"] for event in deal["events"]}
    status = deal["status"]
    if status == "delivered" and not types & DELIVERY_EVENTS:
        yield ("status",), "'delivered' needs a delivery, commissioning or completion event"
    if status == "delivering" and not types & DELIVERY_EVENTS:
        yield ("status",), "'delivering' needs at least one delivery event"
    if status == "cancelled" and "cancellation" not in types:
        yield ("status",), "'cancelled' needs a cancellation event saying what ended the deal"
    if status == "negotiating" and types & (DELIVERY_EVENTS | {"contract"}):
        yield ("status",), ("'negotiating' contradicts a contract or delivery event: "
                            "use ordered, delivering or delivered")


def checked_findings(deal: dict[str, Any]) -> Iterator[Finding]:
    """The status was confirmed no earlier than the latest event the record reports."""
    checked = parse_partial_date(deal["checked"])
    happened = [(index, parse_partial_date(e["date"]))
                for index, e in enumerate(deal["events"]) if e["type"] != "planned"]
    for index, date in happened:
        if checked and date and date[: len(checked)] > checked[: len(date)]:
            yield ("checked",), (f"{deal['checked']} is before the event of {deal['events'][index]['date']}: "
                                 "re-check the status and set checked to the day you did")
            return


def reference_findings(deal: dict[str, Any], known: KnownIds) -> Iterator[Finding]:
    """Every company, system, country and related deal a deal names exists."""
    if deal["recipient"] not in known.countries:
        yield ("recipient",), (f"unknown country code '{deal['recipient']}'"
                               f"{suggest(deal['recipient'], sorted(known.countries))}"
                               "; add it to data/countries.yaml if it is right")
    for index, company in enumerate(deal["suppliers"]):
        if company not in known.companies:
            yield ("suppliers", index), _unknown("company", company, known.companies, "data/companies")
    for index, item in enumerate(deal["items"]):
        if item["system"] not in known.systems:
            yield ("items", index, "system"), _unknown("system", item["system"], known.systems, "data/systems")
    for index, related in enumerate(deal.get("related", [])):
        if related not in known.deals:
            yield ("related", index), _unknown("deal", related, known.deals, "data/deals")


def _unknown(kind: str, name: str, ids: set[str], folder: str) -> str:
    return f"unknown {kind} '{name}'{suggest(name, sorted(ids))} (ids are file names in {folder}/)"


# ---- per record type ----------------------------------------------------------------------------
# A file's own rules depend on nothing but the file (and today's date, and a record that passes today
# still passes later), so the record cache keeps only files that pass them and skips them on a hit.
# Rules across records (references) run on every load.

def deal_findings(deal: dict[str, Any], today: dt.date) -> list[Finding]:
    return [*date_findings(deal, today), *url_findings(deal), *quantity_findings(deal),
            *event_order_findings(deal), *status_findings(deal), *checked_findings(deal)]


def sourced_findings(record: dict[str, Any], today: dt.date) -> list[Finding]:
    return [*date_findings(record, today), *url_findings(record)]


def maker_findings(system: dict[str, Any], known: KnownIds) -> list[Finding]:
    if system["maker"] in known.companies:
        return []
    return [(("maker",), _unknown("company", system["maker"], known.companies, "data/companies"))]


def country_findings(countries: dict[str, Any], today: dt.date) -> list[Finding]:
    findings: list[Finding] = []
    for code, entry in countries["countries"].items():
        if USER_ASSIGNED.match(code):
            if "name" not in entry:
                findings.append((("countries", code), f"'{code}' is not an ISO 3166-1 country: give it a name"))
        elif iso_country_name(code) is None:
            findings.append((("countries", code), f"'{code}' is not an ISO 3166-1 alpha-2 code"))
    return findings


def seed_reference_findings(seed: dict[str, Any], known: KnownIds) -> list[Finding]:
    findings: list[Finding] = []
    for index, claim in enumerate(seed["claims"]):
        for record_index, deal_id in enumerate(claim["records"]):
            if deal_id not in known.deals:
                findings.append((("claims", index, "records", record_index),
                                 _unknown("deal", deal_id, known.deals, "data/deals")))
    return findings


def totals_findings(document: dict[str, Any], today: dt.date) -> list[Finding]:
    findings = []
    totals = document["totals"]
    seen: dict[tuple[Any, ...], int] = {}
    for index, total in enumerate(totals):
        findings += [(("totals", index) + path, message) for path, message in date_findings(total, today)]
        findings += [(("totals", index) + path, message) for path, message in url_findings(total)]
        if (total["series"] == "company") != ("company" in total):
            findings.append((("totals", index, "series"), "a company figure needs series 'company' and a company id"))
        key = (total["year"], total["series"], total.get("company"), total["measure"])
        if key in seen:
            findings.append((("totals", index), f"repeats totals[{seen[key]}] (same year, series and measure)"))
        seen.setdefault(key, index)
        if index and (totals[index - 1]["year"], totals[index - 1]["series"]) > (total["year"], total["series"]):
            findings.append((("totals", index, "year"), "totals must be sorted by year, then series"))
    return findings


def totals_reference_findings(document: dict[str, Any], known: KnownIds) -> list[Finding]:
    return [(("totals", index, "company"), _unknown("company", total["company"], known.companies, "data/companies"))
            for index, total in enumerate(document["totals"])
            if total["series"] == "company" and "company" in total and total["company"] not in known.companies]


def no_findings(data: dict[str, Any], known: KnownIds) -> list[Finding]:
    return []


@dataclass(frozen=True)
class FileRules:
    in_file: Callable[[dict[str, Any], dt.date], list[Finding]]
    across: Callable[[dict[str, Any], KnownIds], list[Finding]] = no_findings
    at_key: bool = False  # errors point at the key (a country code) rather than its value


RULES: dict[str, FileRules] = {
    "deal": FileRules(deal_findings, lambda deal, known: list(reference_findings(deal, known))),
    "company": FileRules(sourced_findings),
    "system": FileRules(sourced_findings, maker_findings),
    "seed": FileRules(lambda seed, today: list(date_findings(seed, today)), seed_reference_findings),
    "annual-totals": FileRules(totals_findings, totals_reference_findings),
    "countries": FileRules(country_findings, at_key=True),
}


def normalise(schema: str, data: dict[str, Any]) -> None:
    """What a file says, in the form every renderer expects (and the record cache keeps)."""
    normalise_dates(data)
    if schema == "countries":
        for code, entry in data["countries"].items():
            entry.setdefault("name", iso_country_name(code) or code)


def normalise_dates(data: Any) -> None:
    """Years written as bare numbers (`date: 2019`) become text, like every other date."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("date", "published", "founded") and isinstance(value, int):
                data[key] = str(value)
            else:
                normalise_dates(value)
    elif isinstance(data, list):
        for item in data:
            normalise_dates(item)
