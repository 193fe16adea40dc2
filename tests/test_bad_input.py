"""The bad-input corpus: each file in tests/bad_input is a broken record with the error it must produce.

A case starts with `# expect: LINE: FIELD: MESSAGE FRAGMENT` (the field part may be absent) and may name
where it goes with `# target: data/...`; by default it is a deal named after the case file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tracker.errors import DatasetInvalid
from tracker.load import load_dataset

CASES = sorted((Path(__file__).parent / "bad_input").glob("*.yaml"))
TODAY = dt.date(2026, 11, 30)


def read_header(raw: bytes) -> tuple[str, str | None]:
    text = raw.decode("utf-8", errors="replace")
    expect = re.search(r"^# expect: (.+)$", text, re.M).group(1)
    target = re.search(r"^# target: (.+)$", text, re.M)
    return expect, target.group(1) if target else None


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("cached", [False, True], ids=["fresh", "cached"])
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_input_reports_file_line_and_message(case: Path, mini_project: Path, cached: bool):
    raw = case.read_bytes()
    expect, target = read_header(raw)
    target = target or f"data/deals/{case.stem}.yaml"
    if cached:  # the good records come from the record cache; the broken file is loaded twice
        load_dataset(mini_project, today=TODAY, cache=True)
    (mini_project / target).parent.mkdir(parents=True, exist_ok=True)
    (mini_project / target).write_bytes(raw)

    for _ in range(2 if cached else 1):
        with pytest.raises(DatasetInvalid) as caught:
            load_dataset(mini_project, today=TODAY, cache=cached)
        lines = [str(error) for error in caught.value.errors]
        wanted = f"{target}:{expect}" if expect[0].isdigit() else expect
        matches = [line for line in lines if wanted.split(":")[0] in line and _fragment_matches(line, target, expect)]
        assert matches, "expected an error like\n  " + wanted + "\nbut got\n  " + "\n  ".join(lines)
        assert all(line.startswith(target + ":") for line in lines), "errors outside the broken file:\n" + "\n".join(lines)


def _fragment_matches(line: str, target: str, expect: str) -> bool:
    if expect[0].isdigit():
        number, fragment = expect.split(": ", 1)
        return line.startswith(f"{target}:{number}:") and fragment in line
    return line.startswith(target + ":") and expect in line
