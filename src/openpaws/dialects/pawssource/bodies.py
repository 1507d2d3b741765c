"""Paws Source request bodies -> typed changes, through the shared input reader."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from msgspec import UNSET

from openpaws.dialects import inputs
from openpaws.dialects.inputs import Invalid
from openpaws.dialects.pawssource import vocab
from openpaws.dialects.pipeline import BadRequest, Call
from openpaws.domain import ages
from openpaws.domain.changes import AnimalChange, Weight
from openpaws.domain.vocab import Health, Sex, Size

NAME_LIMIT = 200
BREED_LIMIT = 100  # each of the primary and secondary breed
NOTES_LIMIT = 10_000
MAX_WEIGHT_KG = 10_000.0
PET_FIELDS = ("name", "species", "breed", "date_of_birth", "medical_notes", "weight_kg")
PET_UPDATE_FIELDS = (*PET_FIELDS, "status")
INVALID = "The request contains invalid parameters."


def json_object(call: Call) -> dict[str, Any]:
    """The body: a JSON object sent as application/json; else 400."""
    media = call.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise BadRequest("Request bodies must be JSON, sent with Content-Type: application/json.")
    if not call.body.strip():
        raise BadRequest("The request body is empty; send a JSON object.")
    payload = call.json()
    if not isinstance(payload, dict):
        raise BadRequest("The request body must be a JSON object.")
    return payload


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def past_date(value: Any) -> str:
    found = inputs.calendar_date(value)
    if found > _today():
        raise Invalid("future_date")
    return found


def _breeds(value: Any) -> list[str] | None:
    """``primary`` or ``primary / secondary``; null or "" clears."""
    text = inputs.optional_text(2 * BREED_LIMIT + 3, line=True)(value)
    if text is None:
        return None
    parts = [part.strip() for part in text.split("/") if part.strip()][:2]
    if any(len(part) > BREED_LIMIT for part in parts):
        raise Invalid("too_long", limit=BREED_LIMIT)
    return parts


class PetBody:
    """A pet's fields as sent: the change, and the status word (updates only)."""

    def __init__(self, change: AnimalChange, status: str | None) -> None:
        self.change = change
        self.status = status


def reader(
    payload: dict[str, Any], allowed: tuple[str, ...], required: tuple[str, ...] = ()
) -> inputs.Reader:
    """A reader of ``payload`` that has already noted unknown and missing fields."""
    r = inputs.Reader(payload, "body", vocab.MESSAGES)
    for name in payload:
        if name not in allowed:
            r.bad(name, "unknown_field")
    for name in required:
        if name not in payload:
            r.bad(name, "missing")
    return r


def pet_body(payload: dict[str, Any], *, creating: bool) -> PetBody:
    allowed = PET_FIELDS if creating else PET_UPDATE_FIELDS
    r = reader(payload, allowed, ("name", "species") if creating else ())
    change = AnimalChange()
    if "name" in r:
        change.name = r.take("name", inputs.required_text(NAME_LIMIT, line=True)) or ""
    if "species" in r:
        kind = r.take("species", inputs.choice(vocab.SPECIES_IN))
        if kind is not None:
            change.type, species = kind
            if species is not None:
                change.species = species
    if "breed" in r and not r.has_problem("breed"):
        breeds = r.take("breed", _breeds)
        if not r.has_problem("breed"):
            change.breeds = breeds or []
    if "date_of_birth" in r:
        change.birth_date = (
            None if payload["date_of_birth"] is None else r.take("date_of_birth", past_date)
        )
    if "medical_notes" in r:
        change.medical_notes = r.take("medical_notes", inputs.optional_text(NOTES_LIMIT))
    if "weight_kg" in r:
        weight = payload["weight_kg"]
        if weight is None:
            change.weight = None
        elif (kg := r.take("weight_kg", inputs.number(0.001, MAX_WEIGHT_KG))) is not None:
            change.weight = Weight(kg, "kg")
    status = None
    if "status" in r:
        status = r.take("status", inputs.choice({w: w for w in vocab.STATUS_WORDS}))
    r.finish(INVALID)
    if creating:
        birth = None if change.birth_date is UNSET else change.birth_date
        change.age = ages.life_stage(str(change.type), birth, datetime.now(UTC).date())
        change.sex, change.size, change.health = Sex.UNKNOWN, Size.UNKNOWN, Health.UNKNOWN
    return PetBody(change, status)
