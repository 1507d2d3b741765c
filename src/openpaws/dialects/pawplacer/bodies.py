"""Reading PawPlacer write bodies into canonical changes, reporting every bad field."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpaws.dialects.pawplacer import vocab
from openpaws.domain.animal_changes import AnimalChange
from openpaws.domain.errors import FieldProblem, InvalidInput
from openpaws.domain.people import PersonInput

MAX_TEXT = 10_000
MAX_LIST = 50
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEIGHT = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(lb|lbs|pounds?|kg|kgs|kilograms?|g|grams?|oz|ounces?)?\s*$", re.I
)
_WEIGHT_UNITS = {"lb": "lb", "po": "lb", "kg": "kg", "ki": "kg", "g": "g", "gr": "g", "oz": "oz"}


class Invalid(ValueError):
    """One field's value is wrong; the message says why."""


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise Invalid("Expected string")
    if len(value) > limit:
        raise Invalid(f"Must be at most {limit} characters")
    return value.strip()


def _required_text(value: Any) -> str:
    text = _text(value, 200)
    if not text:
        raise Invalid("Required")
    return text


def _optional_text(value: Any, limit: int = MAX_TEXT) -> str | None:
    """A text that ``null`` (or an empty string) clears."""
    return None if value is None else (_text(value, limit) or None)


def _short_text(limit: int) -> Callable[[Any], str | None]:
    return lambda value: _optional_text(value, limit)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("Expected boolean")
    return value


def _choice(table: dict[str, str] | tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str) or value not in table:
            raise Invalid(f"Expected one of: {', '.join(table)}")
        return table[value] if isinstance(table, dict) else value

    return parse


def _text_list(value: Any, limit: int = MAX_LIST) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("Expected array of strings")
    if len(value) > limit:
        raise Invalid(f"At most {limit} values")
    return [v.strip() for v in value if v.strip()]


def _choice_list(allowed: tuple[str, ...]) -> Callable[[Any], list[str]]:
    def parse(value: Any) -> list[str]:
        values = _text_list(value)
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise Invalid(f"Invalid value(s) {', '.join(wrong)}; expected: {', '.join(allowed)}")
        return list(dict.fromkeys(values))

    return parse


