"""Build-performance benchmark at the real dataset, 1,000 and 10,000 deals (a report, not a test).

    .venv/bin/python tests/benchmark/run_benchmark.py [--sizes real,1000,10000] [--repeat 2]
    .venv/bin/python tests/benchmark/run_benchmark.py --serve [--sizes real,1000] [--repeat 2]

For each size it times `tracker check` (whole and one file), a cold and a warm `mkdocs build
--strict` with peak memory and the time spent in our code, our code alone in one process (load,
validate, render, export), and a baseline: a plain `mkdocs build` (no hook) of the same generated
Markdown written out as static files, in the same run.
With --serve it measures the contributor loop instead: with `mkdocs serve` running, the seconds from
saving a change to one deal's summary to its page being served with the change, beside the same for a
plain `mkdocs serve` of the static baseline when its Markdown file is saved (and both with
`--dirtyreload`; with it, also against the baseline saving every page the edit changes in ours, in
SERVE_ROUNDS alternating rounds, with the median of paired ratios, and the rebuild alone as each
server logs it).
Prints a table; BENCHMARKS.md records the latest one.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).parent))

from generate_dataset import generate  # noqa: E402
from serve_process import fetch, free_port, mkdocs_serve  # noqa: E402
from tracker.exports import export_files  # noqa: E402
from tracker.history import read_history  # noqa: E402
from tracker.load import load_dataset  # noqa: E402
from tracker.model import SiteSettings  # noqa: E402
from tracker.pages import SiteRenderer  # noqa: E402
from tracker.urls import deal_page, page_source  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes) and standard output of one child process."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)  # wait4: the peak RSS of this child alone
        elapsed = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode()
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{text[-3000:]}")
    return elapsed, usage.ru_maxrss * 1024, text


def timed_build(project: Path, site: Path, *options: str) -> tuple[float, int, float]:
    """A build through timed_build.py: wall seconds, peak RSS, and seconds in our code."""
    elapsed, rss, output = run([sys.executable, str(Path(__file__).parent / "timed_build.py"), str(site), *options],
                               project)
    return elapsed, rss, json.loads(output.strip().splitlines()[-1])["ours_in_build_s"]


def make_project(size: str, scratch: Path) -> Path:
    project = scratch / f"project-{size}"
    if size == "real":
        shutil.copytree(ROOT / "data", project / "data")
        shutil.copytree(ROOT / "seeds", project / "seeds")
    else:
        generate(int(size), project)
    for name in ("docs", "hooks"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, project / name)
    return project


def our_code_seconds(project: Path) -> tuple[float, dict[str, str]]:
    started = time.perf_counter()
    dataset = load_dataset(project)
    settings = SiteSettings(site_url="https://example.org/tracker/", repo_url="https://github.com/example/tracker")
    renderer = SiteRenderer(dataset, settings, project / "data" / "schema")
    files = export_files(dataset, settings, project)
    pages = renderer.render_all({path: len(content) for path, content in files.items()})
    elapsed = time.perf_counter() - started
    return elapsed, {uri: page.markdown for uri, page in pages.items()}


def make_baseline(project: Path, markdown: dict[str, str], scratch: Path) -> Path:
    """The same Markdown as static files, built by MkDocs + Material without our hook."""
    baseline = scratch / f"{project.name}-baseline"
    shutil.copytree(project / "docs", baseline / "docs")
    for uri, text in markdown.items():
        target = baseline / "docs" / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    shutil.copy(project / "CONTRIBUTING.md", baseline / "CONTRIBUTING.md")
    shutil.copytree(project / "data" / "templates", baseline / "data" / "templates")
    shutil.copytree(project / "hooks" / "overrides", baseline / "hooks" / "overrides")
    config = (project / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"^(hooks|watch):\n(  - .*\n)+", "", config, flags=re.M)
    (baseline / "mkdocs.yml").write_text(config, "utf-8")
    return baseline


def site_stats(site: Path) -> dict[str, float]:
    pages = list(site.rglob("index.html"))
    deal_pages = list((site / "deals").glob("*/index.html"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    deal = sorted(deal_pages, key=lambda p: p.stat().st_size)[len(deal_pages) // 2]  # the median deal page
    html = deal.read_text("utf-8")
    assets = [site / "deals" / deal.parent.name / ref
              for ref in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)]
    first_load = deal.stat().st_size + sum(p.resolve().stat().st_size for p in assets if p.exists())
    first_load_gzip = len(gzip.compress(deal.read_bytes())) + sum(
        len(gzip.compress(p.read_bytes())) for p in assets if p.exists())
    index = site / "search" / "search_index.json"
    return {
        "pages": len(pages),
        "site_mb": total / 1e6,
        "html_median_kb": statistics.median(p.stat().st_size for p in deal_pages) / 1e3,
        "search_index_mb": index.stat().st_size / 1e6,
        "search_index_gzip_mb": len(gzip.compress(index.read_bytes())) / 1e6,
        "deal_first_load_kb": first_load / 1e3,
        "deal_first_load_gzip_kb": first_load_gzip / 1e3,
    }


def git_history(project: Path, commits: int = 300) -> float:
    """Give the project a git history like a real one's, then time read_history on it (seconds).

    Records are added over the first two thirds of the commits; a fifth of them are changed again in
    the last third (they first go in with a draft comment line). The final tree is the dataset as it is."""
    env = {**ENV, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@example.org"}

    def git(*args: str, day: int = 0) -> None:
        stamp = f"{1600000000 + day * 86400} +0000"
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True,
                       env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})

    records = sorted(p.relative_to(project).as_posix() for folder in ("deals", "companies", "systems")
                     for p in (project / "data" / folder).glob("*.yaml"))
    later = set(records[::5])
    final = {path: (project / path).read_bytes() for path in later}
    for path in later:
        (project / path).write_bytes(final[path] + b"# draft\n")
    git("init", "-q")
    git("add", "-A", "--", ".", ":!data/deals", ":!data/companies", ":!data/systems")
    git("commit", "-q", "--allow-empty", "-m", "project", day=0)
    adding = commits * 2 // 3
    for number in range(adding):
        batch = records[number::adding]
        git("add", "--", *batch)
        git("commit", "-q", "--allow-empty", "-m", f"add {number}", day=1 + number)
    changed = sorted(later)
    for number in range(commits - adding):
        batch = changed[number::commits - adding]
        for path in batch:
            (project / path).write_bytes(final[path])
        git("add", "--", *batch)
        git("commit", "-q", "--allow-empty", "-m", f"change {number}", day=1 + adding + number)
    started = time.perf_counter()
    history = read_history(project)
    elapsed = time.perf_counter() - started
    assert len(history.files) == len(records), (len(history.files), len(records))
    return elapsed


def measure(size: str, scratch: Path, repeat: int) -> dict[str, float | str]:
    project = make_project(size, scratch)
    deal_file = sorted((project / "data" / "deals").glob("*.yaml"))[0].relative_to(project)
    ours_alone_s, markdown = our_code_seconds(project)
    baseline = make_baseline(project, markdown, scratch)
    # Each round: a cold build (no .cache/: every file parsed and schema-checked, every template compiled),
    # a baseline build, a warm build (record cache filled, as in `mkdocs serve`, a second build, or CI
    # keeping .cache/), a baseline build. The fastest of each kind counts, and each build is also paired
    # with the baseline build next to it: the median of those ratios damps a shared machine's drift.
    colds, builds, bases, cold_pairs, warm_pairs = [], [], [], [], []
    for _ in range(repeat):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        colds.append(timed_build(project, scratch / f"site-{size}", "--strict"))
        bases.append(timed_build(baseline, scratch / f"base-{size}"))
        cold_pairs.append(colds[-1][0] / bases[-1][0])
        builds.append(timed_build(project, scratch / f"site-{size}", "--strict"))
        bases.append(timed_build(baseline, scratch / f"base-{size}"))
        warm_pairs.append(builds[-1][0] / bases[-1][0])
    cold_s, cold_rss, _ = min(colds)
    build_s, build_rss, ours_s = min(builds)
    base_s = min(bases)[0]
    check_s, _, _ = run([str(BIN / "tracker"), "check"], project)
    one_file_s, _, _ = run([str(BIN / "tracker"), "check", str(deal_file)], project)
    deals = len(list((project / "data" / "deals").glob("*.yaml")))
    history_s = git_history(project) if size != "real" else float("nan")  # after the builds: they stay comparable
    return {"history_s": history_s,
            "size": size, "deals": deals, "build_s": build_s, "baseline_s": base_s, "ratio": build_s / base_s,
            "paired_ratio": statistics.median(warm_pairs), "cold_build_s": cold_s, "cold_ratio": cold_s / base_s,
            "paired_cold_ratio": statistics.median(cold_pairs), "cold_rss_mb": cold_rss / 1e6,
            "ours_s": ours_s, "mkdocs_s": build_s - ours_s, "ours_alone_s": ours_alone_s,
            "peak_rss_mb": max(rss for _, rss, _ in builds) / 1e6,
            "baseline_rss_mb": max(rss for _, rss, _ in bases) / 1e6, "check_s": check_s,
            "one_file_check_s": one_file_s, **site_stats(scratch / f"site-{size}")}


def wait_for(url: str, text: str, timeout: float) -> float:
    """Poll `url` every 20 ms until its page contains `text`: the seconds it took."""
    started = time.perf_counter()
    while text not in fetch(url):
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def serve_loop(project: Path, edited: Path, deal_id: str, before: str, edits: int, *options: str,
               also: tuple[Path, ...] = ()) -> tuple[float, float]:
    """Start `mkdocs serve` in `project`, wait for its first build, then `edits` times insert a new word
    before `before` in the file `edited` (a deal's YAML, or its page's Markdown for the baseline), saving
    the files `also` again first (for the baseline: the other pages the edit changes in our build), and
    time from the first save until the deal's page is served with the word. The fastest such loop, and
    the fastest rebuild as the server logs it ("Documentation built in"), in seconds: the rebuild leaves
    out the server's wait before it notices a save (it polls every 0.5 s, then waits 0.1 s for more)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/tracker/"  # mkdocs.yml's site_url path
    url = base + deal_page(deal_id)
    original = edited.read_text("utf-8")
    assert original.count(before) >= 1, (edited, before)
    log: list[str] = []
    with mkdocs_serve(project, port, *options, log=log):
        try:
            wait_for(url, before.split()[0], timeout=1800)
            times = []
            for number in range(edits):
                time.sleep(1.5)  # let the watcher settle after the previous build
                marker = f"Qzxedit{number}{port}"
                started = time.perf_counter()
                for other in also:
                    other.write_bytes(other.read_bytes())
                edited.write_text(original.replace(before, f"{marker} {before}", 1), "utf-8")
                wait_for(url, marker, timeout=1800)
                times.append(time.perf_counter() - started)
        finally:
            edited.write_text(original, "utf-8")
    rebuilds = [float(seconds) for seconds in re.findall(r"Documentation built in ([0-9.]+) seconds", log[0])][1:]
    assert len(rebuilds) >= edits, log[0][-3000:]  # the first build is not a rebuild
    return min(times), min(rebuilds)


