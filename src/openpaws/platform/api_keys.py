"""API keys: made and shown once, stored as hashes, checked on every request.

A key belongs to one account (an organization or a person) and one dialect, and carries its
typed prefix, canonical scopes, an optional plan and expiry, and the time it was last used.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from openpaws.domain.accounts import Account
from openpaws.domain.errors import NotFound, Unauthenticated
from openpaws.platform.principals import (
    AccountKind,
    Credential,
    CredentialKind,
    Principal,
    Scope,
)
from openpaws.platform.secrets import hash_secret
from openpaws.storage import api_keys as store
from openpaws.storage.database import Reader, Transaction

SECRET_BYTES = 32  # 256 random bits after the prefix
KEY_MISSING = "API key required"


def create_key(
    tx: Transaction,
    *,
    dialect: str,
    prefix: str,
    account: Account,
    scopes: Iterable[Scope],
    plan: str | None = None,
    expires_at: datetime | None = None,
    name: str | None = None,
) -> tuple[store.KeyRecord, str]:
    """A new key; the plain key is returned only here and stored only as a hash."""
    plain = prefix + secrets.token_urlsafe(SECRET_BYTES)
    key_uuid = str(uuid.uuid4())
    store.insert_key(
        tx,
        uuid=key_uuid,
        dialect=dialect,
        organization_id=account.id if account.kind is AccountKind.ORGANIZATION else None,
        person_id=account.id if account.kind is AccountKind.PERSON else None,
        key_hash=hash_secret(plain),
        prefix=plain[: len(prefix) + 4],
        last_four=plain[-4:],
        scopes=sorted(s.value for s in scopes),
        plan=plan,
        name=name,
        created_at=datetime.now(UTC),
        expires_at=expires_at,
    )
    record = store.by_uuid(tx.reader, key_uuid)
    assert record is not None
    return record, plain


def revoke_key(tx: Transaction, key_uuid: str) -> None:
    if not store.revoke(tx, key_uuid, datetime.now(UTC)):
        raise NotFound(f"No active API key {key_uuid}", kind="api_key")


def key_id(reader: Reader, key_uuid: str) -> int:
    record = store.by_uuid(reader, key_uuid)
    if record is None:
        raise NotFound(f"No API key {key_uuid}", kind="api_key")
    return record.id


class Usage:
    """When each key was last used, noted in memory and written now and then
    (:meth:`flush`), so that a read never waits for a write."""

    def __init__(self) -> None:
        self._seen: dict[int, int] = {}
        self._lock = threading.Lock()

    def note(self, key_id: int) -> None:
        with self._lock:
            self._seen[key_id] = int(time.time())

    def flush(self, tx: Transaction) -> int:
        with self._lock:
            seen, self._seen = self._seen, {}
        try:
            for key, at in seen.items():
                store.set_last_used(tx, key, datetime.fromtimestamp(at, UTC))
        except BaseException:
            self._keep(seen)  # the transaction is undone: write them next time
            raise
        return len(seen)

    def _keep(self, seen: dict[int, int]) -> None:
        with self._lock:
            for key, at in seen.items():
                self._seen[key] = max(at, self._seen.get(key, at))


def authenticate(reader: Reader, dialect: str, plain_key: str | None, usage: Usage) -> Principal:
    """The account behind a key of ``dialect``; missing, unknown, revoked and expired keys
    (or another dialect's) are refused, ``reason`` telling which."""
    if not plain_key or not plain_key.strip():
        raise Unauthenticated(KEY_MISSING, reason="missing")
    found = store.owner_of(reader, hash_secret(plain_key.strip()))
    if found is None or found.dialect != dialect:
        raise Unauthenticated("Invalid API key", reason="unknown")
    if found.revoked:
        raise Unauthenticated("This API key was revoked", reason="revoked")
    if found.expires_at is not None and found.expires_at <= time.time():
        raise Unauthenticated("This API key has expired", reason="expired")
    usage.note(found.id)
    kind = AccountKind.ORGANIZATION if found.organization_id is not None else AccountKind.PERSON
    account = found.organization_id if found.organization_id is not None else found.person_id
    assert account is not None
    credential = Credential(CredentialKind.API_KEY, found.id, dialect, found.expires_at)
    return Principal(kind, account, credential, _scopes(found.scopes), found.plan)


_SCOPES: dict[str, frozenset[Scope]] = {}


def _scopes(text: str) -> frozenset[Scope]:
    """Scopes as stored (a JSON list), decoded once per distinct list."""
    found = _SCOPES.get(text)
    if found is None:
        found = _SCOPES[text] = frozenset(Scope(s) for s in store.decode_scopes(text))
    return found


def scopes_of(record: store.KeyRecord) -> frozenset[Scope]:
    return frozenset(Scope(s) for s in record.scopes)


def list_keys(
    reader: Reader,
    *,
    dialect: str | None = None,
    organization_id: int | None = None,
    person_id: int | None = None,
) -> list[store.KeyRecord]:
    return store.list_keys(
        reader, dialect=dialect, organization_id=organization_id, person_id=person_id
    )
