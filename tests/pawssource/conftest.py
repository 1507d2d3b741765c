"""Fixtures for the Paws Source dialect: keys of pet owners and of a shelter over the test
databases, and what the tests read back from the database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from openpaws.dialects.pawssource import DIALECT as PAWSSOURCE
from openpaws.services import identifiers
from openpaws.storage.database import Database
from tests.conftest import make_client
from tests.pawplacer.conftest import listing_codes
from tests.support import reference, setup
from tests.support.api import ContractClient
from tests.support.contract import Contract

PS = "/pawssource/v2"
NAME = "pawssource"
# Test keys get room enough never to meet the plans' limits (those have tests of their own).
ROOMY = {"plan": "enterprise", "per_minute": 1_000_000, "burst": 100_000}


@pytest.fixture(scope="session")
def ps_contract() -> Contract:
    return Contract(PAWSSOURCE.contract, "urn:openpaws:pawssource", PS)


def key_client(db: Database, contract: Contract, **account: Any) -> ContractClient:
    client = make_client(db, contract)
    client.token = setup.create_account_key(db, NAME, **{**ROOMY, **account})
    return client


def public_id(db: Database, animal_id: int) -> str:
    return identifiers.public_ids(db.reader()).encode("pet", animal_id)


def row_id(db: Database, pet_id: str) -> int:
    found = identifiers.public_ids(db.reader()).decode("pet", pet_id)
    assert found is not None, pet_id
    return found


def owned_rows(db: Database, username: str) -> list[dict[str, Any]]:
    """The live pets of a pet owner, as stored."""
    person = setup.person_id(db, username)
    return [
        row
        for row in reference.all_animals(db)
        if row["owner_person_id"] == person and row["deleted_at"] is None
    ]


@dataclass
class Accounts:
    """Two pet owners and a shelter of one database, each with a key."""

    db: Database
    shelter: str  # its code
    owner: ContractClient  # petowner1
    other: ContractClient  # petowner2
    shelter_client: ContractClient

    def close(self) -> None:
        for client in (self.owner, self.other, self.shelter_client):
            client.client.__exit__(None, None, None)


def accounts(db: Database, contract: Contract) -> Accounts:
    shelter = listing_codes(db)[0]
    return Accounts(
        db,
        shelter,
        key_client(db, contract, person="petowner1"),
        key_client(db, contract, person="petowner2"),
        key_client(db, contract, org=shelter),
    )


@pytest.fixture
def fresh(fresh_db: Database, ps_contract: Contract) -> Iterator[Accounts]:
    """Tests that write: a small demo data set of their own."""
    setup.load_demo(fresh_db, 120, organizations=6)
    found = accounts(fresh_db, ps_contract)
    yield found
    found.close()


@pytest.fixture(scope="session")
def seeded(seeded_db: Database, ps_contract: Contract) -> Iterator[Accounts]:
    """Read-only tests over the shared seeded database."""
    found = accounts(seeded_db, ps_contract)
    yield found
    found.close()
