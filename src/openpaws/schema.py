"""The schema of this installation: the core's migrations and every registered dialect's."""

from __future__ import annotations

from openpaws.dialects import registry
from openpaws.storage import migrate
from openpaws.storage.database import Database


def upgrade(db: Database) -> None:
    """Bring the database to the newest schema (idempotent)."""
    migrate.upgrade(db, registry.migration_locations())


def is_current(db: Database) -> bool:
    return migrate.is_current(db, registry.migration_locations())


def downgrade(db: Database, revision: str) -> None:
    migrate.downgrade(db, revision, registry.migration_locations())
