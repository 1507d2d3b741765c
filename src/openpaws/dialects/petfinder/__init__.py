"""Petfinder API v2: OAuth client credentials, the animal search, types, organizations."""

from __future__ import annotations

from pathlib import Path

from openpaws.dialects import auth
from openpaws.dialects.petfinder import problems, routes
from openpaws.dialects.registry import ClientPolicy, Cors, DemoContext, Dialect, register
from openpaws.platform import oauth
from openpaws.platform.principals import Scope

NAME = "petfinder"
HERE = Path(__file__).parent
CLIENTS = ClientPolicy(
    token_lifetime_seconds=3600,
    scopes=frozenset({Scope.ANIMALS_READ, Scope.ORGANIZATIONS_READ, Scope.TAXONOMY_READ}),
)
DEMO_CLIENT_NAME = "demo"


def _demo(context: DemoContext) -> list[str]:
    """A demo client for this start (its secret is stored as a hash: each start rotates it)."""
    with context.db.transaction() as tx:
        creds = oauth.rotate_or_create_client(tx, NAME, DEMO_CLIENT_NAME)
    return [
        f"Petfinder API v2: {context.base_url}",
        f"  contract:       {context.base_url}/openapi.yaml",
        f"Demo client_id:     {creds.client_id}",
        f"Demo client_secret: {creds.client_secret}",
    ]


DIALECT = register(
    Dialect(
        name=NAME,
        title="Petfinder API v2",
        prefix="/petfinder/v2",
        routes=routes.routes,
        presenter=lambda mounted: problems.Presenter(),
        contract=HERE / "openapi.yaml",
        auth=auth.BearerToken(),
        cors=Cors(
            allow_headers=("Authorization", "Content-Type"), expose_headers=(problems.TOKEN_HEADER,)
        ),
        clients=CLIENTS,
        migrations=HERE / "migrations",
        trailing_slash=True,
        demo=_demo,
    )
)
