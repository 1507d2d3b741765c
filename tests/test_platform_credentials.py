"""The platform's credentials: API keys of any account and dialect, OAuth clients and tokens of
one dialect each, the CLI that makes them, and the upkeep that tidies after them."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from openpaws.cli import app
from openpaws.dialects import pawplacer, petfinder
from openpaws.domain.errors import PermissionDenied, Unauthenticated
from openpaws.platform import api_keys, oauth, upkeep
from openpaws.platform.api_keys import Account
from openpaws.platform.principals import AccountKind, CredentialKind, Scope
from openpaws.storage.api_keys import KeyRecord
from openpaws.storage.database import Database
from tests.conftest import make_client
from tests.pawplacer.conftest import pet_body
from tests.petfinder.helpers import PREFIX, grant, petfinder_contract
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.factories import add_organizations

PP = "/pawplacer"
PETS = f"{PP}/api/pets"
TOKEN_URL = f"{PREFIX}/oauth2/token"
ELSEWHERE = "elsewhere"  # a dialect no server mounts
runner = CliRunner()


@cache
def pawplacer_contract() -> Contract:
    return Contract(pawplacer.DIALECT.contract, "urn:openpaws:pawplacer", PP)


@pytest.fixture
def pp_api(fresh_db: Database) -> Iterator[ContractClient]:
    """A PawPlacer client over an empty database; each request brings its own key."""
    client = make_client(fresh_db, pawplacer_contract())
    yield client
    client.client.__exit__(None, None, None)


@pytest.fixture
def pf_api(fresh_db: Database) -> Iterator[ContractClient]:
    """A Petfinder client over an empty database, with no token yet."""
    client = make_client(fresh_db, petfinder_contract())
    yield client
    client.client.__exit__(None, None, None)


@pytest.fixture
def org(fresh_db: Database) -> int:
    """The id of an organization (with no animals)."""
    return int(add_organizations(fresh_db, 1)[0]["id"])


@pytest.fixture
def env(fresh_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The CLI works on ``fresh_db``."""
    monkeypatch.setenv("OPENPAWS_DATABASE_URL", fresh_db.url)
    return fresh_db


def new_key(
    db: Database,
    account: Account,
    *,
    dialect: str = pawplacer.NAME,
    prefix: str = pawplacer.KEY_PREFIX,
    expires_at: datetime | None = None,
    plan: str | None = None,
) -> tuple[KeyRecord, str]:
    with db.transaction() as tx:
        return api_keys.create_key(
            tx,
            dialect=dialect,
            prefix=prefix,
            account=account,
            scopes=pawplacer.KEY_KINDS["write"],
            plan=plan,
            expires_at=expires_at,
        )


def platform_user(person_id: int, username: str) -> dict[str, Any]:
    """A persons row of a platform user: no organization keeps it, and it has a username."""
    now = datetime.now(UTC)
    return {
        "id": person_id,
        "uuid": str(uuid.uuid4()),
        "organization_id": None,
        "role": "owner",
        "name": "Pat Owner",
        "username": username,
        "additional_emails": [],
        "additional_phones": [],
        "status": "active",
        "tags": [],
        "custom_field_data": {},
        "created_at": now,
        "updated_at": now,
    }


def scalar(db: Database, sql: str, **params: Any) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def last_used(db: Database, key_uuid: str) -> int | None:
    """The key's stored last-used time (microseconds since the epoch), if any."""
    found = scalar(db, "SELECT last_used_at FROM api_keys WHERE uuid = :uuid", uuid=key_uuid)
    return None if found is None else int(found)


def refusal(db: Database, dialect: str, key: str | None) -> str:
    """Why ``api_keys.authenticate`` refuses the key."""
    with pytest.raises(Unauthenticated) as refused:
        api_keys.authenticate(db.reader(), dialect, key, api_keys.Usage())
    return refused.value.reason


def printed(output: str, label: str) -> str:
    found = re.search(rf"{label}:\s+(\S+)", output)
    assert found, output
    return found.group(1)


# --- API keys over HTTP and through the platform ---


@pytest.mark.parametrize("reason", ["expired", "revoked", "unknown", "missing"])
def test_refused_keys_are_401_and_say_why(
    fresh_db: Database, pp_api: ContractClient, org: int, reason: str
) -> None:
    key: str | None = None
    if reason == "unknown":
        key = pawplacer.KEY_PREFIX + "x" * 43
    elif reason in ("expired", "revoked"):
        expires = datetime.now(UTC) - timedelta(seconds=1) if reason == "expired" else None
        record, key = new_key(fresh_db, Account(AccountKind.ORGANIZATION, org), expires_at=expires)
        if reason == "revoked":
            setup.revoke_key(fresh_db, record.uuid)
    response = pp_api.get(PETS, headers={} if key is None else {"x-api-key": key})
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_required"
    assert refusal(fresh_db, pawplacer.NAME, key) == reason


