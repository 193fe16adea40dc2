"""The `tracker` command: check the data, print coverage, scaffold a new deal."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from .errors import DatasetInvalid, format_errors
from .load import load_dataset
from .model import Dataset


def find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "data" / "schema").is_dir():
            return folder
    raise SystemExit("tracker: no data/schema folder here or above: run it inside the project")


def check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    root = args.root or find_root(Path.cwd())
    only = [Path(p).resolve() for p in args.paths] or None
    try:
        dataset = load_dataset(root, only=only, cache=True)
    except DatasetInvalid as invalid:
        for line in format_errors(invalid.errors):
            print(line)
        files = len({error.path for error in invalid.errors})
        print(f"check: {len(invalid.errors)} error(s) in {files} file(s), {time.perf_counter() - started:.2f} s",
              file=sys.stderr)
        return 1
    records = len(dataset.deals) + len(dataset.companies) + len(dataset.systems) + len(dataset.seeds)
    print(f"check: {records} record(s) read, 0 errors, {time.perf_counter() - started:.2f} s")
    return 0


def coverage_lines(dataset: Dataset) -> list[str]:
    deals = list(dataset.deals.values())
    urls = {source["url"] for record in [*deals, *dataset.companies.values(), *dataset.systems.values()]
            for source in record.sources}
    multi = sum(1 for deal in deals if len(deal.sources) >= 2)
    lines = [
        f"deals                 {len(deals)}",
        f"recipient countries   {len({deal.recipient for deal in deals})}",
        f"companies             {len(dataset.companies)}",
        f"systems               {len(dataset.systems)}",
        f"distinct source URLs  {len(urls)}",
        f"deals with 2+ sources {multi} ({multi / len(deals):.0%})" if deals else "deals with 2+ sources 0",
        f"annual totals         {len(dataset.totals)}",
        "deals per status      " + ", ".join(
            f"{k} {v}" for k, v in sorted(Counter(d['status'] for d in deals).items())),
        "deals per confidence  " + ", ".join(
            f"{k} {v}" for k, v in sorted(Counter(d['confidence'] for d in deals).items())),
        "deals per transfer    " + ", ".join(
            f"{k} {v}" for k, v in sorted(Counter(d['transfer'] for d in deals).items())),
    ]
    return lines


def coverage(args: argparse.Namespace) -> int:
    root = args.root or find_root(Path.cwd())
    try:
        dataset = load_dataset(root)
    except DatasetInvalid as invalid:
        print("\n".join(format_errors(invalid.errors)))
        return 1
    print("\n".join(coverage_lines(dataset)))
    return 0


def new_deal(args: argparse.Namespace) -> int:
    from .scaffold import write_deal_template

    root = args.root or find_root(Path.cwd())
    try:
        path = write_deal_template(root, args.id)
    except ValueError as error:
        print(f"new-deal: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path.relative_to(root)}: fill in every field, then run `tracker check {path.relative_to(root)}`")
    return 0


def at_least(minimum: float, kind: type = int):
    """An argparse type: a number of `kind` no smaller than `minimum` (else a usage error)."""
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text}")
        return value
    return parse


def sources(args: argparse.Namespace) -> int:
    from . import source_health

    root = args.root or find_root(Path.cwd())
    settings = source_health.Settings(timeout=args.timeout, retries=args.retries)
    if args.action == "check":
        report = args.report or root / source_health.REPORT
        return source_health.run_check(root, report, settings, args.concurrency)
    if not args.wayback.startswith(("http://", "https://")):
        print(f"tracker sources archive: --wayback must be an http(s) address, not {args.wayback!r}", file=sys.stderr)
        return 2
    return source_health.archive_sources(root, args.wayback, settings, args.limit, args.pause)


def add_sources_parser(commands) -> None:
    parser = commands.add_parser("sources", help="check the source links; add archived copies")
    parser.set_defaults(run=sources)
    actions = parser.add_subparsers(dest="action", required=True)
    check_links = actions.add_parser("check", help="check every source and archive link and write a report "
                                     "(exits 0 even when links are dead)")
    check_links.add_argument("--concurrency", type=at_least(1), default=8, help="requests at a time (default 8)")
    check_links.add_argument("--timeout", type=at_least(0.1, float), default=20.0,
                             help="seconds to wait for each answer (default 20)")
    check_links.add_argument("--retries", type=at_least(0), default=2,
                             help="tries again after a timeout, reset or 5xx answer (default 2)")
    check_links.add_argument("--report", type=Path, help="where to write the report (default data/source-health.json)")
    archive = actions.add_parser("archive", help="give sources without `archive` a Wayback Machine snapshot")
    archive.add_argument("--limit", type=at_least(0), help="look up at most this many addresses")
    archive.add_argument("--wayback", default="https://web.archive.org", help="the Wayback Machine's address")
    archive.add_argument("--timeout", type=at_least(0.1, float), default=60.0,
                         help="seconds to wait for each answer (default 60)")
    archive.add_argument("--retries", type=at_least(0), default=0, help=argparse.SUPPRESS)
    archive.add_argument("--pause", type=at_least(0.0, float), default=5.0,
                         help="seconds between two requests to take a snapshot (default 5)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tracker", description=__doc__)
    parser.add_argument("--root", type=Path, help="project folder (default: found from the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate the dataset, or only the given files")
    check_parser.add_argument("paths", nargs="*", help="data files to check (references are checked too)")
    check_parser.set_defaults(run=check)
    commands.add_parser("coverage", help="print what the dataset covers").set_defaults(run=coverage)
    new_parser = commands.add_parser("new-deal", help="create data/deals/<id>.yaml from the commented template")
    new_parser.add_argument("id", help="the new record's id, e.g. bayraktar-tb2-kosovo")
    new_parser.set_defaults(run=new_deal)
    add_sources_parser(commands)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
