"""Fixtures for the Petfinder dialect: its contract and authorized clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from openpaws.storage.database import Database
from tests.conftest import make_client
from tests.petfinder.helpers import authorize, petfinder_contract
from tests.support.api import ContractClient
from tests.support.contract import Contract


@pytest.fixture(scope="session")
def contract() -> Contract:
    return petfinder_contract()


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
