"""Rendering again after an edit (`mkdocs serve`) gives exactly what rendering everything gives.

The real dataset is rendered once; then one deal (or two) is edited in each way a deal can change, and
the render that starts from the first (pages/incremental.py: only the pages the edit can reach, the rows
and timeline entries of the other deals kept) is compared page by page with a render of the edited
dataset from nothing. Edits that reach beyond deals must render everything.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import html
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tracker.exports
import tracker.pages
from checkout import DATASET, copy_project
from mkdocs.config import load_config
from serve_process import fetch, free_port, mkdocs_serve
from tracker import urls
from tracker.charts import WORLD_OUTLINE
from tracker.exports import ExportRenderer, export_files, write_exports
from tracker.model import Dataset, Deal, SiteSettings
from tracker.pages import SiteRenderer
from tracker.pages.context import TEMPLATES
from tracker.pages.incremental import Edit

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "data" / "schema"
SETTINGS = SiteSettings(site_url="https://example.github.io/tracker/", repo_url="https://github.com/o/tracker",
                        as_of=dt.date(2026, 12, 2))


@pytest.fixture(scope="module")
def first() -> SiteRenderer:
    renderer = SiteRenderer(DATASET, SETTINGS, SCHEMA)
    renderer.render_all()
    return renderer


def edited(dataset: Dataset, changes: dict[str, Callable[[dict[str, Any]], None]]) -> Dataset:
    """A copy of `dataset` with each named deal's fields changed in place by its function."""
    deals = dict(dataset.deals)
    for deal_id, change in changes.items():
        data = copy.deepcopy(dataset.deals[deal_id].data)
        change(data)
        deals[deal_id] = Deal(deal_id, dataset.deals[deal_id].path, data)
    return dataclasses.replace(dataset, deals=deals, _indexes={})


def with_related(dataset: Dataset) -> str:
    return next(i for i in sorted(dataset.deals) if dataset.related_deals(i))


def other_recipient(dataset: Dataset, deal_id: str) -> str:
    return next(d.recipient for d in dataset.deals.values() if d.recipient != dataset.deals[deal_id].recipient)


def other_system(dataset: Dataset, deal_id: str) -> str:
    return next(s for s in sorted(dataset.systems) if s not in dataset.deals[deal_id].systems)


def other_supplier(dataset: Dataset, deal_id: str) -> str:
    return next(c for c in sorted(dataset.companies) if c not in dataset.deals[deal_id].suppliers)


def unrelate(dataset: Dataset, deal_id: str) -> dict[str, Callable[[dict[str, Any]], None]]:
    """Edits that remove every link between `deal_id` and its related deals, from both ends."""
    def without(other: str) -> Callable[[dict[str, Any]], None]:
        return lambda f: f.update(related=[i for i in f.get("related", []) if i != other])
    return {deal_id: lambda f: f.update(related=[]),
            **{i: without(deal_id) for i in dataset.related_deals(deal_id)}}


def unrelated_pair(dataset: Dataset) -> tuple[str, str]:
    ids = sorted(dataset.deals)
    return ids[3], next(i for i in ids[200:] if i not in dataset.related_deals(ids[3]))


