"""The dialect seam: each API OpenPaws serves registers itself here.

A dialect is a package under ``openpaws.dialects`` whose ``__init__`` calls :func:`register`
with a :class:`Dialect`: its name, default prefix, routes, auth scheme, presenter (success
and error shapes), the CORS headers it needs, its OpenAPI contract, its credentials policy,
quotas, migrations, CLI commands and demo banner. The server, the configuration and the CLI
iterate :func:`dialects`; nothing else names a dialect.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from openpaws.dialects.pipeline import AuthScheme, Mounted, Presenter, Route
from openpaws.dialects.versions import Versioning
from openpaws.domain.errors import InvalidInput
from openpaws.platform.api_keys import Account
from openpaws.platform.principals import Scope
from openpaws.platform.quotas import Quota
from openpaws.platform.webhooks.styles import WebhookStyle

if TYPE_CHECKING:
    import typer

    from openpaws.storage.database import Database, Reader


@dataclass(frozen=True)
class KeyPolicy:
    """How a dialect's API keys look and what they may do."""

    prefix: str  # the typed prefix every key starts with, e.g. "opk_"
    # The canonical scopes a key gets from the words an operator gives (``--scope``,
    # ``--permissions``) for an account (read through the reader: what kind of organization
    # it is may matter); raises InvalidInput for words it does not know.
    scopes: Callable[[Reader, Account, str | None, Sequence[str]], frozenset[Scope]]
    # How a key's scopes are shown in listings.
    describe: Callable[[frozenset[Scope]], str]
    plans: tuple[str, ...] = ()  # the plans a key may have (the first is the default)


@dataclass(frozen=True)
class ClientPolicy:
    """A dialect whose applications authenticate as OAuth clients."""

    token_lifetime_seconds: int
    scopes: frozenset[Scope]  # what every client of the dialect may do


@dataclass(frozen=True)
class Cors:
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoContext:
    """What a dialect's demo banner gets: the database and where it is served."""

    db: Database
    base_url: str  # the dialect's prefix on the demo server


@dataclass(frozen=True)
class Dialect:
    name: str  # lower-case; OPENPAWS_<NAME>_PREFIX overrides ``prefix``
    title: str
    prefix: str
    routes: Callable[[Mounted], Sequence[Route]]
    presenter: Callable[[Mounted], Presenter]
    contract: Path  # the checked-in OpenAPI document, served at <prefix>/openapi.yaml
    auth: AuthScheme | None = None
    cors: Cors = Cors()
    quotas: tuple[Quota, ...] = ()
    keys: KeyPolicy | None = None
    clients: ClientPolicy | None = None
    migrations: Path | None = None  # revisions of the dialect's own data
    max_body_bytes: int = 1024 * 1024
    trailing_slash: bool = False  # each path also answers with a trailing slash
    # Adds the dialect's own commands to the CLI.
    cli: Callable[[typer.Typer], None] | None = None
    # Makes the demo credentials for this start and gives the lines to print.
    demo: Callable[[DemoContext], list[str]] | None = None
    # A version in the path with a header as the fallback, and retired versions.
    versioning: Versioning | None = None
    # Webhooks: the events the dialect offers, its envelope and its signature header.
    webhooks: WebhookStyle | None = None

    def quota(self, name: str) -> Quota:
        found = next((q for q in self.quotas if q.name == name), None)
        if found is None:
            names = ", ".join(q.name for q in self.quotas) or "none"
            raise InvalidInput.field(
                "body", "quota", f"{name} is not a quota of {self.name}: {names}"
            )
        return found


_REGISTERED: dict[str, Dialect] = {}


def register(dialect: Dialect) -> Dialect:
    _REGISTERED[dialect.name] = dialect
    return dialect


@cache
def _discover() -> None:
    """Import every package under ``openpaws.dialects``; each registers itself."""
    package = importlib.import_module("openpaws.dialects")
    for module in pkgutil.iter_modules(package.__path__):
        if module.ispkg:
            importlib.import_module(f"openpaws.dialects.{module.name}")


def dialects() -> list[Dialect]:
    """Every registered dialect, by name."""
    _discover()
    return [_REGISTERED[name] for name in sorted(_REGISTERED)]


def find(name: str) -> Dialect | None:
    """The dialect of this name, if one is registered."""
    _discover()
    return _REGISTERED.get(name)


def dialect(name: str) -> Dialect:
    _discover()
    found = _REGISTERED.get(name)
    if found is None:
        known = ", ".join(sorted(_REGISTERED))
        raise InvalidInput.field("body", "dialect", f"{name} is not a dialect: {known}")
    return found


def migration_locations() -> list[Path]:
    return [d.migrations for d in dialects() if d.migrations is not None]


def with_keys() -> list[Dialect]:
    return [d for d in dialects() if d.keys is not None]


def with_clients() -> list[Dialect]:
    return [d for d in dialects() if d.clients is not None]


def webhook_styles() -> dict[str, WebhookStyle]:
    """Each dialect that has webhooks, by name: what the worker renders and signs with."""
    return {d.name: d.webhooks for d in dialects() if d.webhooks is not None}


def with_quotas() -> list[Dialect]:
    return [d for d in dialects() if d.quotas]
