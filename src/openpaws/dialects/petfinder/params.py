"""Reading Petfinder query strings into canonical searches, with every problem reported."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TypeVar

from openpaws.dialects.petfinder import vocab
from openpaws.domain import geo, taxonomy
from openpaws.domain.errors import FieldProblem, InvalidInput
from openpaws.domain.search import (
    AnimalFilters,
    AnimalSearch,
    AnimalSort,
    Near,
    OrganizationSearch,
    OrganizationSort,
)

T = TypeVar("T")

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_DISTANCE = 500
DEFAULT_DISTANCE = 100
MAX_PAGE = 10_000_000
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class QueryReader:
    """Reads one query string; collects a problem per bad parameter instead of stopping."""

    def __init__(self, query: Mapping[str, str]) -> None:
        self.query = query
        self.problems: list[FieldProblem] = []

    def raw(self, name: str) -> str | None:
        value = self.query.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def bad(self, name: str, message: str) -> None:
        self.problems.append(FieldProblem("query", name, message))

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        text = self.raw(name)
        if text is None:
            return default
        try:
            value = int(text)
        except ValueError:
            self.bad(name, f"{text} is not a valid integer.")
            return default
        if not low <= value <= high:
            self.bad(name, f"{name} must be between {low} and {high}.")
            return default
        return value

    def flag(self, name: str) -> bool | None:
        text = self.raw(name)
        if text is None:
            return None
        if text.lower() not in BOOLEANS:
            self.bad(name, f"{text} is not a valid boolean; use true, false, 1 or 0.")
            return None
        return BOOLEANS[text.lower()]

    def choices(
        self, name: str, table: Mapping[str, tuple[str, ...]], noun: str
    ) -> tuple[str, ...]:
        """A comma list of words from ``table``, each mapped to canonical values."""
        text = self.raw(name)
        if text is None:
            return ()
        result: list[str] = []
        for word in (w.strip() for w in text.split(",")):
            mapped = table.get(word.lower())
            if mapped is None:
                self.bad(name, f"{word} is not a valid {noun}.")
                continue
            result += [value for value in mapped if value not in result]
        return tuple(result)

    def each(self, name: str, find: Callable[[str], T | None], noun: str) -> tuple[T, ...]:
        text = self.raw(name)
        if text is None:
            return ()
        found = []
        for word in (w.strip() for w in text.split(",") if w.strip()):
            value = find(word)
            if value is None:
                self.bad(name, f"{word} is not a valid {noun}.")
            else:
                found.append(value)
        return tuple(found)

    def moment(self, name: str) -> datetime | None:
        text = self.raw(name)
        if text is None:
            return None
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.bad(name, f"{text} is not a valid ISO-8601 date-time.")
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def near(self) -> Near | None:
        location = self.raw("location")
        miles = self.integer("distance", DEFAULT_DISTANCE, 0, MAX_DISTANCE)
        if location is None:
            if self.raw("distance") is not None:
                self.bad("distance", "distance requires location to be set.")
            return None
        try:
            return Near(geo.resolve(location), float(miles))
        except geo.UnknownLocation:
            self.bad("location", f"Could not determine location from {location}.")
            return None

    def page(self) -> tuple[int, int]:
        """(limit, offset)."""
        limit = self.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        page = self.integer("page", 1, 1, MAX_PAGE)
        return limit, (page - 1) * limit

    def sort(self, enum: type[T], near: Near | None, default: T) -> T:
        text = self.raw("sort")
        if text is None:
            return default
        try:
            value = enum(text.lower())  # type: ignore[call-arg]
        except ValueError:
            self.bad("sort", f"{text} is not a valid sort.")
            return default
        if near is None and str(value).lstrip("-") == "distance":
            self.bad("sort", "Sorting by distance requires location to be set.")
            return default
        return value

    def finish(self) -> None:
        if self.problems:
            raise InvalidInput(
                "The request contains invalid parameters.", fields=tuple(self.problems)
            )


def animal_search(query: Mapping[str, str]) -> tuple[AnimalSearch, tuple[str, ...]]:
    """The search a GET /animals query asks for, and the organization codes it names."""
    r = QueryReader(query)
    animal_type = None
    if (type_text := r.raw("type")) is not None:
        animal_type = taxonomy.find_type(type_text)
        if animal_type is None:
            r.bad("type", f"{type_text} is not a valid animal type.")
    breeds = r.each("breed", lambda w: _breed(animal_type, w), "breed")
    colors = r.each("color", lambda w: _color(animal_type, w), "color")
    statuses = r.choices("status", vocab.STATUS_IN, "status") or vocab.STATUS_IN["adoptable"]
    filters = AnimalFilters(
        statuses=statuses,
        types=(animal_type.slug,) if animal_type else (),
        breeds=breeds,
        sizes=r.choices("size", vocab.SIZE_IN, "size"),
        sexes=r.choices("gender", vocab.GENDER_IN, "gender"),
        ages=r.choices("age", vocab.AGE_IN, "age"),
        colors=colors,
        coats=r.choices("coat", vocab.COAT_IN, "coat"),
        name=r.raw("name"),
        good_with_children=r.flag("good_with_children"),
        good_with_dogs=r.flag("good_with_dogs"),
        good_with_cats=r.flag("good_with_cats"),
        house_trained=r.flag("house_trained"),
        declawed=r.flag("declawed"),
        special_needs=r.flag("special_needs"),
        published_before=r.moment("before"),
        published_after=r.moment("after"),
    )
    codes = tuple(c.strip() for c in (r.raw("organization") or "").split(",") if c.strip())
    near = r.near()
    sort = r.sort(AnimalSort, near, AnimalSort.RECENT)
    limit, offset = r.page()
    r.finish()
    return AnimalSearch(filters, near, sort, limit, offset), codes


def _breed(animal_type: taxonomy.AnimalType | None, word: str) -> str | None:
    if animal_type is not None:
        breed = animal_type.breed(word)
        return breed.name if breed else None
    return taxonomy.all_breed_names().get(word.casefold())


def _color(animal_type: taxonomy.AnimalType | None, word: str) -> str | None:
    types = (animal_type,) if animal_type else taxonomy.animal_types()
    return next((c for t in types if (c := t.color(word))), None)


def organization_search(query: Mapping[str, str]) -> OrganizationSearch:
    r = QueryReader(query)
    states = r.each("state", _two_letters, "state")
    countries = r.each("country", _two_letters, "country")
    near = r.near()
    sort = r.sort(OrganizationSort, near, None)
    limit, offset = r.page()
    r.finish()
    return OrganizationSearch(
        name=r.raw("name"),
        query=r.raw("query"),
        states=states,
        countries=countries,
        near=near,
        sort=sort,
        limit=limit,
        offset=offset,
    )


def _two_letters(word: str) -> str | None:
    return word.upper() if len(word) == 2 and word.isalpha() else None
