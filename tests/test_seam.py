"""The dialect seam: a new dialect plugs in without touching another, and every route answers
the same through the thin path (a request without ``Origin``) as through Litestar (the same
request with one).

The first half registers a small dialect of the tests' own, "echo", for the length of a test:
its routes, auth scheme, presenter, contract and CORS headers are all its own, and the server,
the configuration and the other dialects learn of it only through the registry. The second half
sends real requests of both served dialects once plainly and once with an ``Origin`` header and
compares the answers.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar.testing import TestClient

from openpaws.config import Settings
from openpaws.dialects import asgi, registry
from openpaws.dialects.pipeline import Call, Mounted, Reply, Route
from openpaws.domain.errors import OpenPawsError, Unauthenticated
from openpaws.observability import BatchedStreamHandler
from openpaws.platform.principals import AccountKind, Credential, CredentialKind, Principal, Scope
from openpaws.server import create_app
from openpaws.storage.database import Database
from tests.conftest import make_client
from tests.pawplacer.conftest import PP, client_for, listing_codes, pet_body, raise_limits
from tests.petfinder.helpers import PREFIX, authorize, grant, petfinder_contract
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract

ORIGIN = {"Origin": "https://x.example"}
# The two entries: a plain request takes the thin path, one with an Origin goes through Litestar.
ENTRIES: list[dict[str, str]] = [{}, ORIGIN]

# --- A dialect of the tests' own ---

ECHO = "/echo/v1"
ECHO_TOKEN = "sesame"  # may read
GUEST_TOKEN = "guest"  # authenticates, may do nothing
ECHO_ACCOUNT = 7
ECHO_CONTRACT = """\
openapi: 3.1.0
info:
  title: Echo
  version: 0.0.1
paths:
  /hello:
    get:
      responses:
        "200":
          description: A greeting
  /whoami/{word}:
    get:
      responses:
        "200":
          description: The caller and the word
"""


class EchoToken:
    """The echo dialect's own credential: a constant token in ``X-Echo-Token``."""

    headers = frozenset({"x-echo-token"})

    def presented(self, call: Call) -> str:
        return call.headers.get("x-echo-token", "")

    def challenge(self, call: Call, error: Unauthenticated) -> str:
        return "EchoToken"

    def authenticate(self, call: Call, dialect: str) -> Principal:
        token = call.headers.get("x-echo-token")
        if token not in (ECHO_TOKEN, GUEST_TOKEN):
            raise Unauthenticated("An echo token is required.")
        scopes = frozenset({Scope.ANIMALS_READ}) if token == ECHO_TOKEN else frozenset()
        credential = Credential(CredentialKind.ACCESS_TOKEN, 1, dialect)
        return Principal(AccountKind.APPLICATION, ECHO_ACCOUNT, credential, scopes)


class EchoPresenter:
    """Successes carry ``X-Echo``; every error is ``{"oops": code}``."""

    def __init__(self, shape: str = "oops") -> None:
        self.shape = shape

    def success(self, call: Call, status: int, body: bytes, headers: Mapping[str, str]) -> Reply:
        return Reply(status, body, {**headers, "X-Echo": "yes"})

    def replay(self, call: Call, status: int, body: bytes) -> Reply:
        return self.success(call, status, body, {})

    def failure(self, call: Call, error: OpenPawsError) -> Reply:
        return Reply(error.status, msgspec.json.encode({self.shape: error.code}))


def _hello(call: Call) -> dict[str, str]:
    return {"hello": call.query.get("name", "world")}


def _whoami(call: Call) -> dict[str, Any]:
    principal = call.require_principal()
    return {
        "word": call.params["word"],
        "account": principal.account_id,
        "dialect": principal.credential.dialect,
    }


def _echo_routes(_mounted: Mounted) -> list[Route]:
    return [
        Route("GET", "/hello", _hello),
        Route("GET", "/whoami/{word}", _whoami, scope=Scope.ANIMALS_READ),
    ]


def echo_dialect(contract: Path, name: str = "echo", prefix: str = ECHO) -> registry.Dialect:
    return registry.Dialect(
        name=name,
        title=f"{name.title()} test API",
        prefix=prefix,
        routes=_echo_routes,
        presenter=lambda _mounted: EchoPresenter(),
        contract=contract,
        auth=EchoToken(),
        cors=registry.Cors(allow_headers=("X-Echo-Token",), expose_headers=("X-Echo",)),
    )


