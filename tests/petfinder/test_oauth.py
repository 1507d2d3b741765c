"""The OAuth2 client-credentials flow and bearer token checks."""

from __future__ import annotations

import base64

import pytest

from openpaws.storage.database import Database
from tests.petfinder.helpers import PREFIX, grant
from tests.support import setup
from tests.support.api import ContractClient

TOKEN_URL = f"{PREFIX}/oauth2/token"


@pytest.fixture
def creds(fresh_db: Database) -> setup.ClientCredentials:
    return setup.create_client(fresh_db, "oauth tests")


def _assert_token(response_json: dict[str, object]) -> str:
    assert response_json["token_type"] == "Bearer"
    assert response_json["expires_in"] == 3600
    token = response_json["access_token"]
    assert isinstance(token, str) and len(token) >= 32
    return token


@pytest.mark.parametrize("path", [TOKEN_URL, TOKEN_URL + "/"])
def test_form_body_gives_a_working_token(
    fresh_api: ContractClient, creds: setup.ClientCredentials, path: str
) -> None:
    response = fresh_api.post(
        path,
        auth=False,
        content=f"grant_type=client_credentials&client_id={creds.client_id}"
        f"&client_secret={creds.client_secret}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    token = _assert_token(response.json())
    types = fresh_api.get(f"{PREFIX}/types", headers={"Authorization": f"Bearer {token}"})
    assert types.status_code == 200
    assert 3590 <= int(types.headers["X-Token-Expires-In"]) <= 3600


def test_json_body(fresh_api: ContractClient, creds: setup.ClientCredentials) -> None:
    response = fresh_api.post(
        TOKEN_URL,
        auth=False,
        json=grant(creds),
    )
    assert response.status_code == 200
    _assert_token(response.json())


def test_basic_auth_credentials(fresh_api: ContractClient, creds: setup.ClientCredentials) -> None:
    basic = base64.b64encode(f"{creds.client_id}:{creds.client_secret}".encode()).decode()
    response = fresh_api.post(
        TOKEN_URL,
        auth=False,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200
    _assert_token(response.json())


@pytest.mark.parametrize(
    "body",
    [
        {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"},
        {"grant_type": "client_credentials"},
        {"grant_type": "client_credentials", "client_id": "", "client_secret": ""},
    ],
)
def test_bad_credentials_are_invalid_client(
    fresh_api: ContractClient, body: dict[str, str]
) -> None:
    response = fresh_api.post(TOKEN_URL, auth=False, data=body)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["title"] == "invalid_client"
    assert problem["status"] == 401
    assert problem["type"].endswith("/ERR-401/")


def test_wrong_secret_is_invalid_client(
    fresh_api: ContractClient, creds: setup.ClientCredentials
) -> None:
    response = fresh_api.post(
        TOKEN_URL,
        auth=False,
        data=grant(creds, creds.client_secret + "x"),
    )
    assert response.status_code == 401
    assert response.json()["title"] == "invalid_client"


def test_missing_grant_type_is_a_missing_parameter(
    fresh_api: ContractClient, creds: setup.ClientCredentials
) -> None:
    response = fresh_api.post(
        TOKEN_URL, auth=False, data={"client_id": creds.client_id, "client_secret": "x"}
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"].endswith("/ERR-00001/")
    assert problem["invalid-params"] == [
        {"in": "body", "path": "grant_type", "message": "grant_type is required."}
    ]


def test_other_grant_types_are_refused(fresh_api: ContractClient) -> None:
    response = fresh_api.post(TOKEN_URL, auth=False, data={"grant_type": "password"})
    assert response.status_code == 400
    assert response.json()["title"] == "unsupported_grant_type"


def test_malformed_json_body(fresh_api: ContractClient) -> None:
    response = fresh_api.post(
        TOKEN_URL, auth=False, content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["invalid-params"][0]["path"] == "body"


ROUTES = [
    "/animals",
    "/animals/1",
    "/types",
    "/types/dog",
    "/types/dog/breeds",
    "/organizations",
    "/organizations/XX1",
]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer not-a-token", "Basic abc", "bearer "]
)
def test_every_route_needs_a_valid_token(
    fresh_api: ContractClient, route: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = fresh_api.get(PREFIX + route, auth=False, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"] == "Access token invalid or expired"


def test_expired_token_is_refused(fresh_api: ContractClient, fresh_db: Database) -> None:
    assert fresh_api.get(f"{PREFIX}/types").status_code == 200
    setup.expire_token(fresh_db, fresh_api.token or "")
    response = fresh_api.get(f"{PREFIX}/types")
    assert response.status_code == 401
    assert response.json()["detail"] == "Access token invalid or expired"


def test_secrets_and_tokens_are_stored_only_as_hashes(
    fresh_api: ContractClient, fresh_db: Database, creds: setup.ClientCredentials
) -> None:
    token = _assert_token(fresh_api.post(TOKEN_URL, auth=False, data=grant(creds)).json())
    with fresh_db.engine.connect() as conn:
        dump = " ".join(
            str(value)
            for table in ("oauth_clients", "access_tokens")
            for row in conn.exec_driver_sql(f"SELECT * FROM {table}")
            for value in row
        )
    assert creds.client_secret not in dump
    assert token not in dump
    assert setup.hash_secret(creds.client_secret) in dump
    assert setup.hash_secret(token) in dump


def test_oversized_token_request_is_a_413_problem(fresh_api: ContractClient) -> None:
    response = fresh_api.client.post(
        TOKEN_URL,
        content=b"grant_type=" + b"x" * (11 * 1024 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
