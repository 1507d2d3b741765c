"""Paws Source API v2: pet profiles, medical records and tags, vet and grooming bookings, the
catalog and orders, for organizations and pet owners, with ``pk_live_`` bearer keys."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpaws import demo
from openpaws.dialects import auth
from openpaws.dialects.pawssource import problems, routes, vocab, webhooks
from openpaws.dialects.registry import Cors, DemoContext, Dialect, KeyPolicy, register
from openpaws.dialects.versions import Retired, Versioning
from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.errors import InvalidInput
from openpaws.domain.vocab import OrganizationKind
from openpaws.platform import api_keys
from openpaws.platform.principals import Scope
from openpaws.platform.quotas import Counted, Limit, Quota, Window
from openpaws.services import organizations, people
from openpaws.storage.database import Reader, Transaction

NAME = "pawssource"
HERE = Path(__file__).parent
KEY_PREFIX = vocab.KEY_PREFIX

# Per key: a rolling minute, and at most ``burst`` in any one second (docs/pawssource.md).
# Enterprise keys take the numbers an operator gives (``keys create --per-minute --burst``);
# until then, Pro's.
FREE = Limit(60, Window.MINUTE, burst=10)
PRO = Limit(300, Window.MINUTE, burst=50)
QUOTAS = (
    Quota(routes.QUOTA, FREE, Counted.KEY, plans={"free": FREE, "pro": PRO, "enterprise": PRO}),
)


def permissions_for(reader: Reader, account: Account) -> tuple[str, ...]:
    """Every permission the account may hold."""
    if account.kind is not AccountKind.ORGANIZATION:
        return vocab.EVERY_ACCOUNT
    kind = organizations.organization_kind(reader, account.id)
    extra = tuple(p for p, kinds in vocab.PROVIDERS.items() if kind in kinds)
    return (*vocab.EVERY_ACCOUNT, *extra)


def _key_scopes(
    reader: Reader, account: Account, kind: str | None, permissions: Sequence[str]
) -> frozenset[Scope]:
    if kind is not None:
        raise InvalidInput.field(
            "body", "scope", "Paws Source keys take --permissions, not --scope"
        )
    allowed = permissions_for(reader, account)
    for word in permissions:
        if word not in vocab.PERMISSIONS:
            known = ", ".join(vocab.PERMISSIONS)
            raise InvalidInput.field("body", "permissions", f"{word} is not one of: {known}")
        if word not in allowed:
            raise InvalidInput.field(
                "body", "permissions", f"{word} is not for this account ({', '.join(allowed)})"
            )
    chosen = permissions or allowed
    return vocab.EVERY_KEY.union(*(vocab.PERMISSIONS[w] for w in chosen))


def describe(scopes: frozenset[Scope]) -> str:
    """The permissions a key's scopes give."""
    return ",".join(w for w, given in vocab.PERMISSIONS.items() if given <= scopes)


DEMO_KEY_NAME = "demo (this start)"
# "Legacy v1 endpoints are deprecated and will sunset on Dec 31, 2025."
SUNSET = "Wed, 31 Dec 2025 23:59:59 GMT"


def _demo_key(tx: Transaction, account: Account) -> str:
    """A Pro key of the account for this start; the previous start's is revoked."""
    owner = {"organization_id": account.organization_id, "person_id": account.person_id}
    for old in api_keys.list_keys(tx.reader, dialect=NAME, **owner):
        if old.name == DEMO_KEY_NAME and old.revoked_at is None:
            api_keys.revoke_key(tx, old.uuid)
    scopes = _key_scopes(tx.reader, account, None, ())
    _, key = api_keys.create_key(
        tx,
        dialect=NAME,
        prefix=KEY_PREFIX,
        account=account,
        scopes=scopes,
        plan="pro",
        name=DEMO_KEY_NAME,
    )
    return key


def _demo(context: DemoContext) -> list[str]:
    """Keys of the first pet owner and the first shop, for this start."""
    shop = demo.first_of_kind(context.db, OrganizationKind.SHOP)
    with context.db.transaction() as tx:
        owner = Account(AccountKind.PERSON, people.person_id(tx.reader, demo.FIRST_OWNER))
        shop_account = Account(
            AccountKind.ORGANIZATION, organizations.organization_id(tx.reader, shop)
        )
        owner_key, shop_key = _demo_key(tx, owner), _demo_key(tx, shop_account)
    return [
        f"Paws Source API v2: {context.base_url}",
        f"  contract:         {context.base_url}/openapi.yaml",
        f"Demo Paws Source key (pet owner {demo.FIRST_OWNER}): {owner_key}",
        f"Demo Paws Source key (shop {shop}): {shop_key}",
    ]


DIALECT = register(
    Dialect(
        name=NAME,
        title="Paws Source API v2",
        prefix="/pawssource/v2",
        routes=routes.routes,
        presenter=lambda mounted: problems.Presenter(mounted.quotas),
        contract=HERE / "openapi.yaml",
        auth=auth.BearerApiKey(),
        cors=Cors(
            allow_headers=("Authorization", "Content-Type", "Api-Version", "Idempotency-Key"),
            expose_headers=(
                "X-Request-Id",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
                "Retry-After",
                "Idempotency-Replay",
            ),
        ),
        quotas=QUOTAS,
        keys=KeyPolicy(prefix=KEY_PREFIX, scopes=_key_scopes, describe=describe, plans=vocab.PLANS),
        demo=_demo,
        webhooks=webhooks.STYLE,
        versioning=Versioning(
            current="v2",
            header="Api-Version",
            names=frozenset({"2", "v2", "2.0", "2.x"}),
            retired={"v1": Retired(SUNSET, "/pawssource/v2/openapi.yaml")},
        ),
    )
)
