"""Checking custom field values against an organization's field definitions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpaws.domain.entities import CustomFieldDefinition
from openpaws.domain.errors import FieldProblem, InvalidInput
from openpaws.domain.moments import parse_date
from openpaws.domain.texts import BAD_CHARACTERS, clean

FIELD_TYPES = ("text", "textarea", "number", "select", "multiselect", "boolean", "date")
# Custom fields belong to animals (stored as "pet") or to one kind of person.
ANIMAL_FIELDS = "pet"
ENTITIES = (ANIMAL_FIELDS, "adopter", "foster", "surrender", "volunteer")
_FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class FieldSpec:
    entity: str
    field_key: str
    label: str
    field_type: str
    required: bool = False
    help_text: str | None = None
    options: tuple[str, ...] | None = None
    section: str | None = None


def check_spec(spec: FieldSpec, existing: Sequence[CustomFieldDefinition]) -> None:
    """Refuse a definition that is malformed or whose key the entity already has."""
    problems = []
    if spec.entity not in ENTITIES:
        problems.append(("entity", f"entity must be one of {', '.join(ENTITIES)}"))
    if not _FIELD_KEY.match(spec.field_key):
        problems.append(("field_key", "field_key must be lower-case letters, digits and _"))
    if spec.field_type not in FIELD_TYPES:
        problems.append(("field_type", f"field_type must be one of {', '.join(FIELD_TYPES)}"))
    if spec.field_type in ("select", "multiselect") and not spec.options:
        problems.append(("options", "select fields need options"))
    if problems:
        raise InvalidInput.field("body", *problems[0])
    if any(f.field_key == spec.field_key for f in existing):
        raise InvalidInput.field("body", "field_key", f"{spec.field_key} already exists.")


class UnknownCustomFields(InvalidInput):
    """Keys that are not among the organization's custom fields; ``available`` lists those."""

    def __init__(self, message: str, *, fields: tuple[FieldProblem, ...], available: list[str]):
        super().__init__(message, fields=fields)
        self.available = available


# A number as text: ASCII digits, an optional sign, fraction and exponent (no "_", no "NaN").
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?", re.ASCII)
MAX_NUMBER = 1e15  # beyond it a number field's value is surely a mistake
MAX_TEXT = {"text": 1_000, "textarea": 10_000}


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str):
        if not _NUMBER.fullmatch(value.strip()):
            return None
        number = float(value)
        value = int(number) if number.is_integer() and "." not in value else number
    if not -MAX_NUMBER <= value <= MAX_NUMBER:  # also false for NaN; infinity is out of range
        return None
    return value


def _check(definition: CustomFieldDefinition, value: Any) -> tuple[Any, str | None]:
    """The stored form of ``value``, or a reason it does not fit the field."""
    kind = definition.field_type
    options = definition.options or []
    if kind in ("text", "textarea"):
        if not isinstance(value, str):
            return None, "Expected string"
        if len(value) > MAX_TEXT[kind]:
            return None, f"Must be at most {MAX_TEXT[kind]} characters"
        return (value, None) if clean(value) else (None, BAD_CHARACTERS)
    if kind == "number":
        number = _number(value)
        if number is None:
            return None, f"Expected a number between -{MAX_NUMBER:.0e} and {MAX_NUMBER:.0e}"
        return number, None
    if kind == "boolean":
        return (value, None) if isinstance(value, bool) else (None, "Expected boolean")
    if kind == "select":
        if isinstance(value, str) and value in options:
            return value, None
        return None, f"Expected one of: {', '.join(options)}"
    if kind == "multiselect":
        if isinstance(value, list) and all(isinstance(v, str) and v in options for v in value):
            return value, None
        return None, f"Expected a list of: {', '.join(options)}"
    if kind == "date":
        try:
            return parse_date(value), None
        except (TypeError, ValueError):
            return None, "Expected an ISO-8601 date (YYYY-MM-DD)"
    return None, f"Unsupported field type {kind}"


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def validate(
    definitions: list[CustomFieldDefinition],
    data: Any,
    *,
    existing: dict[str, Any] | None = None,
    name: str = "custom_field_data",
) -> dict[str, Any]:
    """The custom data to store: ``data`` checked and merged over ``existing``.

    Unknown keys are refused with the list of available keys; every value must fit its field's
    type and options; required fields must hold a value once merged.
    """
    if not isinstance(data, dict):
        raise InvalidInput.field("body", name, "Expected object")
    by_key = {d.field_key: d for d in definitions}
    unknown = sorted(set(data) - set(by_key))
    if unknown:
        available = ", ".join(by_key) or "none"
        message = f"Unknown custom field(s): {', '.join(unknown)}. Available fields: {available}"
        raise UnknownCustomFields(
            message, fields=(FieldProblem("body", name, message),), available=list(by_key)
        )
    merged = dict(existing or {})
    problems: list[FieldProblem] = []
    for key, value in data.items():
        if value is None:
            merged.pop(key, None)
            continue
        stored, reason = _check(by_key[key], value)
        if reason:
            problems.append(FieldProblem("body", f"{name}.{key}", reason))
        else:
            merged[key] = stored
    for definition in definitions:
        if definition.required and _blank(merged.get(definition.field_key)):
            problems.append(FieldProblem("body", f"{name}.{definition.field_key}", "Required"))
    if problems:
        raise InvalidInput("Validation failed", fields=tuple(problems))
    return merged
