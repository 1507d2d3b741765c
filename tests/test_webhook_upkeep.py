"""Keeping webhook delivery healthy over time, on both databases: retention (finished
deliveries, their attempts, and events nothing waits on are purged after the retention period;
pending and recent ones stay), an endpoint whose every attempt failed for five days is
disabled saying so, the worker's Prometheus metrics, and workers' heartbeats in /readyz."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select, update

from openpaws.dialects.pawssource import DIALECT as PAWSSOURCE
from openpaws.dialects.pawssource.mappers import moment
from openpaws.platform import upkeep
from openpaws.platform.api_keys import Usage
from openpaws.platform.webhooks.worker import Worker
from openpaws.storage import webhooks as webhook_store
from openpaws.storage.database import Database
from openpaws.storage.tables import outbox_events, webhook_attempts, webhook_deliveries
from openpaws.storage.webhooks import Outcome
from tests.conftest import make_client
from tests.pawssource.conftest import PS
from tests.pawssource.webhook_support import Clock, add_endpoint, hook_client, new_pet, new_worker
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.receiver import Answer, receiving

DAYS_30 = timedelta(days=30)


@dataclass
class Hooks:
    db: Database
    shelter: ContractClient  # may register this machine's receivers
    owner: ContractClient  # petowner2: no endpoints of its own

    def step(self, clock: Clock | None = None) -> list[Outcome]:
        """One step of a new worker on ``clock`` (now when none)."""
        return step_and_close(new_worker(self.db, clock))


def step_and_close(worker: Worker) -> list[Outcome]:
    """One step of ``worker``, then its connections closed (in the same event loop); it can
    still beat (a heartbeat needs none)."""

    async def run() -> list[Outcome]:
        try:
            return await worker.step()
        finally:
            await worker.close()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract(PAWSSOURCE.contract, "urn:openpaws:pawssource", PS)


@pytest.fixture
def hooks(fresh_db: Database, contract: Contract) -> Iterator[Hooks]:
    setup.load_demo(fresh_db, 20, organizations=3)
    shelter = hook_client(fresh_db, contract, org=setup.first_listing_organization(fresh_db))
    owner = hook_client(fresh_db, contract, person="petowner2")
    yield Hooks(fresh_db, shelter, owner)
    for client in (shelter, owner):
        client.client.__exit__(None, None, None)


def table(db: Database, query: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(query))


def event_of(db: Database, kind: str, subject_name: str) -> Any:
    """The outbox row of the ``kind`` event of the pet named ``subject_name``."""
    found = [
        row
        for row in table(db, select(outbox_events).where(outbox_events.c.event_type == kind))
        if row.payload["animal"]["name"] == subject_name
    ]
    assert len(found) == 1, (kind, subject_name, found)
    return found[0]


def delivery_of(db: Database, event_id: int) -> Any:
    (row,) = table(db, select(webhook_deliveries).where(webhook_deliveries.c.event_id == event_id))
    return row


def age(db: Database, table_: Any, row_id: int, **moments: datetime) -> None:
    with db.transaction() as tx:
        tx.conn.execute(update(table_).where(table_.c.id == row_id).values(**moments))


# -- retention ------------------------------------------------------------------------------


def test_retention_forgets_old_finished_deliveries_and_events_nothing_waits_on(
    hooks: Hooks,
) -> None:
    db, shelter = hooks.db, hooks.shelter
    with (
        receiving() as ok,
        receiving(Answer(500)) as failing,
        receiving(Answer(410)) as gone,
    ):
        add_endpoint(shelter, ok.url, "pet.created")
        add_endpoint(shelter, failing.url, "pet.updated")
        add_endpoint(shelter, gone.url, "pet.deleted")
        pets = {name: new_pet(shelter, name) for name in ("Old", "Month", "Recent")}
        renamed = shelter.patch(f"{PS}/pets/{pets['Recent']['id']}", json={"weight_kg": 9.5})
        assert renamed.status_code == 200, renamed.text
        assert shelter.delete(f"{PS}/pets/{pets['Month']['id']}").status_code == 200
        for name in ("Unsent old", "Unsent recent"):
            new_pet(hooks.owner, name)  # no endpoint of the owner's: events with no delivery
        outcomes = hooks.step()
    assert sorted(o.status for o in outcomes) == ["delivered"] * 3 + ["failed", "pending"]

    now = datetime.now(UTC)
    old = event_of(db, "animal.created", "Old")
    month = event_of(db, "animal.created", "Month")
    recent = event_of(db, "animal.created", "Recent")
    updated = event_of(db, "animal.updated", "Recent")  # its delivery still pending
    deleted = event_of(db, "animal.deleted", "Month")  # its delivery failed (410)
    unsent_old = event_of(db, "animal.created", "Unsent old")
    unsent_recent = event_of(db, "animal.created", "Unsent recent")
    assert delivery_of(db, updated.id).status == "pending"
    assert delivery_of(db, deleted.id).status == "failed"

    age(db, outbox_events, old.id, created_at=now - timedelta(days=31))
    age(db, webhook_deliveries, delivery_of(db, old.id).id, finished_at=now - timedelta(days=31))
    age(db, outbox_events, month.id, created_at=now - timedelta(days=40))
    age(db, webhook_deliveries, delivery_of(db, month.id).id, finished_at=now - timedelta(days=29))
    age(db, outbox_events, deleted.id, created_at=now - timedelta(days=31))
    age(
        db, webhook_deliveries, delivery_of(db, deleted.id).id, finished_at=now - timedelta(days=31)
    )
    pending = delivery_of(db, updated.id)
    age(db, outbox_events, updated.id, created_at=now - timedelta(days=60))
    age(db, webhook_deliveries, pending.id, created_at=now - timedelta(days=60))
    age(db, outbox_events, unsent_old.id, created_at=now - timedelta(days=31))
    age(db, outbox_events, unsent_recent.id, created_at=now - timedelta(days=29))
    gone_deliveries = {delivery_of(db, old.id).id, delivery_of(db, deleted.id).id}

    tidied = upkeep.tidy(db, Usage(), webhook_retention=DAYS_30)

    events_left = {row.id for row in table(db, select(outbox_events))}
    assert old.id not in events_left and deleted.id not in events_left
    assert unsent_old.id not in events_left
    assert {month.id, recent.id, updated.id, unsent_recent.id} <= events_left
    deliveries_left = {row.id: row.status for row in table(db, select(webhook_deliveries))}
    assert gone_deliveries.isdisjoint(deliveries_left)
    assert deliveries_left[pending.id] == "pending"
    assert deliveries_left[delivery_of(db, month.id).id] == "delivered"
    assert deliveries_left[delivery_of(db, recent.id).id] == "delivered"
    attempts_left = {row.delivery_id for row in table(db, select(webhook_attempts))}
    assert gone_deliveries.isdisjoint(attempts_left)
    assert pending.id in attempts_left
    # Two deliveries, their two attempts, and three events.
    assert tidied.webhook_rows == 7
    assert upkeep.tidy(db, Usage(), webhook_retention=DAYS_30).webhook_rows == 0

    # A shorter retention reaches the delivery finished 29 days ago, and then its event.
    shorter = upkeep.tidy(db, Usage(), webhook_retention=timedelta(days=20))
    assert shorter.webhook_rows == 4  # the delivery, its attempt, its event, the unsent one
    events_left = {row.id for row in table(db, select(outbox_events))}
    assert month.id not in events_left and unsent_recent.id not in events_left
    assert {recent.id, updated.id} <= events_left


# -- five days of failures --------------------------------------------------------------------


def endpoint_shown(hooks: Hooks, endpoint: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = hooks.shelter.json(f"{PS}/webhook_endpoints/{endpoint['id']}")["data"]
    return found


def test_an_endpoint_whose_every_attempt_failed_for_five_days_is_disabled(hooks: Hooks) -> None:
    with receiving(Answer(500)) as receiver:
        endpoint = add_endpoint(hooks.shelter, receiver.url, "pet.created")
        clock = Clock()
        start = clock.now
        new_pet(hooks.shelter, "Day 0")
        assert [o.status_code for o in hooks.step(clock)] == [500]
        shown = endpoint_shown(hooks, endpoint)
        assert shown["status"] == "enabled" and shown["failing_since"] == moment(start)
        for day in range(1, 5):
            clock.now = start + timedelta(days=day)
            new_pet(hooks.shelter, f"Day {day}")
            assert hooks.step(clock), f"no attempt on day {day}"
            assert endpoint_shown(hooks, endpoint)["status"] == "enabled"
        clock.now = start + timedelta(days=5) - timedelta(minutes=1)
        new_pet(hooks.shelter, "Almost")
        assert hooks.step(clock)
        assert endpoint_shown(hooks, endpoint)["status"] == "enabled"

        clock.now = start + timedelta(days=5, minutes=1)
        new_pet(hooks.shelter, "Five days on")
        last = hooks.step(clock)
        assert last and all(o.status_code == 500 for o in last)
        sent = len(receiver.received)
        shown = endpoint_shown(hooks, endpoint)
        assert shown["status"] == "disabled"
        assert "5 days" in shown["disabled_reason"]
        assert f"{start:%Y-%m-%d %H:%M} UTC" in shown["disabled_reason"]
        assert shown["disabled_at"] == moment(clock.now)

        # Disabled: no new deliveries, and those waiting are parked until it is enabled.
        new_pet(hooks.shelter, "While disabled")
        clock.move(days=1)
        assert hooks.step(clock) == []
        assert len(receiver.received) == sent
    pending = [d for d in table(hooks.db, select(webhook_deliveries)) if d.status == "pending"]
    assert pending and all(d.next_attempt_at is None for d in pending)


def test_one_success_within_the_five_days_starts_the_count_afresh(hooks: Hooks) -> None:
    # The second request succeeds, every other one fails.
    with receiving(Answer(500), Answer(200), Answer(500)) as receiver:
        endpoint = add_endpoint(hooks.shelter, receiver.url, "pet.created")
        clock = Clock()
        start = clock.now
        new_pet(hooks.shelter, "First")
        hooks.step(clock)
        clock.now = start + timedelta(days=3)
        new_pet(hooks.shelter, "Second")
        assert sorted(o.status_code or 0 for o in hooks.step(clock)) == [200, 500]
        assert endpoint_shown(hooks, endpoint)["failing_since"] is None
        clock.now = start + timedelta(days=5, minutes=1)
        new_pet(hooks.shelter, "Third")
        assert all(o.status_code == 500 for o in hooks.step(clock))
        assert len(receiver.received) >= 4
    shown = endpoint_shown(hooks, endpoint)
    assert shown["status"] == "enabled" and shown["disabled_reason"] is None
    assert shown["failing_since"] == moment(clock.now)


# -- metrics --------------------------------------------------------------------------------


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


ATTEMPTS = "openpaws_webhook_attempts_total"
FINISHED = "openpaws_webhook_deliveries_total"
DEPTH = "openpaws_webhook_queue_depth"
OLDEST = "openpaws_webhook_oldest_pending_seconds"


def counts() -> dict[str, float]:
    return {
        "delivered": sample(ATTEMPTS, result="delivered"),
        "failed": sample(ATTEMPTS, result="failed"),
        "gone": sample(ATTEMPTS, result="gone"),
        "finished delivered": sample(FINISHED, outcome="delivered"),
        "finished failed": sample(FINISHED, outcome="failed"),
    }


def test_the_worker_counts_attempts_and_deliveries_and_gauges_the_queue(hooks: Hooks) -> None:
    with (
        receiving() as ok,
        receiving(Answer(500)) as failing,
        receiving(Answer(410)) as gone,
    ):
        add_endpoint(hooks.shelter, ok.url, "pet.created")
        failing_endpoint = add_endpoint(hooks.shelter, failing.url, "pet.created")
        add_endpoint(hooks.shelter, gone.url, "pet.created")
        new_pet(hooks.shelter, "Counted")
        event = event_of(hooks.db, "animal.created", "Counted")
        clock = Clock()
        worker = new_worker(hooks.db, clock)
        before = counts()
        outcomes = step_and_close(worker)
        after = counts()
        assert len(outcomes) == 3
        assert {k: after[k] - before[k] for k in before} == {
            "delivered": 1,
            "failed": 1,
            "gone": 1,
            "finished delivered": 1,
            "finished failed": 1,  # 410: failed at once; the 500 is retried, not finished
        }

        clock.move(hours=1)
        worker.beat()
        assert sample(DEPTH) == 1  # the one answered 500 waits for its retry
        expected = (clock.now - event.created_at).total_seconds()
        assert expected >= 3600
        assert sample(OLDEST) == pytest.approx(expected, abs=0.01)

        removed = hooks.shelter.delete(f"{PS}/webhook_endpoints/{failing_endpoint['id']}")
        assert removed.status_code == 200, removed.text
        worker.beat()
    assert sample(DEPTH) == 0 and sample(OLDEST) == 0


# -- heartbeats -----------------------------------------------------------------------------


@pytest.fixture
def app(hooks: Hooks, contract: Contract) -> Iterator[ContractClient]:
    """An app over the same database, delivering nothing itself."""
    client = make_client(hooks.db, contract)
    yield client
    client.client.__exit__(None, None, None)


def readyz(app: ContractClient) -> dict[str, Any]:
    answer = app.client.get("/readyz")
    assert answer.status_code == 200, answer.text  # whatever the workers
    body: dict[str, Any] = answer.json()
    assert body["status"] == "ready"
    return body


def workers_shown(app: ContractClient) -> dict[str, dict[str, Any]]:
    return {w["name"]: w for w in readyz(app)["webhook_workers"]}


def test_heartbeats_show_in_readyz_and_never_change_its_status(
    hooks: Hooks, app: ContractClient
) -> None:
    assert readyz(app)["webhook_workers"] == []
    with receiving() as receiver:
        add_endpoint(hooks.shelter, receiver.url, "pet.created")
        new_pet(hooks.shelter, "Beating")
        worker = new_worker(hooks.db)
        step_and_close(worker)
        worker.beat()
    shown = workers_shown(app)[worker.name]
    assert shown["alive"] is True
    assert 0 <= shown["last_heartbeat_seconds"] < 10
    assert (shown["delivered"], shown["failed_attempts"]) == (1, 0)
    assert datetime.fromisoformat(shown["started_at"]) <= datetime.now(UTC)

    quiet = new_worker(hooks.db, Clock(datetime.now(UTC) - timedelta(minutes=5)))
    quiet.beat()
    both = workers_shown(app)
    assert both[worker.name]["alive"] is True
    assert both[quiet.name]["alive"] is False
    assert both[quiet.name]["last_heartbeat_seconds"] >= 299

    # Workers silent for over an hour are forgotten at the next heartbeat of any worker.
    long_gone = new_worker(hooks.db, Clock(datetime.now(UTC) - timedelta(hours=2)))
    long_gone.beat()
    assert long_gone.name in workers_shown(app)
    worker.beat()
    assert set(workers_shown(app)) == {worker.name, quiet.name}
    for idle in (quiet, long_gone):
        asyncio.run(idle.close())


def test_a_running_worker_beats_and_a_stopped_one_is_forgotten(
    hooks: Hooks, app: ContractClient
) -> None:
    worker = new_worker(hooks.db, heartbeat_seconds=0.1, poll_seconds=0.05)

    async def scenario() -> dict[str, dict[str, Any]]:
        stop = asyncio.Event()
        running = asyncio.create_task(worker.run(stop))
        deadline = time.monotonic() + 10
        seen: dict[str, dict[str, Any]] = {}
        while worker.name not in seen and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            seen = await asyncio.to_thread(workers_shown, app)
        stop.set()
        await running
        return seen

    during = asyncio.run(scenario())
    assert during[worker.name]["alive"] is True
    assert worker.name not in workers_shown(app)
    assert webhook_store.workers(hooks.db.reader()) == []
