"""Source health: which cited links still answer, and archived copies for the sources that lack one.

`check_sources` asks every distinct source and archive address of the records, a few at a time, and
classifies the answer: ok, redirected (the final address is recorded), dead (404, 410, no such host,
or no answer after the retries) or error (any other failure). The report, `data/source-health.json`,
is written with sorted keys so that a run that finds nothing new changes nothing but the date.

`archive_sources` asks the Wayback Machine for a snapshot of each source without `archive` (and asks
it to take one when there is none), then writes `archive: <snapshot>` directly below the source's
`url:` line. The edit is a text insertion, not a YAML re-dump: comments, blank lines and quoting stay
exactly as the contributor wrote them, and the file is read back to prove it says what it said plus
the new line.

Only the standard library talks to the network (http.client), so the module runs anywhere the
tracker does and is tested against local servers.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import http.client
import json
import re
import socket
import ssl
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote, urlencode, urljoin, urlsplit, urlunsplit

from .errors import DatasetInvalid, format_errors
from .load import load_dataset
from .model import Dataset, Record
from .strict_yaml import YamlRefused, parse_yaml_bytes

REPOSITORY = "https://github.com/turkish-defense-exports/tracker"
USER_AGENT = f"TurkishDefenseExportsTracker-SourceHealth/1.0 (+{REPOSITORY})"
REPORT = Path("data") / "source-health.json"
WAYBACK = "https://web.archive.org"
REFUSED_HEAD = frozenset({403, 405, 501})  # servers that refuse HEAD often answer GET
DEAD_CODES = frozenset({404, 410})
MAX_REDIRECTS = 10
STATUSES = ("ok", "redirected", "dead", "error")


@dataclass
class Answer:
    """The last answer (or failure) for one address; `code` is None when no HTTP answer came."""

    code: int | None
    final_url: str
    reason: str = ""
    dead: bool = False  # a failure that means the link is gone (DNS, repeated resets or timeouts)


@dataclass
class Settings:
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubled before each further one
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


class _Failure(Exception):
    """No HTTP answer: `dead` says whether that means the link is gone, `retry` whether to try again."""

    def __init__(self, reason: str, dead: bool, retry: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.dead = dead
        self.retry = retry


# ---- addresses ----------------------------------------------------------------------------------

def ascii_url(url: str) -> str:
    """The address as http.client can send it: the host in IDNA, the rest percent-encoded."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = quote(host, safe="")
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((parts.scheme, netloc, path or "/", query, ""))


def cited_urls(dataset: Dataset) -> dict[str, list[str]]:
    """Every distinct source and archive address of the deals, companies and systems, with the files
    that cite it, sorted."""
    cited: dict[str, set[str]] = {}
    for record in _records(dataset):
        for source in record.sources:
            for key in ("url", "archive"):
                if key in source:
                    cited.setdefault(source[key], set()).add(record.path)
    return {url: sorted(paths) for url, paths in sorted(cited.items())}


def _records(dataset: Dataset) -> Iterable[Record]:
    for folder in (dataset.deals, dataset.companies, dataset.systems):
        yield from (folder[key] for key in sorted(folder))


# ---- one request ----------------------------------------------------------------------------------

@functools.cache
def _tls_context() -> ssl.SSLContext:
    # One context for every connection: building one loads the system's certificates, 20 ms each time.
    return ssl.create_default_context()


