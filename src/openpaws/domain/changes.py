"""Typed changes: what a caller asks to write, field by field, in canonical terms.

A field left ``UNSET`` is not touched; ``None`` clears an optional field. Dialects fill a
change from their wire bodies; services check it against the rules and the organization's
settings and turn it into :class:`AnimalFields` or :class:`PersonFields`, which storage alone
maps onto columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from openpaws.domain.entities import Address, Photo


class Weight(msgspec.Struct, frozen=True):
    value: float
    unit: str | None  # lb, kg, g, oz; None when the caller gave a bare number


class AnimalChange(msgspec.Struct, kw_only=True):
    """What a caller sets on an animal. References are by public identifier (UUID) or, for a
    status, by the organization's label or a status class name."""

    name: str | UnsetType = UNSET
    type: str | UnsetType = UNSET  # taxonomy slug
    # The species within the type (a taxonomy species, e.g. Fish), where no breed names it.
    species: str | UnsetType = UNSET
    breeds: list[str] | UnsetType = UNSET  # up to two; the first is the primary breed
    colors: list[str] | UnsetType = UNSET  # up to three
    age: str | UnsetType = UNSET
    birth_date: str | UnsetType | None = UNSET
    age_years: int | UnsetType | None = UNSET
    age_months: int | UnsetType | None = UNSET
    sex: str | UnsetType = UNSET
    size: str | UnsetType = UNSET
    coat: str | UnsetType | None = UNSET
    weight: Weight | UnsetType | None = UNSET
    spayed_neutered: bool | UnsetType | None = UNSET
    special_needs: list[str] | UnsetType = UNSET
    temperaments: list[str] | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    photos: list[Photo] | UnsetType = UNSET
    health: str | UnsetType = UNSET
    medical_notes: str | UnsetType | None = UNSET
    microchip_id: str | UnsetType | None = UNSET
    adoption_fee: str | UnsetType | None = UNSET
    organization_animal_id: str | UnsetType | None = UNSET
    show_public: bool | UnsetType = UNSET
    intake_date: str | UnsetType | None = UNSET
    outcome_date: str | UnsetType | None = UNSET
    template_id: str | UnsetType | None = UNSET
    location_found: str | UnsetType | None = UNSET
    reason_for_surrender: str | UnsetType | None = UNSET
    status_change_notes: str | UnsetType | None = UNSET
    status: str | UnsetType = UNSET  # a label of the organization, or a status class
    custom_status: str | UnsetType = UNSET  # UUID of one of the organization's statuses
    veterinarian: str | UnsetType = UNSET  # UUID of a clinic
    custom_field_data: dict[str, Any] | UnsetType = UNSET
    # Compatibility words; children, dogs and cats are kept as three-state facts.
    good_with: list[str] | UnsetType = UNSET
    bad_with: list[str] | UnsetType = UNSET


# The fields of a change that are stored as they come (the rest are resolved or derived).
PLAIN_ANIMAL_FIELDS = (
    "name",
    "type",
    "age",
    "birth_date",
    "age_years",
    "age_months",
    "sex",
    "size",
    "coat",
    "spayed_neutered",
    "special_needs",
    "temperaments",
    "description",
    "photos",
    "health",
    "medical_notes",
    "microchip_id",
    "adoption_fee",
    "organization_animal_id",
    "show_public",
    "intake_date",
    "outcome_date",
    "template_id",
    "location_found",
    "reason_for_surrender",
    "status_change_notes",
)


