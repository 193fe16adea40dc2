"""Atom feeds: the newest events (site-wide, per country, per company) and the latest record changes,
with a sitemap of the feeds, in each language of the site (English at feeds/, Turkish at tr/feeds/):
titles and links in the feed's language, record text as written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from .. import i18n, urls
from ..i18n import Messages
from ..model import Dataset, Event, SiteSettings

if TYPE_CHECKING:
    from ..pages.incremental import Edit

FEED_LENGTH = 50


def atom_time(date: str) -> str:
    parts = (date.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def tag(settings: SiteSettings, lang: str) -> str:
    """The start of every entry id: the site's host, and the language unless English (whose ids came first)."""
    host = settings.site_url.split("//", 1)[-1].split("/", 1)[0] or "localhost"
    return f"tag:{host},2024:{i18n.prefix(lang)}"


def event_id(event: Event, settings: SiteSettings, lang: str = i18n.DEFAULT) -> str:
    # Stable across builds and across edits elsewhere in the record: deal, date and type.
    position = [e for e in event.deal["events"] if e["date"] == event.date and e["type"] == event.type]
    same = next(i for i, e in enumerate(position) if e["note"] == event.note)
    suffix = f"-{same + 1}" if same else ""
    return f"{tag(settings, lang)}deal/{event.deal.id}/{event.date}/{event.type}{suffix}"


@dataclass(frozen=True)
class FeedEntry:
    title: str
    id: str
    link: str
    updated: str
    summary: str
    published: str | None = None


def atom_document(title: str, feed_path: str, page_path: str, entries: list[FeedEntry],
                  settings: SiteSettings, lang: str = i18n.DEFAULT) -> bytes:
    site = settings.site_url.rstrip("/")
    updated = max((e.updated for e in entries), default="2000-01-01T00:00:00Z")
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
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
              settings: SiteSettings, t: Messages) -> bytes:
    """The newest events that have happened. An entry is published on its event's date and updated
    when its record last changed (from git), since that is when its text could have changed."""
    site = settings.site_url.rstrip("/") + "/" + i18n.prefix(t.lang)
    entries = []
    for event in [e for e in events if e.type != "planned"][:FEED_LENGTH]:
        deal = event.deal
        history = dataset.history.of(deal.path)
        published = atom_time(event.date)
        entries.append(FeedEntry(
            title=t.plain("feeds.entry", country=dataset.countries[deal.recipient].name,
                          type=t.value("event", event.type), title=deal["title"]),
            id=event_id(event, settings, t.lang), link=f"{site}{urls.deal_page(deal.id)}",
            updated=max(published, atom_time(history.changed.date)) if history else published,
            summary=f"{event.date}: {event.note}", published=published if history else None))
    return atom_document(title, feed_path, i18n.prefix(t.lang) + page_path, entries, settings, t.lang)


def changes_feed(dataset: Dataset, settings: SiteSettings, t: Messages) -> bytes:
    """One entry per record, most recently changed first, updated when it last changed."""
    site = settings.site_url.rstrip("/") + "/" + i18n.prefix(t.lang)
    entries = []
    for folder, record, history in dataset.changed_records():
        name = record.get("title") or record["name"]
        what = t.value("change", "added" if history.added == history.changed else "changed")
        entries.append(FeedEntry(
            title=t.plain("feeds.change_entry", name=name, what=what),
            id=f"{tag(settings, t.lang)}record/{folder}/{record.id}",
            link=f"{site}{urls.record_page(folder, record.id)}", updated=atom_time(history.changed.date),
            summary=t.plain("feeds.change_summary", what=what, date=history.changed.date,
                            commit=history.changed.commit[:12]),
            published=atom_time(history.added.date)))
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    feeds = urls.Feeds(i18n.prefix(t.lang))
    return atom_document(t.plain("feeds.changes", site=settings.site_name), feeds.changes,
                         i18n.prefix(t.lang) + urls.CHANGES, entries[:FEED_LENGTH], settings, t.lang)


def feed_files(dataset: Dataset, settings: SiteSettings, last: Mapping[str, bytes] | None = None,
               edit: Edit | None = None) -> dict[str, bytes]:
    """Every feed in every language, with a sitemap per feeds folder. Given the last build's files and
    the `edit` since (pages/incremental.py), a feed is the last build's when the edit does not reach
    the page it follows, which shows the same records: the timeline (the newest events), the changes
    page (the latest record changes), a country's or a company's page (their events)."""
    events = dataset.events()
    by_country: dict[str, list[Event]] = {}
    by_company: dict[str, list[Event]] = {}
    for event in events:  # newest first, so each group stays newest first
        by_country.setdefault(event.deal.recipient, []).append(event)
        for company_id in dict.fromkeys(event.deal.suppliers):
            by_company.setdefault(company_id, []).append(event)

    def kept(path: str, page: str) -> bytes | None:
        if edit is not None and last is not None and page not in edit.pages:
            return last.get(path)
        return None

    files = {}
    for lang in i18n.LANGUAGES:
        t, feeds = Messages(lang), urls.Feeds(i18n.prefix(lang))
        site = settings.site_name
        written = {feeds.changes: kept(feeds.changes, urls.CHANGES) or changes_feed(dataset, settings, t),
                   feeds.all: kept(feeds.all, urls.TIMELINE) or atom_feed(
                       t.plain("feeds.all", site=site), feeds.all, urls.TIMELINE, events, dataset, settings, t)}
        for code, country_events in sorted(by_country.items()):
            country = dataset.countries[code]
            path, page = feeds.country(country), urls.country_page(country)
            written[path] = kept(path, page) or atom_feed(
                t.plain("feeds.country", site=site, name=country.name), path, page, country_events,
                dataset, settings, t)
        for company_id, company in sorted(dataset.companies.items()):
            path, page = feeds.company(company_id), urls.company_page(company_id)
            written[path] = kept(path, page) or atom_feed(
                t.plain("feeds.company", site=site, name=company["name"]), path, page,
                by_company.get(company_id, []), dataset, settings, t)
        written[feeds.sitemap] = feeds_sitemap(sorted(written), settings)
        files.update(written)
    return files


def feeds_sitemap(paths: list[str], settings: SiteSettings) -> bytes:
    """A sitemap of the feeds. Material for MkDocs reads every <link rel="alternate"> as a translation
    of the page and fetches the sitemap.xml beside it, so the feeds folder has one."""
    site = settings.site_url.rstrip("/")
    urls = "".join(f"  <url><loc>{xml_escape(site)}/{path}</loc></url>\n" for path in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n").encode()
