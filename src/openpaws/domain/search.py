"""Search specifications: what a caller asks for, in canonical vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from openpaws.domain.entities import Animal, Organization
from openpaws.domain.geo import Point


class AnimalSort(StrEnum):
    RECENT = "recent"  # newest published first
    OLDEST = "-recent"
    NEAREST = "distance"
    FARTHEST = "-distance"
    RANDOM = "random"


@dataclass(frozen=True)
class Near:
    point: Point
    miles: float


@dataclass(frozen=True)
class StatusLabelMatch:
    """Animals shown under one status label: those with one of these custom statuses, and
    those with no custom status whose class has that label by default."""

    custom_status_ids: tuple[int, ...]
    classes: tuple[str, ...]


@dataclass(frozen=True)
class AnimalFilters:
    """Conditions on publicly listed animals; empty tuples and None mean "any".

    ``statuses`` are listing status classes; empty means any listed animal.
    """

    statuses: tuple[str, ...]
    types: tuple[str, ...] = ()
    breeds: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    sexes: tuple[str, ...] = ()
    ages: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    coats: tuple[str, ...] = ()
    name: str | None = None
    organization_ids: tuple[int, ...] | None = None
    good_with_children: bool | None = None
    good_with_dogs: bool | None = None
    good_with_cats: bool | None = None
    house_trained: bool | None = None
    declawed: bool | None = None
    special_needs: bool | None = None
    published_before: datetime | None = None
    published_after: datetime | None = None
    text: str | None = None  # substring of name, description or a breed
    updated_since: datetime | None = None
    status_label: StatusLabelMatch | None = None


@dataclass(frozen=True)
class AnimalSearch:
    filters: AnimalFilters
    near: Near | None = None
    sort: AnimalSort = AnimalSort.RECENT
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class AnimalPage:
    animals: list[Animal]
    total: int
    distances: dict[int, float] = field(default_factory=dict)  # animal id -> miles


class OrganizationSort(StrEnum):
    NEAREST = "distance"
    FARTHEST = "-distance"
    NAME = "name"
    NAME_DESC = "-name"
    COUNTRY = "country"
    COUNTRY_DESC = "-country"
    STATE = "state"
    STATE_DESC = "-state"


@dataclass(frozen=True)
class OrganizationSearch:
    name: str | None = None
    query: str | None = None
    states: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    near: Near | None = None
    sort: OrganizationSort | None = None
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class OrganizationPage:
    organizations: list[Organization]
    total: int
    distances: dict[int, float] = field(default_factory=dict)  # organization id -> miles
