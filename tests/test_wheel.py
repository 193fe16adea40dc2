"""The package installs from a wheel and works outside the repository: `tracker check` and a full
`mkdocs build --strict` run from a fresh virtualenv, in a copy of the project without hooks/tracker/,
so every template and data file the package needs must be inside the wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from conftest import ROOT


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900)


def test_the_wheel_checks_and_builds_the_site_outside_the_repository(tmp_path: Path):
    built = run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", tmp_path / "dist")
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("*.whl"))

    venv.create(tmp_path / "venv", with_pip=True)
    bin_dir = tmp_path / "venv" / "bin"
    installed = run(bin_dir / "python", "-m", "pip", "install", "-q", "--require-hashes",
                    "-r", ROOT / "requirements" / "site.txt")
    assert installed.returncode == 0, installed.stderr
    installed = run(bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", wheel)
    assert installed.returncode == 0, installed.stderr

    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, project / name)
    for name in ("docs", "data", "seeds", "hooks/overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "hooks" / "site_hook.py", project / "hooks" / "site_hook.py")
    assert not (project / "hooks" / "tracker").exists()

    where = run(bin_dir / "python", "-c", "import tracker.charts; print(tracker.charts.__file__)", cwd=project)
    assert "site-packages" in where.stdout, where.stdout + where.stderr

    check = run(bin_dir / "tracker", "check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    assert ", 0 errors" in check.stdout

    build = run(bin_dir / "mkdocs", "build", "--strict", "--site-dir", tmp_path / "site", cwd=project)
    assert build.returncode == 0, build.stdout + build.stderr
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    map_svg = re.search(r'<svg[^>]*id="map-recipients".*?</svg>', home, re.S)
    assert map_svg and map_svg.group(0).count("<path ") > 100, "the recipients map has no countries"
    assert (tmp_path / "site" / "deals" / "bayraktar-tb2-kosovo" / "index.html").exists()
    assert (tmp_path / "site" / "api" / "v1" / "deals.json").exists()
