"""Print Lighthouse scores for home, timeline, one country and one deal page (a report, not a test).

    .venv/bin/python tests/lighthouse_report.py [SITE_DIR]

Builds the site if no folder is given, serves it on 127.0.0.1 under /tracker/ and runs the npm
`lighthouse` pinned in tests/tools with Debian's chromium. Targets: performance >= 0.97,
accessibility 1.00, best practices 1.00, SEO >= 0.95.

The performance score of the same page moves by up to 0.06 from one run to the next (mostly its
total blocking time, on a shared machine), so each page is run RUNS times, in turns, and the table shows
the median score of each category, with the lowest and highest performance score and the median of the
metrics that move it. Lighthouse's own notes on variability advise the median of five runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from browser import CHROMIUM, CHROMIUM_FLAGS, serve  # noqa: E402
from conftest import ROOT, build_site  # noqa: E402

LIGHTHOUSE = ROOT / "tests" / "tools" / "node_modules" / ".bin" / "lighthouse"
PAGES = {"home": "", "timeline": "timeline/", "country": "countries/kosovo/",
         "deal": "deals/small-arms-ammunition-plant-kosovo/"}
TARGETS = {"performance": 0.97, "accessibility": 1.0, "best-practices": 1.0, "seo": 0.95}
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint", "TBT": "total-blocking-time"}
RUNS = 5


def run(url: str, output: Path) -> dict[str, float]:
    """One Lighthouse run: each category's score and each metric of METRICS in milliseconds."""
    flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
                    f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo"],
                   env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, timeout=300, capture_output=True)
    report = json.loads(output.read_text())
    found = {name: report["categories"][name]["score"] for name in TARGETS}
    found.update({name: report["audits"][audit]["numericValue"] for name, audit in METRICS.items()})
    return found


def row(name: str, runs: list[dict[str, float]]) -> str:
    """The page's line of the table: median scores (! below target), performance range, median metrics."""
    median = {key: statistics.median(found[key] for found in runs) for key in runs[0]}
    cells = [f"{median[k]:>13.2f}{' ' if median[k] >= TARGETS[k] else ' !'}" for k in TARGETS]
    performance = [found["performance"] for found in runs]
    metrics = "  ".join(f"{name} {median[name]:>4.0f}" for name in METRICS)
    return (f"{name:10} " + " ".join(f"{c:>15}" for c in cells)
            + f"  {min(performance):.2f}-{max(performance):.2f} ({len(runs)} runs)  {metrics} ms")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(scratch) / "site"
        if len(sys.argv) == 1:
            result = build_site(ROOT, site)
            if result.returncode:
                print(result.stdout + result.stderr)
                return 1
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in PAGES}
        with serve(site, "/tracker/", compress=True) as base:
            for number in range(RUNS):  # in turns, so that a slow spell of the machine touches every page
                for name, path in PAGES.items():
                    try:
                        runs[name].append(run(base + path, Path(scratch) / f"{name}-{number}.json"))
                    except (subprocess.SubprocessError, KeyError, json.JSONDecodeError) as error:
                        print(f"{name:10} run {number + 1}: lighthouse failed: {error}")
        print(f"median of {RUNS} runs per page")
        print(f"{'page':10} " + " ".join(f"{name:>15}" for name in TARGETS) + "  performance range, median metrics")
        for name, found in runs.items():
            print(row(name, found) if found else f"{name:10} no run succeeded")
        print("targets:   " + ", ".join(f"{k} >= {v:.2f}" for k, v in TARGETS.items()) + "  (! = median below target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
