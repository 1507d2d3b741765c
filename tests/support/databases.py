"""Test databases built by the migrations, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from openpaws import schema
from openpaws.storage.database import Database

POSTGRES_URL = os.environ.get(
    "OPENPAWS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_unavailable_reason() -> str | None:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=2):
            return None
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({first_line})"


class SqliteDatabases:
    """Each database is a copy of one file the migrations built."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.db"
        db = Database(f"sqlite:///{self.template}")
        schema.upgrade(db)
        db.dispose()

    def fresh(self) -> Database:
        path = self.directory / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, path)
        return Database(f"sqlite:///{path}")

    def empty(self) -> Database:
        """A database with no schema at all (for migrating from an early revision)."""
        return Database(f"sqlite:///{self.directory / uuid.uuid4().hex}.db")

    def drop(self, db: Database) -> None:
        db.dispose()
        path = Path(make_url(db.url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Each database is created from a template database the migrations built."""

    def __init__(self) -> None:
        self.prefix = f"openpaws_test_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        self._admin(f'CREATE DATABASE "{self.template}"')
        db = Database(self._url(self.template))
        schema.upgrade(db)
        db.dispose()
        self.created: list[str] = [self.template]

    def _url(self, name: str) -> str:
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def _admin(self, statement: str) -> None:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def fresh(self) -> Database:
        name = f"{self.prefix}_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return Database(self._url(name))

    def empty(self) -> Database:
        """A database with no schema at all (for migrating from an early revision)."""
        name = f"{self.prefix}_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return Database(self._url(name))

    def drop(self, db: Database) -> None:
        db.dispose()
        name = make_url(db.url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in reversed(self.created):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