# Each case: a name, and from the dataset, the edits to make (deal id -> change of its fields).
EDITS: dict[str, Callable[[Dataset], dict[str, Callable[[dict[str, Any]], None]]]] = {
    "summary": lambda d: {with_related(d): lambda f: f.update(summary="Rewritten " + f["summary"])},
    "title of a deal with related deals": lambda d: {with_related(d): lambda f: f.update(title="Renamed deal")},
    "status": lambda d: {with_related(d): lambda f: f.update(status="cancelled")},
    "recipient": lambda d: {"bayraktar-tb2-kosovo": lambda f: f.update(
        recipient=other_recipient(d, "bayraktar-tb2-kosovo"))},
    "system": lambda d: {"bayraktar-tb2-kosovo": lambda f: f["items"][0].update(
        system=other_system(d, "bayraktar-tb2-kosovo"))},
    "supplier": lambda d: {"bayraktar-tb2-kosovo": lambda f: f.update(
        suppliers=[other_supplier(d, "bayraktar-tb2-kosovo")])},
    "quantities": lambda d: {"bayraktar-tb2-kosovo": lambda f: f["items"][0].update(ordered=999, delivered=3)},
    "a new latest event": lambda d: {"bayraktar-tb2-kosovo": lambda f: f["events"].append(
        {"date": "2026-11-30", "type": "delivery", "note": "A newly reported delivery"})},
    "related to a deal that had none": lambda d: {"bayraktar-tb2-kosovo": lambda f: f.update(
        related=[next(i for i in sorted(d.deals) if i != "bayraktar-tb2-kosovo" and not d.related_deals(i))])},
    "no longer related (both files)": lambda d: unrelate(d, with_related(d)),
    "checked long ago (needs checking)": lambda d: {with_related(d): lambda f: f.update(checked="2019-01-01")},
    "sources": lambda d: {with_related(d): lambda f: f["sources"].append(
        {**f["sources"][0], "url": "https://example.org/new-source", "publisher": "A New Publisher"})},
    "Turkish text": lambda d: {"bayraktar-tb2-kosovo": lambda f: f.update(title_tr="Yeni başlık")},
    "Turkish summary": lambda d: {with_related(d): lambda f: f.update(summary_tr="Yeniden yazılmış özet.")},
    "notes": lambda d: {with_related(d): lambda f: f.update(notes="Sources disagree on the date.")},
    "summary and status": lambda d: {with_related(d): lambda f: f.update(summary="Rewritten", status="cancelled")},
    "two deals at once": lambda d: {i: lambda f: f.update(title=f["title"] + " (edited)") for i in unrelated_pair(d)},
}


@pytest.mark.parametrize("case", list(EDITS))
def test_rendering_again_after_an_edit_gives_every_page_as_a_full_render(first: SiteRenderer, case: str):
    dataset = edited(first.dataset, EDITS[case](first.dataset))
    again = SiteRenderer(dataset, SETTINGS, SCHEMA, last=first)
    assert again.edit is not None and again.edit.deals, "an edit of deals alone must be rendered incrementally"
    pages = again.render_all()
    full = SiteRenderer(dataset, SETTINGS, SCHEMA).render_all()
    assert pages.keys() == full.keys()
    wrong = [uri for uri in full if pages[uri] != full[uri]]
    assert not wrong, f"{len(wrong)} page(s) differ from a full render, such as {wrong[:5]}"
    changed = [uri for uri in full if full[uri] != first.pages[uri]]
    assert changed, "the edit must show somewhere"
    reused = sum(pages[uri] is first.pages[uri] for uri in pages)
    assert reused > len(pages) * 0.8, f"only {reused} of {len(pages)} pages were reused"


def test_an_edit_of_what_only_the_deal_page_shows_renders_that_page_alone(first: SiteRenderer):
    deal_id = with_related(first.dataset)
    dataset = edited(first.dataset, {deal_id: lambda f: f.update(summary="Rewritten", notes="New", summary_tr="Yeni")})
    pages = SiteRenderer(dataset, SETTINGS, SCHEMA, last=first).render_all()
    rendered = sorted(uri for uri in pages if pages[uri] is not first.pages[uri])
    page = urls.page_source(urls.deal_page(deal_id))
    assert rendered == [page, f"tr/{page}"]
    assert "Rewritten" in pages[page].markdown and "Yeni" in pages[f"tr/{page}"].markdown


@pytest.fixture(scope="module")
def first_exports() -> ExportRenderer:
    renderer = ExportRenderer(DATASET, SETTINGS, ROOT)
    renderer.render()
    return renderer


