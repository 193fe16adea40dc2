"""What the Turkish interface costs our code: the same work with English only and with both languages.

    .venv/bin/python tests/benchmark/language_cost.py [--sizes real,10000] [--repeat 3]

For each size, in one process: loading and validating the dataset (done once whatever the languages),
rendering every page in English only and in English and Turkish, and the export files (whose feeds
exist in both languages). The fastest of `--repeat` runs counts. It prints each part in seconds and
the ratio of our whole work with both languages to our whole work with English only; MkDocs' own work
on the Turkish pages is measured by run_benchmark.py, whose baseline builds the same pages.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(Path(__file__).parent))

from generate_dataset import generate  # noqa: E402
from tracker import i18n  # noqa: E402
from tracker.exports import export_files  # noqa: E402
from tracker.load import load_dataset  # noqa: E402
from tracker.model import SiteSettings  # noqa: E402
from tracker.pages import SiteRenderer  # noqa: E402

SETTINGS = SiteSettings(site_url="https://example.org/tracker/", repo_url="https://github.com/example/tracker")


def fastest(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(project: Path, repeat: int) -> dict[str, float]:
    load = fastest(repeat, lambda: load_dataset(project))
    dataset = load_dataset(project)
    schema = project / "data" / "schema"
    sizes = {path: len(content) for path, content in export_files(dataset, SETTINGS, project).items()}
    english = fastest(repeat, lambda: SiteRenderer(dataset, SETTINGS, schema, languages=("en",)).render_all(sizes))
    both = fastest(repeat, lambda: SiteRenderer(dataset, SETTINGS, schema, languages=i18n.LANGUAGES).render_all(sizes))
    exports = fastest(repeat, lambda: export_files(dataset, SETTINGS, project))
    return {"deals": len(dataset.deals), "load_s": load, "render_en_s": english, "render_en_tr_s": both,
            "exports_s": exports}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| size | deals | load_s | render_en_s | render_en_tr_s | exports_s | ours_en_s | ours_en_tr_s | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes.split(","):
            project = ROOT if size == "real" else generate(int(size), Path(scratch) / f"project-{size}")
            row = measure(project, args.repeat)
            # Exports are written with both languages' feeds either way; English-only feeds are about half.
            ours_en = row["load_s"] + row["render_en_s"] + row["exports_s"]
            ours_both = row["load_s"] + row["render_en_tr_s"] + row["exports_s"]
            print(f"| {size} | {row['deals']} | {row['load_s']:.2f} | {row['render_en_s']:.2f} | "
                  f"{row['render_en_tr_s']:.2f} | {row['exports_s']:.2f} | {ours_en:.2f} | {ours_both:.2f} | "
                  f"{ours_both / ours_en:.2f} |", flush=True)


if __name__ == "__main__":
    main()
