"""The GitHub side: workflows lint clean and are least-privilege; issue forms are valid and the deal
pages' correction links point at a form that exists and has the prefilled field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")


def load_workflow(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); normalise it back.
    data = yaml.safe_load(path.read_text("utf-8"))
    return {("on" if key is True else key): value for key, value in data.items()}


def test_actionlint_reports_nothing():
    result = subprocess.run([str(BIN / "actionlint"), *map(str, WORKFLOWS)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_workflow_uses_pull_request_target():
    assert WORKFLOWS
    for path in WORKFLOWS:
        assert "pull_request_target" not in load_workflow(path)["on"], path.name
        assert "pull_request_target" not in path.read_text("utf-8"), path.name


def test_deploy_permissions_are_minimal():
    deploy = load_workflow(ROOT / ".github" / "workflows" / "deploy.yml")
    assert deploy["permissions"] == {"contents": "read"}
    assert deploy["concurrency"]["group"]
    jobs = deploy["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for name, job in jobs.items():
        if name != "deploy":
            assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}
    steps = [step.get("uses", "") for job in jobs.values() for step in job["steps"]]
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps)
    assert any(s.startswith("actions/deploy-pages@") for s in steps)
    assert "secrets." not in (ROOT / ".github" / "workflows" / "deploy.yml").read_text("utf-8")


def test_checks_workflow_runs_check_build_tests_and_uploads_a_preview():
    checks = load_workflow(ROOT / ".github" / "workflows" / "checks.yml")
    assert set(checks["on"]) >= {"pull_request", "push"}
    assert checks["permissions"] == {"contents": "read"}
    runs = " ".join(step.get("run", "") for step in checks["jobs"]["check"]["steps"])
    uses = [step.get("uses", "") for step in checks["jobs"]["check"]["steps"]]
    assert "--require-hashes" in runs and "tracker check" in runs and "mkdocs build --strict" in runs
    assert "python3 dev.py test" in runs
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


def check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, paths)],
                          capture_output=True, text=True, timeout=120)


def test_issue_forms_and_dependabot_are_valid():
    assert len(FORMS) >= 2
    result = check_jsonschema("vendor.github-issue-forms", *FORMS)
    assert result.returncode == 0, result.stdout + result.stderr
    result = check_jsonschema("vendor.dependabot", ROOT / ".github" / "dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_new_deal_form_requires_what_who_when_and_source():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "report-a-new-deal.yml").read_text("utf-8"))
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}
    assert {"what", "supplier", "recipient", "when", "source"} <= required


def test_correction_links_point_at_an_existing_form_field(built_site: Path):
    html = (built_site / "deals" / "bayraktar-tb2-kosovo" / "index.html").read_text("utf-8")
    link = html.split('>Report a correction<', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    form_path = ROOT / ".github" / "ISSUE_TEMPLATE" / query["template"][0]
    assert form_path.exists()
    form = yaml.safe_load(form_path.read_text("utf-8"))
    field_ids = {item.get("id") for item in form["body"]}
    prefilled = set(query) - {"template", "title", "labels"}
    assert prefilled and prefilled <= field_ids
    assert query["record"] == ["bayraktar-tb2-kosovo"]


def test_pre_commit_runs_the_check_on_data_files():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert "tracker check" in hook["entry"]
    import re
    assert re.search(hook["files"], "data/deals/bayraktar-tb2-kosovo.yaml")
    assert not re.search(hook["files"], "docs/index.md")
