"""PawPlacer public read API and write API: organization keys, hourly quotas, idempotent
writes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpaws import demo
from openpaws.dialects import auth
from openpaws.dialects.pawplacer import problems, routes, vocab
from openpaws.dialects.registry import Cors, DemoContext, Dialect, KeyPolicy, register
from openpaws.domain.errors import InvalidInput
from openpaws.platform import api_keys
from openpaws.platform.api_keys import Account
from openpaws.platform.principals import AccountKind, Scope
from openpaws.platform.quotas import Counted, Limit, Quota, Window
from openpaws.services import organizations
from openpaws.storage.database import Reader

NAME = "pawplacer"
HERE = Path(__file__).parent
KEY_PREFIX = "opk_"
DEMO_KEY_NAME = "demo (this start)"

# The documented hourly limits: reads per organization, writes per key.
QUOTAS = (
    Quota(vocab.LIST_QUOTA, Limit(100, Window.HOUR), Counted.ACCOUNT),
    Quota(vocab.DETAIL_QUOTA, Limit(400, Window.HOUR), Counted.ACCOUNT),
    Quota(vocab.CUSTOM_FIELDS_QUOTA, Limit(15, Window.HOUR), Counted.ACCOUNT),
    Quota(vocab.WRITE_QUOTA, Limit(10, Window.HOUR), Counted.KEY),
)

# PawPlacer's two kinds of key; a write key reads too.
KEY_KINDS = {
    "read": frozenset({Scope.ANIMALS_READ}),
    "write": frozenset({Scope.ANIMALS_READ, Scope.ANIMALS_WRITE, Scope.PEOPLE_WRITE}),
}


def _key_scopes(
    reader: Reader, account: Account, kind: str | None, permissions: Sequence[str]
) -> frozenset[Scope]:
    if account.kind is not AccountKind.ORGANIZATION:
        raise InvalidInput.field("body", "account", "PawPlacer keys belong to organizations")
    if permissions:
        raise InvalidInput.field(
            "body", "permissions", "PawPlacer keys take --scope, not permissions"
        )
    if kind not in KEY_KINDS:
        raise InvalidInput.field("body", "scope", f"scope must be one of {', '.join(KEY_KINDS)}")
    return KEY_KINDS[kind]


def _describe(scopes: frozenset[Scope]) -> str:
    return "write" if Scope.ANIMALS_WRITE in scopes else "read"


def _demo(context: DemoContext) -> list[str]:
    """A write key of the first shelter for this start; the previous start's is revoked."""
    code = demo.first_listing_organization(context.db)
    with context.db.transaction() as tx:
        org_id = organizations.organization_id(tx.reader, code)
        for old in api_keys.list_keys(tx.reader, dialect=NAME, organization_id=org_id):
            if old.name == DEMO_KEY_NAME and old.revoked_at is None:
                api_keys.revoke_key(tx, old.uuid)
        _, key = api_keys.create_key(
            tx,
            dialect=NAME,
            prefix=KEY_PREFIX,
            account=Account(AccountKind.ORGANIZATION, org_id),
            scopes=KEY_KINDS["write"],
            name=DEMO_KEY_NAME,
        )
    return [
        f"PawPlacer API:      {context.base_url}/api/pets",
        f"  contract:         {context.base_url}/openapi.yaml",
        f"Demo x-api-key ({code}, write): {key}",
    ]


DIALECT = register(
    Dialect(
        name=NAME,
        title="PawPlacer read and write APIs",
        prefix="/pawplacer",
        routes=routes.routes,
        presenter=lambda mounted: problems.Presenter(mounted.quotas),
        contract=HERE / "openapi.yaml",
        auth=auth.ApiKeyHeader("x-api-key"),
        cors=Cors(
            allow_headers=("Content-Type", "x-api-key", "Idempotency-Key"),
            expose_headers=(
                "X-Request-Id",
                "X-Api-Version",
                "X-Generated-At",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
                "Retry-After",
                "ETag",
                "Idempotency-Replay",
            ),
        ),
        quotas=QUOTAS,
        keys=KeyPolicy(prefix=KEY_PREFIX, scopes=_key_scopes, describe=_describe),
        migrations=HERE / "migrations",
        demo=_demo,
    )
)
