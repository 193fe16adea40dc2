"""Shared fixtures: a small real project copied from the dataset, one real site build per session, and
a chromium browser with the built site served to it (for the browser tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_FLAGS, serve

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"

# A few real records that reference each other: the happy path of the reader and validator.
MINI_RECORDS = [
    "companies/baykar.yaml", "companies/mke.yaml",
    "systems/bayraktar-tb2.yaml", "systems/skydagger.yaml", "systems/small-arms-ammunition-plant.yaml",
    "deals/bayraktar-tb2-kosovo.yaml", "deals/skydagger-kosovo.yaml", "deals/small-arms-ammunition-plant-kosovo.yaml",
]
MINI_COUNTRIES = """\
# yaml-language-server: $schema=schema/countries.schema.json
countries:
  XK:
    region: europe
    name: Kosovo
  QA:
    region: middle-east
  "NO":
    region: europe
  ZZ:
    region: other
    name: Undisclosed recipient
"""


def make_mini_project(target: Path) -> Path:
    shutil.copytree(ROOT / "data" / "schema", target / "data" / "schema")
    shutil.copytree(ROOT / "data" / "templates", target / "data" / "templates")
    for relative in MINI_RECORDS:
        destination = target / "data" / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "data" / relative, destination)
    (target / "data" / "countries.yaml").write_text(MINI_COUNTRIES, "utf-8")
    return target


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    return make_mini_project(tmp_path / "project")


def build_site(project: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir", str(site_dir), *extra],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once from this checkout with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # only the browser tests need Playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `python3 dev.py test` installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site, "/tracker/") as url:
        yield url
