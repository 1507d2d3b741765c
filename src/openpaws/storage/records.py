"""Turning result rows into entities, with converters derived once from the tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from sqlalchemy import Boolean, Table

from openpaws.domain.entities import Address, Animal, Organization
from openpaws.storage.tables import animals, organizations
from openpaws.storage.types import JSONText, Timestamp, from_micros

Converter = Callable[[Any], Any] | None

ADDRESS_FIELDS = tuple(msgspec.structs.fields(Address)[i].name for i in range(6))


def _converters(table: Table, entity: type[msgspec.Struct]) -> list[Converter]:
    types = {f.name: f.type for f in msgspec.structs.fields(entity)}
    converters: list[Converter] = []
    for column in table.columns:
        if isinstance(column.type, JSONText):
            converters.append(msgspec.json.Decoder(types[column.name]).decode)
        elif isinstance(column.type, Timestamp):
            converters.append(from_micros)
        elif isinstance(column.type, Boolean):
            converters.append(bool)
        else:
            converters.append(None)
    return converters


def _convert(names: Sequence[str], converters: Sequence[Converter], row: Sequence[Any]) -> dict:
    values = {}
    for name, convert, value in zip(names, converters, row, strict=True):
        values[name] = value if convert is None or value is None else convert(value)
    return values


ORGANIZATION_COLUMNS = tuple(c.name for c in organizations.columns)
ANIMAL_COLUMNS = tuple(c.name for c in animals.columns if c.name != "organization_id")
_ORG_CONVERTERS = _converters(organizations, Organization)
_ANIMAL_CONVERTERS = [
    conv
    for col, conv in zip(animals.columns, _converters(animals, Animal), strict=True)
    if col.name != "organization_id"
]

ORGANIZATION_SELECT = ", ".join(f"o.{name}" for name in ORGANIZATION_COLUMNS)
ANIMAL_SELECT = ", ".join(f"a.{name}" for name in ANIMAL_COLUMNS)


def organization_from_row(row: Sequence[Any]) -> Organization:
    values = _convert(ORGANIZATION_COLUMNS, _ORG_CONVERTERS, row)
    values["address"] = Address(*(values.pop(name) for name in ADDRESS_FIELDS))
    return Organization(**values)


def animal_from_row(row: Sequence[Any], organization: Organization | None) -> Animal:
    """A row of ``ANIMAL_SELECT`` (the animal's own columns) and its organization."""
    values = _convert(ANIMAL_COLUMNS, _ANIMAL_CONVERTERS, row)
    return Animal(organization=organization, **values)


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