def pages_changed_by(project: Path, record: Path, before: str, markdown: dict[str, str], baseline: Path,
                     page: Path) -> tuple[Path, ...]:
    """The baseline's Markdown files, other than `page`, of the generated pages whose Markdown changes when
    a word is inserted before `before` in `record`."""
    original = record.read_text("utf-8")
    try:
        record.write_text(original.replace(before, f"Qzxedit {before}", 1), "utf-8")
        _, edited = our_code_seconds(project)
    finally:
        record.write_text(original, "utf-8")
    changed = (baseline / "docs" / uri for uri, text in sorted(edited.items()) if markdown.get(uri) != text)
    return tuple(path for path in changed if path != page)


def measure_serve(size: str, scratch: Path, repeat: int) -> dict[str, float | str]:
    project = make_project(size, scratch)
    _, markdown = our_code_seconds(project)
    baseline = make_baseline(project, markdown, scratch)
    dataset = load_dataset(project)
    deal = dataset.deals[sorted(dataset.deals)[len(dataset.deals) // 2]]
    before = " ".join(deal["summary"].split()[:2])  # the summary's first words, as in the YAML and the page
    record = project / deal.path
    page = baseline / "docs" / page_source(deal_page(deal.id))
    assert before in record.read_text("utf-8") and before in page.read_text("utf-8"), before
    same_pages = pages_changed_by(project, record, before, markdown, baseline, page)
    ours, _ = serve_loop(project, record, deal.id, before, repeat)
    base, _ = serve_loop(baseline, page, deal.id, before, repeat)
    base_dirty, _ = serve_loop(baseline, page, deal.id, before, repeat, "--dirtyreload")
    # The comparison the loop is judged by, in alternating rounds (each server's fastest edit moves by
    # 0.1-0.3 s from one server to the next): ours, then the baseline saving the same pages.
    ours_dirty, base_dirty_same = [], []
    for _ in range(SERVE_ROUNDS):
        ours_dirty.append(serve_loop(project, record, deal.id, before, repeat, "--dirtyreload"))
        base_dirty_same.append(serve_loop(baseline, page, deal.id, before, repeat, "--dirtyreload", also=same_pages))
    fastest = min(loop for loop, _ in ours_dirty)
    fastest_same = min(loop for loop, _ in base_dirty_same)
    rebuild = min(build for _, build in ours_dirty)
    rebuild_same = min(build for _, build in base_dirty_same)
    return {"size": size, "deals": len(dataset.deals), "serve_s": ours, "serve_baseline_s": base,
            "serve_ratio": ours / base, "dirty_s": fastest, "dirty_baseline_s": base_dirty,
            "dirty_ratio": fastest / base_dirty, "pages_changed": len(same_pages) + 1,
            "dirty_same_pages_baseline_s": fastest_same,
            "dirty_same_pages_ratio": fastest / fastest_same,
            "paired_dirty_same_pages_ratio": statistics.median(
                o / b for (o, _), (b, _) in zip(ours_dirty, base_dirty_same, strict=True)),
            "rebuild_s": rebuild, "rebuild_same_pages_s": rebuild_same, "rebuild_ratio": rebuild / rebuild_same,
            "paired_rebuild_ratio": statistics.median(
                o / b for (_, o), (_, b) in zip(ours_dirty, base_dirty_same, strict=True)),
            "dirty_vs_full_baseline": fastest / base}


SERVE_COLUMNS = [("size", "{}"), ("deals", "{}"), ("serve_s", "{:.2f}"), ("serve_baseline_s", "{:.2f}"),
                 ("serve_ratio", "{:.2f}"), ("dirty_s", "{:.2f}"), ("dirty_baseline_s", "{:.2f}"),
                 ("dirty_ratio", "{:.2f}"), ("pages_changed", "{}"), ("dirty_same_pages_baseline_s", "{:.2f}"),
                 ("dirty_same_pages_ratio", "{:.2f}"), ("paired_dirty_same_pages_ratio", "{:.2f}"),
                 ("rebuild_s", "{:.2f}"), ("rebuild_same_pages_s", "{:.2f}"), ("rebuild_ratio", "{:.2f}"),
                 ("paired_rebuild_ratio", "{:.2f}"), ("dirty_vs_full_baseline", "{:.2f}")]
SERVE_ROUNDS = 3


COLUMNS = [("size", "{}"), ("deals", "{}"), ("pages", "{}"), ("build_s", "{:.1f}"), ("baseline_s", "{:.1f}"),
           ("ratio", "{:.2f}"), ("paired_ratio", "{:.2f}"), ("cold_build_s", "{:.1f}"), ("cold_ratio", "{:.2f}"),
           ("paired_cold_ratio", "{:.2f}"), ("ours_s", "{:.1f}"),
           ("mkdocs_s", "{:.1f}"), ("ours_alone_s", "{:.1f}"), ("peak_rss_mb", "{:.0f}"), ("baseline_rss_mb", "{:.0f}"),
           ("cold_rss_mb", "{:.0f}"),
           ("check_s", "{:.2f}"), ("one_file_check_s", "{:.2f}"), ("site_mb", "{:.1f}"),
           ("html_median_kb", "{:.1f}"), ("deal_first_load_kb", "{:.0f}"), ("deal_first_load_gzip_kb", "{:.0f}"),
           ("search_index_mb", "{:.2f}"), ("search_index_gzip_mb", "{:.2f}"),
           ("history_s", "{:.2f}")]


def print_table(rows: list[dict], columns: list[tuple[str, str]] = COLUMNS) -> None:
    print("| " + " | ".join(name for name, _ in columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(fmt.format(row[name]) for name, fmt in columns) + " |")
    by_size = {row["size"]: row for row in rows}
    if "1000" in by_size and "10000" in by_size:
        print(f"\ntime(10k) / time(1k) = {by_size['10000']['build_s'] / by_size['1000']['build_s']:.2f} "
              f"(our code {by_size['10000']['ours_s'] / by_size['1000']['ours_s']:.2f}, "
              f"baseline {by_size['10000']['baseline_s'] / by_size['1000']['baseline_s']:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="real,1000,10000")
    parser.add_argument("--repeat", type=int, default=2,
                        help="rounds of cold, baseline, warm, baseline builds per size (fastest counts)")
    parser.add_argument("--serve", action="store_true",
                        help="measure the `mkdocs serve` loop (edits per server: --repeat) instead of builds")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes.split(","):
            rows.append((measure_serve if args.serve else measure)(size, Path(scratch), args.repeat))
            print(f"measured {size}", file=sys.stderr, flush=True)
    if args.serve:
        print_table(rows, SERVE_COLUMNS)
        return 0
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
