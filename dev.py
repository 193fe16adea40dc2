#!/usr/bin/env python3
"""Set up and run the project with nothing but python3.

    python3 dev.py serve    set up, then serve the site at http://127.0.0.1:8000
    python3 dev.py lint     set up, then run ruff and mypy (configured in pyproject.toml)
    python3 dev.py test     set up (browser and validators included), lint, then run the whole test suite
    python3 dev.py build    set up, then build the site into site/

Setup makes `.venv/` from the hash-locked requirements in requirements/ and reinstalls only when
a lock file changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
NPM_TOOLS = ROOT / "tests" / "tools"


def run(*command: str | Path, **kwargs) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def setup_python(lock: str) -> None:
    """Create the virtualenv and install the locked requirements (with hashes) once per lock change."""
    lock_file = ROOT / "requirements" / f"{lock}.txt"
    stamp = VENV / f".installed-{lock}"
    digest = hashlib.sha256(lock_file.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--require-hashes", "-r", lock_file)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT)
    stamp.write_text(digest)


def setup_browser_and_validators() -> None:
    """Debian's chromium (for Playwright and Lighthouse) and the npm validators pinned in tests/tools."""
    if not Path("/usr/bin/chromium").exists():
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        run(*sudo, "apt-get", "update", "-q")
        run(*sudo, "apt-get", "install", "-y", "-q", "chromium", "default-jre-headless")
    if not shutil.which("java"):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        run(*sudo, "apt-get", "install", "-y", "-q", "default-jre-headless")
    stamp = NPM_TOOLS / "node_modules" / ".installed-lock"
    digest = hashlib.sha256((NPM_TOOLS / "package-lock.json").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", cwd=NPM_TOOLS)
        stamp.write_text(digest)


def lint() -> int:
    """Run ruff and mypy over the project, both of them even when the first fails; 1 if either fails."""
    failed = []
    for tool, arguments in (("ruff", ["check", "."]), ("mypy", [])):
        command = [str(BIN / tool), *arguments]
        print("+", " ".join(command), flush=True)
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            failed.append(tool)
    if failed:
        print(f"lint failed: {' and '.join(failed)} reported problems", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    task = argv[1] if len(argv) > 1 else "help"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if task == "serve":
        setup_python("site")
        os.execv(BIN / "mkdocs", [str(BIN / "mkdocs"), "serve", "--dev-addr", "127.0.0.1:8000", *argv[2:]])
    if task == "build":
        setup_python("site")
        os.execv(BIN / "mkdocs", [str(BIN / "mkdocs"), "build", "--strict", *argv[2:]])
    if task == "lint":
        setup_python("test")
        return lint()
    if task == "test":
        setup_python("test")
        if lint():
            return 1
        setup_browser_and_validators()
        os.execv(BIN / "python", [str(BIN / "python"), "-m", "pytest", *argv[2:]])
    print(__doc__)
    return 0 if task in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
