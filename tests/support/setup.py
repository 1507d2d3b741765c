"""Every call the tests make into OpenPaws's own setup services, in one place.

Tests and fixtures set up clients, keys, limits, statuses and fields through these functions
(and read back what setup or the CLI did through the last few), never through the services
themselves: when a service's signature changes, only this module changes with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from openpaws import demo
from openpaws.dialects import pawplacer, petfinder, registry
from openpaws.domain.bookings import BookingRequest, Provider, ProviderFilters
from openpaws.domain.commerce import AddressChange, OrderRequest, PaymentMethodChange
from openpaws.domain.custom_fields import FieldSpec
from openpaws.domain.entities import CustomFieldDefinition, CustomStatus
from openpaws.domain.health import RecordChange, TagRequest
from openpaws.platform import api_keys, oauth, quotas
from openpaws.platform.api_keys import Account
from openpaws.platform.principals import AccountKind
from openpaws.platform.secret_keys import new_key, secret_box
from openpaws.platform.secrets import hash_secret as _hash_secret
from openpaws.platform.webhooks import endpoints as webhook_endpoints
from openpaws.services import (
    account_records,
    animal_changes,
    bookings,
    health,
    orders,
    org_settings,
    organizations,
    people,
)
from openpaws.storage import quota_overrides, writes
from openpaws.storage.database import Database
from openpaws.storage.tables import access_tokens

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
    with db.transaction() as tx:
        writes.insert_organizations(tx, rows)


def insert_animals(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    with db.transaction() as tx:
        writes.insert_animals(tx, rows)


def insert_persons(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    with db.transaction() as tx:
        writes.insert_persons(tx, rows)


def insert_custom_statuses(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    with db.transaction() as tx:
        writes.insert_custom_statuses(tx, rows)


def delete_pet(db: Database, org_code: str, identifier: str) -> None:
    """Soft-delete the organization's pet with this UUID or custom id."""
    with db.transaction() as tx:
        animal_changes.delete_animal(tx, organization_id(db, org_code), identifier)


# --- Petfinder clients and tokens ---


def create_client(db: Database, name: str, dialect: str = petfinder.NAME) -> ClientCredentials:
    """A new OAuth client; its secret is known only here."""
    with db.transaction() as tx:
        return oauth.create_client(tx, dialect, name)


def issue_token(
    db: Database, client_id: str, client_secret: str, seconds: int, dialect: str = petfinder.NAME
) -> str:
    """A bearer token for the client, as the token endpoint would issue it."""
    creds = oauth.ClientCredentials(client_id, client_secret)
    with db.transaction() as tx:
        return oauth.issue_token(tx, dialect, creds, seconds).access_token


def token_seconds_left(db: Database, token: str, dialect: str = petfinder.NAME) -> int:
    """Seconds the token has left; raises as the API would refuse it."""
    principal = oauth.authenticate(db.reader(), dialect, token, ())
    assert principal.credential.expires_at is not None
    return principal.credential.expires_at - int(datetime.now(UTC).timestamp())


def expire_token(db: Database, token: str) -> None:
    """Make the bearer token expire now."""
    with db.transaction() as tx:
        tx.conn.execute(
            update(access_tokens)
            .where(access_tokens.c.token_hash == hash_secret(token))
            .values(expires_at=datetime.now(UTC))
        )


def hash_secret(secret: str) -> str:
    """How secrets and tokens are stored."""
    return _hash_secret(secret)


# --- PawPlacer keys ---


def create_key_with_id(
    db: Database, org_code: str, scope: str, name: str | None = None
) -> tuple[str, str]:
    """A new API key of the organization: (its id, the plain key)."""
    with db.transaction() as tx:
        account = Account(AccountKind.ORGANIZATION, organization_id(db, org_code))
        record, plain = api_keys.create_key(
            tx,
            dialect=pawplacer.NAME,
            prefix=pawplacer.KEY_PREFIX,
            account=account,
            scopes=pawplacer.KEY_KINDS[scope],
            name=name,
        )
    return record.uuid, plain


def create_key(db: Database, org_code: str, scope: str, name: str | None = None) -> str:
    """A new API key of the organization; the plain key."""
    return create_key_with_id(db, org_code, scope, name)[1]


def key_row_id(db: Database, key_id: str) -> int:
    """The database id of the key with this public id."""
    return api_keys.key_id(db.reader(), key_id)


def revoke_key(db: Database, key_id: str) -> None:
    with db.transaction() as tx:
        api_keys.revoke_key(tx, key_id)


def key_organization_id(db: Database, plain_key: str) -> int:
    """The organization a key authenticates as; raises as the API would refuse it."""
    principal = api_keys.authenticate(db.reader(), pawplacer.NAME, plain_key, api_keys.Usage())
    return principal.organization_id


# --- Keys of any dialect with key policies (Paws Source) ---


