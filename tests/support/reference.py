"""The rows behind the API, read with plain SQLAlchemy, to compute expected answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from openpaws.storage.database import Database
from openpaws.storage.tables import animals, organizations


def all_animals(db: Database) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(animals))]


def organization_animals(db: Database) -> list[dict[str, Any]]:
    """The animals organizations keep (pet owners' own pets left out)."""
    return [row for row in all_animals(db) if row["organization_id"] is not None]


def all_organizations(db: Database) -> dict[int, dict[str, Any]]:
    with db.engine.connect() as conn:
        return {row.id: dict(row._mapping) for row in conn.execute(select(organizations))}
