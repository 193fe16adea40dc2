"""`mkdocs build [--strict]` in the current folder, printing how long it took and how much of that was
our code: importing it, and the hook's event handlers (as JSON, for run_benchmark.py).

    python timed_build.py SITE_DIR [--strict]
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path

started = time.perf_counter()
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

HOOK = "site_hook.py"


def timed(handler, spent: list[float]):
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return handler(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - began)
    return wrapper


def main() -> int:
    spent: list[float] = []
    if Path("hooks", HOOK).exists():  # the hook's imports, timed here rather than inside load_config
        began = time.perf_counter()
        sys.path.insert(0, "hooks")
        for module in ("tracker.background", "tracker.errors", "tracker.load", "tracker.pages", "tracker.site"):
            importlib.import_module(module)
        spent.append(time.perf_counter() - began)
    config = load_config("mkdocs.yml", strict="--strict" in sys.argv[2:], site_dir=sys.argv[1])
    for handlers in config.plugins.events.values():
        handlers[:] = [timed(h, spent) if str(getattr(h, "__module__", "")).endswith(HOOK) else h for h in handlers]
    build(config)
    print(json.dumps({"wall_s": time.perf_counter() - started, "ours_in_build_s": sum(spent)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
