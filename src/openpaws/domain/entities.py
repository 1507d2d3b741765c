"""Entities: the canonical records every dialect reads and writes, in canonical vocabulary.

They are plain data (no behaviour, no I/O), so every layer may use them.
"""

from __future__ import annotations

from datetime import datetime

import msgspec


class Photo(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One picture; sizes the source did not give fall back to ``full``."""

    full: str
    small: str | None = None
    medium: str | None = None
    large: str | None = None


class Address(msgspec.Struct, frozen=True, gc=False):
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    state: str | None = None
    postcode: str | None = None
    country: str | None = None


class Organization(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    code: str
    kind: str
    name: str
    email: str | None
    phone: str | None
    address: Address
    latitude: float | None
    longitude: float | None
    website: str | None
    mission_statement: str | None
    adoption_policy: str | None
    adoption_url: str | None
    hours: dict[str, str | None]
    social_media: dict[str, str | None]
    photos: list[Photo]
    created_at: datetime
    updated_at: datetime
    time_zone: str | None = None  # IANA; dates and opening hours are in it


class Animal(msgspec.Struct, frozen=True, gc=False):
    """An animal, listed by an organization, owned by a person, or both.

    Fields follow the column order of the ``animals`` table, so storage can build one from a
    row positionally; ``organization`` (joined) comes last.
    """

    id: int
    uuid: str
    owner_person_id: int | None
    organization_animal_id: str | None
    type: str
    species: str
    breed_primary: str | None
    breed_secondary: str | None
    breed_mixed: bool
    breed_unknown: bool
    color_primary: str | None
    color_secondary: str | None
    color_tertiary: str | None
    age: str
    birth_date: str | None
    age_years: int | None
    age_months: int | None
    sex: str
    size: str
    coat: str | None
    tail: str | None
    weight_value: float | None
    weight_unit: str | None
    spayed_neutered: bool | None
    house_trained: bool | None
    declawed: bool | None
    shots_current: bool | None
    special_needs: list[str]
    good_with_children: bool | None
    good_with_dogs: bool | None
    good_with_cats: bool | None
    good_with_other: list[str]
    bad_with_other: list[str]
    temperaments: list[str]
    tags: list[str]
    name: str
    description: str | None
    photos: list[Photo]
    videos: list[str]
    health: str
    medical_notes: str | None
    microchip_id: str | None
    adoption_fee: str | None
    status: str
    custom_status_id: int | None
    status_changed_at: datetime
    status_change_notes: str | None
    show_public: bool
    public_status: str | None
    intake_date: str | None
    outcome_date: str | None
    adopted_on: str | None
    adopted_by_person_id: int | None
    primary_veterinarian_id: int | None
    template_id: str | None
    location_found: str | None
    reason_for_surrender: str | None
    custom_field_data: dict[str, object]
    published_at: datetime
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    organization: Organization | None

    @property
    def has_special_needs(self) -> bool:
        return bool(self.special_needs)


class Person(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    organization_id: int | None
    role: str
    name: str
    first_name: str | None
    last_name: str | None
    username: str | None
    email: str | None
    additional_emails: list[str]
    phone: str | None
    additional_phones: list[str]
    address: Address
    status: str
    status_change_notes: str | None
    capacity: int | None
    tags: list[str]
    custom_field_data: dict[str, object]
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime
    slug: str | None = None  # staff who take bookings: their public handle
    specialties: list[str] | None = None  # and the animal types they see


class AnimalDetails(msgspec.Struct, frozen=True, gc=False):
    """An animal with the names of what it refers to, resolved."""

    animal: Animal
    status_label: str | None  # its custom status's label, if it has one
    veterinarian_name: str | None
    adopted_by_name: str | None


class CustomStatus(msgspec.Struct, frozen=True, gc=False):
    """An organization's own name for a status, with its canonical class."""

    id: int
    uuid: str
    organization_id: int
    label: str
    status_class: str
    is_public: bool
    is_default: bool
    position: int


class CustomFieldDefinition(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    organization_id: int
    entity: str  # pet, or a kind of person (adopter, foster, ...)
    field_key: str
    label: str
    field_type: str
    required: bool
    help_text: str | None
    options: list[str] | None
    section: str | None
    position: int


class OAuthClient(msgspec.Struct, frozen=True, gc=False):
    id: int
    client_id: str
    name: str
    dialect: str  # the one API whose tokens it gets
