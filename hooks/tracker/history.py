"""When each record file was added and last changed, from one pass over the repository's history.

One `git log` reads every commit that touched a record folder, newest first; the first time a file
appears is its last change and the last time is its addition. One process, however many records,
so it stays fast at 10,000 files. Without full history the dates would be wrong (a shallow clone
makes the oldest commit it has look like every file's addition), so then, and without git, history
is simply unknown: `RecordHistory.note` says why and pages leave the dates out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

RECORD_DIRS = ("data/deals", "data/companies", "data/systems")
COMMIT_MARK = "\x1e"  # record separator: cannot appear in a file name git prints


@dataclass(frozen=True)
class Change:
    date: str  # YYYY-MM-DD, the commit's committer date in UTC
    commit: str


@dataclass(frozen=True)
class FileHistory:
    added: Change
    changed: Change


@dataclass
class RecordHistory:
    files: dict[str, FileHistory] = field(default_factory=dict)  # by repository path, e.g. data/deals/x.yaml
    note: str = ""  # why there is no history, when there is none

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    if shutil.which("git") is None:
        return None
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=300,
                              env={**os.environ, "LC_ALL": "C", "TZ": "UTC"})
    except (OSError, subprocess.TimeoutExpired):
        return None


def read_history(root: Path) -> RecordHistory:
    """The history of every record file under `root`, or an empty history with a note saying why."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-toplevel")
    if inside is None:
        return RecordHistory(note="git is not installed, so record dates are not shown")
    if inside.returncode != 0:
        return RecordHistory(note="this copy is not a git repository, so record dates are not shown")
    is_work_tree, is_shallow, top = inside.stdout.split("\n")[:3]
    if is_shallow == "true":
        return RecordHistory(note="this copy has only part of its history (a shallow clone), so record dates are "
                                  "not shown")
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    log = _git(root, "log", "--no-renames", "--format=" + COMMIT_MARK + "%H %cd", "--date=format-local:%Y-%m-%d",
               "--name-only", "--diff-filter=AM", "--", *RECORD_DIRS)
    if log is None or log.returncode != 0:
        return RecordHistory(note="the repository history could not be read, so record dates are not shown")
    return RecordHistory(files=parse_log(log.stdout, prefix))


def parse_log(text: str, prefix: str = "") -> dict[str, FileHistory]:
    """Files' added and last-changed commits from `git log --name-only` output, newest commit first."""
    newest: dict[str, Change] = {}
    oldest: dict[str, Change] = {}
    for block in text.split(COMMIT_MARK)[1:]:
        header, _, names = block.partition("\n")
        commit, date = header.split(" ", 1)
        change = Change(date.strip(), commit)
        for name in names.splitlines():
            if not name:
                continue
            path = name.removeprefix(prefix)
            newest.setdefault(path, change)
            oldest[path] = change
    return {path: FileHistory(added=oldest[path], changed=newest[path]) for path in sorted(newest)}
