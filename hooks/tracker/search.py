"""What Material's search indexes of the generated pages, kept small as the dataset grows.

Material indexes every section of every page and leaves out an element marked `data-search-exclude`,
but for a heading it leaves out only that heading's own section: the subsections under it (the year
headings of the timelines on country and company pages, written as HTML) were still indexed, and at
10,000 deals they were most of a 23 MB index. Two adjustments, applied to the entries Material made
for one page, right after it made them:

- sections nested under a heading marked `data-search-exclude` are left out too;
- a page whose meta has `search_summary` (the deal pages) is indexed as one entry: its title, its
  lead paragraph and that summary (recipient and systems), instead of every section of the page.

The pages themselves are unchanged; only the search index is.
"""

from __future__ import annotations

import re
from typing import Any

SUMMARY = "search_summary"
EXCLUDE = "data-search-exclude"
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>")
_ID = re.compile(r'\bid="([^"]*)"')


def nested_in_excluded(html: str) -> set[str]:
    """Ids of the headings that sit inside the section of a heading marked data-search-exclude."""
    if EXCLUDE not in html:
        return set()
    inside: set[str] = set()
    excluded_level = 0
    for match in _HEADING.finditer(html):
        level, attrs = int(match[1]), match[2]
        if excluded_level and level > excluded_level:
            found = _ID.search(attrs)
            if found:
                inside.add(found[1])
            continue
        excluded_level = level if EXCLUDE in attrs else 0
    return inside


def lead_paragraph(text: str) -> str:
    """The first paragraph of an entry's text (Material keeps <p> tags), or nothing."""
    end = text.find("</p>")
    return text[:end + 4] if text.startswith("<p>") and end >= 0 else ""


def adjust_entries(entries: list[dict[str, Any]], start: int, url: str, html: str, meta: dict[str, Any]) -> None:
    """Adjust in place the entries Material appended for one page (`entries[start:]`)."""
    if len(entries) <= start:
        return
    summary = meta.get(SUMMARY)
    if summary is not None:
        top = entries[start]
        lead = lead_paragraph(top["text"])
        top["text"] = (lead + " " if lead else "") + f"<p>{summary}</p>"  # escaped by the page's renderer
        del entries[start + 1:]
        return
    inside = nested_in_excluded(html)
    if inside:
        dropped = {f"{url}#{anchor}" for anchor in inside}
        entries[start:] = [entry for entry in entries[start:] if entry["location"] not in dropped]
