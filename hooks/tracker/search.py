"""What Material's search indexes of the generated pages, kept small as the dataset grows.

Material indexes every section of every page and leaves out an element marked `data-search-exclude`,
but for a heading it leaves out only that heading's own section: the subsections under it (the year
headings of the timelines on country and company pages, written as HTML) were still indexed, and at
10,000 deals they were most of a 23 MB index. Adjustments, applied to the entries Material made for
one page, right after it made them:

- sections nested under a heading marked `data-search-exclude` are left out too;
- a page whose meta has `search_tags` gets them as the search tags of its first entry (Material's
  `tags` field, which its search ranks above titles and shows under the result): a deal page's
  systems and recipient, a country, company or system page's own name;
- a deal page (its meta has `search_only_lead`) is indexed as one entry: its title, its lead
  paragraph and its tags, instead of every section of the page.

Why tags: Material ranks a match in a title a thousand times above one in the text. Typing a
system's name ("Bayraktar TB2", or "System 185" on a synthetic site) matched the text of the deals
that have it, which ranked below every page with one of the words in its title (every system page
and every deal titled with "system"): at 1,000 synthetic deals the deal came after some 650 others.
As tags, a deal's systems and recipient rank it first for them, and a profile's own name as a tag
keeps the profile above the deals that name it.

The pages themselves are unchanged; only the search index is.
"""

from __future__ import annotations

import html
import re
from typing import Any

TAGS = "search_tags"
ONLY_LEAD = "search_only_lead"
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


def own_name(name: str) -> dict[str, list[str]]:
    """The meta that tags a profile page (country, company, system) with its own name."""
    return {TAGS: [html.escape(name, quote=False)]}


def adjust_entries(entries: list[dict[str, Any]], start: int, url: str, html: str, meta: dict[str, Any]) -> None:
    """Adjust in place the entries Material appended for one page (`entries[start:]`)."""
    if len(entries) <= start:
        return
    tags = meta.get(TAGS)
    if tags:
        entries[start]["tags"] = list(tags)  # HTML, like titles: escaped by the page's renderer
    if meta.get(ONLY_LEAD):
        top = entries[start]
        top["text"] = lead_paragraph(top["text"])
        del entries[start + 1:]
        return
    inside = nested_in_excluded(html)
    if inside:
        dropped = {f"{url}#{anchor}" for anchor in inside}
        entries[start:] = [entry for entry in entries[start:] if entry["location"] not in dropped]
