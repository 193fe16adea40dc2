"""MkDocs adapter: wires MkDocs events to the `tracker` package, which holds all the logic.

on_config loads and validates the dataset (every error logged, then the build fails), reads each
record's history from git, and adds the Markdown preprocessor that sets aside the generated pages' HTML
blocks before Python-Markdown's parser reads them (tracker/raw_html.py; on_page_markdown turns it on
for generated pages only). on_env gives MkDocs' theme environment a cache of compiled templates in
.cache/ (tracker/theme_cache.py). on_files renders the pages and writes the data exports into the site
folder (there rather than in on_post_build: a second process writes them while this one renders,
which measured faster; see CONTRIBUTING.md), adds the pages, and points each page's edit link at the
file a reader would edit. Nothing is written into docs/.

Every page exists in English and in Turkish (under tr/, see tracker/i18n.py). on_nav builds the
Turkish navigation beside MkDocs' English one; on_page_context gives each page its language's
navigation, Material's strings in that language and the language switch to the same page in the other.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, get_navigation
from tracker import i18n, urls
from tracker.background import BackgroundFailed
from tracker.errors import DatasetInvalid, format_errors
from tracker.generated import GENERATED
from tracker.history import read_history
from tracker.load import load_dataset
from tracker.model import Dataset, SiteSettings
from tracker.pages import BrokenLink
from tracker.raw_html import GENERATED_HTML
from tracker.search import adjust_entries
from tracker.site import RENDERS
from tracker.theme_cache import theme_bytecode_cache

log = logging.getLogger("mkdocs.hooks.tracker")


@dataclass
class Build:
    """What on_config loaded, for on_files to render."""

    root: Path
    dataset: Dataset
    settings: SiteSettings


_build: Build | None = None


def _project_root(config) -> Path:
    """The folder of mkdocs.yml, which holds data/ and .cache/."""
    return Path(config.config_file_path).resolve().parent


def on_startup(command, dirty):
    GENERATED.start(command, dirty)  # `mkdocs serve --dirtyreload`: rebuild only the pages that changed
    RENDERS.keep = command == "serve"  # render again only what an edit can have changed (pages/incremental.py)


def on_config(config):
    global _build
    root = _project_root(config)
    try:
        dataset = load_dataset(root, cache=True)
    except DatasetInvalid as invalid:
        for line in format_errors(invalid.errors):
            log.error(line)
        raise PluginError(f"the dataset has {len(invalid.errors)} error(s), listed above") from None
    dataset.history = read_history(root)
    if dataset.history.note:
        log.info(f"record history: {dataset.history.note}")
    settings = SiteSettings(site_name=config.site_name, site_url=config.site_url or "", repo_url=config.repo_url or "")
    _build = Build(root=root, dataset=dataset, settings=settings)
    if GENERATED_HTML not in config.markdown_extensions:
        config.markdown_extensions.append(GENERATED_HTML)  # generated pages' HTML blocks, set aside at once
    return config


def on_files(files: Files, config) -> Files:
    global _build
    build = _build
    if build is None:
        raise PluginError("on_files ran before on_config loaded the dataset")
    try:  # MkDocs has cleaned the site folder by now, so the exports can be written into it
        pages = RENDERS.render(build.dataset, build.settings, build.root, Path(config.site_dir), build.root / ".cache")
    except BrokenLink as broken:
        raise PluginError(f"generated pages link to missing pages: {broken}") from None
    except BackgroundFailed as failed:
        raise PluginError(f"rendering the site failed in its second process:\n{failed}") from None
    for file in files.documentation_pages():
        file.edit_uri = f"docs/{file.src_uri}"
    for src_uri, page in pages.items():
        file = GENERATED.file(config, src_uri, page.markdown)
        file.edit_uri = page.edit_path
        files.append(file)
    # The dataset is not needed once the pages are rendered: let it go (at 10,000 deals it is hundreds of
    # MB that MkDocs' own work would otherwise sit beside), then keep the garbage collector from scanning
    # what remains again after every few thousand allocations while MkDocs renders the pages. `mkdocs
    # serve` keeps the dataset (in RENDERS) and its heap is mostly the last builds' objects: a full
    # collection there frees little and took 50-70 ms of a 0.5 s rebuild at the real size.
    _build = None
    del build, pages
    if not RENDERS.keep:
        gc.collect()
    gc.freeze()
    return files


_search: dict[str, Any] = {}


_navigation: dict[str, Navigation] = {}


def on_nav(nav: Navigation, config, files: Files) -> Navigation:
    """The English navigation is MkDocs' own, from mkdocs.yml; the other languages' have the same
    structure, their pages under the language's prefix and their titles from the catalogue."""
    _navigation.clear()
    _navigation[i18n.DEFAULT] = nav
    english = config["nav"]
    try:
        for lang in i18n.LANGUAGES:
            if lang == i18n.DEFAULT:
                continue
            config["nav"] = i18n.navigation(english, lang)
            for src_uri in i18n.nav_sources(config["nav"]):  # made untitled by MkDocs' pass; titled by this one
                file = files.get_file_from_path(src_uri)
                if file is not None:
                    file.page = None
            translated = get_navigation(files, config)
            translated.homepage = next((p for p in translated.pages if p.url == i18n.prefix(lang)), None)
            _navigation[lang] = translated
    finally:
        config["nav"] = english
    return nav


