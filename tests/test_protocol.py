"""The protocol details every dialect shares: Allow and OPTIONS, WWW-Authenticate, request ids,
idempotency keys bound to the whole request, body caps, bounded query strings, and throttled
authentication (per credential, per client address, behind a trusted proxy, and shared
through Redis)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import redis
from litestar.testing import TestClient

from openpaws.config import Settings
from openpaws.server import create_app
from openpaws.storage.database import Database
from tests.pawplacer.conftest import PP, listing_codes, pet_body, raise_limits
from tests.petfinder.helpers import PREFIX, grant
from tests.support import reference, setup
from tests.support.server import running_server

ORIGIN = {"Origin": "https://x.example"}
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class Served:
    db: Database
    client: TestClient[Any]
    key: str  # a PawPlacer write key
    creds: setup.ClientCredentials  # a Petfinder client
    pet: str  # one of the key's organization's pets

    def token(self) -> str:
        response = self.client.post(f"{PREFIX}/oauth2/token", data=grant(self.creds))
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])


def serve(db: Database, **settings: Any) -> Served:
    code = listing_codes(db)[0]
    raise_limits(db, code)
    org_id = setup.organization_id(db, code)
    pet = next(r for r in reference.all_animals(db) if r["organization_id"] == org_id)
    client = TestClient(create_app(Settings(**{"worker": False, **settings}), db))
    client.__enter__()
    creds = setup.create_client(db, "protocol")
    return Served(db, client, setup.create_key(db, code, "write"), creds, pet["uuid"])


@pytest.fixture
def served(fresh_db: Database) -> Iterator[Served]:
    setup.load_demo(fresh_db, 60, organizations=4)
    found = serve(fresh_db)
    yield found
    found.client.__exit__(None, None, None)


# --- Allow and OPTIONS ---


@pytest.mark.parametrize("entry", [{}, ORIGIN], ids=["thin path", "litestar"])
def test_a_405_names_the_methods_of_the_path(served: Served, entry: dict[str, str]) -> None:
    pets = served.client.delete(f"{PP}/api/pets", headers={"x-api-key": served.key, **entry})
    assert pets.status_code == 405
    assert pets.headers["allow"] == "GET, OPTIONS, POST"
    assert pets.json()["code"] == "method_not_allowed"
    pet = served.client.put(f"{PP}/api/pets/{served.pet}", headers=entry)
    assert (pet.status_code, pet.headers["allow"]) == (405, "GET, OPTIONS, PATCH")
    animals = served.client.post(f"{PREFIX}/animals", headers=entry)
    assert (animals.status_code, animals.headers["allow"]) == (405, "GET, OPTIONS")
    assert animals.headers["content-type"] == "application/problem+json"


def test_options_lists_every_method_of_the_path(served: Served) -> None:
    for path, methods in [
        (f"{PP}/api/pets", "GET, OPTIONS, POST"),
        (f"{PP}/api/pets/{served.pet}", "GET, OPTIONS, PATCH"),
        (f"{PP}/api/people", "OPTIONS, POST"),
        (f"{PREFIX}/oauth2/token", "OPTIONS, POST"),
        (f"{PREFIX}/animals/42", "GET, OPTIONS"),
    ]:
        response = served.client.options(path)
        assert (response.status_code, response.headers.get("allow")) == (204, methods), path


def test_a_cors_preflight_is_answered_and_counted(served: Served) -> None:
    preflight = {**ORIGIN, "Access-Control-Request-Method": "POST"}
    response = served.client.options(f"{PP}/api/pets", headers=preflight)
    assert response.status_code in (200, 204)
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["x-request-id"]
    before = counted(served, "OPTIONS", response.status_code)
    served.client.options(f"{PP}/api/pets", headers=preflight)
    assert counted(served, "OPTIONS", response.status_code) == before + 1


# --- WWW-Authenticate ---


def test_every_401_carries_the_dialects_challenge(served: Served) -> None:
    client = served.client
    missing = client.get(f"{PREFIX}/animals")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == 'Bearer realm="petfinder"'
    bad = client.get(f"{PREFIX}/animals", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == 'Bearer realm="petfinder", error="invalid_token"'
    wrong_secret = client.post(f"{PREFIX}/oauth2/token", data=grant(served.creds, "wrong"))
    assert wrong_secret.status_code == 401
    assert wrong_secret.headers["www-authenticate"].startswith("Basic ")
    keyless = client.get(f"{PP}/api/pets")
    assert keyless.status_code == 401
    assert keyless.headers["www-authenticate"] == 'ApiKey realm="pawplacer", header="x-api-key"'


# --- Request ids ---


def test_every_answer_carries_its_request_id_and_the_body_shows_the_same(served: Served) -> None:
    client = served.client
    for response in [
        client.get(f"{PP}/no/such/path"),
        client.get("/no/such/path"),
        client.delete(f"{PP}/api/pets"),
        client.get(f"{PP}/api/pets"),
        client.options(f"{PP}/api/pets"),
        client.get("/healthz"),
    ]:
        assert response.headers.get("x-request-id"), response.request.url
        if response.headers.get("content-type") == "application/json" and response.content:
            body = response.json()
            if "request_id" in body:
                assert body["request_id"] == response.headers["x-request-id"]


def counted(served: Served, method: str, status: int) -> float:
    """Requests of ``method`` answered ``status``, as /metrics counts them (every route)."""
    pattern = re.compile(
        rf'^openpaws_requests_total{{[^}}]*method="{method}"'
        rf'[^}}]*status_code="{status}"[^}}]*}} (\S+)$',
        re.MULTILINE,
    )
    return sum(float(v) for v in pattern.findall(served.client.get("/metrics").text))


def test_unknown_paths_and_wrong_methods_are_counted(served: Served) -> None:
    missing, wrong = counted(served, "GET", 404), counted(served, "DELETE", 405)
    assert served.client.get(f"{PP}/no/such/path").status_code == 404
    assert served.client.delete(f"{PREFIX}/animals").status_code == 405
    assert counted(served, "GET", 404) == missing + 1
    assert counted(served, "DELETE", 405) == wrong + 1


# --- Idempotency keys ---


def test_an_idempotency_key_is_bound_to_the_query_too(served: Served) -> None:
    headers = {"x-api-key": served.key, "Idempotency-Key": "person-1"}
    body = {"name": "Jane Smith", "email": "jane@example.com"}
    first = served.client.post(f"{PP}/api/people?type=adopter", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = served.client.post(f"{PP}/api/people?type=adopter", json=body, headers=headers)
    assert (again.status_code, again.headers.get("idempotency-replay")) == (201, "true")
    other = served.client.post(f"{PP}/api/people?type=foster", json=body, headers=headers)
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"


# --- Bodies and query strings ---


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"name": "'
    sent = 0
    while sent < size:
        yield b"x" * 65_536
        sent += 65_536
    yield b'"}'


@pytest.mark.parametrize("chunked", [False, True], ids=["with a length", "chunked"])
def test_a_body_past_the_cap_is_413_in_the_dialects_shape(served: Served, chunked: bool) -> None:
    size = 2 * 1024 * 1024
    content: Any = _chunks(size) if chunked else b"".join(_chunks(size))
    headers = {"x-api-key": served.key, "Content-Type": "application/json"}
    before = reference.all_animals(served.db)
    pawplacer = served.client.post(f"{PP}/api/pets", content=content, headers=headers)
    assert pawplacer.status_code == 413
    assert pawplacer.json()["code"] == "request_too_large"
    content = _chunks(size) if chunked else b"".join(_chunks(size))
    petfinder = served.client.post(
        f"{PREFIX}/oauth2/token", content=content, headers={"Content-Type": "application/json"}
    )
    assert petfinder.status_code == 413
    assert petfinder.headers["content-type"] == "application/problem+json"
    assert reference.all_animals(served.db) == before


def test_a_huge_query_string_is_refused_before_the_credential_is_read(served: Served) -> None:
    query = "&".join(f"p={i % 10}" for i in range(12_000))
    for headers in ({}, {"x-api-key": served.key}):
        response = served.client.get(f"{PP}/api/pets?{query}", headers=headers)
        assert response.status_code == 400
        assert response.json()["code"] == "validation_failed"
    response = served.client.get(f"{PREFIX}/animals?{query}")
    assert response.status_code == 400
    assert response.json()["invalid-params"][0]["in"] == "query"


def test_a_nul_byte_is_named_and_refused(served: Served) -> None:
    headers = {"x-api-key": served.key}
    search = served.client.get(f"{PP}/api/pets?search=ab%00c", headers=headers)
    assert search.status_code == 400
    assert search.json()["details"][0]["field"] == "search"
    pet = served.client.post(f"{PP}/api/pets", json=pet_body(name="a\x00b"), headers=headers)
    assert pet.status_code == 400
    assert pet.json()["details"][0]["field"] == "name"


# --- Authentication throttling ---


def test_a_credential_that_failed_ten_times_is_refused_even_with_its_secret(
    served: Served,
) -> None:
    client = served.client
    for _ in range(10):
        wrong = client.post(f"{PREFIX}/oauth2/token", data=grant(served.creds, "wrong"))
        assert wrong.status_code == 401
    right = client.post(f"{PREFIX}/oauth2/token", data=grant(served.creds))
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) >= 1
    assert right.headers["content-type"] == "application/problem+json"
    other = setup.create_client(served.db, "someone else")
    assert client.post(f"{PREFIX}/oauth2/token", data=grant(other)).status_code == 200


def test_an_address_is_throttled_after_its_failures_and_its_token_requests(
    fresh_db: Database,
) -> None:
    setup.load_demo(fresh_db, 30, organizations=4)
    served = serve(fresh_db, auth_failures_per_address=3, token_requests_per_address=4)
    try:
        client = served.client
        for number in range(3):
            response = client.get(f"{PP}/api/pets", headers={"x-api-key": f"opk_guess{number}"})
            assert response.status_code == 401
        refused = client.get(f"{PP}/api/pets", headers={"x-api-key": served.key})
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert "authentication attempts" in refused.json()["error"]
        assert int(refused.headers["retry-after"]) >= 1
        for _ in range(4):
            assert (
                client.post(f"{PREFIX}/oauth2/token", data=grant(served.creds)).status_code == 200
            )
        fifth = client.post(f"{PREFIX}/oauth2/token", data=grant(served.creds))
        assert fifth.status_code == 429
    finally:
        served.client.__exit__(None, None, None)


def test_missing_and_expired_credentials_are_no_guesses(fresh_db: Database) -> None:
    """A client without its key, or with a token that expired, is not guessing: busy honest
    clients meet both, and must not lock their address out."""
    setup.load_demo(fresh_db, 30, organizations=4)
    served = serve(fresh_db, auth_failures_per_address=3)
    try:
        client = served.client
        token = served.token()
        setup.expire_token(fresh_db, token)
        for _ in range(5):
            assert client.get(f"{PP}/api/pets").status_code == 401
            expired = client.get(f"{PREFIX}/animals", headers={"Authorization": f"Bearer {token}"})
            assert expired.status_code == 401
        assert client.get(f"{PP}/api/pets", headers={"x-api-key": served.key}).status_code == 200
    finally:
        served.client.__exit__(None, None, None)


def _sqlite_url(db: Database) -> str:
    if not db.is_sqlite:
        pytest.skip("a server process is started on a SQLite file here")
    return db.url


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(fresh_db: Database) -> None:
    url = _sqlite_url(fresh_db)
    setup.load_demo(fresh_db, 30, organizations=4)
    key = setup.create_key(fresh_db, listing_codes(fresh_db)[0], "read")
    env = {"OPENPAWS_AUTH_FAILURES_PER_ADDRESS": "2", "OPENPAWS_TRUSTED_PROXIES": "127.0.0.1"}
    with running_server(url, env=env) as (base, _):
        for _ in range(2):
            guess = {"x-api-key": "opk_guess", "X-Forwarded-For": "198.51.100.1, 203.0.113.5"}
            assert httpx.get(f"{base}{PP}/api/pets", headers=guess).status_code == 401
        throttled = {"x-api-key": key, "X-Forwarded-For": "203.0.113.5"}
        assert httpx.get(f"{base}{PP}/api/pets", headers=throttled).status_code == 429
        other = {"x-api-key": key, "X-Forwarded-For": "203.0.113.6"}
        assert httpx.get(f"{base}{PP}/api/pets", headers=other).status_code == 200


def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(fresh_db: Database) -> None:
    url = _sqlite_url(fresh_db)
    setup.load_demo(fresh_db, 30, organizations=4)
    key = setup.create_key(fresh_db, listing_codes(fresh_db)[0], "read")
    env = {"OPENPAWS_AUTH_FAILURES_PER_ADDRESS": "2"}
    with running_server(url, env=env) as (base, _):
        for number in range(2):
            guess = {"x-api-key": "opk_guess", "X-Forwarded-For": f"203.0.113.{number}"}
            assert httpx.get(f"{base}{PP}/api/pets", headers=guess).status_code == 401
        other = {"x-api-key": key, "X-Forwarded-For": "203.0.113.99"}
        assert httpx.get(f"{base}{PP}/api/pets", headers=other).status_code == 429


def test_with_redis_the_failures_are_counted_across_processes(fresh_db: Database) -> None:
    url = _sqlite_url(fresh_db)
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error})")
    setup.load_demo(fresh_db, 30, organizations=4)
    creds = setup.create_client(fresh_db, "shared")
    namespace = f"openpaws-test-{id(fresh_db)}"
    env = {"OPENPAWS_REDIS_URL": REDIS_URL, "OPENPAWS_RATE_LIMIT_NAMESPACE": namespace}
    with running_server(url, env=env) as (one, _), running_server(url, env=env) as (two, _):
        for number in range(10):
            base = one if number % 2 else two
            wrong = httpx.post(f"{base}{PREFIX}/oauth2/token", data=grant(creds, "wrong"))
            assert wrong.status_code == 401
        for base in (one, two):
            right = httpx.post(f"{base}{PREFIX}/oauth2/token", data=grant(creds))
            assert right.status_code == 429


# --- Serving ---


def test_serve_refuses_a_port_already_in_use(fresh_db: Database) -> None:
    url = _sqlite_url(fresh_db)
    with running_server(url) as (base, _):
        port = base.rsplit(":", 1)[1]
        second = subprocess.run(
            [sys.executable, "-m", "openpaws", "serve", "--port", port],
            env={"OPENPAWS_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert f"Cannot listen on 127.0.0.1:{port}" in second.stdout
        assert httpx.get(f"{base}/healthz").status_code == 200


def test_the_root_lists_the_apis_served(served: Served) -> None:
    found = served.client.get("/")
    assert found.status_code == 200
    apis = {api["name"]: api for api in found.json()["apis"]}
    assert apis["petfinder"]["base_url"].endswith("/petfinder/v2")
    assert apis["pawplacer"]["contract"].endswith("/pawplacer/openapi.yaml")
    contract = served.client.get(httpx.URL(apis["petfinder"]["contract"]).path)
    assert contract.status_code == 200


# --- Found by probing a running server ---


def test_pet_fields_are_read_strictly(served: Served) -> None:
    code = listing_codes(served.db)[0]
    setup.add_field(served.db, code, "pet", "years", "Years", "number")
    setup.add_field(served.db, code, "pet", "toy", "Toy", "text")
    headers = {"x-api-key": served.key}
    ounces = served.client.post(f"{PP}/api/pets", json=pet_body(weight="5 ounces"), headers=headers)
    assert ounces.status_code == 201, ounces.text
    for field, value in [
        ("adoption_fee", "5_0"),
        ("adoption_fee", "1E+2"),
        ("adoption_fee", "-0"),
        ("adoption_fee", "\u0661\u0662"),
        ("custom_field_data", {"years": "NaN"}),
        ("custom_field_data", {"years": "1_000"}),
        ("custom_field_data", {"years": "\u0661\u0662"}),
        ("custom_field_data", {"years": 1e300}),
        ("custom_field_data", {"toy": "x" * 1_001}),
        ("name", "two\nlines"),
    ]:
        body = {k: v for k, v in pet_body(**{field: value}).items() if k != "custom_field_data"}
        if field == "custom_field_data":
            body[field] = value
        refused = served.client.post(f"{PP}/api/pets", json=body, headers=headers)
        assert refused.status_code == 400, (field, value, refused.text)
    fee = {k: v for k, v in pet_body(adoption_fee=-0.0).items() if k != "custom_field_data"}
    zero = served.client.post(f"{PP}/api/pets", json=fee, headers=headers)
    assert zero.status_code == 201 and zero.json()["adoption_fee"] == "0.0", zero.text


def test_an_idempotency_key_must_be_printable_ascii(served: Served) -> None:
    body = {k: v for k, v in pet_body().items() if k != "custom_field_data"}
    accented = {"x-api-key": served.key, "Idempotency-Key": "caf\u00e9".encode("latin-1")}
    response = served.client.post(f"{PP}/api/pets", json=body, headers=accented)
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "Idempotency-Key"


def test_a_token_request_is_small(served: Served) -> None:
    form = grant(served.creds) | {"padding": "x" * 20_000}
    response = served.client.post(f"{PREFIX}/oauth2/token", data=form)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_coordinates_are_ascii_digits(served: Served) -> None:
    token = served.token()
    response = served.client.get(
        f"{PREFIX}/animals?location=%D9%A4%D9%A3,-%D9%A7%D9%A7",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.json()["invalid-params"][0]["path"] == "location"


def test_metrics_name_only_the_methods_http_defines(served: Served) -> None:
    before = counted(served, "OTHER", 405)
    for word in ("MXYZ1", "MXYZ2", "MXYZ3"):
        assert served.client.request(word, f"{PP}/api/pets").status_code == 405
    assert "MXYZ" not in served.client.get("/metrics").text
    assert counted(served, "OTHER", 405) == before + 3


def _raw(base: str, request: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)  # with Connection: close, the server ends the answer
        found = b""
        while chunk := connection.recv(65536):
            found += chunk
    return found


def test_malformed_bodies_and_repeated_credentials_are_answered_in_the_dialects_shape(
    fresh_db: Database,
) -> None:
    url = _sqlite_url(fresh_db)
    setup.load_demo(fresh_db, 30, organizations=4)
    key = setup.create_key(fresh_db, listing_codes(fresh_db)[0], "write")
    with running_server(url) as (base, _):
        head = f"POST {PP}/api/pets HTTP/1.1\r\nHost: x\r\nx-api-key: {key}\r\n"
        head += "Content-Type: application/json\r\nConnection: close\r\n"
        chunked = _raw(
            base, (head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n").encode()
        )
        assert chunked.startswith(b"HTTP/1.1 400"), chunked[:200]
        assert b'"code":"bad_request"' in chunked
        read = setup.create_key(fresh_db, listing_codes(fresh_db)[0], "read")
        twice = f"GET {PP}/api/pets HTTP/1.1\r\nHost: x\r\nx-api-key: {read}\r\n"
        twice += f"x-api-key: {key}\r\nConnection: close\r\n\r\n"
        refused = _raw(base, twice.encode())
        assert refused.startswith(b"HTTP/1.1 400"), refused[:200]
        assert b'"field":"x-api-key"' in refused
        declared = head + "Content-Length: 2000000\r\nExpect: 100-continue\r\n\r\n"
        large = _raw(base, declared.encode())
        assert large.startswith(b"HTTP/1.1 413"), large[:200]
        assert b'"code":"request_too_large"' in large
