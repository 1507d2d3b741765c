"""Inserting and changing animals; every change bumps the animals change counter.

Typed fields in, columns out: this module alone knows which column holds each field.
"""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from sqlalchemy import insert, select, update

from openpaws.domain.changes import AnimalFields, given
from openpaws.domain.entities import Animal
from openpaws.storage.counts import bump_counter
from openpaws.storage.database import Transaction
from openpaws.storage.prepared import Prepared
from openpaws.storage.tables import animals, organizations
from openpaws.storage.texts import check_row

_INSERT_ANIMAL = Prepared(insert(animals).returning(animals.c.id), by_columns=True)
# Each field's column; every field has one of the same name.
COLUMNS = {name: animals.c[name] for name in AnimalFields.__struct_fields__}


def _columns(fields: AnimalFields) -> dict[str, Any]:
    row = {COLUMNS[name].name: value for name, value in given(fields).items()}
    check_row(animals, row)
    return row


def insert_animal(tx: Transaction, fields: AnimalFields) -> int:
    cursor = _INSERT_ANIMAL.execute(tx.conn, _columns(fields))
    animal_id = int(cursor.fetchone()[0])
    cursor.close()
    bump_counter(tx.conn, "animals")
    return animal_id


def update_animal(tx: Transaction, animal_id: int, fields: AnimalFields) -> None:
    tx.conn.execute(update(animals).where(animals.c.id == animal_id).values(**_columns(fields)))
    bump_counter(tx.conn, "animals")


def live_in_organization(tx: Transaction, organization_id: int, reference: str) -> int | None:
    """A live (not deleted) animal of the organization by UUID, or else by its own id."""
    live = (animals.c.organization_id == organization_id) & animals.c.deleted_at.is_(None)
    if _is_uuid(reference):
        found = tx.conn.execute(
            select(animals.c.id).where(live, animals.c.uuid == reference.lower())
        ).scalar_one_or_none()
        if found is not None:
            return int(found)
    found = tx.conn.execute(
        select(animals.c.id).where(live, animals.c.organization_animal_id == reference)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def organization_animal_id_taken(
    tx: Transaction, organization_id: int, value: str, except_id: int | None
) -> bool:
    query = select(animals.c.id).where(
        animals.c.organization_id == organization_id, animals.c.organization_animal_id == value
    )
    if except_id is not None:
        query = query.where(animals.c.id != except_id)
    return tx.conn.execute(query.limit(1)).first() is not None


def organization_id_by_uuid(tx: Transaction, value: str) -> int | None:
    found = tx.conn.execute(
        select(organizations.c.id).where(organizations.c.uuid == value)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def fields_of(animal: Animal) -> dict[str, Any]:
    """The stored fields of ``animal`` by name (what an update starts from)."""
    org = animal.organization
    return {
        name: (org.id if org else None) if name == "organization_id" else getattr(animal, name)
        for name in AnimalFields.__struct_fields__
    }


def _is_uuid(value: str) -> bool:
    try:
        uuid_module.UUID(value)
    except ValueError:
        return False
    return True
