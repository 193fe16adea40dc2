"""Print Lighthouse scores for home, timeline, one country and one deal page (a report, not a test).

    .venv/bin/python tests/lighthouse_report.py [SITE_DIR]

Builds the site if no folder is given, serves it on 127.0.0.1 under /tracker/ and runs the npm
`lighthouse` pinned in tests/tools with Debian's chromium. Targets: performance >= 0.97,
accessibility 1.00, best practices 1.00, SEO >= 0.95.
"""

from __future__ import annotations

import json
import os
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


def scores(url: str, output: Path) -> dict[str, float]:
    flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
                    f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo"],
                   env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, timeout=300, capture_output=True)
    report = json.loads(output.read_text())
    return {name: report["categories"][name]["score"] for name in TARGETS}


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(scratch) / "site"
        if len(sys.argv) == 1:
            result = build_site(ROOT, site)
            if result.returncode:
                print(result.stdout + result.stderr)
                return 1
        print(f"{'page':10} " + " ".join(f"{name:>15}" for name in TARGETS))
        with serve(site, "/tracker/", compress=True) as base:
            for name, path in PAGES.items():
                try:
                    found = scores(base + path, Path(scratch) / f"{name}.json")
                except (subprocess.SubprocessError, KeyError, json.JSONDecodeError) as error:
                    print(f"{name:10} lighthouse failed: {error}")
                    continue
                cells = [f"{found[k]:>13.2f}{' ' if found[k] >= TARGETS[k] else ' !'}" for k in TARGETS]
                print(f"{name:10} " + " ".join(f"{c:>15}" for c in cells))
        print("targets:   " + ", ".join(f"{k} >= {v:.2f}" for k, v in TARGETS.items()) + "  (! = below target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