@pytest.fixture
def echo_contract(tmp_path: Path) -> Path:
    path = tmp_path / "echo-openapi.yaml"
    path.write_text(ECHO_CONTRACT)
    return path


@pytest.fixture
def echo(monkeypatch: pytest.MonkeyPatch, echo_contract: Path) -> registry.Dialect:
    """The echo dialect, registered for this test only (discovery has run first, so the real
    dialects are registered too)."""
    registry.dialects()
    dialect = echo_dialect(echo_contract)
    monkeypatch.setitem(registry._REGISTERED, dialect.name, dialect)
    return dialect


@pytest.fixture
def thin_hits(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, bool]]:
    """Every request the thin path looked at: (method, path, whether it took it)."""
    seen: list[tuple[str, str, bool]] = []
    match = asgi.ThinPath.match

    def spy(self: asgi.ThinPath, method: str, path: str) -> Any:
        found = match(self, method, path)
        seen.append((method, path, found is not None))
        return found

    monkeypatch.setattr(asgi.ThinPath, "match", spy)
    return seen


def app_client(db: Database) -> TestClient[Any]:
    return TestClient(create_app(Settings(worker=False), db))


def exposed(response: httpx.Response) -> set[str]:
    value = response.headers.get("access-control-expose-headers", "")
    return {h.strip().lower() for h in value.split(",") if h.strip()}


def assert_cors(response: httpx.Response, headers: Mapping[str, str]) -> None:
    """With an Origin, the answer carries CORS headers (the echo dialect's among them);
    without, none."""
    if headers:
        assert response.headers.get("access-control-allow-origin") in ("*", ORIGIN["Origin"])
        assert "x-echo" in exposed(response)
    else:
        assert not [h for h in response.headers if h.startswith("access-control-")]


@pytest.fixture
def echo_app(echo: registry.Dialect, fresh_db: Database) -> Iterator[TestClient[Any]]:
    """An app over an empty database, serving the echo dialect beside the real ones."""
    with app_client(fresh_db) as client:
        yield client


def test_echo_routes_answer_under_their_prefix(
    echo_app: TestClient[Any], thin_hits: list[tuple[str, str, bool]]
) -> None:
    for headers in ENTRIES:
        thin_hits.clear()
        hello = echo_app.get(f"{ECHO}/hello?name=paws", headers=headers)
        assert hello.status_code == 200, hello.text
        assert hello.json() == {"hello": "paws"}
        assert hello.headers["x-echo"] == "yes"
        assert hello.headers["content-type"].startswith("application/json")
        assert_cors(hello, headers)

        token = {**headers, "X-Echo-Token": ECHO_TOKEN}
        me = echo_app.get(f"{ECHO}/whoami/ferret", headers=token)
        assert me.status_code == 200, me.text
        assert me.json() == {"word": "ferret", "account": ECHO_ACCOUNT, "dialect": "echo"}
        assert me.headers["x-echo"] == "yes"
        assert_cors(me, headers)

        # Plain requests were served by the thin path; those with an Origin never reached it.
        if headers:
            assert thin_hits == []
        else:
            assert thin_hits == [
                ("GET", f"{ECHO}/hello", True),
                ("GET", f"{ECHO}/whoami/ferret", True),
            ]


def test_echo_credentials_are_checked_by_its_own_scheme(echo_app: TestClient[Any]) -> None:
    url = f"{ECHO}/whoami/ferret"
    for headers in ENTRIES:
        missing = echo_app.get(url, headers=headers)
        wrong = echo_app.get(url, headers={**headers, "X-Echo-Token": "not-it"})
        # A Petfinder or PawPlacer credential means nothing to the echo dialect.
        foreign = echo_app.get(
            url, headers={**headers, "Authorization": "Bearer x", "x-api-key": "y"}
        )
        for refused in (missing, wrong, foreign):
            assert refused.status_code == 401, refused.text
            assert refused.json() == {"oops": "unauthenticated"}
            assert "x-echo" not in refused.headers
            assert_cors(refused, headers)
        lacking = echo_app.get(url, headers={**headers, "X-Echo-Token": GUEST_TOKEN})
        assert lacking.status_code == 403, lacking.text
        assert lacking.json() == {"oops": "permission_denied"}
        # The route needing no credential ignores one it cannot check.
        open_route = echo_app.get(f"{ECHO}/hello", headers={**headers, "X-Echo-Token": "x"})
        assert open_route.status_code == 200