def _whole_number(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise Invalid("Expected number or numeric string")
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if not isinstance(value, int):
        raise Invalid("Expected whole number or numeric string")
    if not low <= value <= high:
        raise Invalid(f"Must be between {low} and {high}")
    return value


def _fee(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Invalid("Expected number or numeric string")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid("Expected number or numeric string") from None
    if not amount.is_finite() or amount < 0:
        raise Invalid("Must be a number of at least 0")
    text = str(value).strip() if isinstance(value, str) else format(amount, "f")
    return text


def _date(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("Expected ISO-8601 date")
    try:
        if len(value) <= 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise Invalid("Expected ISO-8601 date") from None


def _uuid(value: Any) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise Invalid("Expected UUID") from None


def _url_list(value: Any) -> list[dict[str, str]]:
    urls = _text_list(value)
    bad = [u for u in urls if not re.match(r"^https?://\S+$", u)]
    if bad:
        raise Invalid("Expected http(s) URLs")
    return [{"full": u} for u in urls]


def _weight(value: Any) -> tuple[float, str | None]:
    match = _WEIGHT.match(_text(value, 50)) if isinstance(value, str) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value), None
    if match is None:
        raise Invalid("Expected a number with an optional unit (lb, kg, g, oz)")
    unit = match.group(2)
    return float(match.group(1)), (_WEIGHT_UNITS[unit.lower()[:2]] if unit else None)


class _Reader:
    """Reads one JSON object field by field, collecting every problem."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload
        self.problems: list[FieldProblem] = []

    def take(self, name: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(self.payload[name])
        except Invalid as error:
            self.problems.append(FieldProblem("body", name, str(error)))
            return None

    def finish(self) -> None:
        if self.problems:
            raise InvalidInput("Validation failed", fields=tuple(self.problems))


def _unknown_fields(payload: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(payload) - known)
    if unknown:
        raise InvalidInput.field("body", unknown[0], f"Unknown field(s): {', '.join(unknown)}")


# PawPlacer field -> (canonical column, parser). Fields needing more than one column or a
# lookup are handled in ``pet_change``.
_PET_COLUMNS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "name": ("name", _required_text),
    "species": ("type", _choice(vocab.SPECIES_IN)),
    "age_category": ("age", _choice(vocab.AGE_IN)),
    "sex": ("sex", _choice(vocab.SEX)),
    "size": ("size", _choice(vocab.SIZE_IN)),
    "health": ("health", _choice(vocab.HEALTH)),
    "custom_id": ("organization_animal_id", _short_text(100)),
    "microchip_id": ("microchip_id", _short_text(64)),
    "image_urls": ("photos", _url_list),
    "show_public": ("show_public", _boolean),
    "coat_length": ("coat", _choice(vocab.COATS)),
    "intake_date": ("intake_date", _date),
    "outcome_date": ("outcome_date", _date),
    "age_birthday": ("birth_date", _date),
    "temperaments": ("temperaments", _choice_list(vocab.TEMPERAMENTS)),
    "special_needs": ("special_needs", _text_list),
    "description": ("description", _optional_text),
    "status_change_notes": ("status_change_notes", _optional_text),
    "template_id": ("template_id", _uuid),
    "location_found": ("location_found", _optional_text),
    "reason_for_surrender": ("reason_for_surrender", _optional_text),
    "adoption_fee": ("adoption_fee", _fee),
    "age_years": ("age_years", lambda v: _whole_number(v, 0, 100)),
    "age_months": ("age_months", lambda v: _whole_number(v, 0, 1200)),
    "spayed": ("spayed_neutered", _boolean),
}
_PET_SPECIAL = {
    "status",
    "custom_status_id",
    "primary_veterinarian_id",
    "custom_field_data",
    "breed",
    "color",
    "weight",
    "good_with",
    "bad_with",
}
PET_FIELDS = set(_PET_COLUMNS) | _PET_SPECIAL


def pet_change(payload: dict[str, Any], *, creating: bool) -> AnimalChange:
    """The change a create (all required fields) or update (at least one field) asks for."""
    _unknown_fields(payload, PET_FIELDS)
    if not payload:
        raise InvalidInput.field("body", "body", "At least one field is required")
    r = _Reader(payload)
    if creating:
        for name in ("name", "species", "age_category", "sex", "size", "status", "health"):
            if payload.get(name) in (None, ""):
                r.problems.append(FieldProblem("body", name, "Required"))
    change = AnimalChange()
    for name, (column, parse) in _PET_COLUMNS.items():
        if name in payload and not any(p.name == name for p in r.problems):
            change.values[column] = r.take(name, parse)
    if "status" in payload:
        change.status = r.take("status", lambda v: _text(v, 100))
    if "custom_status_id" in payload:
        change.custom_status_uuid = r.take("custom_status_id", _uuid)
    if "primary_veterinarian_id" in payload:
        change.veterinarian_uuid = r.take("primary_veterinarian_id", _uuid)
    if "custom_field_data" in payload:
        data = payload["custom_field_data"]
        if isinstance(data, dict):
            change.custom_field_data = data
        else:
            r.problems.append(FieldProblem("body", "custom_field_data", "Expected object"))
    if "breed" in payload:
        breeds = r.take("breed", lambda v: _text_list(v, 2))
        if breeds is not None:
            change.values |= {
                "breed_primary": breeds[0] if breeds else None,
                "breed_secondary": breeds[1] if len(breeds) > 1 else None,
                "breed_mixed": len(breeds) > 1,
                "breed_unknown": not breeds,
            }
    if "color" in payload:
        colors = r.take("color", lambda v: _text_list(v, 3))
        if colors is not None:
            padded = [*colors, None, None, None]
            change.values |= {
                "color_primary": padded[0],
                "color_secondary": padded[1],
                "color_tertiary": padded[2],
            }
    if "weight" in payload:
        parsed = r.take("weight", _weight)
        if parsed is not None:
            change.values["weight_value"], change.values["weight_unit"] = parsed
    _compatibility(r, payload, change)
    r.finish()
    return change


def _compatibility(r: _Reader, payload: dict[str, Any], change: AnimalChange) -> None:
    """good_with / bad_with, with PawPlacer's kids as the canonical children."""
    parse = _choice_list(vocab.COMPATIBILITY)
    for name in ("good_with", "bad_with"):
        if name in payload:
            words = r.take(name, parse)
            if words is not None:
                canonical = [vocab.COMPANIONS.get(w, w) for w in words]
                setattr(change, name, canonical)
    if change.good_with and change.bad_with and set(change.good_with) & set(change.bad_with):
        r.problems.append(FieldProblem("body", "bad_with", "A value cannot be in good_with too"))


_PERSON_FIELDS = {
    "type",
    "name",
    "email",
    "phone",
    "address",
    "status",
    "status_change_notes",
    "custom_field_data",
    "capacity",
    "tags",
}


def _email(value: Any) -> str:
    text = _text(value, 200)
    if not _EMAIL.match(text):
        raise Invalid("Invalid email address")
    return text


def _capacity(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("Expected integer")
    if value < 0:
        raise Invalid("Must be at least 0")
    return value


def person_input(payload: dict[str, Any], query_type: str | None) -> PersonInput:
    _unknown_fields(payload, _PERSON_FIELDS)
    r = _Reader(payload)
    kind = payload.get("type", query_type)
    if kind is None:
        r.problems.append(FieldProblem("body", "type", "Required"))
    elif kind not in vocab.PERSON_TYPES:
        r.problems.append(
            FieldProblem("body", "type", f"Expected one of: {', '.join(vocab.PERSON_TYPES)}")
        )
    elif query_type is not None and query_type != kind:
        r.problems.append(FieldProblem("query", "type", "Does not match the body's type"))
    name = r.take("name", _required_text) if "name" in payload else None
    if "name" not in payload:
        r.problems.append(FieldProblem("body", "name", "Required"))
    values: dict[str, Any] = {}
    parsers: dict[str, tuple[str, Callable[[Any], Any]]] = {
        "email": ("email", _email),
        "phone": ("phone", _short_text(100)),
        "address": ("address1", _short_text(200)),
        "status": ("status", _choice(vocab.PERSON_STATUSES)),
        "status_change_notes": ("status_change_notes", _optional_text),
        "capacity": ("capacity", _capacity),
        "tags": ("tags", _text_list),
    }
    for field_name, (column, parse) in parsers.items():
        if field_name in payload and payload[field_name] is not None:
            values[column] = r.take(field_name, parse)
    data = payload.get("custom_field_data")
    if data is not None and not isinstance(data, dict):
        r.problems.append(FieldProblem("body", "custom_field_data", "Expected object"))
    r.finish()
    return PersonInput(role=str(kind), name=str(name), values=values, custom_field_data=data)
