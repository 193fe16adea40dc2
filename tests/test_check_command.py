"""The `tracker` command as a contributor and CI use it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

TRACKER = Path(sys.executable).parent / "tracker"


def run_tracker(*args: str, cwd: Path = ROOT, github: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "GITHUB_ACTIONS": "true" if github else "false"}
    return subprocess.run([str(TRACKER), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_real_dataset_passes_the_check():
    result = run_tracker("check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("check: ") and ", 0 errors, " in result.stdout


def test_checking_one_file_reads_only_that_record():
    result = run_tracker("check", "data/deals/small-arms-ammunition-plant-kosovo.yaml")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("check: 1 record(s) read, 0 errors")


def test_errors_are_sorted_and_annotated_under_github_actions(mini_project: Path):
    deal = mini_project / "data" / "deals" / "bayraktar-tb2-kosovo.yaml"
    deal.write_text(deal.read_text().replace("suppliers: [baykar]", "suppliers: [bykar]")
                    .replace('date: "2023-05"', 'date: "2023-02-30"'))
    result = run_tracker("check", cwd=mini_project, github=True)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    plain = [line for line in lines if not line.startswith("::")]
    assert len(plain) == 2
    assert plain[0].startswith("data/deals/bayraktar-tb2-kosovo.yaml:5:13: suppliers[0]: unknown company 'bykar'")
    assert plain[1].startswith(
        "data/deals/bayraktar-tb2-kosovo.yaml:22:11: events[1].date: '2023-02-30' is not a real date")
    assert any(line.startswith("::error file=data/deals/bayraktar-tb2-kosovo.yaml,line=5,col=13::") for line in lines)
    assert "check: 2 error(s) in 1 file(s)" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_scaffolded_deal_passes_and_a_broken_edit_is_annotated(mini_project: Path):
    created = run_tracker("new-deal", "bayraktar-tb2-qatar", cwd=mini_project)
    assert created.returncode == 0, created.stderr
    path = mini_project / "data" / "deals" / "bayraktar-tb2-qatar.yaml"
    untouched = run_tracker("check", "data/deals/bayraktar-tb2-qatar.yaml", cwd=mini_project)
    assert untouched.returncode == 1 and "the template's example address" in untouched.stdout

    path.write_text(path.read_text().replace("recipient: XK", "recipient: QA")
                    .replace("Bayraktar TB2 drones for Kosovo", "Bayraktar TB2 drones for Qatar")
                    .replace("https://www.example.org/news/kosovo-receives-drones", "https://news.example.net/qatar-tb2"))
    assert run_tracker("check", "data/deals/bayraktar-tb2-qatar.yaml", cwd=mini_project).returncode == 0

    path.write_text(path.read_text().replace("status: delivered", "status: delivred"))
    broken = run_tracker("check", "data/deals/bayraktar-tb2-qatar.yaml", cwd=mini_project, github=True)
    assert broken.returncode == 1
    assert "::error file=data/deals/bayraktar-tb2-qatar.yaml,line=" in broken.stdout
    assert "did you mean 'delivered'?" in broken.stdout


def test_new_deal_refuses_bad_ids_and_existing_files(mini_project: Path):
    assert run_tracker("new-deal", "Bad Id", cwd=mini_project).returncode == 1
    assert run_tracker("new-deal", "bayraktar-tb2-kosovo", cwd=mini_project).returncode == 1


def test_coverage_prints_the_headline_counts():
    result = run_tracker("coverage")
    assert result.returncode == 0, result.stdout
    for label in ("deals", "recipient countries", "companies", "systems", "distinct source URLs",
                  "deals with 2+ sources", "deals per status"):
        assert label in result.stdout


def test_new_deal_is_checked_today(mini_project: Path):
    from tracker.scaffold import write_deal_template

    path = write_deal_template(mini_project, "test-deal-kosovo", today=dt.date(2027, 3, 4))
    assert 'checked: "2027-03-04"' in path.read_text("utf-8").splitlines()