class AnimalFields(msgspec.Struct, kw_only=True):
    """The stored facts of an animal to write; ``UNSET`` ones are left as they are."""

    uuid: str | UnsetType = UNSET
    organization_id: int | UnsetType | None = UNSET
    owner_person_id: int | UnsetType | None = UNSET
    organization_animal_id: str | UnsetType | None = UNSET
    type: str | UnsetType = UNSET
    species: str | UnsetType = UNSET
    breed_primary: str | UnsetType | None = UNSET
    breed_secondary: str | UnsetType | None = UNSET
    breed_mixed: bool | UnsetType = UNSET
    breed_unknown: bool | UnsetType = UNSET
    color_primary: str | UnsetType | None = UNSET
    color_secondary: str | UnsetType | None = UNSET
    color_tertiary: str | UnsetType | None = UNSET
    age: str | UnsetType = UNSET
    birth_date: str | UnsetType | None = UNSET
    age_years: int | UnsetType | None = UNSET
    age_months: int | UnsetType | None = UNSET
    sex: str | UnsetType = UNSET
    size: str | UnsetType = UNSET
    coat: str | UnsetType | None = UNSET
    tail: str | UnsetType | None = UNSET
    weight_value: float | UnsetType | None = UNSET
    weight_unit: str | UnsetType | None = UNSET
    spayed_neutered: bool | UnsetType | None = UNSET
    house_trained: bool | UnsetType | None = UNSET
    declawed: bool | UnsetType | None = UNSET
    shots_current: bool | UnsetType | None = UNSET
    special_needs: list[str] | UnsetType = UNSET
    good_with_children: bool | UnsetType | None = UNSET
    good_with_dogs: bool | UnsetType | None = UNSET
    good_with_cats: bool | UnsetType | None = UNSET
    good_with_other: list[str] | UnsetType = UNSET
    bad_with_other: list[str] | UnsetType = UNSET
    temperaments: list[str] | UnsetType = UNSET
    tags: list[str] | UnsetType = UNSET
    name: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    photos: list[Photo] | UnsetType = UNSET
    videos: list[str] | UnsetType = UNSET
    health: str | UnsetType = UNSET
    medical_notes: str | UnsetType | None = UNSET
    microchip_id: str | UnsetType | None = UNSET
    adoption_fee: str | UnsetType | None = UNSET
    status: str | UnsetType = UNSET
    custom_status_id: int | UnsetType | None = UNSET
    status_changed_at: datetime | UnsetType = UNSET
    status_change_notes: str | UnsetType | None = UNSET
    show_public: bool | UnsetType = UNSET
    public_status: str | UnsetType | None = UNSET
    intake_date: str | UnsetType | None = UNSET
    outcome_date: str | UnsetType | None = UNSET
    adopted_on: str | UnsetType | None = UNSET
    adopted_by_person_id: int | UnsetType | None = UNSET
    primary_veterinarian_id: int | UnsetType | None = UNSET
    template_id: str | UnsetType | None = UNSET
    location_found: str | UnsetType | None = UNSET
    reason_for_surrender: str | UnsetType | None = UNSET
    custom_field_data: dict[str, Any] | UnsetType = UNSET
    published_at: datetime | UnsetType = UNSET
    created_at: datetime | UnsetType = UNSET
    updated_at: datetime | UnsetType = UNSET
    deleted_at: datetime | UnsetType | None = UNSET


class PersonChange(msgspec.Struct, kw_only=True):
    """What a caller sets on a person an organization keeps a record of."""

    role: str
    name: str
    first_name: str | UnsetType | None = UNSET
    last_name: str | UnsetType | None = UNSET
    email: str | UnsetType | None = UNSET
    phone: str | UnsetType | None = UNSET
    address: Address | UnsetType = UNSET
    status: str | UnsetType = UNSET
    status_change_notes: str | UnsetType | None = UNSET
    capacity: int | UnsetType | None = UNSET
    tags: list[str] | UnsetType = UNSET
    custom_field_data: dict[str, Any] | UnsetType = UNSET


def given(change: msgspec.Struct) -> dict[str, Any]:
    """The fields of ``change`` that are set, by name."""
    return {
        name: value
        for name in change.__struct_fields__
        if (value := getattr(change, name)) is not UNSET
    }


class PersonFields(msgspec.Struct, kw_only=True):
    """The stored facts of a person to write; ``UNSET`` ones are left as they are."""

    uuid: str | UnsetType = UNSET
    organization_id: int | UnsetType | None = UNSET
    role: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    first_name: str | UnsetType | None = UNSET
    last_name: str | UnsetType | None = UNSET
    username: str | UnsetType | None = UNSET
    email: str | UnsetType | None = UNSET
    additional_emails: list[str] | UnsetType = UNSET
    phone: str | UnsetType | None = UNSET
    additional_phones: list[str] | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    status: str | UnsetType = UNSET
    status_change_notes: str | UnsetType | None = UNSET
    capacity: int | UnsetType | None = UNSET
    tags: list[str] | UnsetType = UNSET
    custom_field_data: dict[str, Any] | UnsetType = UNSET
    last_login_at: datetime | UnsetType | None = UNSET
    created_at: datetime | UnsetType = UNSET
    updated_at: datetime | UnsetType = UNSET
