"""Organization API keys: made and shown once, stored as hashes, checked on every request."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

from openpaws.domain import org_settings
from openpaws.domain.errors import InvalidInput, NotFound, Unauthenticated
from openpaws.platform.oauth import hash_secret
from openpaws.platform.principals import KEY_SCOPES, Principal
from openpaws.storage import api_keys, organization_queries
from openpaws.storage.database import Database

KEY_PREFIX = "opk_"


def create_key(
    db: Database, organization: str, scope: str, name: str | None = None
) -> tuple[api_keys.KeyRecord, str]:
    """A new key for the organization (by code or UUID); the plain key is returned only here."""
    if scope not in KEY_SCOPES:
        raise InvalidInput.field("body", "scope", f"scope must be one of {', '.join(KEY_SCOPES)}")
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    key_uuid = str(uuid.uuid4())
    with db.transaction() as conn:
        org_id = organization_queries.id_for_reference(db.reader_on(conn), organization)
        if org_id is None:
            raise NotFound(f"Organization {organization} not found")
        api_keys.insert_key(
            conn,
            uuid=key_uuid,
            organization_id=org_id,
            key_hash=hash_secret(plain),
            prefix=plain[:8],
            last_four=plain[-4:],
            scope=scope,
            name=name,
            created_at=now,
        )
        record = next(k for k in api_keys.list_keys(conn, org_id) if k.uuid == key_uuid)
    return record, plain


def list_keys(db: Database, organization: str | None = None) -> list[api_keys.KeyRecord]:
    org_id = None if organization is None else org_settings.organization_id(db, organization)
    with db.engine.connect() as conn:
        return api_keys.list_keys(conn, org_id)


def revoke_key(db: Database, key_uuid: str) -> None:
    with db.transaction() as conn:
        if not api_keys.revoke(conn, key_uuid, datetime.now(UTC)):
            raise NotFound(f"No active API key {key_uuid}")


def authenticate(db: Database, plain_key: str | None) -> Principal:
    if not plain_key:
        raise Unauthenticated("API key required")
    with db.read() as reader:
        owner = api_keys.owner_of(reader, hash_secret(plain_key.strip()))
    if owner is None:
        raise Unauthenticated("API key required")
    return Principal(owner.organization_id, owner.api_key_id, KEY_SCOPES[owner.scope])
