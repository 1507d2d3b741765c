"""PawPlacer wire shapes, encoded directly by msgspec."""

from __future__ import annotations

from typing import Any

import msgspec


class Pet(msgspec.Struct, gc=False):
    id: str
    name: str
    species: str
    status: str
    health: str
    show_public: bool
    breed: list[str]
    color: list[str]
    age_category: str
    age_years: str | None
    age_months: str | None
    age_birthday: str | None
    sex: str
    size: str
    description: str
    spayed: bool
    adoption_fee: str
    microchip_id: str | None
    good_with: list[str]
    bad_with: list[str]
    temperaments: list[str]
    image_urls: list[str]
    image_url: str | None
    coat_length: str | None
    custom_id: str | None
    custom_field_data: dict[str, Any]
    intake_date: str | None
    outcome_date: str | None
    primary_veterinarian: str | None
    special_needs: list[str]
    tags: list[str]
    status_change_notes: str | None
    weight: str | None
    adopted_on: str | None
    adopted_by: str | None
    created_at: str
    updated_at: str


class PetList(msgspec.Struct, gc=False, rename={"has_more": "hasMore"}):
    pets: list[msgspec.Raw]  # each an encoded Pet (see mappers.PetMemo)
    total: int
    limit: int
    offset: int
    has_more: bool


class CustomField(msgspec.Struct, gc=False):
    field_key: str
    label: str
    field_type: str
    required: bool
    help_text: str | None
    options: list[str] | None
    section: str | None
    field_order: int


class PetCustomFields(msgspec.Struct, gc=False):
    custom_fields: list[CustomField]


class PeopleCustomFields(msgspec.Struct, gc=False):
    type: str
    custom_fields: list[CustomField]


class Person(msgspec.Struct, gc=False):
    id: str
    type: str
    name: str
    email: str | None
    phone: str | None
    address: str | None
    status: str
    status_change_notes: str | None
    custom_field_data: dict[str, Any]
    tags: list[str]
    capacity: int | None
    created_at: str
    updated_at: str


class FieldError(msgspec.Struct, gc=False):
    field: str
    message: str


class Error(msgspec.Struct, gc=False, omit_defaults=True):
    error: str
    code: str
    request_id: str
    hint: str | None = None
    details: list[FieldError] | None = None
    available_fields: list[str] | None = None
