"""Splitting the site's rendering across two processes changes speed, never output; a failure in the
second process fails the build with its cause."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tracker import background, site
from tracker.background import BackgroundFailed
from tracker.load import load_dataset
from tracker.model import SiteSettings
from tracker.pages import SECTIONS, BrokenLink, SiteRenderer
from tracker.pages.context import PageContext
from tracker.site import render_site

SETTINGS = SiteSettings(site_url="https://example.org/tracker/", repo_url="https://github.com/example/tracker")


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_give_what_one_gives(mini_project: Path, tmp_path: Path, monkeypatch):
    dataset = load_dataset(mini_project)
    assert background.can_fork()
    forked = render_site(dataset, SETTINGS, mini_project, tmp_path / "forked").pages
    monkeypatch.setattr(background, "can_fork", lambda: False)
    inline = render_site(dataset, SETTINGS, mini_project, tmp_path / "inline").pages
    assert forked == inline
    assert files_under(tmp_path / "forked") == files_under(tmp_path / "inline")
    assert "api/v1/deals/bayraktar-tb2-kosovo.json" in files_under(tmp_path / "forked")
    every_page = SiteRenderer(dataset, SETTINGS, mini_project / "data" / "schema").render_all()
    assert forked.keys() == every_page.keys() | {"data.md", "tr/data.md"}
    assert all(forked[uri] == page for uri, page in every_page.items())


def test_a_failure_in_the_second_process_is_reported_with_its_cause(mini_project: Path, tmp_path: Path):
    dataset = load_dataset(mini_project)
    (tmp_path / "site").write_text("a file where the site folder should be", "utf-8")
    with pytest.raises(BackgroundFailed, match="(FileExistsError|NotADirectoryError)"):
        render_site(dataset, SETTINGS, mini_project, tmp_path / "site")


def test_a_second_process_that_dies_is_reported():
    task = background.Background(lambda: os._exit(3))
    assert task.forked
    with pytest.raises(BackgroundFailed, match="exit code 3"):
        task.result()


@pytest.mark.parametrize("in_background", [("systems", "deals"), SECTIONS])
def test_a_link_to_a_missing_page_fails_from_either_process(mini_project: Path, tmp_path: Path, monkeypatch,
                                                            in_background):
    dataset = load_dataset(mini_project)
    monkeypatch.setattr(site, "BACKGROUND_SECTIONS", in_background)
    pages = PageContext._pages
    monkeypatch.setattr(PageContext, "_pages", lambda self: pages(self) - {"deals/skydagger-kosovo/"})
    with pytest.raises(BrokenLink, match="links to missing page /deals/skydagger-kosovo/"):
        render_site(dataset, SETTINGS, mini_project, tmp_path / "site")


def test_a_link_to_a_site_file_that_is_not_written_fails(mini_project: Path, tmp_path: Path, monkeypatch):
    dataset = load_dataset(mini_project)
    files = site.write_exports

    def without_one_feed(*args):
        sizes = files(*args)
        del sizes["feeds/country-kosovo.xml"]
        return sizes

    monkeypatch.setattr(site, "write_exports", without_one_feed)
    monkeypatch.setattr(background, "can_fork", lambda: False)
    with pytest.raises(BrokenLink, match="links to missing file /feeds/country-kosovo.xml"):
        render_site(dataset, SETTINGS, mini_project, tmp_path / "site")
