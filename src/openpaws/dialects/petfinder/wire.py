"""The Petfinder v2 wire shapes, encoded directly by msgspec."""

from __future__ import annotations

import msgspec


class Link(msgspec.Struct, gc=False):
    href: str


class Photo(msgspec.Struct, gc=False):
    small: str
    medium: str
    large: str
    full: str


class Video(msgspec.Struct, gc=False):
    embed: str


class Breeds(msgspec.Struct, gc=False):
    primary: str | None
    secondary: str | None
    mixed: bool
    unknown: bool


class Colors(msgspec.Struct, gc=False):
    primary: str | None
    secondary: str | None
    tertiary: str | None


class Attributes(msgspec.Struct, gc=False):
    spayed_neutered: bool
    house_trained: bool
    declawed: bool | None
    special_needs: bool
    shots_current: bool


class Environment(msgspec.Struct, gc=False):
    children: bool | None
    dogs: bool | None
    cats: bool | None


class Address(msgspec.Struct, gc=False):
    address1: str | None
    address2: str | None
    city: str | None
    state: str | None
    postcode: str | None
    country: str | None


class Contact(msgspec.Struct, gc=False):
    email: str | None
    phone: str | None
    address: Address


class AnimalLinks(msgspec.Struct, gc=False):
    self: Link
    type: Link
    organization: Link


class Animal(msgspec.Struct, gc=False, rename={"links": "_links"}):
    id: int
    organization_id: str | None
    url: str
    type: str
    species: str
    breeds: Breeds
    colors: Colors
    age: str
    gender: str
    size: str
    coat: str | None
    attributes: Attributes
    environment: Environment
    tags: list[str]
    name: str
    description: str | None
    organization_animal_id: str | None
    photos: list[Photo]
    primary_photo_cropped: Photo | None
    videos: list[Video]
    status: str
    status_changed_at: str
    published_at: str
    distance: float | None
    contact: Contact
    links: AnimalLinks


class PageLinks(msgspec.Struct, gc=False, omit_defaults=True):
    previous: Link | None = None
    next: Link | None = None


class Pagination(msgspec.Struct, gc=False, rename={"links": "_links"}):
    count_per_page: int
    total_count: int
    current_page: int
    total_pages: int
    links: PageLinks


class AnimalsPage(msgspec.Struct, gc=False):
    animals: list[msgspec.Raw]  # each an encoded Animal (see mappers.AnimalMemo)
    pagination: Pagination


class AnimalEnvelope(msgspec.Struct, gc=False):
    animal: msgspec.Raw  # an encoded Animal


class TypeLinks(msgspec.Struct, gc=False):
    self: Link
    breeds: Link


class AnimalType(msgspec.Struct, gc=False, rename={"links": "_links"}):
    name: str
    coats: list[str]
    colors: list[str]
    genders: list[str]
    links: TypeLinks


class TypesList(msgspec.Struct, gc=False):
    types: list[AnimalType]


class TypeEnvelope(msgspec.Struct, gc=False):
    type: AnimalType


class BreedLinks(msgspec.Struct, gc=False):
    type: Link


class Breed(msgspec.Struct, gc=False, rename={"links": "_links"}):
    name: str
    links: BreedLinks


class BreedsList(msgspec.Struct, gc=False):
    breeds: list[Breed]


class Hours(msgspec.Struct, gc=False):
    monday: str | None
    tuesday: str | None
    wednesday: str | None
    thursday: str | None
    friday: str | None
    saturday: str | None
    sunday: str | None


class Adoption(msgspec.Struct, gc=False):
    policy: str | None
    url: str | None


class SocialMedia(msgspec.Struct, gc=False):
    facebook: str | None
    twitter: str | None
    youtube: str | None
    instagram: str | None
    pinterest: str | None


class OrganizationLinks(msgspec.Struct, gc=False):
    self: Link
    animals: Link


class Organization(msgspec.Struct, gc=False, rename={"links": "_links"}):
    id: str
    name: str
    email: str | None
    phone: str | None
    address: Address
    hours: Hours
    url: str
    website: str | None
    mission_statement: str | None
    adoption: Adoption
    social_media: SocialMedia
    photos: list[Photo]
    distance: float | None
    links: OrganizationLinks


class OrganizationsPage(msgspec.Struct, gc=False):
    organizations: list[Organization]
    pagination: Pagination


class OrganizationEnvelope(msgspec.Struct, gc=False):
    organization: Organization


class Token(msgspec.Struct, gc=False):
    token_type: str
    expires_in: int
    access_token: str


class InvalidParam(msgspec.Struct, gc=False):
    in_: str = msgspec.field(name="in")
    path: str = ""
    message: str = ""


class Problem(
    msgspec.Struct, gc=False, omit_defaults=True, rename={"invalid_params": "invalid-params"}
):
    type: str
    status: int
    title: str
    detail: str
    invalid_params: list[InvalidParam] | None = None