def request(method: str, url: str, settings: Settings, read_body: bool = False) -> tuple[int, Any, bytes]:
    """One HTTP request, no redirects followed: (status, headers, body if asked for, at most 1 MB).

    Raises _Failure when no answer came, ValueError for an address it cannot ask."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) address: {url}")
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=settings.timeout,
                                                 context=_tls_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=settings.timeout)
    try:
        connection.request(method, target, headers={
            "User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            "Connection": "close"})
        response = connection.getresponse()
        body = response.read(1024 * 1024) if read_body else b""
        return response.status, response.headers, body
    except socket.gaierror as error:
        # EAI_AGAIN is the resolver's own trouble; anything else means the name does not exist (any more).
        if error.errno == socket.EAI_AGAIN:
            raise _Failure("DNS lookup failed for now", dead=False) from None
        raise _Failure("DNS lookup failed: no such host", dead=True, retry=False) from None
    except TimeoutError:
        raise _Failure(f"no answer within {settings.timeout:g} s", dead=True) from None
    except ConnectionRefusedError:
        raise _Failure("connection refused", dead=True) from None
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        # http.client.RemoteDisconnected (closed without an answer) is a ConnectionResetError too.
        raise _Failure("connection reset", dead=True) from None
    except ssl.SSLError as error:
        raise _Failure(f"TLS failure: {error.reason or error}", dead=False, retry=False) from None
    except http.client.HTTPException as error:
        raise _Failure(f"bad HTTP answer: {type(error).__name__}", dead=False, retry=False) from None
    except OSError as error:
        raise _Failure(f"network failure: {error.strerror or error}", dead=False) from None
    finally:
        connection.close()


def request_with_retries(method: str, url: str, settings: Settings) -> tuple[int, Any] | Answer:
    """(status, headers) of the request, tried again after timeouts, resets and 5xx answers with a
    growing pause; an Answer when no HTTP answer came after the retries."""
    attempt = 0
    while True:
        try:
            status, headers, _ = request(method, url, settings)
            if status < 500 or attempt >= settings.retries:
                return status, headers
        except _Failure as failure:
            if not failure.retry or attempt >= settings.retries:
                tries = f" ({attempt + 1} tries)" if attempt else ""
                return Answer(None, url, failure.reason + tries, dead=failure.dead)
        settings.sleep(settings.backoff * 2 ** attempt)
        attempt += 1


def follow(method: str, url: str, settings: Settings) -> Answer:
    """The answer at the end of the redirects from `url` (at most MAX_REDIRECTS)."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            result = request_with_retries(method, ascii_url(current), settings)
        except ValueError as error:
            return Answer(None, current, str(error))
        if isinstance(result, Answer):
            result.final_url = current
            return result
        status, headers = result
        if status in (301, 302, 303, 307, 308):
            location = headers.get("Location")
            if not location:
                return Answer(status, current, "redirect without a Location header")
            current = urljoin(current, location.strip())
            continue
        return Answer(status, current)
    return Answer(None, current, f"more than {MAX_REDIRECTS} redirects")


def check_url(url: str, settings: Settings) -> Answer:
    """HEAD first; GET when the server refuses HEAD."""
    answer = follow("HEAD", url, settings)
    if answer.code in REFUSED_HEAD:
        answer = follow("GET", url, settings)
    return answer


def classify(url: str, answer: Answer) -> str:
    if answer.code is None:
        return "dead" if answer.dead else "error"
    if answer.code in DEAD_CODES:
        return "dead"
    if 200 <= answer.code < 300:
        return "ok" if answer.final_url == url else "redirected"
    return "error"


# ---- the check --------------------------------------------------------------------------------------