def test_a_key_with_a_later_expiry_works(
    fresh_db: Database, pp_api: ContractClient, org: int
) -> None:
    expires = datetime.now(UTC) + timedelta(hours=1)
    _, key = new_key(fresh_db, Account(AccountKind.ORGANIZATION, org), expires_at=expires)
    response = pp_api.get(PETS, headers={"x-api-key": key})
    assert response.status_code == 200, response.text
    principal = api_keys.authenticate(fresh_db.reader(), pawplacer.NAME, key, api_keys.Usage())
    assert principal.credential.expires_at == int(expires.timestamp())


def test_another_dialects_key_is_refused(
    fresh_db: Database, pp_api: ContractClient, org: int
) -> None:
    """The key is stored (its hash is found) but belongs to another dialect."""
    account = Account(AccountKind.ORGANIZATION, org)
    record, key = new_key(fresh_db, account, dialect=ELSEWHERE, prefix="xk_")
    assert key.startswith("xk_") and record.dialect == ELSEWHERE
    stored = scalar(
        fresh_db, "SELECT dialect FROM api_keys WHERE key_hash = :h", h=setup.hash_secret(key)
    )
    assert stored == ELSEWHERE
    response = pp_api.get(PETS, headers={"x-api-key": key})
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_required"
    assert refusal(fresh_db, pawplacer.NAME, key) == "unknown"
    own = api_keys.authenticate(fresh_db.reader(), ELSEWHERE, key, api_keys.Usage())
    assert (own.kind, own.account_id, own.credential.dialect) == (
        AccountKind.ORGANIZATION,
        org,
        ELSEWHERE,
    )


def test_a_key_may_belong_to_a_person(fresh_db: Database) -> None:
    setup.insert_persons(fresh_db, [platform_user(7, "pat")])
    account = Account(AccountKind.PERSON, 7)
    record, key = new_key(fresh_db, account, dialect=ELSEWHERE, prefix="xk_", plan="pro")
    assert (record.person_username, record.organization_code) == ("pat", None)
    principal = api_keys.authenticate(fresh_db.reader(), ELSEWHERE, key, api_keys.Usage())
    assert principal.kind is AccountKind.PERSON
    assert principal.account_id == 7
    assert principal.credential.kind is CredentialKind.API_KEY
    assert principal.credential.id == record.id
    assert principal.plan == "pro"
    assert principal.scopes == pawplacer.KEY_KINDS["write"]
    with pytest.raises(PermissionDenied):
        _ = principal.organization_id


@pytest.mark.parametrize("owners", ["both", "neither"])
def test_a_key_row_needs_exactly_one_account(fresh_db: Database, org: int, owners: str) -> None:
    setup.insert_persons(fresh_db, [platform_user(7, "pat")])
    account = {"org": org, "person": 7} if owners == "both" else {"org": None, "person": None}
    with pytest.raises(IntegrityError), fresh_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO api_keys (uuid, dialect, organization_id, person_id, key_hash, "
                "prefix, last_four, scopes, created_at) VALUES (:uuid, 'pawplacer', :org, "
                ":person, :hash, 'opk_abcd', 'wxyz', '[\"animals:read\"]', 0)"
            ),
            {"uuid": str(uuid.uuid4()), "hash": "0" * 64, **account},
        )
    assert scalar(fresh_db, "SELECT count(*) FROM api_keys") == 0


# --- API keys through the CLI ---


def test_cli_refuses_a_pawplacer_key_for_a_person(env: Database) -> None:
    setup.insert_persons(env, [platform_user(7, "pat")])
    result = runner.invoke(app, ["keys", "create", "--person", "pat", "--scope", "write"])
    assert result.exit_code == 1
    assert "PawPlacer keys belong to organizations" in result.output
    assert scalar(env, "SELECT count(*) FROM api_keys") == 0
    no_keys = runner.invoke(
        app, ["keys", "create", "--org", "X", "--scope", "read", "--dialect", petfinder.NAME]
    )
    assert no_keys.exit_code == 1
    assert "petfinder has no API keys" in no_keys.output


