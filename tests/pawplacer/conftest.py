"""Fixtures for the PawPlacer dialect: keys of two organizations over the test databases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from openpaws.dialects.pawplacer import DIALECT as PAWPLACER
from openpaws.dialects.pawplacer import QUOTAS
from openpaws.storage.database import Database
from tests.conftest import make_client
from tests.support import reference, setup
from tests.support.api import ContractClient
from tests.support.contract import Contract

PP = "/pawplacer"


@pytest.fixture(scope="session")
def pp_contract() -> Contract:
    return Contract(PAWPLACER.contract, "urn:openpaws:pawplacer", PP)


def listing_codes(db: Database) -> list[str]:
    """Codes of the shelters and rescues, those with most animals first."""
    counts: dict[int, int] = {}
    for row in reference.all_animals(db):
        if row["organization_id"] is not None:  # pet owners' own pets belong to no one's list
            counts[row["organization_id"]] = counts.get(row["organization_id"], 0) + 1
    orgs = reference.all_organizations(db)
    ranked = sorted(counts, key=lambda org: (-counts[org], org))
    return [orgs[org]["code"] for org in ranked]


def raise_limits(db: Database, code: str, per_hour: int = 1_000_000) -> None:
    for quota in QUOTAS:
        setup.set_limit(db, code, quota.name, per_hour)


def client_for(db: Database, contract: Contract, code: str, scope: str) -> ContractClient:
    client = make_client(db, contract)
    client.api_key = setup.create_key(db, code, scope)
    return client


@dataclass
class Shelters:
    """Two organizations of one database, each with a read and a write client."""

    db: Database
    a: str
    b: str
    listing_c: str  # a third organization, with the default limits
    read_a: ContractClient
    write_a: ContractClient
    read_b: ContractClient
    write_b: ContractClient

    def org_id(self, code: str) -> int:
        return setup.organization_id(self.db, code)

    def close(self) -> None:
        for client in (self.read_a, self.write_a, self.read_b, self.write_b):
            client.client.__exit__(None, None, None)


def shelters(db: Database, contract: Contract) -> Shelters:
    a, b, c = listing_codes(db)[:3]
    for code in (a, b):
        raise_limits(db, code)
    return Shelters(
        db,
        a,
        b,
        c,
        client_for(db, contract, a, "read"),
        client_for(db, contract, a, "write"),
        client_for(db, contract, b, "read"),
        client_for(db, contract, b, "write"),
    )


@pytest.fixture(scope="session")
def seeded(seeded_db: Database, pp_contract: Contract) -> Iterator[Shelters]:
    """Read-only tests over the shared seeded database."""
    found = shelters(seeded_db, pp_contract)
    yield found
    found.close()


@pytest.fixture
def fresh(fresh_db: Database, pp_contract: Contract) -> Iterator[Shelters]:
    """Tests that write: a small demo data set of their own."""
    setup.load_demo(fresh_db, 120, organizations=6)
    found = shelters(fresh_db, pp_contract)
    yield found
    found.close()


def pet_body(**overrides: Any) -> dict[str, Any]:
    """A valid create body (the write document's example)."""
    return {
        "name": "Max",
        "species": "dog",
        "age_category": "young",
        "sex": "male",
        "size": "medium",
        "status": "Available",
        "health": "good",
        "show_public": True,
        "breed": ["Labrador Retriever"],
        "good_with": ["families", "kids"],
        "temperaments": ["playful", "loyal"],
        "adoption_fee": 250,
        "custom_field_data": {"favorite_toy": "Tennis ball"},
        **overrides,
    }
