"""The animal taxonomy shipped as data: types with their coats, colors, genders and breeds."""

from __future__ import annotations

from functools import cache
from importlib import resources

import msgspec


class Breed(msgspec.Struct, frozen=True):
    name: str
    species: str


class AnimalType(msgspec.Struct, frozen=True):
    slug: str
    name: str
    coats: tuple[str, ...]
    colors: tuple[str, ...]
    genders: tuple[str, ...]
    breeds: tuple[Breed, ...]

    def breed(self, name: str) -> Breed | None:
        return _breed_index(self.slug).get(name.casefold())

    def color(self, name: str) -> str | None:
        """The color as this type spells it, found in any case."""
        return next((c for c in self.colors if c.casefold() == name.casefold()), None)


class _Taxonomy(msgspec.Struct, frozen=True):
    source: str
    types: tuple[AnimalType, ...]


@cache
def _load() -> _Taxonomy:
    raw = resources.files("openpaws.domain").joinpath("data/taxonomy.json").read_bytes()
    return msgspec.json.decode(raw, type=_Taxonomy)


def animal_types() -> tuple[AnimalType, ...]:
    return _load().types


@cache
def _type_index() -> dict[str, AnimalType]:
    index: dict[str, AnimalType] = {}
    for animal_type in animal_types():
        index[animal_type.slug] = animal_type
        index[animal_type.name.casefold()] = animal_type
    return index


@cache
def _breed_index(slug: str) -> dict[str, Breed]:
    return {breed.name.casefold(): breed for breed in type_by_slug(slug).breeds}


def find_type(value: str) -> AnimalType | None:
    """A type by its slug (``small-furry``) or its display name (``Small & Furry``), any case."""
    return _type_index().get(value.strip().casefold())


def type_by_slug(slug: str) -> AnimalType:
    return _type_index()[slug]


@cache
def all_breed_names() -> dict[str, str]:
    """Every breed name of every type, keyed by its case-folded form."""
    return {b.name.casefold(): b.name for t in animal_types() for b in t.breeds}
