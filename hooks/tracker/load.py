"""Read the data folder strictly, validate every file, and return the dataset or every error at once."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import rules
from .background import Background, BackgroundFailed
from .errors import DataError, DatasetInvalid
from .model import Company, Country, Dataset, Deal, Record, Seed, System, slugify
from .record_cache import RecordCache
from .schema_check import schema_errors
from .strict_yaml import Document, YamlRefused, parse_yaml_bytes

RECORD_FOLDERS = {"deals": ("deal", Deal), "companies": ("company", Company), "systems": ("system", System)}


@dataclass
class Project:
    """Where a project's data lives; paths in errors are relative to `root`."""

    root: Path

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self._prefix = str(self.root) + os.sep

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def schema_dir(self) -> Path:
        return self.data / "schema"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    def display(self, path: Path) -> str:
        # Files found under the (resolved) root need no resolving: that saves thousands of system calls.
        text = str(path)
        if not text.startswith(self._prefix) or ".." in path.parts:
            text = str(path.resolve())
        if text.startswith(self._prefix):
            return text[len(self._prefix):].replace(os.sep, "/")
        return path.as_posix()

    def record_files(self, folder: str) -> list[Path]:
        return sorted((self.data / folder).glob("*.yaml"), key=str)

    def seed_files(self) -> list[Path]:
        return sorted(self.seeds.glob("*.yaml")) if self.seeds.is_dir() else []


def parse_checked(project: Project, raw: bytes, schema: str, display: str, errors: list[DataError]) -> Document | None:
    """Parse a file's bytes and check them against its schema; None (with errors added) if unusable."""
    try:
        document = parse_yaml_bytes(raw)
    except YamlRefused as refused:
        errors.append(DataError(display, refused.line, refused.column, "", refused.message))
        return None
    if not isinstance(document.data, dict):
        errors.append(DataError(display, 1, 1, "",
                                "the file must be a mapping of fields, not a list or a single value"))
        return None
    found = schema_errors(document, project.schema_dir, schema, display)
    errors.extend(found)
    return None if found else document


