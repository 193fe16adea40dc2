"""A strict YAML reader for contributor data.

libyaml (PyYAML's C parser) tokenises the file; this module builds plain Python values from its event
stream with YAML 1.2 core-schema scalars, so `NO` and `on` stay strings and `2019-03-14` stays a string.
It refuses what would silently change or hide data: duplicate keys (PyYAML keeps the last one), anchors
and aliases, explicit tags, non-string keys, non-UTF-8 bytes and oversized files. Every refusal names
the file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 256 * 1024

Location = tuple[int, int]
JsonPath = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


@dataclass
class Document:
    """A parsed file: its value and where each value and each mapping key sits (1-based)."""

    data: Any
    value_locations: dict[JsonPath, Location] = field(default_factory=dict)
    key_locations: dict[JsonPath, Location] = field(default_factory=dict)

    def locate(self, path: JsonPath, key: bool = False) -> Location:
        """The closest known location of `path`: the node itself, else its nearest ancestor."""
        table = self.key_locations if key else self.value_locations
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if path in self.value_locations:
                return self.value_locations[path]
            path = path[:-1]
        return self.value_locations.get((), (1, 1))


class YamlRefused(Exception):
    """A file the reader will not accept; `line` and `column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def resolve_plain_scalar(text: str) -> Any:
    """YAML 1.2 core schema for unquoted scalars; everything else (dates included) stays a string."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _mark(event: yaml.Event) -> Location:
    mark = event.start_mark
    assert mark is not None, "libyaml gives every event a start mark"
    return mark.line + 1, mark.column + 1


def _refuse_node_properties(event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> None:
    if event.anchor is not None:
        raise YamlRefused(f"anchors (&{event.anchor}) are not allowed: write the value out", *_mark(event))
    if event.tag not in (None, "!"):  # libyaml reports a tag only when the file writes one
        raise YamlRefused(f"tags ({event.tag}) are not allowed: write a plain value", *_mark(event))


def parse_yaml_text(text: str) -> Document:
    """Build a Document from YAML text; raises YamlRefused."""
    document = Document(data=None)
    # Each open collection: [container, path, pending key, location of pending key]
    stack: list[list[Any]] = []
    documents_seen = 0
    root_set = False

    def attach(value: Any, location: Location) -> JsonPath:
        nonlocal root_set
        if not stack:
            document.data = value
            root_set = True
            document.value_locations[()] = location
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            child = path + (len(container),)
            container.append(value)
        else:
            key = frame[2]
            child = path + (key,)
            container[key] = value
            frame[2] = None
        document.value_locations[child] = location
        return child

    def expecting_key() -> bool:
        return bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None

    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlRefused(f"aliases (*{event.anchor}) are not allowed: write the value out", *_mark(event))
            if isinstance(event, yaml.DocumentStartEvent):
                documents_seen += 1
                if documents_seen > 1:
                    raise YamlRefused("only one YAML document per file (found a second '---')", *_mark(event))
                continue
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                _refuse_node_properties(event)
            if isinstance(event, yaml.ScalarEvent):
                plain = not event.style and event.implicit[0]
                value = resolve_plain_scalar(event.value) if plain else event.value
                if expecting_key():
                    if not isinstance(value, str):
                        raise YamlRefused(f"keys must be text, not {event.value!r}", *_mark(event))
                    frame = stack[-1]
                    if value in frame[0]:
                        first = document.key_locations[frame[1] + (value,)]
                        raise YamlRefused(
                            f"duplicate key '{value}' (first at line {first[0]}): a second value would "
                            "silently replace the first",
                            *_mark(event),
                        )
                    frame[2] = value
                    document.key_locations[frame[1] + (value,)] = _mark(event)
                else:
                    attach(value, _mark(event))
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if expecting_key():
                    raise YamlRefused("keys must be plain text, not a list or mapping", *_mark(event))
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = attach(container, _mark(event))
                stack.append([container, path, None])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or str(error)
        if mark and text[mark.index : mark.index + 1] == "\t":
            problem = "a tab character: indent YAML with spaces"
        elif problem.startswith("mapping values are not allowed"):
            problem += " (a value containing ': ' must be in quotes)"
        raise YamlRefused(f"not valid YAML: {problem}", mark.line + 1 if mark else 1,
                          mark.column + 1 if mark else 1) from error
    except yaml.YAMLError as error:  # e.g. ReaderError for control characters
        position = getattr(error, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(error, "reason", None) or "unreadable"
        raise YamlRefused(f"not valid YAML: {reason}", line, column) from error
    if not root_set or document.data is None:
        raise YamlRefused("the file is empty: a record is a YAML mapping of fields")
    return document


def read_yaml_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read and parse one data file strictly; raises YamlRefused."""
    return parse_yaml_bytes(path.read_bytes(), max_bytes)


def parse_yaml_bytes(raw: bytes, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Parse the bytes of one data file strictly; raises YamlRefused."""
    if len(raw) > max_bytes:
        raise YamlRefused(f"file is {len(raw):,} bytes, over the {max_bytes:,}-byte limit for one record")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlRefused(f"not UTF-8 text (byte 0x{raw[error.start]:02x}): save the file as UTF-8",
                          line, column) from error
    return parse_yaml_text(text.removeprefix("\ufeff"))
