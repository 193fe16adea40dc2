"""A cache of parsed records that passed the schema and their own file's rules, keyed by a hash of
each file's bytes.

Parsing YAML, validating it against the JSON Schema and the rules within one file cost about 1 ms
per record; a rebuild (`mkdocs serve`, a second build, a pre-commit run) skips them for files whose
bytes have not changed, and runs only the rules across records. Records that break one of those are
read again in full, so their errors still carry line and column. The cache lives in `.cache/`
(ignored by git) and is rebuilt whenever the schemas or this module's format change.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

FORMAT = "records-2"  # entries: schema-valid, passing their own file's rules, normalised


class RecordCache:
    def __init__(self, path: Path, schema_dir: Path):
        self.path = path
        digest = hashlib.sha256(FORMAT.encode())
        for schema in sorted(schema_dir.glob("*.schema.json")):
            digest.update(schema.read_bytes())
        self.fingerprint = digest.hexdigest()
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        try:
            stored = marshal.loads(path.read_bytes())
            if stored.get("fingerprint") == self.fingerprint:
                self.entries = stored["records"]
        except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
            self.entries = {}

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
