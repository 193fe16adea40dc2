"""The two encodings every export uses: compact UTF-8 JSON and CSV with a fixed column order."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def json_text(value: Any) -> str:
    # Compact: the API is for programs (and Python's C encoder is used only without indentation).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def to_json(value: Any) -> bytes:
    return (json_text(value) + "\n").encode("utf-8")


def csv_lines(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """The rows as CSV lines, cells in the order of `columns`, without a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    allowed = set(columns)
    for row in rows:
        if not row.keys() <= allowed:
            raise ValueError(f"CSV row has fields outside its columns: {sorted(row.keys() - allowed)}")
        writer.writerow(["" if row.get(key) is None else row[key] for key in columns])
    return buffer.getvalue()


def to_csv(columns: list[str], lines: str) -> bytes:
    """A table: its header line, then `lines` (csv_lines)."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(columns)
    return (header.getvalue() + lines).encode("utf-8")