def test_cli_key_with_an_expiry_works_and_is_listed_active(env: Database) -> None:
    setup.load_demo(env, 60, organizations=3)
    code = setup.first_listing_organization(env)
    before = datetime.now(UTC)
    created = runner.invoke(
        app, ["keys", "create", "--org", code, "--scope", "write", "--expires-in-days", "1"]
    )
    assert created.exit_code == 0, created.output
    key, key_id = printed(created.output, "key"), printed(created.output, "id")
    assert printed(created.output, "scope") == "write"
    expires = scalar(env, "SELECT expires_at FROM api_keys WHERE uuid = :u", u=key_id)
    expires_at = datetime.fromtimestamp(expires / 1_000_000, UTC)
    assert before + timedelta(days=1) <= expires_at <= datetime.now(UTC) + timedelta(days=1)
    client = make_client(env, pawplacer_contract())
    client.api_key = key
    try:
        assert client.get(PETS).status_code == 200
    finally:
        client.client.__exit__(None, None, None)
    listed = runner.invoke(app, ["keys", "list", "--org", code])
    assert listed.exit_code == 0, listed.output
    (line,) = [line for line in listed.output.splitlines() if key_id in line]
    assert "active" in line and key[-4:] in line and key not in line
    never = ["keys", "create", "--org", code, "--scope", "write", "--expires-in-days", "0"]
    assert runner.invoke(app, never).exit_code == 1


def _early_in_a_minute() -> None:
    """The key's limit is a sliding minute, which weighs the previous minute's requests: a run
    that straddles the turn of a minute would be counted differently. Start well inside one."""
    left = 60 - time.time() % 60
    if left < 3:
        time.sleep(left + 0.05)


def test_cli_per_minute_limit_is_the_keys_own(env: Database) -> None:
    setup.load_demo(env, 60, organizations=3)
    code = setup.first_listing_organization(env)
    created = runner.invoke(
        app, ["keys", "create", "--org", code, "--scope", "write", "--per-minute", "2"]
    )
    assert created.exit_code == 0, created.output
    limited = make_client(env, pawplacer_contract())
    limited.api_key = printed(created.output, "key")
    other = make_client(env, pawplacer_contract())
    other.api_key = setup.create_key(env, code, "write")
    try:
        _early_in_a_minute()
        answers = [limited.post(PETS, json=pet_body(name=f"Limited {n}")) for n in range(3)]
        assert [a.status_code for a in answers] == [201, 201, 429]
        refused = answers[-1]
        assert refused.json()["code"] == "rate_limited"
        assert refused.headers["X-RateLimit-Limit"] == "2"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        others = [other.post(PETS, json=pet_body(name=f"Other {n}")) for n in range(3)]
        assert [a.status_code for a in others] == [201, 201, 201]
        assert others[-1].headers["X-RateLimit-Limit"] == "10"  # PawPlacer's hourly default
    finally:
        for client in (limited, other):
            client.client.__exit__(None, None, None)


def test_cli_lists_a_key_of_a_dialect_no_longer_served(env: Database, org: int) -> None:
    record, key = new_key(env, Account(AccountKind.ORGANIZATION, org), dialect=ELSEWHERE)
    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0, listed.output
    assert record.uuid in listed.output and key[-4:] in listed.output


# --- Last use ---


def test_tidy_writes_when_a_key_was_last_used(fresh_db: Database, org: int) -> None:
    record, key = new_key(fresh_db, Account(AccountKind.ORGANIZATION, org))
    usage = api_keys.Usage()
    before = int(time.time())
    api_keys.authenticate(fresh_db.reader(), pawplacer.NAME, key, usage)
    assert last_used(fresh_db, record.uuid) is None  # noted in memory only
    tidied = upkeep.tidy(fresh_db, usage)
    assert tidied.keys_used == 1
    stored = last_used(fresh_db, record.uuid)
    assert stored is not None and before <= stored // 1_000_000 <= int(time.time())
    assert upkeep.tidy(fresh_db, usage).keys_used == 0  # nothing new to write


def test_a_request_with_a_key_is_written_down_by_the_servers_upkeep(
    fresh_db: Database, org: int
) -> None:
    """The server notes each key's use in memory and its upkeep writes it down (at the latest
    when the server stops)."""
    record, key = new_key(fresh_db, Account(AccountKind.ORGANIZATION, org))
    unused, _ = new_key(fresh_db, Account(AccountKind.ORGANIZATION, org))
    client = make_client(fresh_db, pawplacer_contract())
    try:
        assert client.get(PETS, headers={"x-api-key": key}).status_code == 200
        assert last_used(fresh_db, record.uuid) is None
    finally:
        client.client.__exit__(None, None, None)
    assert last_used(fresh_db, record.uuid) is not None
    assert last_used(fresh_db, unused.uuid) is None


# --- OAuth clients and tokens ---


def test_another_dialects_client_gets_no_petfinder_token(
    fresh_db: Database, pf_api: ContractClient
) -> None:
    creds = setup.create_client(fresh_db, "elsewhere app", dialect=ELSEWHERE)
    response = pf_api.post(TOKEN_URL, auth=False, data=grant(creds))
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "invalid_client"
    assert scalar(fresh_db, "SELECT count(*) FROM access_tokens") == 0


