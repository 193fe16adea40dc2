"""Record history from git: added and last-changed dates, and no dates at all where history is missing."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tracker.exports import export_files
from tracker.history import Change, FileHistory, RecordHistory, parse_log, read_history
from tracker.load import load_dataset
from tracker.model import SiteSettings
from tracker.pages import SiteRenderer

ATOM = "{http://www.w3.org/2005/Atom}"


def git(repo: Path, *args: str, date: str = "2025-01-01T12:00:00Z") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def commit(repo: Path, files: dict[str, str], date: str) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"change on {date}", date=date)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    return repo


def test_added_and_changed_come_from_the_first_and_last_commit_of_each_file(repo: Path):
    first = commit(repo, {"data/deals/a.yaml": "a: 1\n", "data/deals/b.yaml": "b: 1\n"}, "2024-03-01T23:30:00Z")
    commit(repo, {"docs/other.md": "x\n"}, "2024-04-01T10:00:00Z")  # not a record: ignored
    second = commit(repo, {"data/deals/a.yaml": "a: 2\n", "data/companies/c.yaml": "c: 1\n"}, "2024-05-02T01:00:00Z")
    history = read_history(repo)
    assert history.note == ""
    a, b, c = (history.of(f"data/{p}.yaml") for p in ("deals/a", "deals/b", "companies/c"))
    assert a and b and c
    assert (a.added.date, a.added.commit) == ("2024-03-01", first)
    assert (a.changed.date, a.changed.commit) == ("2024-05-02", second)
    assert (b.added.date, b.changed.date, b.changed.commit) == ("2024-03-01", "2024-03-01", first)
    assert c.added == c.changed and c.added.commit == second
    assert history.of("docs/other.md") is None


def test_a_project_in_a_subfolder_of_the_repository_gets_its_own_paths(repo: Path):
    commit(repo, {"site/data/deals/a.yaml": "a: 1\n"}, "2024-03-01T00:00:00Z")
    history = read_history(repo / "site")
    assert history.of("data/deals/a.yaml") is not None


def test_a_shallow_clone_gives_no_dates_and_says_why(repo: Path, tmp_path: Path):
    commit(repo, {"data/deals/a.yaml": "a: 1\n"}, "2024-03-01T00:00:00Z")
    commit(repo, {"data/deals/a.yaml": "a: 2\n"}, "2024-05-01T00:00:00Z")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    history = read_history(clone)
    assert history.files == {}
    assert "shallow clone" in history.note


def test_a_copy_without_git_gives_no_dates_and_says_why(tmp_path: Path, monkeypatch):
    (tmp_path / "data" / "deals").mkdir(parents=True)
    assert "not a git repository" in read_history(tmp_path).note
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert "git is not installed" in read_history(tmp_path).note


def test_the_log_parser_keeps_the_newest_and_oldest_commit_per_file():
    text = ("\x1ec3 2024-03-03\n\ndata/deals/a.yaml\n"
            "\x1ec2 2024-02-02\n\ndata/deals/b.yaml\ndata/deals/a.yaml\n"
            "\x1ec1 2024-01-01\n\nsub/data/deals/a.yaml\n")
    files = parse_log(text, prefix="")
    assert files["data/deals/a.yaml"].changed.commit == "c3" and files["data/deals/a.yaml"].added.commit == "c2"
    assert files["data/deals/b.yaml"].added == files["data/deals/b.yaml"].changed


# ---- what the site shows ---------------------------------------------------------------------------------

def render_with(project: Path, history: RecordHistory):
    dataset = load_dataset(project)
    dataset.history = history
    settings = SiteSettings(site_url="https://example.org/tracker/", repo_url="https://github.com/o/tracker")
    pages = SiteRenderer(dataset, settings, project / "data" / "schema").render_all()
    return {uri: page.markdown for uri, page in pages.items()}, export_files(dataset, settings, project)


def link_of(entry: ET.Element) -> str:
    link = entry.find(f"{ATOM}link")
    assert link is not None
    return link.get("href", "")


def known_history(project: Path) -> RecordHistory:
    files = {}
    for n, path in enumerate(sorted((project / "data").glob("*/*.yaml"))):
        relative = path.relative_to(project).as_posix()
        added = Change(f"2024-01-{n + 1:02d}", f"{n:040x}")
        changed = added if relative != "data/deals/skydagger-kosovo.yaml" else Change("2026-02-03", "f" * 40)
        files[relative] = FileHistory(added, changed)
    return RecordHistory(files=files)


def test_record_pages_api_csv_and_feeds_carry_added_and_changed(mini_project: Path):
    pages, files = render_with(mini_project, known_history(mini_project))
    deal_page = pages["deals/skydagger-kosovo.md"]
    assert ('Added <time datetime="2024-01-04">4 Jan 2024</time> · last changed '
            '<time datetime="2026-02-03">3 Feb 2026</time> · '
            '<a href="https://github.com/o/tracker/commits/main/data/deals/skydagger-kosovo.yaml"') in deal_page
    assert 'class="tdet-history" data-search-exclude>Added <time datetime="2024-01-01">' in pages["companies/baykar.md"]
    assert 'class="tdet-history" data-search-exclude>Added' in pages["systems/skydagger.md"]
    entry = json.loads(files["api/v1/deals/skydagger-kosovo.json"])
    assert (entry["added"], entry["changed"]) == ("2024-01-04", "2026-02-03")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["data/deals.csv"].decode()))}
    assert (rows["skydagger-kosovo"]["added"], rows["skydagger-kosovo"]["changed"]) == ("2024-01-04", "2026-02-03")
    feed = ET.fromstring(files["feeds/all.xml"])
    for entry_node in feed.findall(f"{ATOM}entry"):
        if link_of(entry_node).endswith("/deals/skydagger-kosovo/"):
            assert entry_node.findtext(f"{ATOM}updated") == "2026-02-03T00:00:00Z"
            assert entry_node.findtext(f"{ATOM}published") != "2026-02-03T00:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == "2026-02-03T00:00:00Z"
    changes = ET.fromstring(files["feeds/changes.xml"]).findall(f"{ATOM}entry")
    assert len(changes) == 8
    assert link_of(changes[0]).endswith("/deals/skydagger-kosovo/")
    assert changes[0].findtext(f"{ATOM}title", "").endswith("(changed)")
    updated = [c.findtext(f"{ATOM}updated", "") for c in changes]
    assert updated == sorted(updated, reverse=True)


def test_the_changes_page_lists_records_newest_first_with_their_commits(mini_project: Path):
    pages, _ = render_with(mini_project, known_history(mini_project))
    page = pages["changes.md"]
    dates = re.findall(r'<td data-sort="([0-9-]+)">', page)
    assert len(dates) == 8 and dates == sorted(dates, reverse=True) and dates[0] == "2026-02-03"
    assert '<a href="https://github.com/o/tracker/commit/' + "f" * 40 + '" rel="nofollow">changed</a>' in page
    assert page.count(">added</a>") == 7


def test_without_history_no_date_is_shown_and_the_pages_say_why(mini_project: Path):
    pages, files = render_with(mini_project, RecordHistory(note="this copy is not a git repository"))
    assert "Record dates are not shown: this copy is not a git repository." in pages["deals/skydagger-kosovo.md"]
    assert "Record dates are not shown: this copy is not a git repository." in pages["changes.md"]
    assert "<time datetime" not in pages["changes.md"]
    entry = json.loads(files["api/v1/deals/skydagger-kosovo.json"])
    assert entry["added"] is None and entry["changed"] is None
    assert ET.fromstring(files["feeds/changes.xml"]).findall(f"{ATOM}entry") == []
    for entry_node in ET.fromstring(files["feeds/all.xml"]).findall(f"{ATOM}entry"):
        assert entry_node.find(f"{ATOM}published") is None  # updated stays the event's own date
