"""Benchmark databases: built once with ``openpaws demo`` and reused while the schema holds.

Each size gets its own SQLite file or PostgreSQL database, described by a small JSON file in
the work directory. A database is rebuilt when that file is missing or names another schema
revision or data layout (an interrupted build leaves no file, so it is rebuilt too).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from openpaws.dialects import registry
from openpaws.storage import migrate

# Bump when the demo generator or the bench's data layout changes.
LAYOUT = 2
ANCHOR_ANIMALS = 10_000  # the PawPlacer request's organization holds this many pets
PRODUCTS = 100_000  # the catalog the product search runs over
MIN_ORGANIZATIONS = 125  # so that at least 100 listing organizations give ZIP codes


@dataclass(frozen=True)
class Backend:
    """Where OpenPaws keeps its data in a run: SQLite alone, or PostgreSQL with Redis."""

    name: str
    postgres_url: str = ""  # server URL without a database, e.g. postgresql+psycopg://u@h:5432
    redis_url: str = ""

    def database_url(self, size: int, workdir: Path) -> str:
        if self.name == "sqlite":
            return f"sqlite:///{(workdir / f'sqlite-{size}.db').resolve()}"
        return f"{self.postgres_url.rstrip('/')}/openpaws_bench_{size}"


@dataclass(frozen=True)
class Layout:
    revision: str
    layout: int
    animals: int
    organizations: int
    anchor_animals: int
    products: int


def layout_for(size: int) -> Layout:
    return Layout(
        revision=",".join(sorted(migrate.heads(registry.migration_locations()))),
        layout=LAYOUT,
        animals=size,
        organizations=max(MIN_ORGANIZATIONS, size // 200),
        anchor_animals=min(ANCHOR_ANIMALS, size // 2),
        products=PRODUCTS,
    )


def _openpaws() -> str:
    return str(Path(sys.executable).parent / "openpaws")


def _recreate_postgres(url: str) -> None:
    import psycopg

    server, _, name = url.replace("postgresql+psycopg://", "postgresql://").rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _remove_sqlite(url: str) -> None:
    path = url.split(":///", 1)[1]
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


def ensure(backend: Backend, size: int, workdir: Path, say: Any = print) -> str:
    """The database URL of this size's data, building it first if needed."""
    workdir.mkdir(parents=True, exist_ok=True)
    url = backend.database_url(size, workdir)
    marker = workdir / f"{backend.name}-{size}.json"
    wanted = layout_for(size)
    if marker.exists() and json.loads(marker.read_text()) == asdict(wanted):
        return url
    marker.unlink(missing_ok=True)
    say(f"building {backend.name} data of {size:,} animals (once; reused while the schema holds)")
    if backend.name == "sqlite":
        _remove_sqlite(url)
    else:
        _recreate_postgres(url)
    subprocess.run(
        [
            _openpaws(),
            "demo",
            "--animals",
            str(size),
            "--organizations",
            str(wanted.organizations),
            "--anchor-animals",
            str(wanted.anchor_animals),
            "--products",
            str(wanted.products),
        ],
        env={**os.environ, "OPENPAWS_DATABASE_URL": url},
        check=True,
    )
    marker.write_text(json.dumps(asdict(wanted)))
    return url
