"""Inserting and changing animals; every change bumps the animals change counter."""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from sqlalchemy import Connection, insert, select, update

from openpaws.storage.counts import bump_counter
from openpaws.storage.prepared import Prepared
from openpaws.storage.tables import animals, organizations

_INSERT_ANIMAL = Prepared(insert(animals).returning(animals.c.id), by_columns=True)


def insert_animal(conn: Connection, values: dict[str, Any]) -> int:
    cursor = _INSERT_ANIMAL.execute(conn, values)
    animal_id = int(cursor.fetchone()[0])
    cursor.close()
    bump_counter(conn, "animals")
    return animal_id


def update_animal(conn: Connection, animal_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(animals).where(animals.c.id == animal_id).values(**values))
    bump_counter(conn, "animals")


def current_values(conn: Connection, animal_id: int) -> dict[str, Any]:
    row = conn.execute(select(animals).where(animals.c.id == animal_id)).one()
    return dict(row._mapping)


def find_in_organization(conn: Connection, organization_id: int, identifier: str) -> int | None:
    """A live (not deleted) animal of the organization by UUID, or else by its own id."""
    live = (animals.c.organization_id == organization_id) & animals.c.deleted_at.is_(None)
    if _is_uuid(identifier):
        found = conn.execute(
            select(animals.c.id).where(live, animals.c.uuid == identifier.lower())
        ).scalar_one_or_none()
        if found is not None:
            return int(found)
    found = conn.execute(
        select(animals.c.id).where(live, animals.c.organization_animal_id == identifier)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def organization_animal_id_taken(
    conn: Connection, organization_id: int, value: str, except_id: int | None
) -> bool:
    query = select(animals.c.id).where(
        animals.c.organization_id == organization_id, animals.c.organization_animal_id == value
    )
    if except_id is not None:
        query = query.where(animals.c.id != except_id)
    return conn.execute(query.limit(1)).first() is not None


def organization_id_by_uuid(conn: Connection, value: str) -> int | None:
    found = conn.execute(
        select(organizations.c.id).where(organizations.c.uuid == value)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def _is_uuid(value: str) -> bool:
    try:
        uuid_module.UUID(value)
    except ValueError:
        return False
    return True
