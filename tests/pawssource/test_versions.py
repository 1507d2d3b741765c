"""The version is in the path; ``Api-Version`` is the fallback for unversioned paths; v1 is
retired (410 with ``Sunset``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.pawssource.conftest import PS, Accounts
from tests.support.contract import Contract


def send(accounts: Accounts, path: str, **headers: str) -> httpx.Response:
    client = accounts.owner
    auth = {"Authorization": f"Bearer {client.token}"}
    response: httpx.Response = client.client.get(path, headers={**auth, **headers})
    return response


def in_envelope(contract: Contract, body: Any) -> None:
    errors = list(contract.validator("/components/schemas/Error").iter_errors(body))
    assert not errors, errors[0]


def test_v1_is_gone_with_its_sunset(seeded: Accounts, ps_contract: Contract) -> None:
    response = send(seeded, "/pawssource/v1/pets")
    assert response.status_code == 410
    assert response.headers["Sunset"] == "Wed, 31 Dec 2025 23:59:59 GMT"
    assert 'rel="sunset"' in response.headers["Link"]
    assert response.json()["error"]["code"] == "version_sunset"
    in_envelope(ps_contract, response.json())


@pytest.mark.parametrize("version", ["2", "v2", "2.0", "V2"])
def test_the_header_serves_unversioned_paths(seeded: Accounts, version: str) -> None:
    fallback = send(seeded, "/pawssource/pets?limit=3", **{"Api-Version": version})
    assert fallback.status_code == 200, fallback.text
    assert fallback.json() == send(seeded, f"{PS}/pets?limit=3").json()


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/pawssource/pets", {}),
        ("/pawssource/pets", {"Api-Version": "3"}),
        (f"{PS}/pets", {"Api-Version": "1"}),
    ],
)
def test_a_missing_or_disagreeing_version_is_400(
    seeded: Accounts, ps_contract: Contract, path: str, headers: dict[str, str]
) -> None:
    response = send(seeded, path, **headers)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert [d["field"] for d in error["details"]] == ["Api-Version"]
    in_envelope(ps_contract, response.json())


def test_cors_preflights_allow_the_seeds_headers(seeded: Accounts) -> None:
    response = seeded.owner.client.options(
        f"{PS}/pets",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "DELETE",
            "Access-Control-Request-Headers": "Authorization, Api-Version, Idempotency-Key",
        },
    )
    assert response.status_code in (200, 204), response.text
    allowed = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "api-version", "idempotency-key"} <= {
        h.strip() for h in allowed.split(",")
    }
    assert "DELETE" in response.headers["access-control-allow-methods"]
