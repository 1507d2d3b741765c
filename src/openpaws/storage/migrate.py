"""Bring a database to the newest schema with Alembic.

The core's revisions live in ``migrations/versions``; a dialect may bring revisions of its own
(its data, in its package), given here as further version locations. Together they may have
several heads, and a database is current when it is at every one of them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from openpaws.storage.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"

# Search structures the migrations create by hand, outside tables.py.
UNMODELLED = (
    "animal_name_fts",
    "animal_text_fts",
    "ix_animals_name_trgm",
    "ix_animals_description_trgm",
    "ix_animals_breed_",
    "product_text_fts",
    "ix_products_name_trgm",
    "ix_products_brand_trgm",
    "ix_products_description_trgm",
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, other: object
) -> bool:
    """For autogenerate: leave the hand-made search structures alone."""
    return not (name or "").startswith(UNMODELLED)


def _config(locations: Sequence[Path]) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    every = [MIGRATIONS / "versions", *locations]
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in every))
    return config


@contextmanager
def _migrating(db: Database) -> Iterator[Connection]:
    """A connection for migrating, committed at the end.

    SQLite alters a table by building a new one and dropping the old (Alembic's batch mode);
    with foreign keys enforced, dropping a table that rows of another refer to would fail.
    So, as SQLite's documentation prescribes for such changes, enforcement is off while
    migrating, and every reference is checked before the commit instead.
    """
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection if db.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, where it applies
        try:
            yield conn
            if raw is not None:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration broke references: {broken[:5]}")
            conn.commit()
        finally:
            if raw is not None:
                conn.rollback()
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(db: Database, locations: Sequence[Path] = (), revision: str = "heads") -> None:
    config = _config(locations)
    with _migrating(db) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def heads(locations: Sequence[Path] = ()) -> set[str]:
    """The newest revisions."""
    return set(ScriptDirectory.from_config(_config(locations)).get_heads())


def is_current(db: Database, locations: Sequence[Path] = ()) -> bool:
    """True when the database is at every newest revision."""
    with db.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads()) == heads(locations)


def autogenerate(db: Database, message: str) -> None:
    """Developer helper: write a new core revision from the difference to tables.py."""
    config = _config(())
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.revision(config, message=message, autogenerate=True)


def downgrade(db: Database, revision: str, locations: Sequence[Path] = ()) -> None:
    config = _config(locations)
    with _migrating(db) as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
