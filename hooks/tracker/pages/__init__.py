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

from .. import i18n
from ..model import Dataset, GeneratedPage, SiteSettings
from . import changes, companies, countries, data, deals, home, methodology, seeds, sources, systems, timeline
from .context import TEMPLATES, PageContext
from .incremental import Edit, edit_between, render_inputs

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
    """Renders sections of the site from one dataset, in every language: one PageContext per language,
    shared by that language's sections.

    Given `last`, the renderer of the previous build in the same process (`mkdocs serve`), and if that
    dataset differs from this one only by some deals' content, it renders only the pages those deals can
    have changed, and `complete` fills in the others from the last render (incremental.py)."""

    def __init__(self, dataset: Dataset, settings: SiteSettings, schema_dir: Path, cache_dir: Path | None = None,
                 languages: Iterable[str] = i18n.LANGUAGES, last: SiteRenderer | None = None):
        self.dataset, self.settings = dataset, settings
        self.contexts = [PageContext(dataset, settings, schema_dir, cache_dir, lang) for lang in languages]
        self.pages: dict[str, GeneratedPage] = {}  # every page, once `complete` has been given this render's
        self.edit: Edit | None = None
        self.inputs = render_inputs(TEMPLATES, schema_dir)  # about 1 ms
        if (last is not None and [c.lang for c in last.contexts] == [c.lang for c in self.contexts]
                and last.inputs == self.inputs):
            self.edit = edit_between(last.dataset, dataset, last.settings, settings)
            if self.edit is not None:
                for context, last_context in zip(self.contexts, last.contexts, strict=True):
                    context.reuse(last_context, self.edit)
                self.pages = dict(last.pages)

    def complete(self, rendered: dict[str, GeneratedPage]) -> dict[str, GeneratedPage]:
        """Every page: those rendered now, and the last render's for those not rendered again."""
        self.pages = dict(sorted({**self.pages, **rendered}.items()))
        return self.pages

    def _collect(self, render: Callable[[PageContext], None]) -> tuple[dict[str, GeneratedPage], list[str], set[str]]:
        pages: dict[str, GeneratedPage] = {}
        broken: list[str] = []
        linked_files: set[str] = set()
        for ctx in self.contexts:
            ctx.pages, ctx.broken, ctx.linked_files = {}, [], set()
            render(ctx)
            pages.update(ctx.pages)
            broken += ctx.broken
            linked_files |= ctx.linked_files
        return pages, broken, linked_files

    def render_sections(self, sections: Iterable[str]) -> tuple[dict[str, GeneratedPage], list[str], set[str]]:
        """The pages of these sections, the links among them that lead to no page, and the site files
        they link to (checked by the caller against the files written)."""
        sections = tuple(sections)

        def render(ctx: PageContext) -> None:
            for section in sections:
                RENDERERS[section](ctx)
        return self._collect(render)

    def render_data_page(self, sizes: dict[str, int]) -> tuple[dict[str, GeneratedPage], list[str], set[str]]:
        """The Data page, which lists the export files written (`sizes` by path)."""
        return self._collect(lambda ctx: data.render(ctx, sizes))

    def render_all(self, sizes: dict[str, int] | None = None) -> dict[str, GeneratedPage]:
        """Every section's pages (and the Data page, given the export files' sizes); raises BrokenLink for a
        link to a page that does not exist."""
        pages, broken, _ = self.render_sections(SECTIONS)
        if sizes is not None:
            more, more_broken, _ = self.render_data_page(sizes)
            pages.update(more)
            broken += more_broken
        raise_broken_links(broken)
        return self.complete(pages)
