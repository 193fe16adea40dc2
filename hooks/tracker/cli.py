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
        "deals per status      " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(d['status'] for d in deals).items())),
        "deals per confidence  " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(d['confidence'] for d in deals).items())),
        "deals per transfer    " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(d['transfer'] for d in deals).items())),
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
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
