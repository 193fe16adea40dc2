"""Source health against local servers: the link check, the archive links it writes, the dead-link note.

A real HTTP server runs in a thread on 127.0.0.1 and answers each path its own way (ok, moved, gone,
too slow, reset, HEAD refused, failing); it counts every request and the most it served at once.
A second one stands in for the Wayback Machine's availability and save APIs.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import make_mini_project
from tracker import cli, source_health
from tracker.errors import DatasetInvalid
from tracker.load import load_dataset
from tracker.model import SiteSettings
from tracker.pages import SiteRenderer
from tracker.source_health import Settings, archive_sources, insert_archive_line, run_check

TODAY = dt.date(2026, 1, 2)
TIMEOUT = 0.4  # the slow path answers after SLOW seconds, well past this
SLOW = 1.5
PAGE_DELAY = 0.1  # every /page/ request takes this long, so that requests overlap
FAST = Settings(timeout=TIMEOUT, retries=2, backoff=0.0)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the client gave up on a slow answer: expected
        pass


class LinkServer:
    """A site whose paths answer as their names say; every request is logged."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0
        self.requests: list[tuple[str, str, str]] = []  # (method, path, user agent)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def do_HEAD(self):
                server.answer(self)

            def do_GET(self):
                server.answer(self)

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def count(self, path: str, method: str | None = None) -> int:
        return sum(1 for m, p, _ in self.requests if p == path and method in (None, m))

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append((handler.command, handler.path, handler.headers.get("User-Agent", "")))
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            answer = self.respond(handler)
        finally:
            # Counted out before the answer is sent: once the client has it, it may start its next
            # request at once, and that one must not meet this one still counted as active.
            with self.lock:
                self.active -= 1
        if answer is not None:
            self.send(handler, *answer)

    def respond(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str]] | None:
        """The status and headers to answer with, after any delay; None to close without a word."""
        path = handler.path
        if path == "/reset":
            handler.close_connection = True  # closed without a word: the client sees a reset
            return None
        if path == "/slow":
            time.sleep(SLOW)
        if path.startswith("/page/"):
            time.sleep(PAGE_DELAY)
        if path == "/moved":
            return 301, {"Location": "/new-home"}
        if path == "/no-head" and handler.command == "HEAD":
            return 405, {}
        codes = {"/gone": 404, "/removed": 410, "/flaky": 503, "/forbidden": 401}
        return codes.get(path, 200), {}

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, code: int, headers: dict[str, str] | None = None) -> None:
        body = b"<!doctype html><title>test</title>"
        handler.send_response(code)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command == "GET":
            handler.wfile.write(body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[LinkServer]:
    running = LinkServer()
    yield running
    running.close()


# The mini project's source addresses, each sent to one path of the local server. This one is cited by
# three records (MKE, the plant system and the Kosovo plant deal).
SHARED = "https://www.dailysabah.com/business/defense/turkiye-to-build-ammunition-plant-in-kosovo-as-defense-links-grow"
SPECIAL = {SHARED: "/gone", "https://tass.com/world/1647559": "/removed",
           "https://www.trtworld.com/article/7e55e94efe54": "/moved",
           "https://trt.global/world/article/12778115": "/slow",
           "https://rks.news/ammunition-factory-in-kosovo-starting-in-2026-what-nato-and-foreign-experts-say": "/reset",
           "https://ocnal.com/2024/12/first-ammunition-factory-in-kosovo.html": "/no-head",
           "https://www.turdef.com/article/mke-first-export-with-the-new-name": "/flaky",
           "https://www.devdiscourse.com/article/business/1802420-factbox-turkeys-bayraktar-tb2-combat-drones-sales":
               "/forbidden"}
URL_LINE = re.compile(r"^(\s*(?:- )?url: )(\S+)$", re.MULTILINE)


def point_sources_at(project: Path, base: str, special: dict[str, str]) -> dict[str, str]:
    """Rewrite every source address of the project to `base`: the ones in `special` to their path,
    the others to /page/<n>. Returns {original address: new address}."""
    files = sorted(file for folder in ("deals", "companies", "systems")
                   for file in (project / "data" / folder).glob("*.yaml"))
    originals = sorted({m.group(2) for f in files for m in URL_LINE.finditer(f.read_text("utf-8"))})
    moved = {url: base + special.get(url, f"/page/{n}") for n, url in enumerate(originals)}
    for file in files:
        file.write_text(URL_LINE.sub(lambda m: m.group(1) + moved[m.group(2)], file.read_text("utf-8")), "utf-8")
    return moved


@pytest.fixture(scope="module")
def checked_server() -> Iterator[LinkServer]:
    running = LinkServer()
    yield running
    running.close()


@pytest.fixture(scope="module")
def checked(tmp_path_factory, checked_server: LinkServer):
    """The mini project pointed at the server, checked three requests at a time (once for the module)."""
    project = make_mini_project(tmp_path_factory.mktemp("health") / "project")
    moved = point_sources_at(project, checked_server.base, SPECIAL)
    deal = project / "data" / "deals" / "skydagger-kosovo.yaml"  # archive addresses are checked too
    deal.write_bytes(insert_archive_line(deal.read_bytes(), 1, checked_server.base + "/page/archived-copy"))
    out = io.StringIO()
    report_path = project / "data" / "source-health.json"
    assert run_check(project, report_path, FAST, concurrency=3, out=out, today=TODAY) == 0
    return moved, json.loads(report_path.read_text("utf-8")), report_path.read_text("utf-8"), out.getvalue()


def entry(report: dict, moved: dict[str, str], original: str) -> dict:
    return report[moved[original]]


def test_each_answer_is_classified(checked, checked_server):
    moved, report, _, _ = checked
    statuses = {url: report[new]["status"] for url, new in moved.items() if url in SPECIAL}
    assert statuses == {
        SHARED: "dead", "https://tass.com/world/1647559": "dead",
        "https://www.trtworld.com/article/7e55e94efe54": "redirected",
        "https://trt.global/world/article/12778115": "dead",
        "https://rks.news/ammunition-factory-in-kosovo-starting-in-2026-what-nato-and-foreign-experts-say": "dead",
        "https://ocnal.com/2024/12/first-ammunition-factory-in-kosovo.html": "ok",
        "https://www.turdef.com/article/mke-first-export-with-the-new-name": "error",
        "https://www.devdiscourse.com/article/business/1802420-factbox-turkeys-bayraktar-tb2-combat-drones-sales":
            "error",
    }
    pages = {url: new for url, new in moved.items() if url not in SPECIAL}
    assert pages and all(report[new]["status"] == "ok" and report[new]["code"] == 200 for new in pages.values())


def test_the_report_records_codes_moves_reasons_and_citing_files(checked, checked_server):
    moved, report, text, _ = checked
    assert entry(report, moved, SHARED) == {
        "status": "dead", "code": 404, "checked": "2026-01-02",
        "cited_by": ["data/companies/mke.yaml", "data/deals/small-arms-ammunition-plant-kosovo.yaml",
                     "data/systems/small-arms-ammunition-plant.yaml"]}
    assert entry(report, moved, "https://www.trtworld.com/article/7e55e94efe54") == {
        "status": "redirected", "code": 200, "checked": "2026-01-02", "final_url": checked_server.base + "/new-home",
        "cited_by": ["data/deals/skydagger-kosovo.yaml", "data/systems/skydagger.yaml"]}
    assert entry(report, moved, "https://tass.com/world/1647559")["code"] == 410
    slow = entry(report, moved, "https://trt.global/world/article/12778115")
    assert (slow["code"], slow["reason"]) == (None, f"no answer within {TIMEOUT:g} s (3 tries)")
    reset = entry(report, moved, "https://rks.news/ammunition-factory-in-kosovo-starting-in-2026-what-nato-and-"
                                 "foreign-experts-say")
    assert (reset["code"], reset["reason"]) == (None, "connection reset (3 tries)")
    assert entry(report, moved, "https://www.turdef.com/article/mke-first-export-with-the-new-name")["code"] == 503
    # One entry per cited address, nothing else; written with sorted keys, so a rerun changes only what changed.
    archived = checked_server.base + "/page/archived-copy"
    assert report[archived] == {"status": "ok", "code": 200, "checked": "2026-01-02",
                                "cited_by": ["data/deals/skydagger-kosovo.yaml"]}
    assert set(report) == {*moved.values(), archived}
    assert text == json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert list(report) == sorted(report)


def test_retries_only_after_timeouts_resets_and_server_errors(checked, checked_server):
    assert checked_server.count("/reset", "HEAD") == 3  # one try and two retries
    assert checked_server.count("/slow", "HEAD") == 3
    assert checked_server.count("/flaky", "HEAD") == 3
    assert [checked_server.count(path) for path in ("/gone", "/removed", "/forbidden")] == [1, 1, 1]
    assert checked_server.count("/moved") == 1 and checked_server.count("/new-home", "HEAD") == 1
    assert (checked_server.count("/no-head", "HEAD"), checked_server.count("/no-head", "GET")) == (1, 1)
    assert checked_server.count("/slow", "GET") == 0  # GET only where HEAD is refused


def test_requests_are_bounded_polite_and_in_parallel(checked, checked_server):
    assert checked_server.most_active == 3  # the bound, reached: /page/ answers take PAGE_DELAY each
    agents = {agent for _, _, agent in checked_server.requests}
    assert agents == {source_health.USER_AGENT}
    assert "TurkishDefenseExportsTracker" in source_health.USER_AGENT
    assert "https://github.com/turkish-defense-exports/tracker" in source_health.USER_AGENT


def test_the_summary_lists_dead_and_moved_links_with_their_records(checked, checked_server):
    moved, _, _, printed = checked
    lines = printed.splitlines()
    assert lines[0].startswith(f"sources check: {len(moved) + 1} address(es): ")
    assert "4 dead" in lines[0] and "1 redirected" in lines[0] and "2 error" in lines[0]
    assert lines[0].endswith("report in data/source-health.json")
    dead = lines.index("Dead links (4):")
    at = lines.index(f"- {moved[SHARED]} (404)")
    assert at > dead
    assert lines[at + 1: at + 4] == ["    cited by data/companies/mke.yaml",
                                     "    cited by data/deals/small-arms-ammunition-plant-kosovo.yaml",
                                     "    cited by data/systems/small-arms-ammunition-plant.yaml"]
    assert f"- {checked_server.base}/moved -> {checked_server.base}/new-home (200)" in lines
    assert lines.index("Moved links (1):") > at


def test_the_command_reports_and_exits_0_with_dead_links(mini_project, server, capsys):
    moved = point_sources_at(mini_project, server.base, {SHARED: "/gone"})
    report = mini_project / "health.json"
    code = cli.main(["--root", str(mini_project), "sources", "check", "--report", str(report), "--concurrency", "2"])
    assert code == 0
    assert json.loads(report.read_text())[moved[SHARED]]["status"] == "dead"
    assert "Dead links (1):" in capsys.readouterr().out
    assert server.most_active <= 2
    assert not (mini_project / "data" / "source-health.json").exists()


def test_when_no_server_answers_the_report_is_not_written(mini_project, capsys):
    closed = LinkServer()
    closed.close()  # its port now refuses connections: as if the network were down
    point_sources_at(mini_project, closed.base, {})
    assert cli.main(["--root", str(mini_project), "sources", "check", "--retries", "0"]) == 1
    assert "is the network down?" in capsys.readouterr().err
    assert not (mini_project / "data" / "source-health.json").exists()


@pytest.mark.parametrize("arguments", [["check", "--concurrency", "0"], ["check", "--timeout", "soon"],
                                       ["archive", "--limit", "-1"], ["frobnicate"]])
def test_usage_errors_exit_non_zero(mini_project, arguments, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--root", str(mini_project), "sources", *arguments])
    assert stopped.value.code == 2


# ---- archived copies ---------------------------------------------------------------------------------

ARCHIVE_DEAL = """\
# yaml-language-server: $schema=../schema/deal.schema.json
title: Test drones for Qatar   # a comment that must stay
recipient: QA
suppliers: [baykar]
transfer: sale
items:
  - system: bayraktar-tb2
status: reported
checked: "2025-12-01"
events:
  - date: "2025-11"
    type: report
    note: Reported
summary: >-
  A deal made for the archive tests.
sources:
  # the first report, quoted on purpose
  - url: "https://reports.tracker-test.org/first"
    title: 'First report'
    publisher: Test News    # trailing comment
    supports: the report

  - url: https://reports.tracker-test.org/second
    archive: https://web.archive.org/web/2019/https://reports.tracker-test.org/second
    publisher: Test News
    supports: the report

  - publisher: Third Paper
    url: https://reports.tracker-test.org/third
    supports: the report
confidence: reported
"""


class WaybackStandIn:
    """The availability API (one address already archived) and the save API (answers Content-Location)."""

    def __init__(self, archived: set[str], snapshots: str = "/web/20260102030405/") -> None:
        self.asked: list[str] = []
        self.saved: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path == "/wayback/available":
                    url = parse_qs(parts.query)["url"][0]
                    stand_in.asked.append(url)
                    closest = ({"closest": {"available": True, "status": "200", "timestamp": "20200101000000",
                                            "url": f"{stand_in.base}/web/20200101000000/{url}"}}
                               if url in archived else {})
                    body = json.dumps({"url": url, "archived_snapshots": closest}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif parts.path.startswith("/save/"):
                    url = self.path.removeprefix("/save/")
                    stand_in.saved.append(url)
                    self.send_response(200)
                    self.send_header("Content-Location", f"{snapshots}{url}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self.send_error(404)

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture
def wayback() -> Iterator[WaybackStandIn]:
    stand_in = WaybackStandIn(archived={"https://reports.tracker-test.org/first"})
    yield stand_in
    stand_in.httpd.shutdown()
    stand_in.httpd.server_close()


def test_archive_links_are_inserted_below_the_url_line_and_nothing_else_changes(mini_project, wayback):
    deal = mini_project / "data" / "deals" / "archive-test-qatar.yaml"
    deal.write_bytes(ARCHIVE_DEAL.encode())
    system = mini_project / "data" / "systems" / "skydagger.yaml"
    system_before = system.read_text("utf-8")
    out = io.StringIO()
    assert archive_sources(mini_project, wayback.base, FAST, pause=0, out=out) == 0

    first = f"{wayback.base}/web/20200101000000/https://reports.tracker-test.org/first"
    third = f"{wayback.base}/web/20260102030405/https://reports.tracker-test.org/third"
    expected = (ARCHIVE_DEAL
                .replace('  - url: "https://reports.tracker-test.org/first"\n',
                         f'  - url: "https://reports.tracker-test.org/first"\n    archive: "{first}"\n')
                .replace("    url: https://reports.tracker-test.org/third\n",
                         f"    url: https://reports.tracker-test.org/third\n    archive: {third}\n"))
    assert deal.read_bytes() == expected.encode()
    # The source that had an archive was not looked up; the archived one was not saved again.
    assert "https://reports.tracker-test.org/second" not in wayback.asked
    assert "https://reports.tracker-test.org/first" not in wayback.saved
    assert "https://reports.tracker-test.org/third" in wayback.saved
    skydagger = "https://www.trtworld.com/article/7e55e94efe54"
    assert system.read_text("utf-8") == system_before.replace(
        f"  - url: {skydagger}\n",
        f"  - url: {skydagger}\n    archive: {wayback.base}/web/20260102030405/{skydagger}\n")
    assert wayback.asked.count(skydagger) == 1  # cited by two records, looked up once, written into both
    dataset = load_dataset(mini_project)  # every edited file still passes the whole check
    assert dataset.deals["archive-test-qatar"].sources[0]["archive"] == first
    assert dataset.deals["skydagger-kosovo"].sources[0]["archive"].endswith("/" + skydagger)
    assert all("archive" in s for r in [*dataset.deals.values(), *dataset.systems.values()] for s in r.sources)
    assert "sources archive: " in out.getvalue() and "0 left to edit by hand" in out.getvalue()


def test_archive_limit_bounds_the_lookups(mini_project, wayback, capsys):
    before = {p: p.read_bytes() for p in (mini_project / "data").glob("*/*.yaml")}
    code = cli.main(["--root", str(mini_project), "sources", "archive", "--limit", "2", "--wayback", wayback.base,
                     "--pause", "0"])
    assert code == 0
    assert len(wayback.asked) == 2 and len(wayback.saved) == 2
    changed = [p for p, raw in before.items() if p.read_bytes() != raw]
    assert changed and all(p.read_bytes().count(b"archive: ") - raw.count(b"archive: ") <= 2
                           for p, raw in before.items())
    load_dataset(mini_project)


def test_edits_that_fail_the_check_are_put_back(mini_project):
    stand_in = WaybackStandIn(archived=set(), snapshots="ftp://archive.test/")  # not an http(s) address
    try:
        before = {p: p.read_bytes() for p in (mini_project / "data").glob("*/*.yaml")}
        out = io.StringIO()
        assert archive_sources(mini_project, stand_in.base, FAST, pause=0, out=out) == 0
        assert stand_in.saved and all(p.read_bytes() == raw for p, raw in before.items())
        assert "mke.yaml: failed the check with its archive lines: put back as it was" in out.getvalue()
        assert "must be a web address" in out.getvalue() and "0 source(s) given an archive" in out.getvalue()
    finally:
        stand_in.httpd.shutdown()
        stand_in.httpd.server_close()


def test_insertion_keeps_crlf_line_ends_and_leaves_flow_mappings_alone():
    crlf = b"sources:\r\n  - url: https://a.test/x\r\n    publisher: P\r\n"
    assert insert_archive_line(crlf, 0, "https://web.archive.org/web/1/x") == (
        b"sources:\r\n  - url: https://a.test/x\r\n    archive: https://web.archive.org/web/1/x\r\n"
        b"    publisher: P\r\n")
    flow = b"sources:\n  - {url: https://a.test/x, publisher: P}\n"
    with pytest.raises(ValueError, match="flow mapping"):
        insert_archive_line(flow, 0, "https://web.archive.org/web/1/x")
    # A snapshot address that would not read back as itself unquoted is quoted.
    odd = insert_archive_line(b"sources:\n  - url: https://a.test/x\n", 0, "https://w.test/a #b")
    assert odd == b'sources:\n  - url: https://a.test/x\n    archive: "https://w.test/a #b"\n'


# ---- the dead-link note on deal pages -------------------------------------------------------------------

SETTINGS = SiteSettings(site_url="https://example.github.io/tracker/", repo_url="https://github.com/o/tracker",
                        as_of=dt.date(2026, 12, 2))
DEAD = "https://www.dailysabah.com/business/defense/kosovo-receives-turkish-kamikaze-drones-ahead-of-schedule-pm"
FINE = "https://www.trtworld.com/article/7e55e94efe54"


def deal_page(project: Path) -> str:
    renderer = SiteRenderer(load_dataset(project), SETTINGS, project / "data" / "schema")
    pages, broken, _ = renderer.render_sections(["deals"])
    assert not broken
    return pages["deals/skydagger-kosovo.md"].markdown


def test_a_deal_page_says_when_a_source_link_was_reported_dead(mini_project):
    without = deal_page(mini_project)
    report = {DEAD: {"status": "dead", "code": 404, "checked": "2026-01-02", "cited_by": []},
              FINE: {"status": "redirected", "code": 200, "checked": "2026-01-02", "final_url": FINE + "/x",
                     "cited_by": []}}
    (mini_project / "data" / "source-health.json").write_text(json.dumps(report), "utf-8")
    with_report = deal_page(mini_project)
    note = (' <span class="tdet-dead-link">Original link reported dead on '
            '<time datetime="2026-01-02">2 Jan 2026</time>.</span>')
    assert with_report.count("link reported dead on") == 1
    source = re.search(r'<li id="source-2">.*?</li>', with_report, re.DOTALL)
    assert source and DEAD in source.group(0) and note in source.group(0)
    assert with_report.replace(note, "") == without  # nothing else changed; no note without the report
    assert "reported dead" not in without


def test_a_malformed_report_is_a_data_error(mini_project):
    (mini_project / "data" / "source-health.json").write_text('{"https://a.test/": {"checked": "2026-13-01"}}')
    with pytest.raises(DatasetInvalid) as invalid:
        load_dataset(mini_project)
    assert [e.path for e in invalid.value.errors] == ["data/source-health.json"]
    assert load_dataset(mini_project, only=[mini_project / "data" / "deals" / "skydagger-kosovo.yaml"])
