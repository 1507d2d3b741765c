"""Hostile input, replayed against every route of every served dialect on both databases.

For each request of the corpus (tests/support/hostile.py): no 5xx; an error is in the dialect's
documented shape; and a rejected write changed nothing, counted in the database itself (every
row of every table), not through an API that might hide a row. A dialect joins by providing
``tests/<dialect>/hostile.py`` with its ``TARGET``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from openpaws.config import Settings
from openpaws.dialects import registry
from openpaws.server import create_app
from openpaws.storage.database import Database
from tests.support import hostile, setup
from tests.support.contract import Contract
from tests.support.databases import PostgresDatabases, SqliteDatabases
from tests.support.setup import TEST_SECRET_KEY

DIALECTS = [dialect.name for dialect in registry.dialects()]
ORIGIN = {"Origin": "https://x.example"}
# The corpus fails authentication on purpose; the throttle must not answer for the routes.
# No webhook worker (the corpus checks what each request alone changes); one key seals the
# secrets of endpoints the corpus creates, on either database.
UNTHROTTLED = Settings(
    auth_failures_per_address=10**6,
    auth_failures_per_credential=10**6,
    worker=False,
    secret_key=TEST_SECRET_KEY,
)


def target_of(name: str) -> hostile.Target:
    module = importlib.import_module(f"tests.{name}.hostile")
    target: hostile.Target = module.TARGET
    return target


@pytest.fixture(scope="module")
def hostile_db(databases: SqliteDatabases | PostgresDatabases) -> Iterator[Database]:
    db = databases.fresh()
    setup.load_demo(db, 60, organizations=4)
    yield db
    databases.drop(db)


@pytest.mark.parametrize("name", DIALECTS)
def test_hostile_requests_get_clear_errors_and_change_nothing(
    hostile_db: Database, name: str
) -> None:
    target = target_of(name)
    dialect = registry.dialect(name)
    contract = Contract(dialect.contract, f"urn:openpaws:{name}", dialect.prefix)
    error_shape = contract.validator(target.error_schema)
    given = target.given(hostile_db)
    for operation in hostile.operations(contract):
        if operation.method in {"POST", "PUT", "PATCH"}:
            assert operation.key in given.bodies, f"{name}: no valid body for {operation.key}"
    failures: list[str] = []
    sent = 0
    with TestClient(create_app(UNTHROTTLED, hostile_db)) as client:
        for operation in hostile.operations(contract):
            for number, probe in enumerate(
                hostile.probes(dialect.prefix, operation, contract, given)
            ):
                before = hostile.digest(hostile_db) if operation.writes else None
                # Every other probe carries an Origin, so both entries (the thin path and
                # Litestar) meet the corpus.
                entry = ORIGIN if number % 2 else {}
                response = client.request(
                    operation.method,
                    probe.url,
                    headers={**given.headers, **entry, **probe.headers},
                    content=probe.content,
                )
                sent += 1
                status = response.status_code
                if status >= 500:
                    failures.append(f"{probe}: {status} {response.text[:200]}")
                    continue
                if status < 400:
                    continue
                media_type = response.headers.get("content-type", "").split(";")[0].strip()
                if media_type != target.error_media_type:
                    failures.append(f"{probe}: {status} answered as {media_type!r}")
                elif errors := list(error_shape.iter_errors(response.json())):
                    failures.append(f"{probe}: {status} not in the error shape: {errors[0]}")
                if before is not None and hostile.digest(hostile_db) != before:
                    failures.append(f"{probe}: rejected with {status}, yet the database changed")
    assert sent > 100, f"only {sent} hostile requests were made of {name}"
    assert not failures, f"{len(failures)} of {sent}:\n" + "\n".join(failures[:40])
