"""How a problem in a data file is described (DataError), the exception that carries every problem
found in the dataset (DatasetInvalid), and how errors are printed."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one data file, located as precisely as the YAML allows."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}:{self.column}: {field}{self.message}"

    def github_annotation(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message.
        text = str(self).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},col={self.column}::{text}"


class DatasetInvalid(Exception):
    """Raised when the dataset has errors; carries all of them, sorted."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} error(s) in the dataset")


def format_errors(errors: list[DataError], github: bool | None = None) -> list[str]:
    """Lines to print: `path:line:col: field: message`, plus GitHub annotations under Actions."""
    if github is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
    lines = [str(error) for error in sorted(errors)]
    if github:
        lines += [error.github_annotation() for error in sorted(errors)]
    return lines
