"""The seed documents' examples: they satisfy the contract, and live payloads match them."""

from __future__ import annotations

import pytest

from tests.pawplacer.conftest import PP, Shelters, pet_body
from tests.support import examples
from tests.support.contract import Contract

# example file -> (method, contract path, status)
DOCUMENTED = {
    "pets-list.json": ("GET", "/api/pets", 200),
    "pets-custom-fields.json": ("GET", "/api/pets/custom-fields", 200),
    "person-created.json": ("POST", "/api/people", 201),
    "error-api-key-required.json": ("GET", "/api/pets", 401),
    "error-pet-not-found.json": ("GET", "/api/pets/{petId}", 404),
    "error-read-rate-limited.json": ("GET", "/api/pets", 429),
    "error-validation-failed.json": ("POST", "/api/pets", 400),
    "error-malformed-json.json": ("POST", "/api/pets", 400),
    "error-unsupported-content-type.json": ("POST", "/api/pets", 400),
    "error-empty-body.json": ("POST", "/api/pets", 400),
    "error-insufficient-scope.json": ("POST", "/api/pets", 403),
    "error-idempotency-conflict.json": ("POST", "/api/pets", 409),
    "error-write-rate-limited.json": ("POST", "/api/pets", 429),
}
# The write document's create example lacks seven keys that the read API (and the official
# SDK) require of every pet; OpenPaws answers creates with the full pet, so it is checked for
# its keys against a live answer instead of against the contract.
PARTIAL = {"pet-created.json"}


def test_every_example_is_covered() -> None:
    names = {p.name for p in (examples.EXAMPLES / "pawplacer").glob("*.json")}
    assert names == set(DOCUMENTED) | PARTIAL


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_example_satisfies_the_contract(pp_contract: Contract, name: str) -> None:
    method, path, status = DOCUMENTED[name]
    pointer = pp_contract.schema_pointer(path, method, status, "application/json")
    errors = list(pp_contract.validator(pointer).iter_errors(examples.load("pawplacer", name)))
    assert not errors, errors[0]


def test_live_payloads_hold_every_documented_key(fresh: Shelters) -> None:
    created = fresh.write_a.post(f"{PP}/api/pets", json=pet_body(custom_id="EXT-1001"))
    live = {
        "pet-created.json": created.json(),
        "pets-list.json": fresh.read_a.json(f"{PP}/api/pets?limit=3"),
        "pets-custom-fields.json": fresh.read_a.json(f"{PP}/api/pets/custom-fields"),
        "error-api-key-required.json": fresh.read_a.get(f"{PP}/api/pets", auth=False).json(),
        "error-malformed-json.json": fresh.write_a.post(
            f"{PP}/api/pets", content=b"{", headers={"Content-Type": "application/json"}
        ).json(),
        "error-insufficient-scope.json": fresh.read_a.post(
            f"{PP}/api/pets", json=pet_body()
        ).json(),
    }
    for name, payload in live.items():
        problems = examples.missing_or_mistyped(examples.load("pawplacer", name), payload)
        assert not problems, f"{name}: {problems}"
