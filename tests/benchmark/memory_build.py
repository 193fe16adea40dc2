"""`mkdocs build` in the current folder, printing the resident memory (RSS) of this process when each
build event starts and its highest RSS so far (no sampling thread: the hook forks only a process with
one thread), and the peak of the forked second process (run_benchmark.py's peak_rss_mb is the larger
of the two).

    python memory_build.py SITE_DIR
"""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402


def memory_mb() -> tuple[float, float]:
    """This process's resident memory now and its highest so far (VmRSS, VmHWM), in MB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1e3, int(fields["VmHWM"].split()[0]) / 1e3


marks: list[tuple[str, float, float]] = []


def mark(name: str) -> None:
    marks.append((name, *memory_mb()))


def main() -> int:
    config = load_config("mkdocs.yml", site_dir=sys.argv[1])
    seen: set[str] = set()
    for event, handlers in config.plugins.events.items():
        for position, handler in enumerate(handlers):
            owner = getattr(handler, "__module__", "") or ""
            name = f"{event} ({'hook' if owner.endswith('.py') else owner.split('.')[0]})"

            def wrapper(*args, _name=name, _handler=handler, **kwargs):
                first = _name not in seen  # page events: only the first page's call is marked
                seen.add(_name)
                if first:
                    mark(_name)
                try:
                    return _handler(*args, **kwargs)
                finally:
                    if first:
                        mark(f"  {_name} returned")
            handlers[position] = wrapper
    mark("config loaded")
    build(config)
    mark("end")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
    print(f"{'at':34s} {'rss_mb':>8s} {'peak_so_far_mb':>15s}")
    for name, now, peak in marks:
        print(f"{name:34s} {now:8.0f} {peak:15.0f}")
    print(f"process peak (VmHWM) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB; "
          f"forked child peak {children:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
