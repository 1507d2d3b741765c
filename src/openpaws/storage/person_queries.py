"""Reading and writing people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert

from openpaws.domain.entities import Person
from openpaws.storage.database import Reader
from openpaws.storage.records import PERSON_COLUMNS, person_from_row
from openpaws.storage.tables import persons

PERSON_SELECT = "SELECT " + ", ".join(PERSON_COLUMNS) + " FROM persons"


_INSERT = insert(persons)


def insert_person(conn: Connection, values: dict[str, Any]) -> int:
    key = conn.execute(_INSERT, values).inserted_primary_key
    assert key is not None
    return int(key[0])


def by_id(reader: Reader, person_id: int) -> Person | None:
    row = reader.one(f"{PERSON_SELECT} WHERE id = :id", {"id": person_id})
    return None if row is None else person_from_row(row)
