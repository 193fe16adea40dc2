"""The two encodings every export uses: compact UTF-8 JSON and CSV with a fixed column order."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any


def json_text(value: Any) -> str:
    # Compact: the API is for programs (and Python's C encoder is used only without indentation).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def to_json(value: Any) -> bytes:
    return (json_text(value) + "\n").encode("utf-8")


def to_csv(columns: list[str], rows: list[dict[str, Any]], last_lines: Mapping[tuple[str, ...], str] | None = None,
           lines: dict[tuple[str, ...], str] | None = None) -> bytes:
    """The table with a header line. `last_lines`: lines encoded before, by their cells, taken as they
    are; `lines` receives this table's, for the next time (both kept by exports.ExportRenderer)."""
    known = last_lines or {}
    made = {} if lines is None else lines
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    text = [buffer.getvalue()]
    allowed = set(columns)
    for row in rows:
        if not row.keys() <= allowed:
            raise ValueError(f"CSV row has fields outside its columns: {sorted(row.keys() - allowed)}")
        # As text, so that a key tells 1 from 1.0 (csv writes numbers as str() does).
        cells = tuple("" if (value := row.get(key)) is None else value if isinstance(value, str) else str(value)
                      for key in columns)
        line = known.get(cells)
        if line is None:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(cells)
            line = buffer.getvalue()
        made[cells] = line
        text.append(line)
    return "".join(text).encode("utf-8")
