"""Every call the tests make into OpenPaws's own setup services, in one place.

Tests and fixtures set up clients, keys, limits, statuses and fields through these functions
(and read back what setup or the CLI did through the last few), never through the services
themselves: when a service's signature changes, only this module changes with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from openpaws import demo
from openpaws.domain import animal_changes, org_settings
from openpaws.domain.entities import CustomFieldDefinition, CustomStatus
from openpaws.platform import api_keys, oauth
from openpaws.storage import credentials, writes
from openpaws.storage import org_settings as org_settings_store
from openpaws.storage.database import Database

# A Petfinder client's id and secret (``client_id``, ``client_secret``).
ClientCredentials = oauth.ClientCredentials


# --- Data ---


def load_demo(db: Database, animals: int, organizations: int | None = None) -> None:
    """The deterministic demo data set, into an empty database."""
    demo.load(db, animals, organizations=organizations)


def first_listing_organization(db: Database) -> str:
    """The code of the first shelter or rescue."""
    return demo.first_listing_organization(db)


def insert_organizations(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    with db.transaction() as conn:
        writes.insert_organizations(conn, rows)


def insert_animals(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    with db.transaction() as conn:
        writes.insert_animals(conn, rows)


def insert_persons(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    with db.transaction() as conn:
        writes.insert_persons(conn, rows)


def insert_custom_statuses(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    with db.transaction() as conn:
        writes.insert_custom_statuses(conn, rows)


def delete_pet(db: Database, org_code: str, identifier: str) -> None:
    """Soft-delete the organization's pet with this UUID or custom id."""
    animal_changes.delete_animal(db, organization_id(db, org_code), identifier)


# --- Petfinder clients and tokens ---


def create_client(db: Database, name: str) -> ClientCredentials:
    """A new OAuth client; its secret is known only here."""
    return oauth.create_client(db, name)


def issue_token(db: Database, client_id: str, client_secret: str, seconds: int) -> str:
    """A bearer token for the client, as the token endpoint would issue it."""
    creds = oauth.ClientCredentials(client_id, client_secret)
    return oauth.issue_token(db, creds, seconds).access_token


def token_seconds_left(db: Database, token: str) -> int:
    return oauth.token_seconds_left(db, token)


def expire_token(db: Database, token: str) -> None:
    """Make the bearer token expire now."""
    with db.transaction() as conn:
        credentials.expire_token_now(conn, hash_secret(token), datetime.now(UTC))


def hash_secret(secret: str) -> str:
    """How secrets and tokens are stored."""
    return oauth.hash_secret(secret)


# --- PawPlacer keys ---


def create_key_with_id(
    db: Database, org_code: str, scope: str, name: str | None = None
) -> tuple[str, str]:
    """A new API key of the organization: (its id, the plain key)."""
    record, plain = api_keys.create_key(db, org_code, scope, name)
    return record.uuid, plain


def create_key(db: Database, org_code: str, scope: str, name: str | None = None) -> str:
    """A new API key of the organization; the plain key."""
    return create_key_with_id(db, org_code, scope, name)[1]


def revoke_key(db: Database, key_id: str) -> None:
    api_keys.revoke_key(db, key_id)


def key_organization_id(db: Database, plain_key: str) -> int:
    """The organization a key authenticates as; raises as the API would refuse it."""
    return api_keys.authenticate(db, plain_key).organization_id


# --- Organization settings ---


def organization_id(db: Database, code: str) -> int:
    """The id of the organization with this code (or UUID)."""
    return org_settings.organization_id(db, code)


def set_limit(db: Database, org_code: str, endpoint_class: str, per_hour: int) -> None:
    """The organization's hourly limit for one endpoint class (list, detail, ..., write)."""
    org_settings.set_rate_limit(db, org_code, endpoint_class, per_hour)


def rate_limit(db: Database, org_code: str, endpoint_class: str) -> int | None:
    """The organization's own hourly limit for the class, if it set one."""
    with db.read() as reader:
        found: int | None = org_settings_store.rate_limit(
            reader, organization_id(db, org_code), endpoint_class
        )
    return found


def statuses(db: Database, org_code: str) -> list[CustomStatus]:
    """The organization's status labels, in order."""
    return org_settings.statuses_of(db, org_code)


def add_field(
    db: Database,
    org_code: str,
    entity: str,
    field_key: str,
    label: str,
    field_type: str,
    *,
    required: bool = False,
    options: Sequence[str] | None = None,
) -> None:
    """A custom field of the organization's pets (``entity`` "pet") or people."""
    spec = org_settings.FieldSpec(
        entity,
        field_key,
        label,
        field_type,
        required=required,
        options=tuple(options) if options else None,
    )
    org_settings.add_field(db, org_code, spec)


def fields(db: Database, org_code: str, entity: str) -> list[CustomFieldDefinition]:
    """The organization's custom fields of one entity, in order."""
    return org_settings.fields_of(db, org_code, entity)
