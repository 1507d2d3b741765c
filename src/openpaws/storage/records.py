"""Turning result rows into entities, with converters derived once from the tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from sqlalchemy import Boolean, Column, Table

from openpaws.domain.entities import Address, Animal, AnimalDetails, Organization, Person
from openpaws.storage.tables import animals, organizations, persons
from openpaws.storage.types import JSONText, Timestamp, from_micros

Converter = Callable[[Any], Any] | None


ADDRESS_FIELDS = tuple(msgspec.structs.fields(Address)[i].name for i in range(6))


def _converter(column: Column[Any], entity: type[msgspec.Struct]) -> Converter:
    """How a column's raw driver value becomes the entity's field value (None: as is)."""
    if isinstance(column.type, JSONText):
        field_type = next(f.type for f in msgspec.structs.fields(entity) if f.name == column.name)
        return msgspec.json.Decoder(field_type).decode
    if isinstance(column.type, Timestamp):
        return from_micros
    if isinstance(column.type, Boolean):
        return bool
    return None


def _converters(table: Table, entity: type[msgspec.Struct]) -> list[Converter]:
    return [_converter(column, entity) for column in table.columns]


def _convert(names: Sequence[str], converters: Sequence[Converter], row: Sequence[Any]) -> dict:
    values = {}
    for name, convert, value in zip(names, converters, row, strict=True):
        values[name] = value if convert is None or value is None else convert(value)
    return values


ORGANIZATION_COLUMNS = tuple(c.name for c in organizations.columns)
_ORG_CONVERTERS = _converters(organizations, Organization)
ORGANIZATION_SELECT = ", ".join(f"o.{name}" for name in ORGANIZATION_COLUMNS)

# The animal's own columns in the entity's field order, for positional construction.
ANIMAL_COLUMNS = tuple(f.name for f in msgspec.structs.fields(Animal) if f.name != "organization")
ANIMAL_SELECT = ", ".join(f"a.{name}" for name in ANIMAL_COLUMNS)
_ANIMAL_CONVERTERS = [
    (index, convert)
    for index, convert in enumerate(_converter(animals.c[name], Animal) for name in ANIMAL_COLUMNS)
    if convert is not None
]


_ORGANIZATION_MEMO: dict[tuple[Any, ...], Organization] = {}
_ORGANIZATION_MEMO_SIZE = 20_000


def organization_from_row(row: Sequence[Any]) -> Organization:
    """The organization a row of ``ORGANIZATION_SELECT`` holds.

    Memoised on the whole row, so a changed row is a new key and the memo is always exact.
    """
    key = tuple(row)
    found = _ORGANIZATION_MEMO.get(key)
    if found is None:
        values = _convert(ORGANIZATION_COLUMNS, _ORG_CONVERTERS, row)
        values["address"] = Address(*(values.pop(name) for name in ADDRESS_FIELDS))
        found = Organization(**values)
        if len(_ORGANIZATION_MEMO) >= _ORGANIZATION_MEMO_SIZE:
            _ORGANIZATION_MEMO.clear()
        _ORGANIZATION_MEMO[key] = found
    return found


def animal_from_row(row: Sequence[Any], organization: Organization | None) -> Animal:
    """A row of ``ANIMAL_SELECT`` (the animal's own columns) and its organization."""
    values = list(row)
    for index, convert in _ANIMAL_CONVERTERS:
        value = values[index]
        if value is not None:
            values[index] = convert(value)
    return Animal(*values, organization)  # type: ignore[call-arg]  # positional, in field order


def details_from_rows(rows: Sequence[Sequence[Any]]) -> list[AnimalDetails]:
    """Rows of ``DETAILS_SELECT``: the animal, its organization, then the resolved names."""
    names_at = len(ANIMAL_COLUMNS) + len(ORGANIZATION_COLUMNS)
    animals = animals_with_organizations([row[:names_at] for row in rows])
    return [
        AnimalDetails(animal, *row[names_at:]) for animal, row in zip(animals, rows, strict=True)
    ]


def animals_with_organizations(rows: Sequence[Sequence[Any]]) -> list[Animal]:
    """Rows of ``ANIMAL_SELECT, ORGANIZATION_SELECT`` from a left join, organizations shared."""
    split = len(ANIMAL_COLUMNS)
    orgs: dict[int, Organization] = {}
    result = []
    for row in rows:
        org_id = row[split]
        org = None
        if org_id is not None:
            org = orgs.get(org_id)
            if org is None:
                org = orgs[org_id] = organization_from_row(row[split:])
        result.append(animal_from_row(row[:split], org))
    return result


PERSON_COLUMNS = tuple(c.name for c in persons.columns)
_PERSON_CONVERTERS = _converters(persons, Person)


def person_from_row(row: Sequence[Any]) -> Person:
    values = _convert(PERSON_COLUMNS, _PERSON_CONVERTERS, row)
    values["address"] = Address(*(values.pop(name) for name in ADDRESS_FIELDS))
    return Person(**values)