def test_another_dialects_token_is_refused_by_petfinder(
    fresh_db: Database, pf_api: ContractClient
) -> None:
    creds = setup.create_client(fresh_db, "elsewhere app", dialect=ELSEWHERE)
    with fresh_db.transaction() as tx:
        token = oauth.issue_token(tx, ELSEWHERE, creds, 3600).access_token
    principal = oauth.authenticate(fresh_db.reader(), ELSEWHERE, token, [Scope.ANIMALS_READ])
    assert principal.kind is AccountKind.APPLICATION  # a good token, of its own dialect
    response = pf_api.get(f"{PREFIX}/animals", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Access token invalid or expired"
    with pytest.raises(Unauthenticated) as refused:
        oauth.authenticate(fresh_db.reader(), petfinder.NAME, token, [])
    assert refused.value.reason == "unknown"


def test_cli_client_dialect_defaults_to_petfinder_and_must_exist(env: Database) -> None:
    unknown = runner.invoke(app, ["clients", "create", "--name", "x", "--dialect", "nosuch"])
    assert unknown.exit_code == 1
    assert "nosuch is not a dialect" in unknown.output
    assert scalar(env, "SELECT count(*) FROM oauth_clients") == 0
    created = runner.invoke(app, ["clients", "create", "--name", "x"])
    assert created.exit_code == 0, created.output
    client_id = printed(created.output, "client_id")
    stored = scalar(env, "SELECT dialect FROM oauth_clients WHERE client_id = :c", c=client_id)
    assert stored == petfinder.NAME


def test_cli_refuses_a_client_for_a_dialect_without_clients(env: Database) -> None:
    result = runner.invoke(app, ["clients", "create", "--name", "x", "--dialect", "pawplacer"])
    assert result.exit_code == 1
    assert scalar(env, "SELECT count(*) FROM oauth_clients") == 0


def test_token_lifetime_is_the_dialects_setting(
    fresh_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENPAWS_PETFINDER_TOKEN_LIFETIME_SECONDS", "120")
    creds = setup.create_client(fresh_db, "short-lived")
    client = make_client(fresh_db, petfinder_contract())
    try:
        response = client.post(TOKEN_URL, auth=False, data=grant(creds))
        assert response.status_code == 200, response.text
        assert response.json()["expires_in"] == 120
        token = response.json()["access_token"]
        assert 0 < setup.token_seconds_left(fresh_db, token) <= 120
    finally:
        client.client.__exit__(None, None, None)


# --- Upkeep ---


def test_tidy_purges_expired_tokens_and_keeps_live_ones(fresh_db: Database) -> None:
    creds = setup.create_client(fresh_db, "tidy")
    live = setup.issue_token(fresh_db, creds.client_id, creds.client_secret, 3600)
    expired = [
        setup.issue_token(fresh_db, creds.client_id, creds.client_secret, 3600) for _ in range(2)
    ]
    for token in expired:
        setup.expire_token(fresh_db, token)
    tidied = upkeep.tidy(fresh_db, api_keys.Usage())
    assert (tidied.tokens, tidied.idempotency_entries, tidied.keys_used) == (2, 0, 0)
    kept = {row[0] for row in _rows(fresh_db, "SELECT token_hash FROM access_tokens")}
    assert kept == {setup.hash_secret(live)}
    assert setup.token_seconds_left(fresh_db, live) > 0
    assert upkeep.tidy(fresh_db, api_keys.Usage()).tokens == 0


def _rows(db: Database, sql: str, **params: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql), params).all())


def test_tidy_purges_spent_idempotency_entries(fresh_db: Database) -> None:
    setup.load_demo(fresh_db, 60, organizations=3)
    code = setup.first_listing_organization(fresh_db)
    client = make_client(fresh_db, pawplacer_contract())
    client.api_key = setup.create_key(fresh_db, code, "write")
    try:
        for name in ("spent", "live"):
            response = client.post(
                PETS, json=pet_body(name=name), headers={"Idempotency-Key": f"sync:{name}"}
            )
            assert response.status_code == 201, response.text
    finally:
        client.client.__exit__(None, None, None)
    keys = "SELECT key FROM idempotency_keys ORDER BY key"
    assert [row[0] for row in _rows(fresh_db, keys)] == ["sync:live", "sync:spent"]
    with fresh_db.engine.begin() as conn:
        conn.execute(text("UPDATE idempotency_keys SET expires_at = 0 WHERE key = 'sync:spent'"))
    tidied = upkeep.tidy(fresh_db, api_keys.Usage())
    assert (tidied.tokens, tidied.idempotency_entries) == (0, 1)
    assert [row[0] for row in _rows(fresh_db, keys)] == ["sync:live"]
