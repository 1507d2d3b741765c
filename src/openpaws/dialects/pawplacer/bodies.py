"""Reading PawPlacer write bodies into canonical changes, reporting every bad field."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from openpaws.dialects import inputs
from openpaws.dialects.inputs import Invalid, Reader, RequestInvalid
from openpaws.dialects.pawplacer import vocab
from openpaws.domain.changes import AnimalChange, PersonChange, Weight
from openpaws.domain.entities import Address, Photo
from openpaws.domain.errors import FieldProblem

MAX_TEXT = 10_000
MAX_LIST = 50
MAX_WORD = 100  # a breed, a color, a tag (the columns hold 100)
MAX_URL = 2_000
MAX_NOTE = 1_000  # one special-needs note
MAX_CAPACITY = 1_000
MAX_FEE = 1_000_000
MAX_WEIGHT = 10_000  # in any unit
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEIGHT = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(lb|lbs|pounds?|kg|kgs|kilograms?|g|grams?|oz|ounces?)?\s*$",
    re.I | re.A,
)
_WEIGHT_UNITS = {
    "lb": "lb",
    "po": "lb",
    "kg": "kg",
    "ki": "kg",
    "g": "g",
    "gr": "g",
    "oz": "oz",
    "ou": "oz",
}
_FEE = re.compile(r"\d{1,7}(\.\d{1,2})?", re.ASCII)
_URL = re.compile(r"^https?://\S+$")


def _fee(value: Any) -> str:
    """A number, or a string of ASCII digits with up to two decimals, 0 to 1,000,000."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Invalid("not_number")
    if isinstance(value, str):
        if not _FEE.fullmatch(value.strip()):
            if value.strip().startswith("-"):
                raise Invalid("negative")
            raise Invalid("not_number")
        amount = Decimal(value.strip())
    else:
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise Invalid("not_number") from None
        if not amount.is_finite():
            raise Invalid("not_number")
    if amount < 0:
        raise Invalid("negative")
    if amount > MAX_FEE or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise Invalid("not_fee", high=MAX_FEE)
    return format(abs(amount), "f")  # abs: no "-0"


def _photos(value: Any) -> list[Photo]:
    urls = inputs.text_list(MAX_LIST, MAX_URL)(value)
    if not all(_URL.match(u) for u in urls):
        raise Invalid("not_urls")
    return [Photo(full=u) for u in urls]


def _weight(value: Any) -> Weight:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Weight(_weight_amount(value), None)
    match = _WEIGHT.match(inputs.text(50)(value)) if isinstance(value, str) else None
    if match is None:
        raise Invalid("not_weight")
    unit = match.group(2)
    amount = _weight_amount(float(match.group(1)))
    return Weight(amount, _WEIGHT_UNITS[unit.lower()[:2]] if unit else None)


def _weight_amount(value: float) -> float:
    if not 0 <= value <= MAX_WEIGHT:  # also false for NaN; infinity is out of range
        raise Invalid("not_weight")
    return float(value)


def _email(value: Any) -> str:
    text = inputs.text(200)(value)
    if not _EMAIL.match(text):
        raise Invalid("not_email")
    return text


def _capacity(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("not_integer")
    if value < 0:
        raise Invalid("negative")
    if value > MAX_CAPACITY:
        raise Invalid("out_of_range", low=0, high=MAX_CAPACITY)
    return value


def _short(limit: int) -> Callable[[Any], str | None]:
    return inputs.optional_text(limit)


# PawPlacer field -> (canonical field of the change, parser).
_PET_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "name": ("name", inputs.required_text(200, line=True)),
    "species": ("type", inputs.choice(vocab.SPECIES_IN)),
    "age_category": ("age", inputs.choice(vocab.AGE_IN)),
    "sex": ("sex", inputs.choice({s: s for s in vocab.SEX})),
    "size": ("size", inputs.choice(vocab.SIZE_IN)),
    "health": ("health", inputs.choice({h: h for h in vocab.HEALTH})),
    "custom_id": ("organization_animal_id", _short(100)),
    "microchip_id": ("microchip_id", _short(64)),
    "image_urls": ("photos", _photos),
    "show_public": ("show_public", inputs.boolean),
    "coat_length": ("coat", inputs.choice({c: c for c in vocab.COATS})),
    "intake_date": ("intake_date", inputs.calendar_date),
    "outcome_date": ("outcome_date", inputs.calendar_date),
    "age_birthday": ("birth_date", inputs.calendar_date),
    "temperaments": ("temperaments", inputs.choice_list(vocab.TEMPERAMENTS, MAX_LIST)),
    "special_needs": ("special_needs", inputs.text_list(MAX_LIST, MAX_NOTE)),
    "description": ("description", _short(MAX_TEXT)),
    "status_change_notes": ("status_change_notes", _short(MAX_TEXT)),
    "template_id": ("template_id", inputs.uuid),
    "location_found": ("location_found", _short(MAX_TEXT)),
    "reason_for_surrender": ("reason_for_surrender", _short(MAX_TEXT)),
    "adoption_fee": ("adoption_fee", _fee),
    "age_years": ("age_years", inputs.whole_number(0, 100)),
    "age_months": ("age_months", inputs.whole_number(0, 1200)),
    "spayed": ("spayed_neutered", inputs.boolean),
    "status": ("status", inputs.text(100)),
    "custom_status_id": ("custom_status", inputs.uuid),
    "primary_veterinarian_id": ("veterinarian", inputs.uuid),
    "custom_field_data": ("custom_field_data", inputs.json_object),
    "breed": ("breeds", inputs.text_list(2, MAX_WORD)),
    "color": ("colors", inputs.text_list(3, MAX_WORD)),
    "weight": ("weight", _weight),
}
_COMPATIBILITY = ("good_with", "bad_with")
PET_FIELDS = set(_PET_FIELDS) | set(_COMPATIBILITY)
PET_REQUIRED = ("name", "species", "age_category", "sex", "size", "status", "health")


