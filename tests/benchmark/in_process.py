"""Two measurements taken inside one process, steadier than whole builds on a shared machine (a report,
not a test):

- the `mkdocs serve --dirtyreload` rebuild after one deal's summary is saved, as the server runs it
  (MkDocs' `build(dirty=True)` after reloading the config, in one process: serve's threads rule out
  our fork), against the same for the static baseline after its Markdown page is saved, alone or
  with every other page whose Markdown the edit changes in our build; with the time spent in our
  hook's handlers;
- `load_dataset(cache=True)` with no cache, in one process and with the second half of the files
  checked by a second one (load.SecondHalf).

    .venv/bin/python tests/benchmark/in_process.py [--size real] [--edits 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from run_benchmark import (  # puts hooks/ on the path
    load_dataset,
    make_baseline,
    make_project,
    our_code_seconds,
    pages_changed_by,
)
from timed_build import timed
from tracker import background, load
from tracker.urls import deal_page, page_source

SERVE_URL = "http://127.0.0.1:8000/tracker/"


def dirty_rebuilds(folder: Path, edited: Path, before: str, edits: int,
                   also: tuple[Path, ...] = ()) -> list[tuple[float, float]]:
    """(seconds, seconds in our hook) of each dirty rebuild after inserting a word before `before`, the
    files `also` saved again unchanged (so rebuilt too)."""
    os.chdir(folder)
    site = tempfile.mkdtemp()
    spent: list[float] = []

    def config():
        loaded = load_config("mkdocs.yml", site_dir=site)
        loaded.site_url = SERVE_URL
        for handlers in loaded.plugins.events.values():
            handlers[:] = [timed(h, spent) if str(getattr(h, "__module__", "")).endswith("site_hook.py") else h
                           for h in handlers]
        return loaded

    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    build(first, serve_url=SERVE_URL, dirty=True)
    original = edited.read_text("utf-8")
    times = []
    try:
        for number in range(edits):
            for other in also:
                other.write_bytes(other.read_bytes())
            edited.write_text(original.replace(before, f"Qzxedit{number} {before}", 1), "utf-8")
            spent.clear()
            began = time.perf_counter()
            build(config(), serve_url=SERVE_URL, dirty=True)
            times.append((time.perf_counter() - began, sum(spent)))
    finally:
        edited.write_text(original, "utf-8")
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="real")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    logging.disable(logging.WARNING)
    scratch = Path(tempfile.mkdtemp())
    project = make_project(args.size, scratch)
    _, markdown = our_code_seconds(project)
    baseline = make_baseline(project, markdown, scratch)
    dataset = load_dataset(project)
    deal = dataset.deals[sorted(dataset.deals)[len(dataset.deals) // 2]]
    before = " ".join(deal["summary"].split()[:2])
    record, page = project / deal.path, baseline / "docs" / page_source(deal_page(deal.id))
    same_pages = pages_changed_by(project, record, before, markdown, baseline, page)
    print(f"the edit changes the Markdown of {len(same_pages) + 1} pages", flush=True)

    can_fork = background.can_fork
    background.can_fork = lambda: False  # as under `mkdocs serve`, whose threads rule out the fork
    for name, folder, edited, also in (("ours", project, record, ()), ("baseline", baseline, page, ()),
                                       ("baseline, same pages", baseline, page, same_pages)) * 2:
        times = dirty_rebuilds(folder, edited, before, args.edits, also)
        print(f"dirty rebuild {name:20} fastest {min(t for t, _ in times):.3f} s, "
              f"median {statistics.median(t for t, _ in times):.3f} s, "
              f"in our hook {min(s for _, s in times):.3f} s", flush=True)
    background.can_fork = can_fork

    for label, threshold in (("one process", sys.maxsize), ("two processes", load.PARALLEL_FROM)) * 2:
        load.PARALLEL_FROM = threshold
        shutil.rmtree(project / ".cache", ignore_errors=True)
        began = time.perf_counter()
        load.load_dataset(project, cache=True)
        print(f"cold load, {label:13} {time.perf_counter() - began:.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
