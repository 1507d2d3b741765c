"""Pure functions from canonical entities to PawPlacer wire shapes."""

from __future__ import annotations

from datetime import datetime

import msgspec

from openpaws.dialects.encoded import EncodedMemo
from openpaws.dialects.pawplacer import vocab, wire
from openpaws.domain import statuses
from openpaws.domain.entities import Address, AnimalDetails, CustomFieldDefinition, Person


def timestamp(value: datetime) -> str:
    """PawPlacer's timestamp format: 2026-02-17T12:00:00.000000+00:00."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _number(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def weight(value: float | None, unit: str | None) -> str | None:
    text = _number(value)
    return None if text is None else (f"{text} {unit}" if unit else text)


def _compatibility(flags: dict[str, bool | None], others: list[str], wanted: bool) -> list[str]:
    words = [word for word, flag in flags.items() if flag is wanted]
    return sorted(words + others)


def pet(details: AnimalDetails) -> wire.Pet:
    a = details.animal
    flags = {
        "kids": a.good_with_children,
        "dogs": a.good_with_dogs,
        "cats": a.good_with_cats,
    }
    image_urls = [p.full for p in a.photos]
    return wire.Pet(
        id=a.uuid,
        name=a.name,
        species=vocab.SPECIES_OUT[a.type],
        status=statuses.status_label(details),
        health=a.health,
        show_public=a.show_public,
        breed=[b for b in (a.breed_primary, a.breed_secondary) if b],
        color=[c for c in (a.color_primary, a.color_secondary, a.color_tertiary) if c],
        age_category=vocab.AGE_OUT[a.age],  # type: ignore[index]
        age_years=None if a.age_years is None else str(a.age_years),
        age_months=None if a.age_months is None else str(a.age_months),
        age_birthday=a.birth_date,
        sex=a.sex,
        size=vocab.SIZE_OUT[a.size],  # type: ignore[index]
        description=a.description or "",
        spayed=bool(a.spayed_neutered),
        adoption_fee=a.adoption_fee or "",
        microchip_id=a.microchip_id,
        good_with=_compatibility(flags, a.good_with_other, True),
        bad_with=_compatibility(flags, a.bad_with_other, False),
        temperaments=a.temperaments,
        image_urls=image_urls,
        image_url=image_urls[0] if image_urls else None,
        coat_length=a.coat,
        custom_id=a.organization_animal_id,
        custom_field_data=a.custom_field_data,
        intake_date=a.intake_date,
        outcome_date=a.outcome_date,
        primary_veterinarian=details.veterinarian_name,
        special_needs=a.special_needs,
        tags=a.tags,
        status_change_notes=a.status_change_notes,
        weight=weight(a.weight_value, a.weight_unit),
        adopted_on=a.adopted_on,
        adopted_by=details.adopted_by_name,
        created_at=timestamp(a.created_at),
        updated_at=timestamp(a.updated_at),
    )


class PetMemo:
    """The encoded form of recently listed pets, reused while unchanged: keyed on the animal's
    id and ``updated_at`` and the names it shows of other records (status label, veterinarian,
    adopter), which change without touching the animal."""

    def __init__(self) -> None:
        self._forms = EncodedMemo()

    def pet(self, d: AnimalDetails) -> msgspec.Raw:
        a = d.animal
        key = (a.id, a.updated_at, d.status_label, d.veterinarian_name, d.adopted_by_name)
        return self._forms.get(key, lambda: pet(d))


def address_line(address: Address) -> str | None:
    parts = [address.address1, address.address2, address.city, address.state, address.postcode]
    line = ", ".join(p for p in parts if p)
    return line or None


def person(p: Person) -> wire.Person:
    return wire.Person(
        id=p.uuid,
        type=p.role,
        name=p.name,
        email=p.email,
        phone=p.phone,
        address=address_line(p.address),
        status=p.status,
        status_change_notes=p.status_change_notes,
        custom_field_data=p.custom_field_data,
        tags=p.tags,
        capacity=p.capacity,
        created_at=timestamp(p.created_at),
        updated_at=timestamp(p.updated_at),
    )


def custom_field(d: CustomFieldDefinition) -> wire.CustomField:
    return wire.CustomField(
        field_key=d.field_key,
        label=d.label,
        field_type=d.field_type,
        required=d.required,
        help_text=d.help_text,
        options=d.options,
        section=d.section,
        field_order=d.position,
    )
