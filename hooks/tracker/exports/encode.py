"""The two encodings every export uses: compact UTF-8 JSON and CSV with a fixed column order."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def to_json(value: Any) -> bytes:
    # Compact: the API is for programs (and Python's C encoder is used only without indentation).
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def to_csv(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    allowed = set(columns)
    for row in rows:
        if not row.keys() <= allowed:
            raise ValueError(f"CSV row has fields outside its columns: {sorted(row.keys() - allowed)}")
        writer.writerow(["" if row.get(key) is None else row[key] for key in columns])
    return buffer.getvalue().encode("utf-8")
