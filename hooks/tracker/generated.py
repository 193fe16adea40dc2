"""The MkDocs files of the generated pages: their memory, and `mkdocs serve --dirtyreload`.

Memory: MkDocs reads a page's Markdown from its file, keeps the text after the front matter as
`page.markdown` (a new string) and, for a generated file, the file keeps its whole Markdown as well:
every page's Markdown twice (at 10,000 deals, 160 MB of text, more as Python strings). Once MkDocs has
read a generated page, `page_read` lets the file's copy go, as a page read from disk has none.

Dirty reload: MkDocs' dirty mode rebuilds a page when its source is newer than its HTML; a generated
page has no source file, so MkDocs counts it as modified on every rebuild, and editing one deal
rebuilt every page. Here each generated page's Markdown is compared with what the previous build of
the same server wrote, and a page whose Markdown is unchanged (and whose HTML is still there) is
reported unmodified. The previous Markdown is kept as text: the server's renderer keeps the same
strings for its next render (pages/incremental.py), and a page it does not render again is the very
same string, which compares at once.
Every page that shows the edited record (its deal page, the country, company and system pages, the
lists, the timeline, the home page) has different Markdown, so it is rebuilt: what is skipped is
exactly what would come out the same. Pages depend also on the nav and the theme, as in MkDocs' own
dirty mode, which leaves them stale as well; restart the server after changing those.

Material's search, in dirty mode, keeps the previous index and replaces the entries of one rebuilt
page only (the first); `merge_search_index` replaces those of every rebuilt page. Nothing changes
outside `mkdocs serve --dirtyreload`.
"""

from __future__ import annotations

import os
from typing import Any, cast

from mkdocs.structure.files import File


class _GeneratedFile(File):
    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged and super().is_modified()


class GeneratedPages:
    def __init__(self) -> None:
        self.enabled = False
        self._built: dict[str, str] = {}  # page source -> the Markdown the last finished build wrote
        self._pending: dict[str, str] = {}
        self._rebuilt: set[str] = set()  # URLs of the pages this build renders

    def start(self, command: str, dirty: bool) -> None:
        self.enabled = command == "serve" and dirty
        self._built, self._pending = {}, {}

    def file(self, config: Any, src_uri: str, markdown: str) -> File:
        """The MkDocs file of a generated page, reported unmodified if it is unchanged since the last build."""
        file = cast(_GeneratedFile, _GeneratedFile.generated(config, src_uri, content=markdown))
        if self.enabled:
            self._pending[src_uri] = markdown
            file.unchanged = self._built.get(src_uri) == markdown and os.path.isfile(file.abs_dest_path)
        return file

    def page_read(self, file: File) -> bool:
        """MkDocs has read the page's Markdown (`page.markdown`): let the file's copy of it go. Whether
        the page is a generated one."""
        if isinstance(file, _GeneratedFile):
            file.content_string = ""
            return True
        return False

    def page_built(self, url: str) -> None:
        if self.enabled:
            self._rebuilt.add(url)

    def merge_search_index(self, search: Any) -> None:
        """Before Material writes the index: keep the previous entries of the pages not rebuilt."""
        previous = getattr(search, "search_index_prev", None)
        if self.enabled and previous is not None and hasattr(search, "search_index"):
            kept = [e for e in previous.entries if e["location"].split("#")[0] not in self._rebuilt]
            search.search_index.entries[:0] = kept
            search.search_index_prev = None  # Material then keeps this index for the next build

    def finished(self, succeeded: bool) -> None:
        """After a build: what it wrote is the reference for the next one (after a failure, nothing is)."""
        self._built = self._pending if succeeded else {}
        self._pending, self._rebuilt = {}, set()


GENERATED = GeneratedPages()
