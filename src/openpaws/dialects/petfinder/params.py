"""Reading Petfinder query strings into canonical searches, with every problem reported."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from openpaws.dialects import inputs
from openpaws.dialects.inputs import Invalid, Messages, Reader
from openpaws.dialects.petfinder import vocab
from openpaws.domain import geo, taxonomy
from openpaws.domain.search import (
    AnimalFilters,
    AnimalSearch,
    AnimalSort,
    Near,
    OrganizationSearch,
    OrganizationSort,
)

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_DISTANCE = 500
DEFAULT_DISTANCE = 100
MAX_PAGE = 10_000_000
INVALID = "The request contains invalid parameters."

MESSAGES = Messages(
    {
        "required": "{name} is required.",
        "not_integer": "{value} is not a valid integer.",
        "out_of_range": "{name} must be between {low} and {high}.",
        "not_boolean": "{value} is not a valid boolean; use true, false, 1 or 0.",
        "not_one_of": "{value} is not a valid {noun}.",
        "not_moment": "{value} is not a valid ISO-8601 date-time.",
        "no_location": "{name} requires location to be set.",
        "unknown_location": "Could not determine location from {value}.",
        "distance_needs_location": "Sorting by distance requires location to be set.",
    }
)


# The parsers of each parameter, made once.
_DISTANCE = inputs.integer(0, MAX_DISTANCE)
_LIMIT = inputs.integer(1, MAX_LIMIT)
_PAGE = inputs.integer(1, MAX_PAGE)
_STATUS = inputs.word_in(vocab.STATUS_IN, "status")
_SIZE = inputs.word_in(vocab.SIZE_IN, "size")
_GENDER = inputs.word_in(vocab.GENDER_IN, "gender")
_AGE = inputs.word_in(vocab.AGE_IN, "age")
_COAT = inputs.word_in(vocab.COAT_IN, "coat")
_ANIMAL_SORT = inputs.word_in(vocab.ANIMAL_SORT_IN, "sort")
_ORGANIZATION_SORT = inputs.word_in(vocab.ORGANIZATION_SORT_IN, "sort")


def query_reader(query: Mapping[str, str]) -> Reader:
    return Reader(query, "query", MESSAGES)


def _near(r: Reader) -> Near | None:
    miles = r.get("distance", _DISTANCE, DEFAULT_DISTANCE)
    location = r.values.get("location", "").strip()
    if not location:
        if r.values.get("distance", "").strip():
            r.bad("distance", "no_location")
        return None
    try:
        return Near(geo.resolve(location), float(miles))
    except geo.UnknownLocation:
        r.bad("location", "unknown_location", value=location)
        return None


def _page(r: Reader) -> tuple[int, int]:
    """(limit, offset)."""
    limit = r.get("limit", _LIMIT, DEFAULT_LIMIT)
    page = r.get("page", _PAGE, 1)
    return limit, (page - 1) * limit


S = TypeVar("S", AnimalSort, OrganizationSort)


def _sort(r: Reader, parse: Callable[[str], S], near: Near | None, default: S | None) -> S | None:
    sort = r.get("sort", parse, default)
    if sort is not None and near is None and sort.by_distance:
        r.bad("sort", "distance_needs_location")
        return default
    return sort


def _text(r: Reader, name: str) -> str | None:
    value = r.values.get(name, "").strip()
    return value or None


def animal_search(query: Mapping[str, str]) -> tuple[AnimalSearch, tuple[str, ...]]:
    """The search a GET /animals query asks for, and the organization codes it names."""
    r = query_reader(query)
    animal_type = None
    if type_text := _text(r, "type"):
        animal_type = taxonomy.find_type(type_text)
        if animal_type is None:
            r.bad("type", "not_one_of", value=type_text, noun="animal type")
    breeds = r.words("breed", lambda w: _breed(animal_type, w))
    colors = r.words("color", lambda w: _color(animal_type, w))
    statuses = _flat(r.words("status", _STATUS))
    filters = AnimalFilters(
        statuses=statuses or vocab.STATUS_IN["adoptable"],
        types=(animal_type.slug,) if animal_type else (),
        breeds=breeds,
        sizes=_flat(r.words("size", _SIZE)),
        sexes=_flat(r.words("gender", _GENDER)),
        ages=_flat(r.words("age", _AGE)),
        colors=colors,
        coats=_flat(r.words("coat", _COAT)),
        name=_text(r, "name"),
        good_with_children=r.get("good_with_children", inputs.flag, None),
        good_with_dogs=r.get("good_with_dogs", inputs.flag, None),
        good_with_cats=r.get("good_with_cats", inputs.flag, None),
        house_trained=r.get("house_trained", inputs.flag, None),
        declawed=r.get("declawed", inputs.flag, None),
        special_needs=r.get("special_needs", inputs.flag, None),
        published_before=r.get("before", inputs.moment, None),
        published_after=r.get("after", inputs.moment, None),
    )
    codes = tuple(c.strip() for c in (_text(r, "organization") or "").split(",") if c.strip())
    near = _near(r)
    sort = _sort(r, _ANIMAL_SORT, near, AnimalSort.PUBLISHED_DESC)
    limit, offset = _page(r)
    r.finish(INVALID)
    assert sort is not None
    return AnimalSearch(filters, near, sort, limit, offset), codes


def _flat(groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """Canonical values of several words, each once, in order."""
    return tuple(dict.fromkeys(value for group in groups for value in group))


def _breed(animal_type: taxonomy.AnimalType | None, word: str) -> str:
    if animal_type is not None:
        breed = animal_type.breed(word)
        found = breed.name if breed else None
    else:
        found = taxonomy.all_breed_names().get(word.casefold())
    if found is None:
        raise Invalid("not_one_of", noun="breed")
    return found


def _color(animal_type: taxonomy.AnimalType | None, word: str) -> str:
    types = (animal_type,) if animal_type else taxonomy.animal_types()
    found = next((c for t in types if (c := t.color(word))), None)
    if found is None:
        raise Invalid("not_one_of", noun="color")
    return found


def organization_search(query: Mapping[str, str]) -> OrganizationSearch:
    r = query_reader(query)
    states = r.words("state", _two_letters("state"))
    countries = r.words("country", _two_letters("country"))
    near = _near(r)
    sort = _sort(r, _ORGANIZATION_SORT, near, None)
    limit, offset = _page(r)
    r.finish(INVALID)
    return OrganizationSearch(
        name=_text(r, "name"),
        query=_text(r, "query"),
        states=states,
        countries=countries,
        near=near,
        sort=sort,
        limit=limit,
        offset=offset,
    )


def _two_letters(noun: str) -> Callable[[str], str]:
    def parse(word: str) -> str:
        if len(word) == 2 and word.isascii() and word.isalpha():
            return word.upper()
        raise Invalid("not_one_of", noun=noun)

    return parse
