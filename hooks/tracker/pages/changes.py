"""The records most recently added or changed, newest first, from the repository's history."""

from __future__ import annotations

from .. import urls
from .context import ABOUT, SEARCH_EXCLUDED, PageContext
from .views import Change

CHANGES_LISTED = 200  # the page lists this many of the most recent additions and changes
KINDS = {"deals": "deal", "companies": "company", "systems": "system"}


def render(ctx: PageContext) -> None:
    if not ctx.renders(urls.CHANGES):
        return
    data = ctx.data
    changes = []
    for folder, record, history in data.changed_records():
        changes.append(Change(date=history.changed.date, commit=history.changed.commit, kind=KINDS[folder],
                              what="added" if history.added == history.changed else "changed",
                              target=urls.record_page(folder, record.id),
                              name=record.get("title") or record["name"], record=record))
    changes.sort(key=lambda c: (c.date, c.target), reverse=True)
    ctx.render("changes.md", "changes.html", "data/deals/", ctx.t.plain("changes.title"),
               ctx.t.plain("changes.description"), meta=SEARCH_EXCLUDED, hide=ABOUT,
               changes=changes[:CHANGES_LISTED],
               total=len(changes), note=data.history.note,
               commit_url=f"{ctx.settings.repo_url.rstrip('/')}/commit/")
