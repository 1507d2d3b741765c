"""What every dialect's tests share: the test databases and a contract-checking client.

Every test runs on SQLite and, where one answers, on PostgreSQL. Each dialect's own fixtures
live in its folder's conftest.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from openpaws.config import Settings
from openpaws.server import create_app
from openpaws.storage.database import Database
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.databases import PostgresDatabases, SqliteDatabases, postgres_unavailable_reason
from tests.support.setup import TEST_SECRET_KEY

SEED_ANIMALS = 2_500
SEED_ORGANIZATIONS = 40

logging.getLogger("httpx").setLevel(logging.WARNING)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqliteDatabases | PostgresDatabases]:
    if request.param == "postgres":
        reason = postgres_unavailable_reason()
        if reason:
            pytest.skip(reason)
        factory: SqliteDatabases | PostgresDatabases = PostgresDatabases()
    else:
        factory = SqliteDatabases(tmp_path_factory.mktemp("sqlite"))
    yield factory
    factory.close()


@pytest.fixture
def fresh_db(databases: SqliteDatabases | PostgresDatabases) -> Iterator[Database]:
    """An empty database at the newest schema, for tests that write."""
    db = databases.fresh()
    yield db
    databases.drop(db)


@pytest.fixture(scope="session")
def seeded_db(databases: SqliteDatabases | PostgresDatabases) -> Iterator[Database]:
    """Deterministic demo data shared by the read-only tests; never written to by them."""
    db = databases.fresh()
    setup.load_demo(db, SEED_ANIMALS, organizations=SEED_ORGANIZATIONS)
    yield db
    databases.drop(db)


def make_client(db: Database, contract: Contract, **settings: Any) -> ContractClient:
    """A client of an app over ``db`` whose every answer is checked against ``contract``."""
    # The webhook worker runs only where a test starts one.
    chosen = {"worker": False, "secret_key": TEST_SECRET_KEY, **settings}
    client = TestClient(create_app(Settings(**chosen), db))
    client.__enter__()
    return ContractClient(client, contract)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
