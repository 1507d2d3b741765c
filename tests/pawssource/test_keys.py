"""Paws Source keys: bearer ``pk_live_`` keys of organizations and pet owners, refused with
the reason when missing, unknown, revoked or expired; permissions per key; plan limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
from typer.testing import CliRunner

from openpaws import cli
from openpaws.storage.database import Database
from tests.conftest import make_client
from tests.pawssource.conftest import NAME, PS, Accounts
from tests.support import setup
from tests.support.contract import Contract

REDIS_URL = "redis://127.0.0.1:6379/0"


def refusal(accounts: Accounts, token: str | None) -> tuple[int, str, str]:
    client = accounts.owner
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = client.get(f"{PS}/pets", auth=False, headers=headers)
    body = response.json()["error"]
    return response.status_code, body["code"], body["message"]


def test_missing_unknown_revoked_and_expired_keys_are_401_saying_which(
    fresh: Accounts,
) -> None:
    db = fresh.db
    assert refusal(fresh, None) == (401, "unauthorized", refusal(fresh, None)[2])
    assert "Missing API key" in refusal(fresh, None)[2]
    assert refusal(fresh, "pk_live_nope")[2] == "Invalid API key."
    expired = setup.create_account_key(
        db, NAME, person="petowner1", expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    assert refusal(fresh, expired)[2] == "This API key has expired."
    pawplacer_key = setup.create_key(db, fresh.shelter, "write")
    assert refusal(fresh, pawplacer_key)[2] == "Invalid API key."


def test_a_revoked_key_is_refused(fresh: Accounts) -> None:
    runner = CliRunner()
    made = runner.invoke(
        cli.app, ["keys", "create", "--dialect", NAME, "--person", "petowner1"], env=env(fresh.db)
    )
    assert made.exit_code == 0, made.output
    key_id = line(made.output, "id:")
    key = line(made.output, "key:")
    assert key.startswith("pk_live_") and len(key) >= len("pk_live_") + 22
    client = fresh.owner
    ok = client.get(f"{PS}/pets", auth=False, headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200
    revoked = runner.invoke(cli.app, ["keys", "revoke", key_id], env=env(fresh.db))
    assert revoked.exit_code == 0, revoked.output
    assert refusal(fresh, key)[2] == "This API key has been revoked."


def env(db: Database) -> dict[str, str]:
    return {"OPENPAWS_DATABASE_URL": db.engine.url.render_as_string(hide_password=False)}


def line(output: str, label: str) -> str:
    return next(s.split(label, 1)[1].strip() for s in output.splitlines() if s.startswith(label))


def test_a_key_without_the_permission_is_403(fresh: Accounts, ps_contract: Contract) -> None:
    client = make_client(fresh.db, ps_contract)
    client.token = setup.create_account_key(
        fresh.db, NAME, person="petowner1", permissions=["pets:read"]
    )
    assert client.get(f"{PS}/pets").status_code == 200
    refused = client.post(f"{PS}/pets", json={"name": "Rex", "species": "canine"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("account", "permissions", "allowed"),
    [
        (["--person", "petowner1"], "orders:fulfil", False),
        (["--person", "petowner1"], "appointments:manage", False),
        (["--person", "petowner1"], "pets:read,orders:write", True),
        (["--person", "petowner1"], "pets:fly", False),
    ],
)
def test_permissions_an_account_may_hold(
    fresh: Accounts, account: list[str], permissions: str, allowed: bool
) -> None:
    made = CliRunner().invoke(
        cli.app,
        ["keys", "create", "--dialect", NAME, *account, "--permissions", permissions],
        env=env(fresh.db),
    )
    assert (made.exit_code == 0) is allowed, made.output


def test_the_free_plan_allows_a_burst_of_ten(fresh: Accounts, ps_contract: Contract) -> None:
    client = make_client(fresh.db, ps_contract)
    client.token = setup.create_account_key(fresh.db, NAME, person="petowner1", plan="free")
    statuses = [client.get(f"{PS}/pets").status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10 and 429 in statuses[10:]
    refused = client.get(f"{PS}/pets")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limit_exceeded"
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["X-RateLimit-Limit"] == "10"


def test_plans_show_their_minute_limit(fresh: Accounts, ps_contract: Contract) -> None:
    for plan, limit in (("free", "60"), ("pro", "300")):
        client = make_client(fresh.db, ps_contract)
        client.token = setup.create_account_key(fresh.db, NAME, person="petowner1", plan=plan)
        response = client.get(f"{PS}/pets")
        assert response.headers["X-RateLimit-Limit"] == limit
        assert int(response.headers["X-RateLimit-Remaining"]) == int(limit) - 1


def test_redis_shares_a_keys_counts_between_servers(fresh: Accounts, ps_contract: Contract) -> None:
    """Two app instances with one Redis: a free key's burst of ten is spent across both."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error})")
    settings = {"redis_url": REDIS_URL, "rate_limit_namespace": f"test-{uuid.uuid4().hex}"}
    one = make_client(fresh.db, ps_contract, **settings)
    two = make_client(fresh.db, ps_contract, **settings)
    one.token = two.token = setup.create_account_key(fresh.db, NAME, person="petowner1")
    answers = [(one if n % 2 else two).get(f"{PS}/pets").status_code for n in range(11)]
    assert answers == [200] * 10 + [429]
    for client in (one, two):
        client.client.__exit__(None, None, None)