def check_sources(dataset: Dataset, settings: Settings, concurrency: int = 8,
                  today: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The report: one entry per cited address, in address order."""
    today = today or dt.date.today()
    cited = cited_urls(dataset)
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        answers = dict(zip(cited, pool.map(lambda url: check_url(url, settings), cited), strict=True))
    report: dict[str, dict[str, Any]] = {}
    for url, files in cited.items():
        answer = answers[url]
        entry: dict[str, Any] = {"status": classify(url, answer), "code": answer.code,
                                 "checked": today.isoformat(), "cited_by": files}
        if answer.final_url != url:
            entry["final_url"] = answer.final_url
        if answer.reason:
            entry["reason"] = answer.reason
        report[url] = entry
    return report


def report_json(report: dict[str, dict[str, Any]]) -> str:
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def summary_lines(report: dict[str, dict[str, Any]], report_path: str) -> list[str]:
    counts = {status: sum(1 for e in report.values() if e["status"] == status) for status in STATUSES}
    lines = [f"sources check: {len(report)} address(es): " + ", ".join(f"{n} {s}" for s, n in counts.items())
             + f"; report in {report_path}"]
    sections = (("dead", "Dead links"), ("redirected", "Moved links"), ("error", "Links that answered with an error"))
    for status, heading in sections:
        entries = [(url, entry) for url, entry in report.items() if entry["status"] == status]
        if not entries:
            continue
        lines += ["", f"{heading} ({len(entries)}):"]
        for url, entry in entries:
            what = str(entry["code"]) if entry["code"] is not None else ""
            if entry.get("reason"):
                what = f"{what}, {entry['reason']}" if what else entry["reason"]
            moved = f" -> {entry['final_url']}" if "final_url" in entry else ""
            lines.append(f"- {url}{moved} ({what})")
            lines += [f"    cited by {path}" for path in entry["cited_by"]]
    return lines


def load_or_report(root: Path, out: TextIO) -> Dataset | None:
    """The dataset, or None after printing its errors: the commands work on valid data only."""
    try:
        return load_dataset(root)
    except DatasetInvalid as invalid:
        print("\n".join(format_errors(invalid.errors)), file=out)
        return None


def run_check(root: Path, report_path: Path, settings: Settings, concurrency: int, out: TextIO | None = None,
              today: dt.date | None = None) -> int:
    out = out or sys.stdout
    dataset = load_or_report(root, out)
    if dataset is None:
        return 1
    report = check_sources(dataset, settings, concurrency, today)
    if len(report) >= 5 and all(entry["code"] is None for entry in report.values()):
        # Not one server answered: that is this machine's network, not dead links. Keep the last report.
        reasons = sorted({entry.get("reason", "") for entry in report.values()})
        print(f"sources check: none of {len(report)} address(es) answered ({'; '.join(reasons[:3])}): "
              f"is the network down? {report_path} was not written", file=sys.stderr)
        return 1
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(report_json(report), "utf-8")
    shown = report_path.relative_to(root).as_posix() if report_path.is_relative_to(root) else str(report_path)
    print("\n".join(summary_lines(report, shown)), file=out)
    return 0


# ---- archived copies ---------------------------------------------------------------------------------

def _wayback_url(snapshot: str) -> str:
    # The availability API answers with http:// addresses; the archive serves the same over https.
    return "https://" + snapshot[len("http://"):] if snapshot.startswith("http://web.archive.org/") else snapshot


def find_snapshot(url: str, wayback: str, settings: Settings) -> str | None:
    """The closest snapshot the availability API knows of, or None."""
    query = f"{wayback.rstrip('/')}/wayback/available?{urlencode({'url': url})}"
    try:
        status, _, body = request("GET", query, settings, read_body=True)
    except _Failure:
        return None
    if status != 200:
        return None
    try:
        closest = json.loads(body).get("archived_snapshots", {}).get("closest") or {}
    except (ValueError, AttributeError):
        return None
    snapshot = closest.get("url") if isinstance(closest, dict) and closest.get("available", True) else None
    return _wayback_url(snapshot) if isinstance(snapshot, str) and snapshot.startswith(("http://", "https://")) \
        else None


def save_snapshot(url: str, wayback: str, settings: Settings) -> str | None:
    """Ask the save API to take a snapshot; its address comes in Content-Location or Location."""
    try:
        status, headers, _ = request("GET", ascii_url(f"{wayback.rstrip('/')}/save/{url}"), settings)
    except (_Failure, ValueError):
        return None
    if status >= 400:
        return None
    location = headers.get("Content-Location") or headers.get("Location")
    return _wayback_url(urljoin(wayback.rstrip("/") + "/", location.strip())) if location else None


def _scalar(value: str, style: str) -> str:
    if style == '"':
        return json.dumps(value, ensure_ascii=False)
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    return value


def insert_archive_line(raw: bytes, index: int, snapshot: str) -> bytes:
    """The file with `archive: <snapshot>` inserted below sources[index]'s url line, nothing else
    changed. Raises ValueError when that cannot be done safely (the result is read back to check)."""
    document = parse_yaml_bytes(raw)
    sources = document.data.get("sources") if isinstance(document.data, dict) else None
    if not isinstance(sources, list) or index >= len(sources) or "url" not in sources[index]:
        raise ValueError(f"no sources[{index}].url")
    if "archive" in sources[index]:
        raise ValueError(f"sources[{index}] already has an archive")
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def char_at(location: tuple[int, int]) -> str:
        line, column = location
        return text[starts[line - 1] + column - 1: starts[line - 1] + column]

    if char_at(document.locate(("sources", index))) == "{":
        raise ValueError(f"sources[{index}] is written as a {{flow mapping}}: add the archive by hand")
    line, column = document.key_locations[("sources", index, "url")]
    if line < len(starts):
        insert_at, before = starts[line], text[:starts[line]]
        newline = "\r\n" if before.endswith("\r\n") else "\n"
    else:  # the url line is the file's last line, with no line break after it
        newline = "\r\n" if "\r\n" in text else "\n"
        insert_at, before = len(text), text + newline
    expected = copy.deepcopy(document.data)
    expected["sources"][index]["archive"] = snapshot
    style = char_at(document.locate(("sources", index, "url")))
    for quoting in dict.fromkeys([style if style in "\"'" else "", '"']):
        new_line = f"{' ' * (column - 1)}archive: {_scalar(snapshot, quoting)}{newline}"
        result = (bom + before + new_line + text[insert_at:]).encode("utf-8")
        try:
            if parse_yaml_bytes(result).data == expected:
                return result
        except YamlRefused:
            pass
    raise ValueError(f"sources[{index}].url spans several lines or is unusual: add the archive by hand")


def archive_sources(root: Path, wayback: str, settings: Settings, limit: int | None = None,
                    pause: float = 5.0, out: TextIO | None = None) -> int:
    """Give sources without `archive` a snapshot address, up to `limit` distinct addresses."""
    out = out or sys.stdout
    dataset = load_or_report(root, out)
    if dataset is None:
        return 1
    missing: dict[str, list[tuple[str, int]]] = {}
    for record in _records(dataset):
        for index, source in enumerate(record.sources):
            if "archive" not in source:
                missing.setdefault(source["url"], []).append((record.path, index))
    urls = list(missing)[:limit] if limit is not None else list(missing)
    edits: dict[str, list[tuple[int, str]]] = {}
    not_found = 0
    saved = 0
    for url in urls:
        snapshot = find_snapshot(url, wayback, settings)
        if snapshot is None:
            if saved and pause:
                settings.sleep(pause)  # the save API takes a few requests a minute from one client
            saved += 1
            snapshot = save_snapshot(url, wayback, settings)
        if snapshot is None:
            not_found += 1
            print(f"no snapshot for {url}", file=out)
            continue
        for path, index in missing[url]:
            edits.setdefault(path, []).append((index, snapshot))
    written, skipped = _write_archives(root, edits, out)
    print(f"sources archive: {len(urls)} of {len(missing)} address(es) without an archive looked up; "
          f"{written} source(s) given an archive; {not_found} without a snapshot; {skipped} left to edit by hand",
          file=out)
    return 0


def _write_archives(root: Path, edits: dict[str, list[tuple[int, str]]], out: TextIO) -> tuple[int, int]:
    """Insert the archive lines; a file that then fails the full check (schema and rules) is put back."""
    originals: dict[str, bytes] = {}
    inserted: dict[str, int] = {}
    skipped = 0
    for display, entries in sorted(edits.items()):
        raw = original = (root / display).read_bytes()
        for index, snapshot in sorted(entries):  # each insertion reads the file as it now is
            try:
                raw = insert_archive_line(raw, index, snapshot)
            except (ValueError, YamlRefused) as error:
                skipped += 1
                print(f"{display}: {error}", file=out)
                continue
            inserted[display] = inserted.get(display, 0) + 1
            print(f"{display}: sources[{index}] archive: {snapshot}", file=out)
        if raw != original:
            originals[display] = original
            (root / display).write_bytes(raw)
    if originals:
        try:
            load_dataset(root, only=[root / display for display in sorted(originals)])
        except DatasetInvalid as invalid:
            print("\n".join(format_errors(invalid.errors)), file=out)
            for display in sorted({error.path for error in invalid.errors} & set(originals)):
                (root / display).write_bytes(originals[display])
                skipped += inserted.pop(display)
                print(f"{display}: failed the check with its archive lines: put back as it was", file=out)
    return sum(inserted.values()), skipped
