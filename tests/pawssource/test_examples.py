"""The seed's examples: they satisfy the contract, and live payloads hold every key of them."""

from __future__ import annotations

import pytest

from tests.pawssource.conftest import PS, Accounts
from tests.support import examples
from tests.support.contract import Contract

# example file -> (method, contract path, status) of the answer it shows
ANSWERS = {
    "pets-list.json": ("GET", "/pets", 200),
    "error-validation-failed.json": ("POST", "/pets", 422),
}


# example file -> the contract path of the operation whose request body it shows
REQUESTS = {"appointment-request.json": "/appointments"}


def test_every_example_is_covered() -> None:
    names = {p.name for p in (examples.EXAMPLES / "pawssource").glob("*.json")}
    assert names == set(ANSWERS) | set(REQUESTS)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_request_example_satisfies_the_contract(ps_contract: Contract, name: str) -> None:
    escaped = REQUESTS[name].replace("/", "~1")
    pointer = f"/paths/{escaped}/post/requestBody/content/application~1json/schema"
    errors = list(ps_contract.validator(pointer).iter_errors(examples.load("pawssource", name)))
    assert not errors, errors[0]


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_example_satisfies_the_contract(ps_contract: Contract, name: str) -> None:
    method, path, status = ANSWERS[name]
    pointer = ps_contract.schema_pointer(path, method, status, "application/json")
    errors = list(ps_contract.validator(pointer).iter_errors(examples.load("pawssource", name)))
    assert not errors, errors[0]


def test_live_payloads_hold_every_key_of_the_examples(fresh: Accounts) -> None:
    for _ in range(3):
        fresh.owner.post(f"{PS}/pets", json={"name": "Buster", "species": "canine"})
    live = {
        "pets-list.json": fresh.owner.json(f"{PS}/pets?limit=2"),
        "error-validation-failed.json": fresh.owner.post(
            f"{PS}/pets", json={"name": "Buster", "species": "canine", "date_of_birth": "x"}
        ).json(),
    }
    for name, payload in live.items():
        problems = examples.missing_or_mistyped(examples.load("pawssource", name), payload)
        assert not problems, f"{name}: {problems}"