@pytest.mark.parametrize("case", list(EDITS))
def test_export_files_after_an_edit_are_those_of_a_full_render(first: SiteRenderer, first_exports: ExportRenderer,
                                                              case: str):
    dataset = edited(first.dataset, EDITS[case](first.dataset))
    edit = SiteRenderer(dataset, SETTINGS, SCHEMA, last=first).edit
    again = ExportRenderer(dataset, SETTINGS, ROOT, last=first_exports, edit=edit)
    files = again.render()
    full = export_files(dataset, SETTINGS, ROOT)
    assert files.keys() == full.keys()
    wrong = [path for path in full if files[path] != full[path]]
    assert not wrong, f"{len(wrong)} file(s) differ from a full render, such as {wrong[:5]}"
    assert any(full[path] != first_exports.files[path] for path in full), "the edit must show somewhere"
    kept_entries = sum(again.entries[i] is first_exports.entries[i] for i in dataset.deals)
    assert kept_entries >= len(dataset.deals) - 3, f"only {kept_entries} deals' API entries were kept"
    feeds = [path for path in full if path.endswith(".xml") and ("/country-" in path or "/company-" in path)]
    kept_feeds = sum(files[path] is first_exports.files[path] for path in feeds)
    assert kept_feeds > len(feeds) * 0.8, f"only {kept_feeds} of {len(feeds)} country and company feeds were kept"
    if edit is not None and urls.TIMELINE not in edit.pages:  # an edit only the deal's own page shows: no feed changes
        assert all(files[path] is first_exports.files[path] for path in full
                   if path.endswith(".xml") and not path.endswith("sitemap.xml"))
    kept_lines = sum(again.lines[i] is first_exports.lines[i] for i in dataset.deals)
    assert len(dataset.deals) * 0.9 < kept_lines < len(dataset.deals), f"{kept_lines} deals' CSV lines were kept"


def test_edits_beyond_deals_render_everything(first: SiteRenderer):
    dataset = first.dataset
    company = sorted(dataset.companies)[0]
    renamed = dataclasses.replace(dataset, _indexes={}, companies={
        **dataset.companies, company: dataclasses.replace(dataset.companies[company],
                                                          data={**dataset.companies[company].data, "name": "X"})})
    only = next(d for d in sorted(dataset.deals) if len(dataset.deals_for_country(dataset.deals[d].recipient)) == 1)
    moved = edited(dataset, {only: lambda f: f.update(recipient=other_recipient(dataset, only))})  # a page goes
    later = dataclasses.replace(SETTINGS, as_of=dt.date(2027, 1, 1))
    last_exports = ExportRenderer(dataset, SETTINGS, ROOT)
    last_exports.render()
    for new, settings in ((renamed, SETTINGS), (moved, SETTINGS), (dataset, later)):
        again = SiteRenderer(new, settings, SCHEMA, last=first)
        assert again.edit is None
        assert again.render_all() == SiteRenderer(new, settings, SCHEMA).render_all()
        exports = ExportRenderer(new, settings, ROOT, last=last_exports, edit=again.edit)
        assert exports.render() == export_files(new, settings, ROOT)


def test_a_saved_schema_or_template_renders_everything(first: SiteRenderer, tmp_path: Path, monkeypatch):
    """`mkdocs serve` also rebuilds when a schema, a template or a message catalogue is saved: the
    dataset is the same, but no page of the last render may be reused."""
    schema = tmp_path / "schema"
    shutil.copytree(SCHEMA, schema)
    assert SiteRenderer(first.dataset, SETTINGS, schema, last=first).edit == Edit(frozenset(), frozenset())
    deal_schema = schema / "deal.schema.json"
    deal_schema.write_text(deal_schema.read_text("utf-8").replace('"description": "', '"description": "New. ', 1),
                           "utf-8")
    again = SiteRenderer(first.dataset, SETTINGS, schema, last=first)
    assert again.edit is None
    assert again.render_all() == SiteRenderer(first.dataset, SETTINGS, schema).render_all()
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "deal.html").write_text((TEMPLATES / "deal.html").read_text("utf-8") + "\n", "utf-8")
    monkeypatch.setattr(tracker.pages, "TEMPLATES", templates)
    assert SiteRenderer(first.dataset, SETTINGS, SCHEMA, last=first).edit is None


