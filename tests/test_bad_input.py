"""The bad-input corpus: each file in tests/bad_input is a broken record with the error it must produce.

A case starts with `# expect: LINE: FIELD: MESSAGE FRAGMENT` (the field part may be absent) and may name
where it goes with `# target: data/...`; by default it is a deal named after the case file.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from tracker.errors import DatasetInvalid
from tracker.load import load_dataset

CASES = sorted((Path(__file__).parent / "bad_input").glob("*.yaml"))
TODAY = dt.date(2026, 11, 30)
RULES_SOURCE = Path(__file__).resolve().parent.parent / "hooks" / "tracker" / "rules.py"


def read_header(raw: bytes) -> tuple[str, str | None]:
    text = raw.decode("utf-8", errors="replace")
    expect_line = re.search(r"^# expect: (.+)$", text, re.M)
    assert expect_line, "a bad-input file starts with an '# expect: ' line"
    expect = expect_line.group(1)
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
        assert all(line.startswith(target + ":") for line in lines), (
            "errors outside the broken file:\n" + "\n".join(lines))


def _fragment_matches(line: str, target: str, expect: str) -> bool:
    if expect[0].isdigit():
        number, fragment = expect.split(": ", 1)
        return line.startswith(f"{target}:{number}:") and fragment in line
    return line.startswith(target + ":") and expect in line


def rule_messages(source: str) -> list[str]:
    """Every message rules.py can report, as a regular expression (what the code fills in matches anything).

    A message is the text beside a field path in a (path, message) pair, a file-level DataError's text, or
    an `_unknown(kind, ...)` call, which names the kind itself."""
    tree = ast.parse(source)

    def pattern(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return re.escape(node.value)
        if isinstance(node, ast.JoinedStr):
            return "".join(re.escape(part.value) if isinstance(part, ast.Constant) and isinstance(part.value, str)
                           else ".*" for part in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = pattern(node.left), pattern(node.right)
            return None if left is None or right is None else left + right
        return None

    messages = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Tuple) and len(node.elts) == 2 and not isinstance(node.elts[0], ast.Constant)
                and (message := pattern(node.elts[1]))):
            messages.append(message)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "DataError" and len(node.args) == 5 and (message := pattern(node.args[4])):
                messages.append(message)
            elif node.func.id == "_unknown" and isinstance(node.args[0], ast.Constant):
                messages.append(f"unknown {node.args[0].value!s} '.*'.* \\(ids are file names in .*/\\)")
    messages = [m for m in messages if m not in (".*", "")]
    # the message of _unknown itself is counted per call, by kind
    return [m for m in dict.fromkeys(messages) if not m.startswith("unknown .*")]


def test_every_rule_message_has_a_bad_input_case():
    expected = [read_header(case.read_bytes())[0] for case in CASES]
    messages = rule_messages(RULES_SOURCE.read_text("utf-8"))
    assert len(messages) >= 20, messages  # the parse found the rules, not nothing
    untested = [m for m in messages if not any(re.search(m, line) for line in expected)]
    assert not untested, "rule messages no bad_input case expects (add a case per message):\n  " + "\n  ".join(untested)