def test_echo_serves_its_contract(echo_app: TestClient[Any], echo_contract: Path) -> None:
    for headers in ENTRIES:
        response = echo_app.get(f"{ECHO}/openapi.yaml", headers=headers)
        assert response.status_code == 200
        assert response.content == echo_contract.read_bytes()
        assert response.headers["content-type"].startswith("application/yaml")
        assert_cors(response, headers)


def test_unrouted_requests_under_the_prefix_get_the_echo_error_shape(
    echo_app: TestClient[Any],
) -> None:
    for headers in ENTRIES:
        token = {**headers, "X-Echo-Token": ECHO_TOKEN}
        unknown = echo_app.get(f"{ECHO}/nothing-here", headers=token)
        nested = echo_app.get(f"{ECHO}/hello/extra", headers=token)
        wrong_method = echo_app.post(f"{ECHO}/hello", headers=token, json={})
        wrong_dynamic = echo_app.delete(f"{ECHO}/whoami/ferret", headers=token)
        for response in (unknown, nested):
            assert response.status_code == 404, response.text
            assert response.json() == {"oops": "not_found"}
            assert_cors(response, headers)
        for response in (wrong_method, wrong_dynamic):
            assert response.status_code == 405, response.text
            assert response.json() == {"oops": "method_not_allowed"}
            assert_cors(response, headers)


def test_preflight_allows_the_echo_request_headers(echo_app: TestClient[Any]) -> None:
    response = echo_app.options(
        f"{ECHO}/whoami/ferret",
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-echo-token",
        },
    )
    assert response.status_code in (200, 204), response.text
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert "x-echo-token" in allowed
    # The other dialects' headers are still allowed: one app serves them all.
    assert {"x-api-key", "idempotency-key", "authorization"} <= allowed


