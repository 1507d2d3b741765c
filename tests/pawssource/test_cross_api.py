"""One store, three APIs: a shelter's pets are the same records through Paws Source, PawPlacer
and Petfinder; a pet owner's are never listed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from openpaws.dialects.pawplacer import DIALECT
from openpaws.storage.tables import outbox_events
from tests.conftest import make_client
from tests.pawplacer.conftest import PP, pet_body, raise_limits
from tests.pawplacer.conftest import client_for as pawplacer_client
from tests.pawssource.conftest import PS, Accounts, row_id
from tests.petfinder.helpers import PREFIX, authorize, petfinder_contract
from tests.support import reference
from tests.support.api import ContractClient
from tests.support.contract import Contract


@pytest.fixture
def pawplacer(fresh: Accounts) -> Iterator[ContractClient]:
    raise_limits(fresh.db, fresh.shelter)
    contract = Contract(DIALECT.contract, "urn:openpaws:pawplacer", PP)
    client = pawplacer_client(fresh.db, contract, fresh.shelter, "write")
    yield client
    client.client.__exit__(None, None, None)


@pytest.fixture
def petfinder(fresh: Accounts) -> Iterator[ContractClient]:
    client = make_client(fresh.db, petfinder_contract())
    authorize(client, fresh.db)
    yield client
    client.client.__exit__(None, None, None)


def events(fresh: Accounts, subject: str) -> list[Any]:
    with fresh.db.engine.connect() as conn:
        return list(
            conn.execute(select(outbox_events).where(outbox_events.c.subject == subject)).all()
        )


def test_a_pawplacer_pet_is_a_paws_source_pet_created_for_the_shelter(
    fresh: Accounts, pawplacer: ContractClient
) -> None:
    made = pawplacer.post(f"{PP}/api/pets", json=pet_body(name="Crossover"))
    assert made.status_code == 201, made.text
    uuid = made.json()["id"]
    newest = fresh.shelter_client.json(f"{PS}/pets?limit=1")["data"][0]
    assert newest["name"] == "Crossover" and newest["species"] == "canine"
    row = next(r for r in reference.all_animals(fresh.db) if r["uuid"] == uuid)
    assert row_id(fresh.db, newest["id"]) == row["id"]
    created = [e for e in events(fresh, uuid) if e.event_type == "animal.created"]
    assert len(created) == 1 and created[0].organization_id == row["organization_id"]


def test_a_paws_source_pet_published_through_pawplacer_is_in_petfinder(
    fresh: Accounts, pawplacer: ContractClient, petfinder: ContractClient
) -> None:
    pet = fresh.shelter_client.post(
        f"{PS}/pets", json={"name": "Zephyrine", "species": "feline", "breed": "Siamese"}
    ).json()["data"]
    row = next(r for r in reference.all_animals(fresh.db) if r["id"] == row_id(fresh.db, pet["id"]))
    hidden = petfinder.json(f"{PREFIX}/animals?name=Zephyrine")["animals"]
    assert hidden == []
    published = pawplacer.patch(
        f"{PP}/api/pets/{row['uuid']}",
        json={"show_public": True, "age_category": "adult", "size": "small", "sex": "female"},
    )
    assert published.status_code == 200, published.text
    shown = petfinder.json(f"{PREFIX}/animals?name=Zephyrine")["animals"]
    assert [a["id"] for a in shown] == [row["id"]]
    assert shown[0]["type"] == "Cat" and shown[0]["age"] == "Adult"
    assert fresh.shelter_client.json(f"{PS}/pets/{pet['id']}")["data"]["name"] == "Zephyrine"


def test_a_pet_owners_pet_is_never_listed(
    fresh: Accounts, pawplacer: ContractClient, petfinder: ContractClient
) -> None:
    pet = fresh.owner.post(f"{PS}/pets", json={"name": "Homebody", "species": "canine"}).json()[
        "data"
    ]
    row = next(r for r in reference.all_animals(fresh.db) if r["id"] == row_id(fresh.db, pet["id"]))
    assert row["public_status"] is None and row["status"] == "owned"
    assert petfinder.json(f"{PREFIX}/animals?name=Homebody")["animals"] == []
    assert petfinder.get(f"{PREFIX}/animals/{row['id']}").status_code == 404
    assert pawplacer.get(f"{PP}/api/pets/{row['uuid']}").status_code == 404
