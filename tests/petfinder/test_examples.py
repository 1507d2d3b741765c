"""The seed document's examples: they satisfy the contract, and live payloads match them."""

from __future__ import annotations

from typing import Any

import pytest

from openpaws.storage.database import Database
from tests.petfinder.helpers import PREFIX, grant
from tests.support import examples, reference, setup
from tests.support.api import ContractClient
from tests.support.contract import Contract

# example file -> (method, contract path, status, media type)
DOCUMENTED = {
    "animal.json": ("GET", "/animals/{id}", 200, "application/json"),
    "animals-page-2.json": ("GET", "/animals", 200, "application/json"),
    "animals-with-location.json": ("GET", "/animals", 200, "application/json"),
    "breeds.json": ("GET", "/types/{type}/breeds", 200, "application/json"),
    "type.json": ("GET", "/types/{type}", 200, "application/json"),
    "types.json": ("GET", "/types", 200, "application/json"),
    "organization.json": ("GET", "/organizations/{id}", 200, "application/json"),
    "organizations.json": ("GET", "/organizations", 200, "application/json"),
    "token.json": ("POST", "/oauth2/token", 200, "application/json"),
    "error-invalid-params.json": ("GET", "/animals", 400, "application/problem+json"),
}


def test_every_example_is_covered() -> None:
    assert sorted(p.name for p in (examples.EXAMPLES / "petfinder").glob("*.json")) == sorted(
        DOCUMENTED
    )


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_example_satisfies_the_contract(contract: Contract, name: str) -> None:
    method, path, status, media = DOCUMENTED[name]
    validator = contract.validator(contract.schema_pointer(path, method, status, media))
    errors = list(validator.iter_errors(examples.load("petfinder", name)))
    assert not errors, errors[0]


@pytest.fixture(scope="module")
def rich_animal_id(seeded_db: Database) -> int:
    """An adoptable animal with photos, three colors and a coat, so no example key is null."""
    return next(
        r["id"]
        for r in reference.all_animals(seeded_db)
        if r["public_status"] == "available" and r["photos"] and r["color_tertiary"] and r["coat"]
    )


def live_payloads(
    api: ContractClient, animal_id: int, org_code: str, zip_code: str
) -> dict[str, Any]:
    return {
        "animal.json": api.json(f"{PREFIX}/animals/{animal_id}"),
        "animals-page-2.json": api.json(f"{PREFIX}/animals?type=dog&page=2"),
        "animals-with-location.json": api.json(f"{PREFIX}/animals?location={zip_code}&limit=3"),
        "breeds.json": api.json(f"{PREFIX}/types/dog/breeds"),
        "type.json": api.json(f"{PREFIX}/types/dog"),
        "types.json": api.json(f"{PREFIX}/types"),
        "organization.json": api.json(f"{PREFIX}/organizations/{org_code}"),
        "organizations.json": api.json(f"{PREFIX}/organizations?limit=3"),
        "error-invalid-params.json": api.get(f"{PREFIX}/animals?type=test").json(),
    }


def test_live_payloads_hold_every_documented_key(
    api: ContractClient, seeded_db: Database, rich_animal_id: int
) -> None:
    orgs = [o for o in reference.all_organizations(seeded_db).values() if o["kind"] == "shelter"]
    live = live_payloads(api, rich_animal_id, orgs[0]["code"], orgs[0]["postcode"])
    for name, payload in live.items():
        problems = examples.missing_or_mistyped(examples.load("petfinder", name), payload)
        assert not problems, f"{name}: {problems}"


def test_animal_has_every_field_of_the_real_api(api: ContractClient, rich_animal_id: int) -> None:
    animal = api.json(f"{PREFIX}/animals/{rich_animal_id}")["animal"]
    assert set(animal) >= {
        "id",
        "organization_id",
        "url",
        "type",
        "species",
        "breeds",
        "colors",
        "age",
        "gender",
        "size",
        "coat",
        "attributes",
        "environment",
        "tags",
        "name",
        "description",
        "organization_animal_id",
        "photos",
        "primary_photo_cropped",
        "videos",
        "status",
        "status_changed_at",
        "published_at",
        "distance",
        "contact",
        "_links",
    }
    assert set(animal["photos"][0]) == {"small", "medium", "large", "full"}
    assert animal["primary_photo_cropped"] == animal["photos"][0]
    for link in animal["_links"].values():
        assert link["href"].startswith(PREFIX)
        assert api.get(link["href"]).status_code == 200


def test_token_example_keys(fresh_api: ContractClient, fresh_db: Database) -> None:
    creds = setup.create_client(fresh_db, "examples")
    token = fresh_api.post(f"{PREFIX}/oauth2/token", auth=False, data=grant(creds)).json()
    assert not examples.missing_or_mistyped(examples.load("petfinder", "token.json"), token)
