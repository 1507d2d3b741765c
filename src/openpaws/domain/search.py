"""Search specifications: what a caller asks for, in canonical vocabulary.

Each dialect reads its own query words into these; storage turns them into SQL and chooses how
to answer them. Sorts are canonical values (``published_desc``, ``distance_asc``, ...): a
dialect's vocabulary maps its sort words onto them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from openpaws.domain.entities import Animal, Organization
from openpaws.domain.geo import Point


class AnimalSort(StrEnum):
    PUBLISHED_DESC = "published_desc"  # newest published first
    PUBLISHED_ASC = "published_asc"
    CREATED_DESC = "created_desc"  # newest record first
    CREATED_ASC = "created_asc"
    DISTANCE_ASC = "distance_asc"  # nearest first (needs a place)
    DISTANCE_DESC = "distance_desc"
    RANDOM = "random"

    @property
    def by_distance(self) -> bool:
        return self in (AnimalSort.DISTANCE_ASC, AnimalSort.DISTANCE_DESC)

    @property
    def keyset(self) -> bool:
        """Whether a keyset cursor can continue this order (a moment, then the id)."""
        return self in KEYSET_SORTS

    def moment_of(self, animal: Animal) -> datetime:
        """The moment this keyset order sorts ``animal`` by."""
        if self in (AnimalSort.PUBLISHED_DESC, AnimalSort.PUBLISHED_ASC):
            return animal.published_at
        return animal.created_at


KEYSET_SORTS = frozenset(
    {
        AnimalSort.PUBLISHED_DESC,
        AnimalSort.PUBLISHED_ASC,
        AnimalSort.CREATED_DESC,
        AnimalSort.CREATED_ASC,
    }
)


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
class KeysetCursor:
    """Where a keyset page starts: after the record with this sort moment and id.

    Stable under concurrent inserts and deletes: a page continues from a position in the
    order, not from a count of rows.
    """

    moment: datetime
    id: int


@dataclass(frozen=True)
class AnimalSearch:
    """A page of a search: ``limit`` animals from ``offset``; or, with ``keyset``, the
    ``limit`` animals after ``cursor`` (from the start without one), which needs a keyset
    sort and ignores the offset."""

    filters: AnimalFilters
    near: Near | None = None
    sort: AnimalSort = AnimalSort.PUBLISHED_DESC
    limit: int = 20
    offset: int = 0
    keyset: bool = False
    cursor: KeysetCursor | None = None

    def __post_init__(self) -> None:
        if (self.keyset or self.cursor is not None) and not self.sort.keyset:
            raise ValueError(f"a keyset page needs a keyset sort, not {self.sort}")


@dataclass(frozen=True)
class AnimalPage:
    animals: list[Animal]
    total: int
    distances: dict[int, float] = field(default_factory=dict)  # animal id -> miles
    # Where the next page starts, for keyset searches with more to come.
    next_cursor: KeysetCursor | None = None


class OrganizationSort(StrEnum):
    DISTANCE_ASC = "distance_asc"
    DISTANCE_DESC = "distance_desc"
    NAME_ASC = "name_asc"
    NAME_DESC = "name_desc"
    COUNTRY_ASC = "country_asc"
    COUNTRY_DESC = "country_desc"
    STATE_ASC = "state_asc"
    STATE_DESC = "state_desc"

    @property
    def by_distance(self) -> bool:
        return self in (OrganizationSort.DISTANCE_ASC, OrganizationSort.DISTANCE_DESC)


@dataclass(frozen=True)
class OrganizationSearch:
    """Organizations by name (a substring), a free query (a substring of the name, city,
    state or code), states and countries (two-letter codes, any case), and a place."""

    name: str | None = None
    query: str | None = None
    states: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    near: Near | None = None
    sort: OrganizationSort | None = None  # None: by distance with a place, else by name
    limit: int = 20
    offset: int = 0

    @property
    def order(self) -> OrganizationSort:
        if self.sort is not None:
            return self.sort
        return OrganizationSort.DISTANCE_ASC if self.near else OrganizationSort.NAME_ASC


@dataclass(frozen=True)
class OrganizationPage:
    organizations: list[Organization]
    total: int
    distances: dict[int, float] = field(default_factory=dict)  # organization id -> miles


@dataclass(frozen=True)
class KindMatch:
    """One kind of animal: its type and, within it, which species (any, when both are
    empty; else those in ``species``, or all but those in ``other_than``)."""

    type: str
    species: tuple[str, ...] = ()
    other_than: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountAnimalFilters:
    """Conditions on the animals of one account (all of them, listed or not); empty tuples
    mean "any"."""

    kinds: tuple[KindMatch, ...] = ()
    statuses: tuple[str, ...] = ()  # status classes


@dataclass(frozen=True)
class AccountAnimalPage:
    """The animals of one account, newest first, after a cursor; ``has_more`` tells whether
    another page follows."""

    animals: list[Animal]
    has_more: bool
