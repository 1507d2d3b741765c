"""Webhook delivery across real processes: a server killed with SIGKILL while deliveries are
under way loses none of them (each goes, after restart, with the webhook-id it had), and two
`openpaws worker` processes over one database deliver each of 1,000 events exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.changes import AnimalChange
from openpaws.services import animal_changes, organizations
from openpaws.storage.database import Database
from openpaws.storage.tables import outbox_events, webhook_attempts, webhook_deliveries
from tests.conftest import TEST_SECRET_KEY
from tests.pawplacer.conftest import listing_codes
from tests.support import setup
from tests.support.receiver import Answer, Receiver, receiving
from tests.support.server import running_server

HOOK_ENV = {
    "OPENPAWS_SECRET_KEY": TEST_SECRET_KEY,
    "OPENPAWS_WEBHOOKS_ALLOW_PRIVATE": "1",
    "OPENPAWS_WEBHOOKS_TIMEOUT_SECONDS": "2",
    "OPENPAWS_ACCESS_LOG": "false",
}


def shelter_account(db: Database) -> Account:
    code = listing_codes(db)[0]
    with db.read() as reader:
        return Account(AccountKind.ORGANIZATION, organizations.organization_id(reader, code))


def event_ids(db: Database) -> set[str]:
    """The webhook-id of every animal.created event committed."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(outbox_events.c.uuid).where(outbox_events.c.event_type == "animal.created")
        )
        return {"evt_" + row.uuid.replace("-", "") for row in rows}


def kill_tree(pid: int) -> None:
    """SIGKILL a process and every process under it (the server's workers are its children),
    children first, so none of them goes on delivering."""
    for task in Path(f"/proc/{pid}/task").glob("*"):  # granian starts workers from threads
        for child in (task / "children").read_text().split():
            kill_tree(int(child))
    os.kill(pid, signal.SIGKILL)


def received_ids(receiver: Receiver) -> list[str]:
    return [r.headers["webhook-id"] for r in receiver.received]


def wait_until(check: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)


@pytest.fixture
def shop_db(fresh_db: Database) -> Database:
    setup.load_demo(fresh_db, 20, organizations=3)
    return fresh_db


def test_a_server_killed_mid_delivery_loses_no_acknowledged_event(
    shop_db: Database, tmp_path: Path
) -> None:
    db = shop_db
    account = shelter_account(db)
    key = setup.create_account_key(
        db, "pawssource", org=listing_codes(db)[0], plan="enterprise", per_minute=100_000
    )
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    # The first receiver never answers in time: every attempt is under way when the kill comes.
    with receiving(Answer(delay=30)) as hanging:
        setup.add_webhook_endpoint(db, account, hanging.url, allow_private=True)
        acknowledged: list[str] = []
        committed: list[float] = []  # when each create was answered
        with running_server(db.url, env=HOOK_ENV, cwd=tmp_path) as (base, process):
            for n in range(5):
                made = httpx.post(
                    f"{base}/pawssource/v2/pets",
                    json={"name": f"Survivor {n}", "species": "canine"},
                    headers=headers,
                )
                assert made.status_code == 201, made.text
                acknowledged.append(made.json()["data"]["id"])
                committed.append(time.time())
            refused = httpx.post(f"{base}/pawssource/v2/pets", json={"name": ""}, headers=headers)
            assert refused.status_code in (400, 422)  # rolled back: nothing to send
            hanging.wait_for(5)
            # Each first attempt starts within 2 s of its commit (an idle worker polls often).
            arrivals = sorted(r.at for r in hanging.received)
            assert all(a - c < 2 for a, c in zip(arrivals, committed, strict=True))
            (beat,) = httpx.get(f"{base}/readyz").json()["webhook_workers"]
            assert beat["alive"] is True and beat["last_heartbeat_seconds"] < 10
            kill_tree(process.pid)
            process.wait(timeout=10)
            killed_at = time.time()
    wanted = event_ids(db)
    assert len(wanted) == 5
    first_ids = set(received_ids(hanging))
    assert first_ids == wanted
    with db.engine.connect() as conn:
        pending = conn.execute(select(webhook_deliveries.c.status)).scalars().all()
    assert pending == ["pending"] * 5  # the kill left every one of them claimed, undelivered
    # The same endpoint's URL now answers at once; a new server picks the deliveries up when
    # their claims lapse (the attempt timeout and a margin).
    port = int(hanging.url.split(":")[2].split("/")[0])
    with receiving(port=port) as receiver, running_server(db.url, env=HOOK_ENV, cwd=tmp_path):
        wait_until(lambda: set(received_ids(receiver)) >= wanted, 60)
    assert set(received_ids(receiver)) == wanted
    assert receiver.received[0].at - killed_at > 10  # not before the claims lapsed
    for request in receiver.received:
        body = json.loads(request.body)
        assert body["id"] == request.headers["webhook-id"]
        assert body["data"]["id"] in acknowledged
    with db.engine.connect() as conn:
        done = conn.execute(select(webhook_deliveries.c.status)).scalars().all()
    assert done == ["delivered"] * 5


@contextmanager
def workers(database_url: str, count: int, cwd: Path) -> Iterator[list[subprocess.Popen[str]]]:
    # The default attempt timeout: every answer comes within it, so nothing is sent twice.
    env = {
        **os.environ,
        **HOOK_ENV,
        "OPENPAWS_WEBHOOKS_TIMEOUT_SECONDS": "15",
        "OPENPAWS_DATABASE_URL": database_url,
    }
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "openpaws", "worker"],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        yield started
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            output = process.communicate(timeout=30)[0]
            assert process.returncode == 0, output


def test_two_workers_deliver_each_of_1000_events_exactly_once(
    shop_db: Database, tmp_path: Path
) -> None:
    db = shop_db
    account = shelter_account(db)
    with receiving() as receiver:
        setup.add_webhook_endpoint(db, account, receiver.url, allow_private=True)
        for batch in range(10):
            with db.transaction() as tx:
                for n in range(100):
                    animal_changes.create_for_account(
                        tx,
                        account,
                        AnimalChange(
                            name=f"Many {batch}-{n}",
                            type="dog",
                            age="adult",
                            sex="female",
                            size="small",
                            health="unknown",
                        ),
                    )
        wanted = event_ids(db)
        assert len(wanted) == 1000
        with workers(db.url, 2, tmp_path):
            wait_until(lambda: len(receiver.received) >= 1000, 90)
            time.sleep(1)  # anything sent twice would arrive meanwhile
        got = received_ids(receiver)
    assert len(got) == 1000 and set(got) == wanted
    with db.engine.connect() as conn:
        statuses = conn.execute(select(webhook_deliveries.c.status)).scalars().all()
        by = conn.execute(select(webhook_attempts.c.worker)).scalars().all()
    assert statuses == ["delivered"] * 1000
    assert len(by) == 1000
    assert len(set(by)) == 2, "both workers took part"
