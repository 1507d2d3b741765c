"""Upgrading a database that holds data: the platform migration keeps every key, client,
limit and event, in their new homes, and going back restores them."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from openpaws import demo, schema
from openpaws.platform import api_keys, oauth
from openpaws.platform.principals import AccountKind, Scope
from openpaws.platform.secrets import hash_secret
from openpaws.storage import migrate, writes
from openpaws.storage.database import Database
from openpaws.storage.types import to_micros
from tests.support.databases import PostgresDatabases, SqliteDatabases

KEY = "opk_an-old-write-key-made-before-the-platform"
TOKEN = "an-old-petfinder-token"
EVENT_SUBJECT = "7d0c6a0e-0000-4000-8000-000000000001"


@pytest.fixture
def before_the_platform(
    databases: SqliteDatabases | PostgresDatabases,
) -> Iterator[Database]:
    """A database at revision 0002 holding what PawPlacer and Petfinder made then."""
    db = databases.empty()
    migrate.upgrade(db, revision="0002")
    now = datetime.now(UTC)
    rows = demo.organization_rows(random.Random(3), 1, demo.EPOCH)
    with db.transaction() as tx:
        writes.insert_organizations(tx, rows)
        statements: list[tuple[str, dict[str, Any]]] = [
            (
                "INSERT INTO api_keys (uuid, organization_id, key_hash, prefix, last_four, "
                "scope, name, created_at) VALUES (:uuid, :org, :hash, 'opk_an-o', 'back', "
                "'write', 'old', :now)",
                {"uuid": "k-1", "org": rows[0]["id"], "hash": hash_secret(KEY)},
            ),
            (
                # A key's idempotent answer: a row referring to the table 0003 rebuilds.
                "INSERT INTO idempotency_keys (api_key_id, key, fingerprint, status_code, body, "
                "created_at, expires_at) SELECT id, 'retry-1', 'f', 201, '{}', :now, :later "
                "FROM api_keys",
                {"later": to_micros(now + timedelta(hours=1))},
            ),
            (
                "INSERT INTO rate_limits (organization_id, endpoint_class, per_hour) "
                "VALUES (:org, 'list', 7)",
                {"org": rows[0]["id"]},
            ),
            (
                "INSERT INTO outbox_events (uuid, organization_id, event_type, payload, "
                "created_at) VALUES ('e-1', :org, 'pet.created', :payload, :now)",
                {"org": rows[0]["id"], "payload": json.dumps({"id": EVENT_SUBJECT})},
            ),
            (
                "INSERT INTO oauth_clients (client_id, secret_hash, name, created_at) "
                "VALUES ('old-client', :secret, 'old site', :now)",
                {"secret": hash_secret("old-secret")},
            ),
            (
                "INSERT INTO access_tokens (token_hash, client_id, expires_at) "
                "SELECT :token, id, :later FROM oauth_clients WHERE client_id = 'old-client'",
                {"token": hash_secret(TOKEN), "later": to_micros(now + timedelta(hours=1))},
            ),
        ]
        for sql, params in statements:
            tx.conn.execute(text(sql), {"now": to_micros(now), **params})
    yield db
    databases.drop(db)


def _one(db: Database, sql: str) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text(sql)).one()


def _tables(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.dialect.get_table_names(conn))


def test_keys_clients_limits_and_events_move_to_their_new_homes(
    before_the_platform: Database,
) -> None:
    db = before_the_platform
    schema.upgrade(db)
    assert schema.is_current(db)
    reader = db.reader()
    principal = api_keys.authenticate(reader, "pawplacer", KEY, api_keys.Usage())
    assert principal.kind is AccountKind.ORGANIZATION
    assert principal.scopes == {Scope.ANIMALS_READ, Scope.ANIMALS_WRITE, Scope.PEOPLE_WRITE}
    application = oauth.authenticate(reader, "petfinder", TOKEN, ())
    assert application.kind is AccountKind.APPLICATION
    override = _one(db, "SELECT dialect, quota, period, per_period FROM quota_overrides")
    assert tuple(override) == ("pawplacer", "list", "hour", 7)
    assert "rate_limits" not in _tables(db)
    event = _one(db, "SELECT event_type, subject FROM outbox_events")
    assert tuple(event) == ("animal.created", EVENT_SUBJECT)
    answer = _one(
        db, "SELECT k.dialect FROM idempotency_keys i JOIN api_keys k ON k.id = i.api_key_id"
    )
    assert answer[0] == "pawplacer"


def test_going_back_restores_the_old_homes(before_the_platform: Database) -> None:
    db = before_the_platform
    schema.upgrade(db)
    schema.downgrade(db, "0002")
    assert tuple(_one(db, "SELECT scope, organization_id IS NOT NULL FROM api_keys")) == (
        "write",
        True,
    )
    assert tuple(_one(db, "SELECT endpoint_class, per_hour FROM rate_limits")) == ("list", 7)
    assert _one(db, "SELECT event_type FROM outbox_events")[0] == "pet.created"
    assert "quota_overrides" not in _tables(db)
