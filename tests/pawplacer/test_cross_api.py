"""One store, two APIs: what PawPlacer writes, Petfinder shows in its own words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from openpaws.storage.database import Database
from tests.conftest import make_client
from tests.pawplacer.conftest import PP, Shelters, pet_body
from tests.petfinder.helpers import PREFIX, authorize, petfinder_contract
from tests.support import reference
from tests.support.api import ContractClient


@pytest.fixture
def petfinder(fresh: Shelters) -> Iterator[ContractClient]:
    client = make_client(fresh.db, petfinder_contract())
    authorize(client, fresh.db)
    yield client
    client.client.__exit__(None, None, None)


def postcode(db: Database, code: str) -> str:
    return next(
        o["postcode"] for o in reference.all_organizations(db).values() if o["code"] == code
    )


def find(petfinder: ContractClient, name: str, **query: Any) -> list[dict[str, Any]]:
    page = petfinder.json(f"{PREFIX}/animals?{urlencode({'name': name, 'limit': 100, **query})}")
    return [a for a in page["animals"] if a["name"] == name]


def test_a_listed_pet_appears_in_petfinder_in_its_vocabulary(
    fresh: Shelters, petfinder: ContractClient
) -> None:
    pet = fresh.write_a.post(
        f"{PP}/api/pets",
        json=pet_body(
            name="Crossover Rex",
            age_category="youngest",
            size="xLarge",
            coat_length="wire",
            image_urls=["https://example.org/rex.jpg"],
        ),
    ).json()
    found = find(petfinder, "Crossover Rex", location=postcode(fresh.db, fresh.a), distance=10)
    assert len(found) == 1
    animal = found[0]
    assert (animal["type"], animal["age"], animal["size"], animal["gender"]) == (
        "Dog",
        "Baby",
        "Extra Large",
        "Male",
    )
    assert (animal["status"], animal["coat"], animal["organization_id"]) == (
        "adoptable",
        "Wire",
        fresh.a,
    )
    assert animal["breeds"]["primary"] == "Labrador Retriever"
    assert animal["environment"]["children"] is True
    assert animal["photos"][0]["full"] == "https://example.org/rex.jpg"
    assert animal["distance"] is not None and animal["distance"] < 10
    one = petfinder.json(f"{PREFIX}/animals/{animal['id']}")["animal"]
    assert one["name"] == "Crossover Rex"
    assert fresh.read_a.json(f"{PP}/api/pets/{pet['id']}")["name"] == "Crossover Rex"


def test_adopting_through_pawplacer_moves_it_to_adopted(
    fresh: Shelters, petfinder: ContractClient
) -> None:
    pet = fresh.write_a.post(f"{PP}/api/pets", json=pet_body(name="Adoptee Ace")).json()
    assert find(petfinder, "Adoptee Ace")
    patched = fresh.write_a.patch(f"{PP}/api/pets/{pet['id']}", json={"status": "Adopted"})
    assert patched.json()["status"] == "Adopted"
    assert find(petfinder, "Adoptee Ace") == []
    adopted = find(petfinder, "Adoptee Ace", status="adopted")
    assert [a["status"] for a in adopted] == ["adopted"]


@pytest.mark.parametrize("private", [{"show_public": False}, {"status": "On Hold"}])
def test_a_private_pet_never_appears(
    fresh: Shelters, petfinder: ContractClient, private: dict[str, Any]
) -> None:
    created = fresh.write_a.post(f"{PP}/api/pets", json=pet_body(name="Secret Sam", **private))
    assert created.status_code == 201
    for status in ("adoptable", "adoptable,adopted,found"):
        assert find(petfinder, "Secret Sam", status=status) == []
    listed = fresh.read_a.json(f"{PP}/api/pets?search=Secret%20Sam")
    assert listed["pets"] == [] and listed["total"] == 0
    assert fresh.read_a.get(f"{PP}/api/pets/{created.json()['id']}").status_code == 404


def test_a_change_shows_at_once_in_petfinder(fresh: Shelters, petfinder: ContractClient) -> None:
    pet = fresh.write_a.post(f"{PP}/api/pets", json=pet_body(name="Before Name")).json()
    animal_id = find(petfinder, "Before Name")[0]["id"]
    assert petfinder.json(f"{PREFIX}/animals/{animal_id}")["animal"]["name"] == "Before Name"
    fresh.write_a.patch(f"{PP}/api/pets/{pet['id']}", json={"name": "After Name"})
    assert petfinder.json(f"{PREFIX}/animals/{animal_id}")["animal"]["name"] == "After Name"
    assert find(petfinder, "After Name")[0]["id"] == animal_id