def test_echo_prefix_comes_from_the_environment(
    echo: registry.Dialect, fresh_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENPAWS_ECHO_PREFIX", "/other")
    with app_client(fresh_db) as client:
        for headers in ENTRIES:
            moved = client.get("/other/hello?name=x", headers=headers)
            me = client.get("/other/whoami/w", headers={**headers, "X-Echo-Token": ECHO_TOKEN})
            contract = client.get("/other/openapi.yaml", headers=headers)
            unknown = client.get("/other/nothing-here", headers=headers)
            old = client.get(f"{ECHO}/hello", headers=headers)
            petfinder = client.get(f"{PREFIX}/types", headers=headers)
            assert moved.status_code == 200 and moved.json() == {"hello": "x"}
            assert moved.headers["x-echo"] == "yes"
            assert_cors(moved, headers)
            assert me.status_code == 200 and me.json()["word"] == "w"
            assert contract.status_code == 200 and contract.text == ECHO_CONTRACT
            assert unknown.status_code == 404 and unknown.json() == {"oops": "not_found"}
            assert old.status_code == 404
            assert "oops" not in old.text  # nothing of the echo dialect answers there now
            # Moving one dialect leaves the others where they were.
            assert petfinder.status_code == 401
            assert petfinder.headers["content-type"].startswith("application/problem+json")


def test_petfinder_and_pawplacer_still_answer_beside_echo(
    echo: registry.Dialect, fresh_db: Database
) -> None:
    setup.load_demo(fresh_db, 40, organizations=4)
    code = setup.first_listing_organization(fresh_db)
    key = setup.create_key(fresh_db, code, "read")
    creds = setup.create_client(fresh_db, "seam")
    with app_client(fresh_db) as client:
        for headers in ENTRIES:
            token = client.post(f"{PREFIX}/oauth2/token", data=grant(creds), headers=headers)
            assert token.status_code == 200, token.text
            bearer = {**headers, "Authorization": f"Bearer {token.json()['access_token']}"}
            animals = client.get(f"{PREFIX}/animals?limit=3", headers=bearer)
            assert animals.status_code == 200, animals.text
            assert len(animals.json()["animals"]) == 3
            assert "x-echo" not in animals.headers
            missing = client.get(f"{PREFIX}/animals/999999999", headers=bearer)
            assert missing.status_code == 404
            assert missing.json()["title"] == "Not Found"  # Petfinder's problem document

            pets = client.get(f"{PP}/api/pets?limit=2", headers={**headers, "x-api-key": key})
            assert pets.status_code == 200, pets.text
            assert pets.headers["x-api-version"] and "x-echo" not in pets.headers
            no_key = client.get(f"{PP}/api/pets", headers=headers)
            assert no_key.status_code == 401
            assert no_key.json()["code"] == "api_key_required"  # PawPlacer's error body
            unknown = client.get(f"{PP}/nothing-here", headers={**headers, "x-api-key": key})
            assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"

            for dialect in registry.dialects():
                if dialect.name != "echo":
                    served = client.get(f"{dialect.prefix}/openapi.yaml", headers=headers)
                    assert served.content == dialect.contract.read_bytes()


def test_unrouted_paths_get_the_shape_of_the_dialect_whose_prefix_they_are_under(
    echo: registry.Dialect,
    echo_contract: Path,
    fresh_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A path is under a prefix only at a segment boundary: an unknown path under
    /pawplacer-next is its own dialect's, not PawPlacer's (whose prefix is a string prefix of
    it, and which comes first in name order)."""
    # A dialect named after PawPlacer in name order, mounted where PawPlacer's prefix is only
    # a string prefix of its own.
    relay = echo_dialect(echo_contract, name="relay", prefix="/pawplacer-next")
    monkeypatch.setitem(registry._REGISTERED, relay.name, relay)
    with app_client(fresh_db) as client:
        served = client.get("/pawplacer-next/hello")
        unknown = client.get("/pawplacer-next/nothing-here")
    assert served.status_code == 200 and served.json() == {"hello": "world"}
    assert unknown.status_code == 404
    assert unknown.json() == {"oops": "not_found"}


# --- The thin path and Litestar answer alike ---

# Headers that name the request or the moment; compared loosely.
VOLATILE_HEADERS = {
    "x-request-id",
    "x-generated-at",
    "x-token-expires-in",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "content-length",
}


def both(
    client: ContractClient, method: str, url: str, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    """The same request plainly (the thin path) and with an Origin (Litestar)."""
    headers = dict(kwargs.pop("headers", {}) or {})
    plain = client.request(method, url, headers=headers, **kwargs)
    routed = client.request(method, url, headers={**headers, **ORIGIN}, **kwargs)
    return plain, routed


def both_unchecked(
    client: ContractClient, method: str, url: str, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    """As :func:`both`, for requests the contract does not describe (no contract check)."""
    headers = {"x-api-key": client.api_key or "", **(kwargs.pop("headers", {}) or {})}
    plain = client.client.request(method, url, headers=headers, **kwargs)
    routed = client.client.request(method, url, headers={**headers, **ORIGIN}, **kwargs)
    return plain, routed


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


def comparable(response: httpx.Response, drop: frozenset[str]) -> Any:
    """The body as compared: parsed JSON without the volatile fields, else the bytes."""
    kind = media_type(response)
    if not (kind == "application/json" or kind.endswith("+json")) or not response.content:
        return response.content
    body = response.json()
    if isinstance(body, dict):
        return {k: v for k, v in body.items() if k not in drop}
    return body


def assert_same_answer(
    plain: httpx.Response, routed: httpx.Response, drop: frozenset[str] = frozenset()
) -> None:
    where = f"{plain.request.method} {plain.request.url}"
    assert plain.status_code == routed.status_code, (where, plain.text, routed.text)
    assert media_type(plain) == media_type(routed), where
    assert comparable(plain, drop) == comparable(routed, drop), where
    # The dialect's own headers: the same ones, with the same values but for the volatile.
    mine = {k: v for k, v in plain.headers.items() if not k.startswith("access-control-")}
    theirs = {k: v for k, v in routed.headers.items() if not k.startswith("access-control-")}
    assert set(mine) == set(theirs), where
    stable = {k for k in mine if k not in VOLATILE_HEADERS}
    assert {k: mine[k] for k in stable} == {k: theirs[k] for k in stable}, where
    if "x-token-expires-in" in mine:
        assert abs(int(mine["x-token-expires-in"]) - int(theirs["x-token-expires-in"])) <= 1
    if "x-generated-at" in mine:  # each says when it was made
        assert datetime.fromisoformat(mine["x-generated-at"]).tzinfo is not None
        assert datetime.fromisoformat(theirs["x-generated-at"]).tzinfo is not None
    for name in ("x-ratelimit-remaining", "x-ratelimit-reset"):  # each its own count
        if name in mine:
            assert mine[name].lstrip("-").isdigit() and theirs[name].lstrip("-").isdigit()
    assert plain.headers.get("x-request-id") and routed.headers.get("x-request-id")
    # Only the request through Litestar carries CORS headers.
    assert "access-control-allow-origin" not in plain.headers
    assert routed.headers.get("access-control-allow-origin") in ("*", ORIGIN["Origin"]), where


# Petfinder, over the shared seeded database. ``{animal}`` is a listed animal's id.
PETFINDER_READS = [
    pytest.param("/animals", id="animals"),
    pytest.param("/animals/", id="animals-trailing-slash"),
    pytest.param("/animals?type=dog&gender=female&age=young,adult&limit=5&page=2", id="filters"),
    pytest.param("/animals?type=cat&sort=-recent&good_with_children=1&limit=7", id="sorted"),
    pytest.param("/animals/{animal}", id="animal"),
    pytest.param("/animals?limit=abc&page=0", id="400"),
    pytest.param("/animals?type=unicorn", id="400-type"),
    pytest.param("/animals/999999999", id="404"),
    pytest.param("/types/dog/breeds", id="breeds"),
    pytest.param("/types/unicorn/breeds", id="breeds-404"),
    pytest.param("/organizations?state=NY", id="organizations"),
]


@pytest.fixture(scope="module")
def petfinder(seeded_db: Database) -> Iterator[ContractClient]:
    client = make_client(seeded_db, petfinder_contract())
    authorize(client, seeded_db)
    yield client
    client.client.__exit__(None, None, None)


@pytest.mark.parametrize("path", PETFINDER_READS)
def test_petfinder_reads_answer_alike(petfinder: ContractClient, path: str) -> None:
    if "{animal}" in path:
        first = petfinder.json(f"{PREFIX}/animals?limit=1")["animals"][0]
        path = path.format(animal=first["id"])
    plain, routed = both(petfinder, "GET", f"{PREFIX}{path}")
    assert_same_answer(plain, routed)
    assert "x-token-expires-in" in plain.headers or plain.status_code >= 400


def test_petfinder_without_a_token_answers_alike(petfinder: ContractClient) -> None:
    plain, routed = both(petfinder, "GET", f"{PREFIX}/animals", auth=False)
    assert plain.status_code == 401
    assert_same_answer(plain, routed)


def test_petfinder_token_requests_answer_alike(fresh_db: Database) -> None:
    client = make_client(fresh_db, petfinder_contract())
    try:
        creds = setup.create_client(fresh_db, "thin-path")
        plain, routed = both(client, "POST", f"{PREFIX}/oauth2/token", data=grant(creds))
        assert plain.status_code == 200, plain.text
        assert plain.json()["access_token"] != routed.json()["access_token"]
        assert_same_answer(plain, routed, drop=frozenset({"access_token"}))
        wrong = grant(creds, secret="not-the-secret")
        plain, routed = both(client, "POST", f"{PREFIX}/oauth2/token", data=wrong)
        assert plain.status_code == 401, plain.text
        assert_same_answer(plain, routed)
        unsupported = {**grant(creds), "grant_type": "password"}
        plain, routed = both(client, "POST", f"{PREFIX}/oauth2/token", data=unsupported)
        assert plain.status_code == 400, plain.text
        assert_same_answer(plain, routed)
    finally:
        client.client.__exit__(None, None, None)


# PawPlacer, over the shared seeded database with a read key. ``{pet}`` is a listed pet's id.
PETS = f"{PP}/api/pets"
PAWPLACER_READS = [
    pytest.param("", id="list"),
    pytest.param("?limit=5&offset=3&species=dog", id="list-filtered"),
    pytest.param("/{pet}", id="pet"),
    pytest.param("/custom-fields", id="custom-fields"),
    pytest.param("?limit=abc&species=unicorn", id="400"),
    pytest.param("/00000000-0000-4000-8000-000000000000", id="404"),
]


@pytest.fixture(scope="module")
def pawplacer_contract() -> Contract:
    return Contract(registry.dialect("pawplacer").contract, "urn:openpaws:pawplacer", PP)


@pytest.fixture(scope="module")
def pawplacer(seeded_db: Database, pawplacer_contract: Contract) -> Iterator[ContractClient]:
    code = listing_codes(seeded_db)[0]
    raise_limits(seeded_db, code)
    client = client_for(seeded_db, pawplacer_contract, code, "read")
    yield client
    client.client.__exit__(None, None, None)


@pytest.mark.parametrize("path", PAWPLACER_READS)
def test_pawplacer_reads_answer_alike(pawplacer: ContractClient, path: str) -> None:
    if "{pet}" in path:
        first = pawplacer.json(f"{PETS}?limit=1")["pets"][0]
        path = path.format(pet=first["id"])
    plain, routed = both(pawplacer, "GET", f"{PETS}{path}")
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))
    if plain.status_code >= 400:
        assert plain.json()["request_id"] == plain.headers["x-request-id"]
        assert routed.json()["request_id"] == routed.headers["x-request-id"]


def not_modified(pawplacer: ContractClient) -> tuple[httpx.Response, httpx.Response]:
    first = pawplacer.get(f"{PETS}?limit=2")
    etag = {"If-None-Match": first.headers["etag"]}
    plain, routed = both(pawplacer, "GET", f"{PETS}?limit=2", headers=etag)
    assert plain.status_code == routed.status_code == 304
    assert plain.content == routed.content == b""
    return plain, routed


def test_pawplacer_conditional_reads_answer_alike(pawplacer: ContractClient) -> None:
    plain, routed = not_modified(pawplacer)
    body_headers = {"content-type", "content-length"}
    mine = {k: v for k, v in plain.headers.items() if k not in body_headers}
    theirs = {k: v for k, v in routed.headers.items() if not k.startswith("access-control-")}
    assert set(mine) == set(theirs) - body_headers
    for name in ("etag", "cache-control", "vary", "x-api-version", "x-ratelimit-limit"):
        assert mine[name] == theirs[name], name


def test_pawplacer_not_modified_carries_no_body_headers_on_either_entry(
    pawplacer: ContractClient,
) -> None:
    """A 304 has no content: neither entry sends a Content-Type, nor a Content-Length (RFC 9110
    section 8.6 allows only that of the 200 it stands for)."""
    plain, routed = not_modified(pawplacer)
    assert media_type(plain) == media_type(routed) == ""
    assert "content-length" not in plain.headers and "content-length" not in routed.headers


def test_pawplacer_without_a_key_answers_alike(pawplacer: ContractClient) -> None:
    for method, kwargs in (("GET", {}), ("POST", {"json": pet_body()})):
        plain, routed = both(pawplacer, method, PETS, auth=False, **kwargs)
        assert plain.status_code == 401, plain.text
        assert_same_answer(plain, routed, drop=frozenset({"request_id"}))


# What a created pet has of its own: its id and its moments.
CREATED_FIELDS = frozenset({"id", "created_at", "updated_at"})


@pytest.fixture
def writer(fresh_db: Database, pawplacer_contract: Contract) -> Iterator[ContractClient]:
    setup.load_demo(fresh_db, 60, organizations=4)
    code = setup.first_listing_organization(fresh_db)
    raise_limits(fresh_db, code)
    client = client_for(fresh_db, pawplacer_contract, code, "write")
    yield client
    client.client.__exit__(None, None, None)


def test_pawplacer_creates_and_replays_answer_alike(writer: ContractClient) -> None:
    body = pet_body(name="Seam")
    plain = writer.post(PETS, json=body, headers={"Idempotency-Key": "seam-plain"})
    routed = writer.post(PETS, json=body, headers={"Idempotency-Key": "seam-routed", **ORIGIN})
    assert plain.status_code == 201, plain.text
    assert plain.json()["id"] != routed.json()["id"]  # two keys, two pets
    assert_same_answer(plain, routed, drop=CREATED_FIELDS)

    # Each key replays its own answer, on either entry, word for word.
    for key, original in (("seam-plain", plain), ("seam-routed", routed)):
        replay_plain, replay_routed = both(
            writer, "POST", PETS, json=body, headers={"Idempotency-Key": key}
        )
        assert replay_plain.status_code == 201
        assert replay_plain.json() == original.json()
        assert replay_plain.headers["idempotency-replay"] == "true"
        assert_same_answer(replay_plain, replay_routed)

    listed = writer.json(f"{PETS}?limit=100&search=Seam")["pets"]
    assert sorted(p["id"] for p in listed) == sorted([plain.json()["id"], routed.json()["id"]])


def test_pawplacer_refused_writes_answer_alike(writer: ContractClient, fresh_db: Database) -> None:
    invalid = pet_body(name="", species="unicorn", adoption_fee="lots")
    plain, routed = both(writer, "POST", PETS, json=invalid)
    assert plain.status_code == 400 and plain.json()["code"] == "validation_failed", plain.text
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))

    malformed = {"content": b'{"name": ', "headers": {"Content-Type": "application/json"}}
    plain, routed = both(writer, "POST", PETS, **malformed)
    assert plain.status_code == 400, plain.text
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))

    too_large = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    plain, routed = both(
        writer, "POST", PETS, content=too_large, headers={"Content-Type": "application/json"}
    )
    assert plain.status_code == 413, plain.text
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))

    read_key = setup.create_key(fresh_db, setup.first_listing_organization(fresh_db), "read")
    plain, routed = both(writer, "POST", PETS, json=pet_body(), headers={"x-api-key": read_key})
    assert plain.status_code == 403, plain.text
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))


def test_pawplacer_static_path_with_a_trailing_slash_answers_alike(
    pawplacer: ContractClient,
) -> None:
    """A trailing slash on a static path does not hand it to a parameter of another route:
    both entries serve the custom fields."""
    plain, routed = both_unchecked(pawplacer, "GET", f"{PETS}/custom-fields/")
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))
    assert plain.status_code == 200, plain.text
    assert plain.json() == pawplacer.json(f"{PETS}/custom-fields")


def test_pawplacer_update_of_a_pet_named_like_a_static_path_answers_alike(
    writer: ContractClient,
) -> None:
    """A path that is a static route of one method is never taken by another route's
    parameter: a PATCH there is refused (405) on both entries, even when a pet's custom id
    matches it."""
    created = writer.post(PETS, json=pet_body(custom_id="custom-fields"))
    assert created.status_code == 201, created.text
    plain, routed = both_unchecked(
        writer, "PATCH", f"{PETS}/custom-fields", json={"name": "Renamed"}
    )
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))
    assert plain.status_code == 405, plain.text
    assert writer.json(f"{PETS}/{created.json()['id']}")["name"] == "Max"


def test_pawplacer_path_under_a_static_path_answers_alike(pawplacer: ContractClient) -> None:
    """A path under a static route is a pet's identifier for both entries (Litestar's router
    comes back to the path parameter)."""
    plain, routed = both_unchecked(pawplacer, "GET", f"{PETS}/custom-fields/abc")
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))
    assert (plain.status_code, plain.json()["code"]) == (404, "pet_not_found")


def test_pawplacer_encoded_slash_in_the_path_answers_alike(pawplacer: ContractClient) -> None:
    """An encoded "/" where the path's own "/" should be is read from the routed path, not
    a 500."""
    plain, routed = both_unchecked(pawplacer, "GET", "/pawplacer/api/pets%2Fno-such-pet")
    assert_same_answer(plain, routed, drop=frozenset({"request_id"}))
    assert plain.status_code in (404, 405), plain.text


def test_a_dialect_mounted_at_the_root(fresh_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """OPENPAWS_<NAME>_PREFIX=/ mounts a dialect at the root; its paths, parameters and links
    work there."""
    monkeypatch.setenv("OPENPAWS_PETFINDER_PREFIX", "/")
    setup.load_demo(fresh_db, 60, organizations=4)
    creds = setup.create_client(fresh_db, "root")
    token = setup.issue_token(fresh_db, creds.client_id, creds.client_secret, 60)
    with app_client(fresh_db) as client:
        headers = {"Authorization": f"Bearer {token}"}
        page = client.get("/animals?limit=2&page=2", headers=headers)
        assert page.status_code == 200, page.text
        links = page.json()["pagination"]["_links"]
        assert links["previous"]["href"].startswith("/animals?")
        animal = page.json()["animals"][0]
        one = client.get(f"/animals/{animal['id']}", headers=headers)
        assert one.status_code == 200, one.text
        assert one.json()["animal"]["_links"]["self"]["href"] == f"/animals/{animal['id']}"
        assert client.get("/types/dog", headers=headers).status_code == 200


# --- Building apps one after another ---


def test_a_closed_log_handler_stops_its_flusher_quietly() -> None:
    """Each create_app closes the previous app's log handler; its flusher thread, if it was
    not waiting at that moment, must still find its stop signal (logging.Handler.close()
    sets an attribute of its own, which must not be the one the flusher waits on)."""
    handler = BatchedStreamHandler(io.StringIO())
    handler.add_line("a line")
    handler.close()
    assert handler.stream.getvalue() == "a line\n"
    # What the flusher thread runs after close() when it was not waiting (e.g. mid-flush).
    handler._flush_now_and_then()
