"""HTTP behaviour around the routes: CORS, health, unexpected failures, the served contract."""

from __future__ import annotations

import pytest
import yaml

from openpaws.dialects.petfinder import DIALECT as PETFINDER
from openpaws.services import animals
from tests.petfinder.helpers import PREFIX
from tests.support.api import ContractClient


def test_cors_preflight(api: ContractClient) -> None:
    response = api.client.options(
        f"{PREFIX}/animals",
        headers={
            "Origin": "https://shelter.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] in ("*", "https://shelter.example")
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


def test_cors_on_answers(api: ContractClient) -> None:
    response = api.get(f"{PREFIX}/types", headers={"Origin": "https://shelter.example"})
    assert response.headers["access-control-allow-origin"] in ("*", "https://shelter.example")
    assert "x-token-expires-in" in response.headers["access-control-expose-headers"].lower()


def test_health(api: ContractClient) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}


def test_contract_is_served(api: ContractClient) -> None:
    response = api.client.get(f"{PREFIX}/openapi.yaml")
    assert response.status_code == 200
    document = yaml.safe_load(response.text)
    assert document == yaml.safe_load(PETFINDER.contract.read_text())
    assert document["servers"] == [{"url": PREFIX}]


def test_unexpected_failure_is_an_err_500_problem(
    api: ContractClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(animals, "search_animals", explode)
    response = api.get(f"{PREFIX}/animals")
    assert response.status_code == 500
    problem = response.json()
    assert problem["type"].endswith("/ERR-500/")
    assert "boom" not in response.text


def test_wrong_method_is_a_405_problem(api: ContractClient) -> None:
    response = api.client.delete(f"{PREFIX}/animals")
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"


def test_unused_prefix_route(api: ContractClient) -> None:
    assert api.get(f"{PREFIX}/types").status_code == 200
