"""Bring a database to the newest schema with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from openpaws.storage.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"

# Search structures the migrations create by hand, outside tables.py.
UNMODELLED = (
    "animal_name_fts",
    "animal_text_fts",
    "ix_animals_name_trgm",
    "ix_animals_description_trgm",
    "ix_animals_breed_",
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, other: object
) -> bool:
    """For autogenerate: leave the hand-made search structures alone."""
    return not (name or "").startswith(UNMODELLED)


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    config = _config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


def head() -> str:
    """The newest schema revision."""
    return str(ScriptDirectory.from_config(_config()).get_current_head())


def is_current(db: Database) -> bool:
    """True when the database is at the newest revision."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head()


def autogenerate(db: Database, message: str) -> None:
    """Developer helper: write a new revision from the difference to tables.py."""
    config = _config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.revision(config, message=message, autogenerate=True)


def downgrade(db: Database, revision: str) -> None:
    config = _config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
        conn.commit()
