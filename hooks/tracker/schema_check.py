"""JSON Schema validation of records, with errors reworded for contributors and placed on their YAML node."""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError
from .strict_yaml import Document, JsonPath

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_NAMES = ("common", "deal", "company", "system", "countries", "annual-totals", "seed")


def field_name(path: JsonPath) -> str:
    """`('events', 1, 'date')` -> `events[1].date`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A ' did you mean ...?' suffix, or nothing when no choice is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


@lru_cache(maxsize=8)
def load_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    return {name: json.loads((schema_dir / f"{name}.schema.json").read_text("utf-8")) for name in SCHEMA_NAMES}


def referenced(schemas: dict[str, dict[str, Any]], reference: str, base: str) -> tuple[Any, str]:
    """What a `$ref` points to, and the name of the schema it lives in. Schemas are keyed by name
    ('deal', 'common'); `base` is the name of the schema the reference was written in."""
    document, _, pointer = reference.partition("#")
    target_base = document.removesuffix(".schema.json") or base
    target: Any = schemas[target_base]
    for part in filter(None, pointer.split("/")):
        target = target[part]
    return target, target_base


def resolved(schemas: dict[str, dict[str, Any]], node: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
    """A schema node with the definition its `$ref` points to merged under its own keywords (so its own
    description wins), and the schema the result's own references are relative to."""
    if "$ref" not in node:
        return node, base
    target, target_base = referenced(schemas, node["$ref"], base)
    merged, merged_base = resolved(schemas, target, target_base)
    return {**merged, **{key: value for key, value in node.items() if key != "$ref"}}, merged_base


def field_schema(schemas: dict[str, dict[str, Any]], record_type: str, field: str) -> dict[str, Any]:
    """The schema of one field, written as on the methodology page: 'status', 'events[].type'."""
    node, base = schemas[record_type], record_type
    for part in field.split("."):
        node, base = resolved(schemas, node["properties"][part.removesuffix("[]")], base)
        if part.endswith("[]"):
            node, base = resolved(schemas, node["items"], base)
    return node


DATE_DEFINITIONS = ("partialDate", "fullDate")


def date_fields(schemas: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Every record field that holds a date, by name, with the definition of common.schema.json it uses."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                definition = str(sub.get("$ref", "")).rsplit("/", 1)[-1]
                if definition in DATE_DEFINITIONS:
                    found[name] = definition
            for value in node.values():
                walk(value)

    walk(schemas)
    return found


def inline_references(node: Any, schemas: dict[str, dict[str, Any]], base: str) -> Any:
    """The schema with each `$ref` replaced by `allOf: [the schema it points to]`: the same rules
    and the same errors, without a reference lookup for every value of every record (a third of
    the validation time). Our schemas refer only to `$defs` entries, and none is recursive."""
    if isinstance(node, list):
        return [inline_references(item, schemas, base) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    reference = node.pop("$ref", None)
    node = {key: inline_references(value, schemas, base) for key, value in node.items()}
    if reference is None:
        return node
    target, target_base = referenced(schemas, reference, base)
    return {"allOf": [inline_references(target, schemas, target_base)], **node}


@lru_cache(maxsize=8)
def validator_for(schema_dir: Path, name: str) -> Draft202012Validator:
    # Imported here: a build whose records all come from the record cache never needs it.
    from jsonschema import Draft202012Validator

    schemas = load_schemas(schema_dir)
    return Draft202012Validator(inline_references(schemas[name], schemas, name))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing (an empty value)"


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "array": "a list",
               "object": "a mapping of fields", "boolean": "true or false", "null": "nothing"}


def _describe(error: ValidationError) -> list[tuple[JsonPath, bool, str]]:
    """(path, located at the key?, message) for one jsonschema error."""
    path = tuple(error.absolute_path)
    kind, instance, schema = error.validator, error.instance, error.schema
    if kind == "required":
        missing = [name for name in error.validator_value if isinstance(instance, dict) and name not in instance]
        return [(path + (name,), False, "missing required field") for name in missing] or [(path, False, error.message)]
    if kind == "additionalProperties":
        allowed = tuple(schema.get("properties", {}))
        extras = [key for key in instance if key not in allowed]
        return [(path + (key,), True, f"unknown field{suggest(key, allowed) or '; allowed: ' + ', '.join(allowed)}")
                for key in extras]
    if kind == "enum":
        options = [str(option) for option in error.validator_value]
        hint = suggest(str(instance), options)
        return [(path, False, f"{instance!r} is not allowed{hint or ''}; use one of: {', '.join(options)}")]
    if kind == "type":
        expected: list[str] = (error.validator_value if isinstance(error.validator_value, list)
                               else [error.validator_value])
        words = " or ".join(_TYPE_WORDS.get(name, name) for name in expected)
        return [(path, False, f"expected {words}, found {_kind(instance)}")]
    if kind == "pattern":
        message = schema.get("x-pattern-message", f"does not match {error.validator_value}")
        return [(path, False, f"{instance!r} {message}")]
    if kind == "minItems":
        return [(path, False,
                 f"needs at least {error.validator_value} entr{'y' if error.validator_value == 1 else 'ies'}")]
    if kind == "minLength":
        return [(path, False, "must not be empty" if not instance else
                 f"is too short: at least {error.validator_value} characters")]
    if kind == "maxLength":
        return [(path, False, f"is too long: at most {error.validator_value} characters")]
    if kind in ("minimum", "exclusiveMinimum"):
        return [(path, False, f"{instance!r} is too small (minimum {error.validator_value})")]
    if kind in ("maximum", "exclusiveMaximum"):
        return [(path, False, f"{instance!r} is too large (maximum {error.validator_value})")]
    if kind == "uniqueItems":
        return [(path, False, "lists the same value twice")]
    if kind == "propertyNames":
        return [(path, True, f"{error.instance!r} is not a valid key: {error.message}")]
    return [(path, False, error.message)]


def schema_errors(document: Document, schema_dir: Path, schema_name: str, display_path: str) -> list[DataError]:
    """All schema violations of one parsed file, each on the line and column of the node concerned."""
    found = []
    for error in validator_for(schema_dir, schema_name).iter_errors(document.data):
        for path, at_key, message in _describe(error):
            line, column = document.locate(path, key=at_key)
            found.append(DataError(display_path, line, column, field_name(path), message))
    return found