def on_env(env, config, files):
    # MkDocs compiles the theme's templates again at every build; compiled once, they are kept in .cache/.
    env.bytecode_cache = theme_bytecode_cache(env, _project_root(config) / ".cache")
    env.globals["home_pages"] = [i18n.prefix(lang) for lang in i18n.LANGUAGES]
    env.globals["page_alternates"] = i18n.alternates  # the sitemap's hreflang links
    # Pages are built one by one after this: Material's search appends each page's entries to its list,
    # then on_page_context below adjusts them; `start` is where the next page's entries begin.
    index = getattr(config.plugins.get("material/search"), "search_index", None)
    _search.update(entries=index.entries if index is not None else None,
                   start=len(index.entries) if index is not None else 0)
    return env


def on_page_markdown(markdown, page, config, files):
    # MkDocs keeps page.markdown: the file's copy can go (generated.py). MkDocs converts this page next:
    # its HTML blocks are set aside before Python-Markdown parses them only if it is a generated one.
    GENERATED_HTML.blocks.active = GENERATED.page_read(page.file)
    return markdown


@event_priority(-100)  # after Material's search plugin has indexed the page
def on_page_context(context, page, config, nav):
    if _search.get("entries") is not None:
        adjust_entries(_search["entries"], _search["start"], page.url, page.content or "", page.meta)
        _search["start"] = len(_search["entries"])
    lang = i18n.language_of(page.url)
    context["nav"] = _navigation.get(lang, nav)
    context["page_language"] = lang  # read by overrides/partials/language.html: Material's own strings
    t = i18n.Messages(lang)
    feeds = urls.Feeds(i18n.prefix(lang))
    context["site_feed"] = {"title": t.plain("feeds.all", site=config.site_name), "path": feeds.all}
    context["page_feed_title"] = t.plain("feeds.page_feed", title=page.title or "")
    context["alternates"] = i18n.alternates(page.url)  # the language switch (overrides/partials/alternate.html)
    GENERATED.page_built(page.url)
    return context


@event_priority(100)  # before Material's search plugin writes the index
def on_post_build(config) -> None:
    gc.unfreeze()  # `mkdocs serve` rebuilds in the same process: let this build's objects go
    GENERATED.merge_search_index(config.plugins.get("material/search"))
    GENERATED.finished(succeeded=True)


def on_build_error(error) -> None:
    gc.unfreeze()  # as on_post_build: a failed build in `mkdocs serve` leaves its objects collectable too
    GENERATED.finished(succeeded=False)
