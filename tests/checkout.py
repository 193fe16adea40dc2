"""This checkout's dataset, loaded once, and a copy of the project for builds that change its data."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT
from tracker.load import load_dataset

DATASET = load_dataset(ROOT)


def copy_project(target: Path) -> Path:
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, target / name)
    for name in ("docs", "hooks", "data", "seeds"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target
