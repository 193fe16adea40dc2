"""Read the data folder strictly, validate every file, and return the dataset or every error at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import rules
from .errors import DataError, DatasetInvalid
from .model import Company, Country, Dataset, Deal, Seed, System, slugify
from .schema_check import schema_errors
from .record_cache import RecordCache
from .strict_yaml import Document, YamlRefused, parse_yaml_bytes

RECORD_FOLDERS = {"deals": ("deal", Deal), "companies": ("company", Company), "systems": ("system", System)}


@dataclass
class Project:
    """Where a project's data lives; paths in errors are relative to `root`."""

    root: Path

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

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
        if not path.is_absolute() or ".." in path.parts:
            path = path.resolve()
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def record_files(self, folder: str) -> list[Path]:
        return sorted((self.data / folder).glob("*.yaml"))

    def seed_files(self) -> list[Path]:
        return sorted(self.seeds.glob("*.yaml")) if self.seeds.is_dir() else []


def read_checked(project: Project, path: Path, schema: str, errors: list[DataError],
                 cache: RecordCache | None = None) -> Document | None:
    """Parse one file and check it against its schema; None (with errors added) if it is unusable."""
    display = project.display(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        errors.append(DataError(display, 1, 1, "", f"cannot read the file: {error.strerror}"))
        return None
    cached = cache.get(schema, raw) if cache else None
    if cached is not None:
        return Document(cached, from_cache=True)
    try:
        document = parse_yaml_bytes(raw)
    except YamlRefused as refused:
        errors.append(DataError(display, refused.line, refused.column, "", refused.message))
        return None
    if not isinstance(document.data, dict):
        errors.append(DataError(display, 1, 1, "", "the file must be a mapping of fields, not a list or a single value"))
        return None
    found = schema_errors(document, project.schema_dir, schema, display)
    errors.extend(found)
    if found:
        return None
    if cache:
        cache.put(schema, raw, document.data)
    return document


def read_valid(project: Project, path: Path, schema: str, errors: list[DataError], cache: RecordCache | None,
               rule: Callable[[Document, str], list[DataError]]) -> Document | None:
    """read_checked, then the file's rules. A cached file breaking a rule is read again, so that its
    errors carry lines and columns."""
    document = read_checked(project, path, schema, errors, cache)
    if document is None:
        return None
    found = rule(document, project.display(path))
    if found and document.from_cache:
        document = read_checked(project, path, schema, [])
        found = rule(document, project.display(path))
    errors.extend(found)
    return document


def load_countries(project: Project, errors: list[DataError], cache: RecordCache | None) -> dict[str, Country]:
    path = project.data / "countries.yaml"
    # Checking codes and naming countries loads pycountry's database (0.1 s): the names are cached
    # with the file, and the check runs only when the file changed.
    names_key = ("country-names", path.read_bytes() if path.is_file() else b"")
    names = cache.get(*names_key) if cache else None
    rule = (lambda document, display: []) if names is not None else rules.country_errors
    found_before = len(errors)
    document = read_valid(project, path, "countries", errors, cache, rule)
    if document is None:
        return {}
    if names is None:
        names = {code: entry.get("name") or rules.iso_country_name(code) or code
                 for code, entry in document.data["countries"].items()}
        if cache and len(errors) == found_before:
            cache.put(*names_key, names)
    return {code: Country(code, names[code], entry["region"], slugify(names[code]), entry.get("note"))
            for code, entry in document.data["countries"].items()}


def _record_kind(project: Project, path: Path) -> str | None:
    parent = path.resolve().parent
    for folder in RECORD_FOLDERS:
        if parent == (project.data / folder).resolve():
            return folder
    if parent == project.seeds.resolve():
        return "seeds"
    return None


def load_dataset(root: Path, today: dt.date | None = None, only: Iterable[Path] | None = None,
                 cache: bool = False) -> Dataset:
    """Load and validate the project's data; raises DatasetInvalid with every error found.

    With `only`, just those files are read and checked in full; references are checked against the
    ids of every record on disk (file names), so one changed file checks quickly. With `cache`,
    unchanged files are taken from .cache/ instead of being parsed and schema-checked again.
    """
    project = Project(Path(root))
    record_cache = RecordCache(project.root / ".cache" / "tracker-records.marshal", project.schema_dir) if cache else None
    today = today or dt.date.today()
    errors: list[DataError] = []
    dataset = Dataset()
    dataset.countries = load_countries(project, errors, record_cache)

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

    for folder, (schema, record_type) in RECORD_FOLDERS.items():
        target = getattr(dataset, folder)
        for path in wanted[folder]:
            display = project.display(path)
            errors.extend(rules.file_name_errors(path, display))
            rule = rules.RECORD_RULES[schema]
            document = read_valid(project, path, schema, errors, record_cache,
                                  lambda document, display: rule(document, display, known, today))
            if document is None:
                continue
            rules.normalise_dates(document.data)
            target[path.stem] = record_type(path.stem, display, document.data)

    for path in wanted["seeds"]:
        display = project.display(path)
        document = read_valid(project, path, "seed", errors, record_cache,
                              lambda document, display: rules.seed_errors(document, display, known, today))
        if document is not None:
            rules.normalise_dates(document.data)
            dataset.seeds[path.stem] = Seed(path.stem, display, document.data)

    totals_path = project.data / "annual-totals.yaml"
    if read_totals and totals_path.exists():
        document = read_valid(project, totals_path, "annual-totals", errors, record_cache,
                              lambda document, display: rules.totals_errors(document, display, known, today))
        if document is not None:
            rules.normalise_dates(document.data)
            dataset.totals = document.data["totals"]

    if errors:
        raise DatasetInvalid(errors)
    if record_cache and only is None:
        record_cache.save()
    return dataset
