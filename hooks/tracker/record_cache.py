"""A cache of parsed records that passed the schema and their own file's rules, keyed by a hash of
each file's bytes.

Parsing YAML, validating it against the JSON Schema and the rules within one file cost about 1 ms
per record; a rebuild (`mkdocs serve`, a second build, a pre-commit run) skips them for files whose
bytes have not changed, and runs only the rules across records. Records that break one of those are
read again in full, so their errors still carry line and column. The cache lives in `.cache/`
(ignored by git) and is thrown away whenever anything that decides an entry changes: the schemas, the
package's code (reader, schema check, rules, normalisation, this module) and the libraries it relies on.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = "records-2"  # entries: schema-valid, passing their own file's rules, normalised
PACKAGE_DIR = Path(__file__).resolve().parent
# Libraries whose behaviour decides whether a file passes: the YAML parser, the schema validator,
# and the country database the countries file is checked against.
DECIDING_LIBRARIES = ("pyyaml", "jsonschema", "pycountry")


def fingerprint(schema_dir: Path, code_dir: Path = PACKAGE_DIR) -> str:
    """A hash of everything that decides whether a file passes and what the cache keeps of it.

    The whole package's code counts, not a hand-kept list of modules: a rule added anywhere
    must invalidate the entries it did not check."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in [*sorted(schema_dir.glob("*.schema.json")), *sorted(code_dir.glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for library in DECIDING_LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


# What this process last read from or wrote to each cache file, with the file's modification time and
# size then: in `mkdocs serve`, which loads the dataset on every save, a cache file still as this
# process left it is not read again (at 1,000 deals that took 28 ms of each rebuild). Its entries are
# taken only under the same fingerprint, like the file's.
_KEPT: dict[Path, tuple[tuple[int, int] | None, str, dict[str, Any]]] = {}


class RecordCache:
    def __init__(self, path: Path, schema_dir: Path):
        self.path = path
        self.fingerprint = fingerprint(schema_dir)
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        stamp = _stamp(path)
        kept = _KEPT.get(path)
        if kept is not None and stamp is not None and kept[:2] == (stamp, self.fingerprint):
            self.entries = kept[2]
            return
        try:
            stored = marshal.loads(path.read_bytes())
            if stored.get("fingerprint") == self.fingerprint:
                self.entries = stored["records"]
        except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
            self.entries = {}
        _KEPT[path] = (stamp, self.fingerprint, self.entries)

    @staticmethod
    def key(schema: str, raw: bytes) -> str:
        return schema + ":" + hashlib.sha256(raw).hexdigest()

    def get(self, schema: str, raw: bytes) -> Any | None:
        key = self.key(schema, raw)
        if key in self.entries:
            self.used[key] = self.entries[key]
            return self.entries[key]
        return None

    def put(self, schema: str, raw: bytes, data: Any) -> None:
        self.used[self.key(schema, raw)] = data

    def save(self) -> None:
        """Keep only the records read this time, so the cache does not grow with deleted files."""
        if self.used == self.entries:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(marshal.dumps({"fingerprint": self.fingerprint, "records": self.used}))
        os.replace(temporary, self.path)
        _KEPT[self.path] = (_stamp(self.path), self.fingerprint, self.used)
