"""Canonical records as Paws Source shows them (pure: the id codec and the day are given)."""

from __future__ import annotations

from datetime import date, datetime

from openpaws.dialects.pawssource import vocab, wire
from openpaws.domain import ages
from openpaws.domain.entities import Animal, AnimalDetails
from openpaws.domain.public_ids import PublicIds

PET = "pet"
# Kilograms in one of each unit a weight may be kept in (a bare number is taken as pounds,
# as the listing APIs write it).
KILOGRAMS = {"kg": 1.0, "lb": 0.45359237, "g": 0.001, "oz": 0.028349523125, None: 0.45359237}


def moment(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``, in UTC, whole seconds."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def breed(animal: Animal) -> str | None:
    """The primary breed, ``primary / secondary``, ``primary Mix``, ``Mixed``, or null."""
    primary, secondary = animal.breed_primary, animal.breed_secondary
    if primary and secondary:
        return f"{primary} / {secondary}"
    if primary:
        return f"{primary} Mix" if animal.breed_mixed else primary
    return "Mixed" if animal.breed_mixed else None


def weight_kg(animal: Animal) -> float | None:
    if animal.weight_value is None:
        return None
    factor = KILOGRAMS.get(animal.weight_unit, KILOGRAMS[None])
    return round(animal.weight_value * factor, 1)


def age_years(animal: Animal, today: date) -> int | None:
    if animal.birth_date:
        return ages.whole_years(animal.birth_date, today)
    return animal.age_years


def pet(details: AnimalDetails, ids: PublicIds, today: date) -> wire.Pet:
    a = details.animal
    return wire.Pet(
        id=ids.encode(PET, a.id),
        name=a.name,
        species=vocab.species_word(a.type, a.species),
        breed=breed(a),
        age_years=age_years(a, today),
        weight_kg=weight_kg(a),
        status=vocab.STATUS_OUT[a.status],  # type: ignore[index]
        created_at=moment(a.created_at),
        date_of_birth=a.birth_date,
        medical_notes=a.medical_notes,
        updated_at=moment(a.updated_at),
    )
