"""Serving a built site on 127.0.0.1 and driving Debian's chromium through Playwright.

The `browser` and `site_url` fixtures that use these helpers are in conftest.py."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]

PAGE_TYPES = {
    "home": "",
    "timeline": "timeline/",
    "countries": "countries/",
    "country": "countries/kosovo/",
    "companies": "companies/",
    "company": "companies/baykar/",
    "systems": "systems/",
    "system": "systems/bayraktar-tb2/",
    "deals": "deals/",
    "deal": "deals/small-arms-ammunition-plant-kosovo/",
    "sources": "sources/",
    "seeds": "seeds/",
    "methodology": "methodology/",
    "data": "data/",
    "contribute": "contribute/",
}
# The same page types in every language (Turkish under tr/), for the tests that hold for both.
EVERY_LANGUAGE = {**PAGE_TYPES, **{f"tr-{name}": "tr/" + path for name, path in PAGE_TYPES.items()}}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class PrefixHandler(QuietHandler):
    """Serves the site only under `prefix`, as GitHub project pages do (`/<repo>/`)."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])


class GzipHandler(PrefixHandler):
    """Compresses text responses, as GitHub Pages does, for realistic performance measurements."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or \
                path.suffix not in (".html", ".css", ".js", ".json", ".xml", ".svg"):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(site: Path, prefix: str = "/", compress: bool = False) -> Iterator[str]:
    handler = type("Handler", (GzipHandler if compress else PrefixHandler,), {"prefix": prefix})
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site))) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
        finally:
            server.shutdown()


def open_page(browser, url: str, **context_options) -> tuple[Page, list[str], list[str]]:
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    origin = url.split("/tracker/", 1)[0]
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((origin, "data:", "blob:", "about:")) else None)
    page.goto(url, wait_until="networkidle")
    return page, errors, outside


def search_for(page: Page, query: str, timeout_ms: int = 10000) -> None:
    """Type `query` into Material's search box and wait for its first results. Typed as a reader types,
    key by key: filling the box at once was sometimes never picked up by the theme's search. The worker
    loads its index in the background meanwhile, so it gets three tries."""
    box = page.locator(".md-search__input")
    results = page.locator(".md-search-result__item")
    for _ in range(3):
        box.click()
        box.press_sequentially(query, delay=20)
        try:
            results.first.wait_for(timeout=timeout_ms)
            return
        except Exception:
            box.fill("")
