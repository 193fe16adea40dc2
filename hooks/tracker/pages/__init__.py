"""Render the dataset into Markdown pages (`{src_uri: GeneratedPage}`), with no MkDocs import.

One module per page type, each with a `render(ctx)` that adds its pages to the shared PageContext
(context.py). Data reaches pages only through autoescaped Jinja templates and the escaped fragments
of fragments.py, inside raw HTML blocks that Markdown leaves alone, so contributor text is always
shown as text. Links are relative, so the site works under any sub-path, and every one is checked
against what the build generates: pages at once, export files once they are written (site.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..model import Dataset, GeneratedPage, SiteSettings
from . import changes, companies, countries, deals, home, methodology, seeds, sources, systems, timeline
from .context import PageContext

# Each section of the site and the function that renders its pages. The Data page is not here: it
# lists the export files, so site.py renders it once they are written (pages/data.py).
RENDERERS: dict[str, Callable[[PageContext], None]] = {
    "home": home.render,
    "timeline": timeline.render,
    "countries": countries.render,
    "companies": companies.render,
    "systems": systems.render,
    "deals": deals.render,
    "sources": sources.render,
    "seeds": seeds.render,
    "methodology": methodology.render,
    "changes": changes.render,
}
SECTIONS = tuple(RENDERERS)


class BrokenLink(Exception):
    pass


def raise_broken_links(broken: list[str]) -> None:
    if broken:
        raise BrokenLink("; ".join(sorted(set(broken))))


class SiteRenderer:
    """Renders sections of the site from one dataset, sharing one PageContext between them."""

    def __init__(self, dataset: Dataset, settings: SiteSettings, schema_dir: Path, cache_dir: Path | None = None):
        self.context = PageContext(dataset, settings, schema_dir, cache_dir)

    def render_sections(self, sections: Iterable[str]) -> tuple[dict[str, GeneratedPage], list[str], set[str]]:
        """The pages of these sections, the links among them that lead to no page, and the site files
        they link to (checked by the caller against the files written)."""
        ctx = self.context
        ctx.pages, ctx.broken, ctx.linked_files = {}, [], set()
        for section in sections:
            RENDERERS[section](ctx)
        return ctx.pages, ctx.broken, ctx.linked_files

    def render_all(self) -> dict[str, GeneratedPage]:
        """Every section's pages; raises BrokenLink for a link to a page that does not exist."""
        pages, broken, _ = self.render_sections(SECTIONS)
        raise_broken_links(broken)
        return pages
