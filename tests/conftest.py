"""Fixtures: every test runs on SQLite and, where one answers, on PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from openpaws import demo
from openpaws.config import Settings
from openpaws.dialects.petfinder.routes import OPENAPI_PATH
from openpaws.platform import oauth
from openpaws.server import create_app
from openpaws.storage.database import Database
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.databases import PostgresDatabases, SqliteDatabases, postgres_unavailable_reason

PREFIX = "/petfinder/v2"
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
    demo.load(db, SEED_ANIMALS, organizations=SEED_ORGANIZATIONS)
    yield db
    databases.drop(db)


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract(OPENAPI_PATH, "urn:openpaws:petfinder", PREFIX)


def make_client(db: Database, contract: Contract, **settings: Any) -> ContractClient:
    client = TestClient(create_app(Settings(**settings), db))
    client.__enter__()
    return ContractClient(client, contract)


def grant(creds: oauth.ClientCredentials, secret: str | None = None) -> dict[str, str]:
    """A client-credentials token request body."""
    return {
        "grant_type": "client_credentials",
        "client_id": creds.client_id,
        "client_secret": creds.client_secret if secret is None else secret,
    }


def authorize(api: ContractClient, db: Database) -> None:
    creds = oauth.create_client(db, "tests")
    response = api.post(f"{PREFIX}/oauth2/token", data=grant(creds))
    assert response.status_code == 200, response.text
    api.token = response.json()["access_token"]


@pytest.fixture(scope="session")
def api(seeded_db: Database, contract: Contract) -> Iterator[ContractClient]:
    """An authorized Petfinder client over the seeded database."""
    client = make_client(seeded_db, contract)
    authorize(client, seeded_db)
    yield client
    client.client.__exit__(None, None, None)


@pytest.fixture
def fresh_api(fresh_db: Database, contract: Contract) -> Iterator[ContractClient]:
    """An authorized Petfinder client over an empty database."""
    client = make_client(fresh_db, contract)
    authorize(client, fresh_db)
    yield client
    client.client.__exit__(None, None, None)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
