"""The whole site's output from a loaded dataset: every page's Markdown, and the export files
written into the site folder. The work is split between two processes where that is possible
(see background.py); the output is the same either way."""

from __future__ import annotations

from pathlib import Path

from .background import Background
from .exports import data_page, write_exports
from .model import Dataset
from .pages import SECTIONS, GeneratedPage, SiteRenderer, SiteSettings, raise_broken_links

# Rendered by the second process, which then writes the export files. Deal pages share no rendered
# fragments with the other sections, and this split gave the most even loads, measured at 230,
# 1,000 and 10,000 deals (moving system pages there too made the build 1.3 s slower at 10,000).
BACKGROUND_SECTIONS = ("deals",)


def render_site(dataset: Dataset, settings: SiteSettings, root: Path, site_dir: Path,
                cache_dir: Path | None = None) -> dict[str, GeneratedPage]:
    """Every generated page by source path; the export files are in `site_dir` when this returns.
    Raises BrokenLink if a page links to a page that does not exist."""
    renderer = SiteRenderer(dataset, settings, root / "data" / "schema", cache_dir)

    def in_background():
        pages, broken = renderer.render_sections(BACKGROUND_SECTIONS)
        return pages, broken, write_exports(dataset, settings, root, site_dir)

    background = Background(in_background)
    pages, broken = renderer.render_sections(s for s in SECTIONS if s not in BACKGROUND_SECTIONS)
    more_pages, more_broken, sizes = background.result()
    raise_broken_links(broken + more_broken)
    pages.update(more_pages)
    pages["data.md"] = data_page(sizes, dataset, renderer.env)
    return dict(sorted(pages.items()))
