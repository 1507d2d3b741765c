"""What the webhook tests share: a client allowed to register local receivers, a worker over
the test database with a clock the test moves, and reading the delivery tables."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from openpaws.dialects import registry
from openpaws.platform.secret_keys import secret_box
from openpaws.platform.webhooks import targets
from openpaws.platform.webhooks.worker import Worker, WorkerSettings
from openpaws.storage.database import Database
from openpaws.storage.tables import webhook_attempts, webhook_deliveries
from tests.conftest import TEST_SECRET_KEY, make_client
from tests.pawssource.conftest import NAME, PS, ROOMY
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.receiver import Received


class Clock:
    """A clock the test sets and moves (the worker's notion of now)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now

    def move(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def hook_client(db: Database, contract: Contract, **account: Any) -> ContractClient:
    """A Paws Source client whose server lets endpoints point at this machine's receivers."""
    client = make_client(db, contract, webhooks_allow_private=True)
    client.token = setup.create_account_key(db, NAME, **{**ROOMY, **account})
    return client


def new_worker(
    db: Database,
    clock: Clock | None = None,
    *,
    timeout: float = 2.0,
    allow_private: bool = True,
    resolver: targets.Resolver | None = None,
    **settings: Any,
) -> Worker:
    return Worker(
        db,
        secret_box(TEST_SECRET_KEY, db.url),
        registry.webhook_styles(),
        WorkerSettings(timeout_seconds=timeout, allow_private=allow_private, **settings),
        clock=clock or (lambda: datetime.now(UTC)),
        resolver=resolver,
    )


def add_endpoint(client: ContractClient, url: str, *events: str) -> dict[str, Any]:
    made = client.post(
        f"{PS}/webhook_endpoints",
        json={"url": url, "enabled_events": list(events) or ["pet.created"]},
    )
    assert made.status_code == 201, made.text
    data: dict[str, Any] = made.json()["data"]
    return data


def new_pet(client: ContractClient, name: str = "Hooked") -> dict[str, Any]:
    made = client.post(f"{PS}/pets", json={"name": name, "species": "canine"})
    assert made.status_code == 201, made.text
    data: dict[str, Any] = made.json()["data"]
    return data


def verify(secret: str, request: Received) -> Any:
    """The body, once the reference library has verified its Standard Webhooks signature
    (now, with its tolerance) and an independent HMAC its X-Paws-Signature."""
    payload = Webhook(secret).verify(request.body, request.headers)
    assert request.headers["x-paws-signature"] == paws_signature(secret, request.body)
    return payload


def signed_by(secret: str, request: Received) -> bool:
    """Whether one of the request's signatures is ``secret``'s over its id, timestamp and
    body, as the reference library signs (whatever the time)."""
    h = request.headers
    moment = datetime.fromtimestamp(int(h["webhook-timestamp"]), UTC)
    expected = Webhook(secret).sign(h["webhook-id"], moment, request.body)
    return expected in h["webhook-signature"].split(" ")


def paws_signature(secret: str, body: bytes) -> str:
    key = __import__("base64").b64decode(secret.removeprefix("whsec_"))
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def deliveries(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(select(webhook_deliveries).order_by(webhook_deliveries.c.id)))


def attempts_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(webhook_attempts)).scalar_one())


def statuses(found: Sequence[Any]) -> list[str]:
    return [row.status for row in found]
