"""What every ``openpaws`` command shares: the console, the configured database, domain
errors shown as a red line, one transaction, and the account named by --org or --person."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import typer
from rich.console import Console

from openpaws.config import Settings
from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.errors import InvalidInput, OpenPawsError
from openpaws.services import organizations, people
from openpaws.storage.database import Database, Transaction

console = Console()
T = TypeVar("T")


def database() -> Database:
    return Database(Settings().resolved_database_url)


def fail(error: OpenPawsError) -> None:
    detail = "; ".join(f"{f.name}: {f.message}" for f in error.fields) or error.message
    console.print(f"[red]{detail}")
    raise typer.Exit(1)


@contextmanager
def errors_shown() -> Iterator[None]:
    """A command's domain errors as a red line and exit status 1."""
    try:
        yield
    except OpenPawsError as error:
        fail(error)


def in_transaction(work: Callable[[Database, Transaction], T]) -> T:
    """``work(db, tx)`` in one transaction of the configured database; errors shown."""
    with database() as db, errors_shown(), db.transaction() as tx:
        return work(db, tx)


def account(tx: Transaction, org: str | None, person: str | None) -> Account:
    reader = tx.reader
    if (org is None) == (person is None):
        raise InvalidInput.field("body", "account", "Give --org or --person")
    if org is not None:
        return Account(AccountKind.ORGANIZATION, organizations.organization_id(reader, org))
    assert person is not None
    return Account(AccountKind.PERSON, people.person_id(reader, person))