def create_account_key(
    db: Database,
    dialect: str,
    *,
    org: str | None = None,
    person: str | None = None,
    plan: str | None = None,
    permissions: Sequence[str] = (),
    expires_at: datetime | None = None,
    per_minute: int | None = None,
    burst: int | None = None,
) -> str:
    """A new key of ``dialect`` for an organization (code) or a person (username), made as
    ``openpaws keys create`` makes it; with ``per_minute``, the key's own limits."""
    chosen = registry.dialect(dialect)
    policy = chosen.keys
    assert policy is not None
    with db.transaction() as tx:
        if org is not None:
            account = Account(AccountKind.ORGANIZATION, organization_id(db, org))
        else:
            assert person is not None
            account = Account(AccountKind.PERSON, people.person_id(tx.reader, person))
        record, plain = api_keys.create_key(
            tx,
            dialect=dialect,
            prefix=policy.prefix,
            account=account,
            scopes=policy.scopes(tx.reader, account, None, permissions),
            plan=plan or (policy.plans[0] if policy.plans else None),
            expires_at=expires_at,
        )
        if per_minute is not None:
            limit = quotas.Limit(per_minute, quotas.Window.MINUTE, burst)
            for quota in chosen.quotas:
                quotas.set_override(
                    tx, dialect=dialect, quota=quota, limit=limit, api_key_id=record.id
                )
    return plain


def person_account(db: Database, username: str) -> Account:
    return Account(AccountKind.PERSON, person_id(db, username))


def add_address(db: Database, account: Account, change: AddressChange) -> int:
    with db.transaction() as tx:
        return account_records.add_address(tx, account, change).id


def add_payment_method(db: Database, account: Account, change: PaymentMethodChange) -> int:
    with db.transaction() as tx:
        return account_records.add_payment_method(tx, account, change).id


def place_order(db: Database, account: Account, request: OrderRequest) -> int:
    with db.transaction() as tx:
        return orders.place_order(tx, account, request).id


def book(db: Database, account: Account, request: BookingRequest) -> int:
    with db.transaction() as tx:
        return bookings.book(tx, account, request).id


def add_record(db: Database, account: Account, animal_id: int, change: RecordChange) -> int:
    with db.transaction() as tx:
        return health.add_record(tx, account, animal_id, change).id


def add_tag(db: Database, account: Account, animal_id: int, request: TagRequest) -> int:
    with db.transaction() as tx:
        return health.add_tag(tx, account, animal_id, request).id


# One key seals webhook secrets in every test database (PostgreSQL has no key file beside it).
TEST_SECRET_KEY = new_key()


def add_webhook_endpoint(
    db: Database, account: Account, url: str, *, allow_private: bool = False
) -> int:
    """A Paws Source endpoint of the account receiving pet.created; its row id."""
    with db.transaction() as tx:
        made = webhook_endpoints.create(
            tx,
            secret_box(TEST_SECRET_KEY, db.url),
            dialect="pawssource",
            style=registry.dialect("pawssource").webhooks,  # type: ignore[arg-type]
            account=account,
            url=url,
            events=["pet.created"],
            description=None,
            allow_private=allow_private,
            now=datetime.now(UTC),
        )
    return made.endpoint.id


def queue_webhook_test(db: Database, account: Account, endpoint_id: int) -> int:
    """A test event's delivery to the endpoint, queued; its row id."""
    with db.transaction() as tx:
        return webhook_endpoints.send_test(tx, account, endpoint_id, datetime.now(UTC)).id


def providers(db: Database, role: str) -> list[Provider]:
    return bookings.providers(db.reader(), ProviderFilters(role=role), 100, None)


def person_id(db: Database, username: str) -> int:
    return people.person_id(db.reader(), username)


# --- Organization settings ---


def organization_id(db: Database, code: str) -> int:
    """The id of the organization with this code (or UUID)."""
    return organizations.organization_id(db.reader(), code)


def set_limit(db: Database, org_code: str, endpoint_class: str, per_hour: int) -> None:
    """The organization's hourly limit for one of PawPlacer's quotas (list, ..., write)."""
    quota = pawplacer.DIALECT.quota(endpoint_class)
    limit = quotas.Limit(per_hour, quotas.Window.HOUR)
    with db.transaction() as tx:
        quotas.set_override(
            tx,
            dialect=pawplacer.NAME,
            quota=quota,
            limit=limit,
            organization_id=organization_id(db, org_code),
        )


def rate_limit(db: Database, org_code: str, endpoint_class: str) -> int | None:
    """The organization's own hourly limit for the quota, if it set one."""
    found = quota_overrides.find(
        db.reader(), pawplacer.NAME, endpoint_class, organization_id(db, org_code), None
    )
    return next((o.per_period for o in found if o.period == "hour"), None)


def statuses(db: Database, org_code: str) -> list[CustomStatus]:
    """The organization's status labels, in order."""
    return org_settings.status_list(db.reader(), organization_id(db, org_code))


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
    spec = FieldSpec(
        entity,
        field_key,
        label,
        field_type,
        required=required,
        options=tuple(options) if options else None,
    )
    with db.transaction() as tx:
        org_settings.add_field(tx, organization_id(db, org_code), spec)


def fields(db: Database, org_code: str, entity: str) -> list[CustomFieldDefinition]:
    """The organization's custom fields of one entity, in order."""
    return org_settings.field_definitions(db.reader(), organization_id(db, org_code), entity)
