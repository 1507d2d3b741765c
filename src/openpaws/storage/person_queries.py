"""Reading and writing people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from openpaws.domain.changes import PersonFields, given
from openpaws.domain.entities import Person
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.records import ADDRESS_FIELDS, PERSON_COLUMNS, person_from_row
from openpaws.storage.tables import persons
from openpaws.storage.texts import check_row

PERSON_SELECT = "SELECT " + ", ".join(PERSON_COLUMNS) + " FROM persons"

_INSERT = insert(persons)


def _columns(fields: PersonFields) -> dict[str, Any]:
    """The columns of ``fields``: the address spreads over its columns, the rest by name."""
    values = given(fields)
    address = values.pop("address", None)
    if address is not None:
        values |= {name: getattr(address, name) for name in ADDRESS_FIELDS}
    row = {persons.c[name].name: value for name, value in values.items()}
    check_row(persons, row)
    return row


def insert_person(tx: Transaction, fields: PersonFields) -> int:
    key = tx.conn.execute(_INSERT, _columns(fields)).inserted_primary_key
    assert key is not None
    return int(key[0])


def by_id(reader: Reader, person_id: int) -> Person | None:
    row = reader.one(f"{PERSON_SELECT} WHERE id = :id", {"id": person_id})
    return None if row is None else person_from_row(row)


def id_for_reference(reader: Reader, reference: str) -> int | None:
    """The id of the platform user (no organization's record) with this username or UUID."""
    found = reader.scalar(
        "SELECT id FROM persons WHERE organization_id IS NULL AND (username = :ref OR uuid = :ref)",
        {"ref": reference},
    )
    return None if found is None else int(found)