def read_record(project: Project, path: Path, schema: str, errors: list[DataError], cache: RecordCache | None,
                known: rules.KnownIds | None, today: dt.date, display: str | None = None) -> dict[str, Any] | None:
    """One file's fields, parsed, schema-checked, through its own rules and the rules across records,
    and normalised; None if it is unusable. Errors are added to `errors`.

    A file in the record cache has passed all but the rules across records, so only those run. If
    one fails, the file is parsed again, so that its errors carry lines and columns."""
    display = display or project.display(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        errors.append(DataError(display, 1, 1, "", f"cannot read the file: {error.strerror}"))
        return None
    file_rules = rules.RULES[schema]
    cached = cache.get(schema, raw) if cache else None
    if cached is not None and not (known and file_rules.across(cached, known)):
        return cached
    document = parse_checked(project, raw, schema, display, errors)
    if document is None:
        return None
    own = file_rules.in_file(document.data, today)
    across = file_rules.across(document.data, known) if known else []
    errors.extend(rules.located(document, display, iter(own + across), at_key=file_rules.at_key))
    rules.normalise(schema, document.data)
    if cache and not own:
        cache.put(schema, raw, document.data)
    return document.data


def check_alone(project: Project, files: list[tuple[Path, str]], cache: RecordCache,
                today: dt.date) -> dict[str, Any]:
    """Record-cache entries for those of `files` (path, schema) that the cache lacks and that pass their
    schema and their own file's rules: what read_record would put in the cache for them."""
    entries: dict[str, Any] = {}
    for path, schema in files:
        try:
            raw = path.read_bytes()
        except OSError:
            continue  # read_record reports it
        key = cache.key(schema, raw)
        if key in cache.entries:
            continue
        document = parse_checked(project, raw, schema, "", [])
        if document is None or rules.RULES[schema].in_file(document.data, today):
            continue  # read_record reads it again and reports where it fails
        rules.normalise(schema, document.data)
        entries[key] = document.data
    return entries


# Below this many files missing from the record cache, a second process is not worth starting.
PARALLEL_FROM = 100


class SecondHalf:
    """Parsing and schema-checking a file costs about 1 ms: when the record cache lacks many files (a
    first build, a fresh clone), a second process (background.py) checks the second half of the files
    while this one reads the first, and hands its results over as cache entries, where read_record then
    finds them. Every rule across records, and every error with its line and column, still comes from
    read_record in this process; if the second process fails, this one reads those files itself."""

    def __init__(self, project: Project, files: list[tuple[Path, str]], cache: RecordCache | None,
                 today: dt.date):
        self.cache = cache
        self.start = len(files) // 2
        self._task = None
        if cache is not None and len(files) - len(cache.entries) >= PARALLEL_FROM:
            self._task = Background(lambda: check_alone(project, files[self.start:], cache, today))

    def reached(self, position: int) -> None:
        """read_record is about to read file number `position` of `files`: from the second half on, the
        second process's entries are in the cache."""
        if self._task is not None and self.cache is not None and position >= self.start:
            try:
                self.cache.entries.update(self._task.result())
            except BackgroundFailed:
                pass  # read_record reads them, and fails or reports as it would have without a second process
            self._task = None


def load_countries(project: Project, errors: list[DataError], cache: RecordCache | None,
                   today: dt.date) -> dict[str, Country]:
    data = read_record(project, project.data / "countries.yaml", "countries", errors, cache, None, today)
    if data is None:
        return {}
    return {code: Country(code, entry["name"], entry["region"], slugify(entry["name"]), entry.get("note"))
            for code, entry in data["countries"].items()}


def _record_kind(project: Project, path: Path) -> str | None:
    parent = path.resolve().parent
    for folder in RECORD_FOLDERS:
        if parent == (project.data / folder).resolve():
            return folder
    if parent == project.seeds.resolve():
        return "seeds"
    return None


def _is_day(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def load_source_health(project: Project, errors: list[DataError]) -> dict[str, dict[str, Any]]:
    """The link report `tracker sources check` writes, by URL; empty when there is none."""
    path = project.data / "source-health.json"
    if not path.exists():
        return {}
    try:
        report = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        report = error
    if not isinstance(report, dict) or not all(isinstance(entry, dict) and _is_day(entry.get("checked"))
                                               for entry in report.values()):
        errors.append(DataError(project.display(path), 1, 1, "",
                                "not a link report: run `tracker sources check` again or delete the file"))
        return {}
    return report


def load_dataset(root: Path, today: dt.date | None = None, only: Iterable[Path] | None = None,
                 cache: bool = False) -> Dataset:
    """Load and validate the project's data; raises DatasetInvalid with every error found.

    With `only`, just those files are read and checked in full; references are checked against the
    ids of every record on disk (file names), so one changed file checks quickly. With `cache`,
    unchanged files are taken from .cache/ instead of being parsed and schema-checked again.
    """
    project = Project(Path(root))
    record_cache = (RecordCache(project.root / ".cache" / "tracker-records.marshal", project.schema_dir)
                    if cache else None)
    today = today or dt.date.today()
    errors: list[DataError] = []
    dataset = Dataset()
    dataset.countries = load_countries(project, errors, record_cache, today)

    known = rules.KnownIds(
        companies={p.stem for p in project.record_files("companies")},
        systems={p.stem for p in project.record_files("systems")},
        deals={p.stem for p in project.record_files("deals")},
        countries=set(dataset.countries),
    )

    wanted: dict[str, list[Path]] = {folder: project.record_files(folder) for folder in RECORD_FOLDERS}
    wanted["seeds"] = project.seed_files()
    read_totals = True
    if only is not None:
        wanted = {folder: [] for folder in wanted}
        read_totals = False
        for path in only:
            path = Path(path)
            if path.name == "annual-totals.yaml":
                read_totals = True
                continue
            if path.name == "countries.yaml":
                continue
            kind = _record_kind(project, path)
            if kind is None:
                errors.append(DataError(project.display(path), 1, 1, "",
                                        "not a record file: records live in data/deals, data/companies, "
                                        "data/systems or seeds"))
            else:
                wanted[kind].append(path)

    kinds: dict[str, tuple[str, type[Record]]] = {**RECORD_FOLDERS, "seeds": ("seed", Seed)}
    files = [(folder, path) for folder in kinds for path in wanted[folder]]
    second_half = SecondHalf(project, [(path, kinds[folder][0]) for folder, path in files], record_cache, today)
    for position, (folder, path) in enumerate(files):
        second_half.reached(position)
        schema, record_type = kinds[folder]
        display = project.display(path)
        if folder != "seeds":
            errors.extend(rules.file_name_errors(path, display))
        data = read_record(project, path, schema, errors, record_cache, known, today, display)
        if data is not None:
            getattr(dataset, folder)[path.stem] = record_type(path.stem, display, data)

    totals_path = project.data / "annual-totals.yaml"
    if read_totals and totals_path.exists():
        data = read_record(project, totals_path, "annual-totals", errors, record_cache, known, today)
        if data is not None:
            dataset.totals = data["totals"]

    if only is None:
        dataset.source_health = load_source_health(project, errors)

    if errors:
        raise DatasetInvalid(errors)
    if record_cache and only is None:
        record_cache.save()
    return dataset
