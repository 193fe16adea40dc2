"""The whole site's output from a loaded dataset: every page's Markdown, and the export files
written into the site folder. The work is split between two processes where that is possible
(see background.py); the output is the same either way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .background import Background
from .exports import ExportRenderer, write_exports
from .model import Dataset, GeneratedPage, SiteSettings
from .pages import SECTIONS, SiteRenderer, raise_broken_links

# Rendered by the second process, which then writes the export files. Deal pages share no rendered
# fragments with the other sections, and this split gave the most even loads, measured at 230,
# 1,000 and 10,000 deals (moving system pages there too made the build 1.3 s slower at 10,000).
BACKGROUND_SECTIONS = ("deals",)


def render_site(dataset: Dataset, settings: SiteSettings, root: Path, site_dir: Path,
                cache_dir: Path | None = None, last: Render | None = None,
                written: dict[str, bytes] | None = None) -> Render:
    """Every generated page by source path (`.pages`), in every language; the export files are in
    `site_dir` when this returns. Raises BrokenLink if a page links to a page or a site file that does
    not exist. In `mkdocs serve`: `last`, the previous build's render, whose pages and export files are
    reused where this dataset's changes cannot reach them (pages/incremental.py), and `written`, the
    export files written so far, not written again when unchanged (exports.write_exports)."""
    renderer = SiteRenderer(dataset, settings, root / "data" / "schema", cache_dir,
                            last=last.renderer if last else None)
    exports = ExportRenderer(dataset, settings, root, last=last.exports if last else None, edit=renderer.edit)

    def in_background():
        pages, broken, files = renderer.render_sections(BACKGROUND_SECTIONS)
        return pages, broken, files, write_exports(exports.render(), site_dir, written)

    background = Background(in_background)
    pages, broken, files = renderer.render_sections(s for s in SECTIONS if s not in BACKGROUND_SECTIONS)
    more_pages, more_broken, more_files, sizes = background.result()
    data_pages, data_broken, data_files = renderer.render_data_page(sizes)
    pages.update(more_pages)
    pages.update(data_pages)
    missing = sorted((files | more_files | data_files) - sizes.keys())
    raise_broken_links(broken + more_broken + data_broken +
                       [f"a generated page links to missing file /{path}" for path in missing])
    renderer.complete(pages)
    return Render(renderer, exports)


@dataclass(frozen=True)
class Render:
    """One build's renderers: of the pages, and of the export files (whose `files` are empty when they
    were rendered in the second process, and so not kept: the next build renders them all)."""

    renderer: SiteRenderer
    exports: ExportRenderer

    @property
    def pages(self) -> dict[str, GeneratedPage]:
        return self.renderer.pages


class Renders:
    """The site's renders in one process. In `mkdocs serve` (`keep`), each build's render and the export
    files it wrote are kept for the next build to start from; `mkdocs build` renders once and keeps nothing."""

    def __init__(self) -> None:
        self.keep = False
        self.last: Render | None = None
        self.written: dict[str, bytes] = {}

    def render(self, dataset: Dataset, settings: SiteSettings, root: Path, site_dir: Path,
               cache_dir: Path | None = None) -> dict[str, GeneratedPage]:
        render = render_site(dataset, settings, root, site_dir, cache_dir, last=self.last,
                             written=self.written if self.keep else None)
        self.last = render if self.keep else None
        return render.pages


RENDERS = Renders()