def _unknown_fields(payload: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(payload) - known)
    if unknown:
        # Named as sent, but no longer than a name can be, and only the first few.
        shown = [name if len(name) <= 64 else name[:64] + "..." for name in unknown[:10]]
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        message = f"Unknown field(s): {', '.join(shown)}{more}"
        raise RequestInvalid.field("body", shown[0], message)


def pet_change(payload: dict[str, Any], *, creating: bool) -> AnimalChange:
    """The change a create (all required fields) or update (at least one field) asks for."""
    _unknown_fields(payload, PET_FIELDS)
    if not payload:
        raise RequestInvalid.field("body", "body", "At least one field is required")
    r = Reader(payload, "body", vocab.MESSAGES)
    if creating:
        for name in PET_REQUIRED:
            if payload.get(name) in (None, ""):
                r.bad(name, "required")
    change = AnimalChange()
    for name, (field, parse) in _PET_FIELDS.items():
        if name in payload and not r.has_problem(name):
            value = r.take(name, parse)
            if not r.has_problem(name):
                setattr(change, field, value)
    _compatibility(r, change)
    r.finish()
    return change


def _compatibility(r: Reader, change: AnimalChange) -> None:
    """good_with / bad_with, with PawPlacer's kids as the canonical children."""
    parse = inputs.choice_list(vocab.COMPATIBILITY, MAX_LIST)
    for name in _COMPATIBILITY:
        if name in r:
            words = r.take(name, parse)
            if words is not None:
                setattr(change, name, [vocab.COMPANIONS.get(w, w) for w in words])
    good, bad = change.good_with, change.bad_with
    if isinstance(good, list) and isinstance(bad, list) and set(good) & set(bad):
        r.problems.append(FieldProblem("body", "bad_with", "A value cannot be in good_with too"))


_PERSON_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "email": ("email", _email),
    "phone": ("phone", _short(100)),
    "status": ("status", inputs.choice({s: s for s in vocab.PERSON_STATUSES})),
    "status_change_notes": ("status_change_notes", _short(MAX_TEXT)),
    "capacity": ("capacity", _capacity),
    "tags": ("tags", inputs.text_list(MAX_LIST, MAX_WORD)),
    "custom_field_data": ("custom_field_data", inputs.json_object),
}
PERSON_FIELDS = {"type", "name", "address", *_PERSON_FIELDS}


def person_change(payload: dict[str, Any], query_type: str | None) -> PersonChange:
    _unknown_fields(payload, PERSON_FIELDS)
    r = Reader(payload, "body", vocab.MESSAGES)
    kind = payload.get("type", query_type)
    if kind is None:
        r.bad("type", "required")
    elif kind not in vocab.PERSON_TYPES:
        r.bad("type", "not_one_of", allowed=", ".join(vocab.PERSON_TYPES))
    elif query_type is not None and query_type != kind:
        r.problems.append(FieldProblem("query", "type", "Does not match the body's type"))
    name = r.take("name", inputs.required_text(200, line=True)) if "name" in payload else None
    if "name" not in payload:
        r.bad("name", "required")
    change = PersonChange(role=str(kind), name=str(name))
    for field_name, (field, parse) in _PERSON_FIELDS.items():
        if payload.get(field_name) is not None:
            value = r.take(field_name, parse)
            if value is not None:
                setattr(change, field, value)
    if payload.get("address") is not None:
        line = r.take("address", inputs.optional_text(200, line=True))
        change.address = Address(address1=line)
    r.finish()
    return change
