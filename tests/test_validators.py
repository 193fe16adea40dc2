"""Tools nobody here wrote: the Nu HTML Checker on every page, LinkChecker at the root and under a
sub-path, and a byte-for-byte comparison of two builds."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

from browser import serve
from conftest import ROOT, build_site

VNU = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LINKCHECKER = Path(sys.executable).parent / "linkchecker"
LINKCHECKER_CONFIG = ROOT / "tests" / "tools" / "linkcheckerrc"

# Messages about Material for MkDocs' own theme markup, not ours. Each is a deliberate choice of
# the theme that browsers handle: fixing them means forking its templates.
VNU_FILTERS = {
    # Material's CSS-only toggles are checkboxes with autocomplete="off", so Firefox does not
    # restore a menu or search as open on reload.
    "Attribute “autocomplete” is only allowed when the input type is",
    # Those toggles are visually hidden checkboxes driven by <label for=...>.
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
    # Material's nested navigation labels carry tabindex="" when a section has no index page.
    "Bad value “” for attribute “tabindex” on element “label”",
}


def test_html_is_valid(built_site: Path):
    result = subprocess.run(["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json",
                             str(built_site)], capture_output=True, text=True, timeout=900)
    messages = json.loads(result.stderr)["messages"]
    ours = [m for m in messages if not any(m["message"].startswith(f) for f in VNU_FILTERS)]
    report = "\n".join(f"{m['url'].rsplit('/site', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in ours[:30])
    assert not ours, f"{len(ours)} HTML errors:\n{report}"


def test_linkchecker_finds_no_broken_internal_link_at_root_and_under_a_sub_path(built_site: Path):
    # Both runs at once: LinkChecker spends its time waiting, not computing.
    with serve(built_site, "/") as root_url, serve(built_site, "/tracker/") as sub_path_url:
        runs = {url: subprocess.Popen([str(LINKCHECKER), "--config", str(LINKCHECKER_CONFIG), url],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for url in (root_url, sub_path_url)}
        outputs = {url: process.communicate(timeout=1500)[0] for url, process in runs.items()}
    for url, process in runs.items():
        assert process.returncode == 0 and "0 errors found" in outputs[url], outputs[url][-4000:]
        assert " URLs checked" in outputs[url]


def test_two_builds_are_byte_identical(built_site: Path, tmp_path: Path):
    result = build_site(ROOT, tmp_path / "again")
    assert result.returncode == 0, result.stdout + result.stderr
    differences: list[str] = []

    def compare(comparison: filecmp.dircmp, relative: str = "") -> None:
        differences.extend(f"only in one build: {relative}{n}" for n in comparison.left_only + comparison.right_only)
        _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files,
                                               shallow=False)
        differences.extend(f"differs: {relative}{n}" for n in mismatch + errors)
        for name, sub in comparison.subdirs.items():
            compare(sub, f"{relative}{name}/")

    compare(filecmp.dircmp(built_site, tmp_path / "again"))
    assert not differences, differences[:20]
    assert (built_site / "sitemap.xml.gz").exists() and (built_site / "search" / "search_index.json").exists()