def shows_text(url: str, text: str) -> bool:
    return text in fetch(url)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 300) -> None:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.2)


@pytest.mark.parametrize("options", [(), ("--dirtyreload",)], ids=["serve", "serve --dirtyreload"])
def test_a_saved_deal_shows_on_every_page_that_shows_it_in_mkdocs_serve(tmp_path: Path, options: tuple[str, ...]):
    """A real `mkdocs serve`: after a deal's title is saved, every page that lists the deal shows the new
    title (found again, on a rebuild that renders only what the edit reaches), and the others still
    show what they showed."""
    project = copy_project(tmp_path)
    port = free_port()
    site_path = urllib.parse.urlsplit(str(load_config(str(project / "mkdocs.yml")).site_url)).path
    base = f"http://127.0.0.1:{port}{site_path}"
    deal = project / "data" / "deals" / "bayraktar-tb2-kosovo.yaml"
    old_title = DATASET.deals["bayraktar-tb2-kosovo"]["title"]
    other = sorted(DATASET.deals)[0]
    shows = ["deals/bayraktar-tb2-kosovo/", "tr/deals/bayraktar-tb2-kosovo/", "countries/kosovo/", "timeline/",
             "deals/", "companies/baykar/", "systems/bayraktar-tb2/", "sources/"]
    output: list[str] = []
    with mkdocs_serve(project, port, *options, log=output):
        wait_until(lambda: html.escape(old_title) in fetch(base + shows[0]), "the first build")
        deal.write_text(deal.read_text("utf-8").replace(old_title, "Drones for Kosovo, renamed"), "utf-8")
        for page in shows:
            wait_until(functools.partial(shows_text, base + page, "Drones for Kosovo, renamed"),
                       f"the new title on /{page}", timeout=90)
        assert html.escape(DATASET.deals[other]["title"]) in fetch(base + f"deals/{other}/")
        assert html.escape(old_title) not in fetch(base + "timeline/")
        # A summary only its own page shows: that page alone is rendered again (pages/incremental.py).
        deal.write_text(deal.read_text("utf-8").replace("summary: >-\n  ", "summary: >-\n  Qzxsaved ", 1), "utf-8")
        wait_until(functools.partial(shows_text, base + shows[0], "Qzxsaved"), "the new summary", timeout=90)
        assert "Drones for Kosovo, renamed" in fetch(base + "timeline/")
        assert "Qzxsaved" in fetch(base + "api/v1/deals/bayraktar-tb2-kosovo.json")
    log = output[0]
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]


def test_export_files_unchanged_since_the_last_write_are_not_written_again(first: SiteRenderer, tmp_path: Path,
                                                                          monkeypatch):
    written: dict[str, bytes] = {}
    site = tmp_path / "site"
    write_exports(export_files(first.dataset, SETTINGS, ROOT), site, written)
    dataset = edited(first.dataset, {"bayraktar-tb2-kosovo": lambda f: f.update(status="cancelled")})
    (site / WORLD_OUTLINE).unlink()  # unchanged but gone from the folder (as after MkDocs cleans it)
    writes: list[str] = []

    def counted(path: str, mode: str = "r", *args, **kwargs):
        if "w" in mode:
            writes.append(Path(path).name)
        return open(path, mode, *args, **kwargs)
    monkeypatch.setattr(tracker.exports, "open", counted, raising=False)
    sizes = write_exports(export_files(dataset, SETTINGS, ROOT), site, written)
    monkeypatch.undo()
    write_exports(export_files(dataset, SETTINGS, ROOT), tmp_path / "fresh")
    fresh = {p.relative_to(tmp_path / "fresh"): p.read_bytes() for p in (tmp_path / "fresh").rglob("*") if p.is_file()}
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == fresh
    assert sizes.keys() == {p.as_posix() for p in fresh}
    assert {"deals.csv", "bayraktar-tb2-kosovo.json", Path(WORLD_OUTLINE).name} <= set(writes)
    assert 0 < len(writes) < len(fresh) / 5, f"{len(writes)} of {len(fresh)} files written again"
