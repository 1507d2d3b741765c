"""Webhook endpoints, the deliveries fixed when an event commits, claims, outcomes, the log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import delete, insert, text, update

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.events import StoredEvent
from openpaws.domain.webhooks import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Endpoint,
    EndpointStatus,
)
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.prepared import Prepared
from openpaws.storage.sql import bind_list
from openpaws.storage.tables import (
    outbox_events,
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
    webhook_workers,
)
from openpaws.storage.texts import check_row
from openpaws.storage.types import from_micros, to_micros

PENDING, DELIVERED, FAILED = (s.value for s in DeliveryStatus)
ENABLED, DISABLED = EndpointStatus.ENABLED.value, EndpointStatus.DISABLED.value


def _moment(value: int | None) -> datetime | None:
    return None if value is None else from_micros(value)


def _micros(value: datetime | None) -> int | None:
    return None if value is None else to_micros(value)


# -- fan-out (inside the transaction that writes the event) ---------------------------------


def endpoints_for(
    reader: Reader, organization_ids: Sequence[int], person_id: int | None, topics: Sequence[str]
) -> list[int]:
    """The enabled endpoints of the event's accounts whose topics name one of ``topics``."""
    if not organization_ids and person_id is None:
        return []
    params: dict[str, Any] = {"person": person_id}
    orgs = bind_list(params, "org", list(organization_ids)) if organization_ids else "(NULL)"
    rows = reader.all(
        "SELECT id, topics FROM webhook_endpoints WHERE status = 'enabled' "
        f"AND (organization_id IN {orgs} OR person_id = :person)",
        params,
    )
    wanted = set(topics)
    return [int(row[0]) for row in rows if wanted.intersection(msgspec.json.decode(row[1]))]


def _new_delivery(event_id: int, endpoint_id: int, now: datetime) -> dict[str, Any]:
    return {
        "endpoint_id": endpoint_id,
        "event_id": event_id,
        "status": PENDING,
        "attempts": 0,
        "last_attempt": None,
        "next_attempt_at": now,
        "created_at": now,
    }


_INSERT_DELIVERY = Prepared(insert(webhook_deliveries), by_columns=True)


def add_deliveries(
    tx: Transaction, event_id: int, endpoint_ids: Sequence[int], now: datetime
) -> None:
    """One delivery of the event to each endpoint (in the event's own transaction)."""
    for endpoint_id in endpoint_ids:
        _INSERT_DELIVERY.execute(tx.conn, _new_delivery(event_id, endpoint_id, now)).close()


def add_delivery(tx: Transaction, event_id: int, endpoint_id: int, now: datetime) -> int:
    return int(
        tx.conn.execute(
            insert(webhook_deliveries).returning(webhook_deliveries.c.id),
            _new_delivery(event_id, endpoint_id, now),
        ).scalar_one()
    )


# -- endpoints -------------------------------------------------------------------------------

_ENDPOINT_COLUMNS = (
    "id, uuid, dialect, organization_id, person_id, url, description, topics, event_names, "
    "status, disabled_reason, disabled_at, failing_since, previous_secret_until, created_at, "
    "updated_at"
)


def _endpoint(row: Sequence[Any]) -> Endpoint:
    return Endpoint(
        id=int(row[0]),
        uuid=row[1],
        dialect=row[2],
        organization_id=row[3],
        person_id=row[4],
        url=row[5],
        description=row[6],
        topics=msgspec.json.decode(row[7]),
        event_names=msgspec.json.decode(row[8]),
        status=row[9],
        disabled_reason=row[10],
        disabled_at=_moment(row[11]),
        failing_since=_moment(row[12]),
        previous_secret_until=_moment(row[13]),
        created_at=from_micros(row[14]),
        updated_at=from_micros(row[15]),
    )


def _owned_by(account: Account | None, params: dict[str, Any]) -> str:
    """The condition that keeps an account to its own endpoints (none: the operator's)."""
    if account is None:
        return "1 = 1"
    column = "organization_id" if account.kind is AccountKind.ORGANIZATION else "person_id"
    params["account"] = account.id
    return f"{column} = :account"


def add_endpoint(tx: Transaction, row: dict[str, Any]) -> int:
    check_row(webhook_endpoints, row)
    return int(
        tx.conn.execute(
            insert(webhook_endpoints).returning(webhook_endpoints.c.id), row
        ).scalar_one()
    )


def endpoints(reader: Reader, dialect: str | None, account: Account | None) -> list[Endpoint]:
    """An account's endpoints (every one, for the operator), oldest first."""
    params: dict[str, Any] = {}
    where = _owned_by(account, params)
    if dialect is not None:
        where += " AND dialect = :dialect"
        params["dialect"] = dialect
    rows = reader.all(
        f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE {where} ORDER BY id", params
    )
    return [_endpoint(row) for row in rows]


def endpoint(reader: Reader, account: Account | None, endpoint_id: int) -> Endpoint | None:
    params: dict[str, Any] = {"id": endpoint_id}
    row = reader.one(
        f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints "
        f"WHERE id = :id AND {_owned_by(account, params)}",
        params,
    )
    return None if row is None else _endpoint(row)


def endpoint_by_uuid(reader: Reader, uuid: str) -> Endpoint | None:
    row = reader.one(
        f"SELECT {_ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE uuid = :uuid", {"uuid": uuid}
    )
    return None if row is None else _endpoint(row)


def sealed_secrets(reader: Reader, endpoint_id: int) -> tuple[str, str | None]:
    row = reader.one(
        "SELECT secret_sealed, previous_secret_sealed FROM webhook_endpoints WHERE id = :id",
        {"id": endpoint_id},
    )
    assert row is not None
    return row[0], row[1]


def change_endpoint(tx: Transaction, endpoint_id: int, values: dict[str, Any]) -> None:
    check_row(webhook_endpoints, values)
    tx.conn.execute(
        update(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id).values(**values)
    )


def remove_endpoint(tx: Transaction, endpoint_id: int) -> None:
    """The endpoint, its deliveries and their log."""
    deliveries = webhook_deliveries.c
    tx.conn.execute(
        delete(webhook_attempts).where(
            webhook_attempts.c.delivery_id.in_(
                webhook_deliveries.select()
                .with_only_columns(deliveries.id)
                .where(deliveries.endpoint_id == endpoint_id)
                .scalar_subquery()
            )
        )
    )
    tx.conn.execute(delete(webhook_deliveries).where(deliveries.endpoint_id == endpoint_id))
    tx.conn.execute(delete(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id))


# -- the delivery log --------------------------------------------------------------------------

_DELIVERY_COLUMNS = (
    "d.id, d.endpoint_id, d.event_id, v.uuid, v.event_type, d.event_name, d.status, d.attempts, "
    "d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.finished_at"
)


def _delivery(row: Sequence[Any], log: list[Attempt]) -> Delivery:
    return Delivery(
        id=int(row[0]),
        endpoint_id=int(row[1]),
        event_id=int(row[2]),
        event_uuid=row[3],
        event_type=row[4],
        event_name=row[5],
        status=row[6],
        attempts=int(row[7]),
        next_attempt_at=_moment(row[8]),
        last_status_code=row[9],
        last_error=row[10],
        created_at=from_micros(row[11]),
        finished_at=_moment(row[12]),
        log=log,
    )


def deliveries(
    reader: Reader, endpoint_id: int, limit: int, before_id: int | None
) -> tuple[list[Delivery], bool]:
    """An endpoint's deliveries, newest first, each with its attempts; and whether more
    follow."""
    params: dict[str, Any] = {"endpoint": endpoint_id, "limit": limit + 1}
    after = ""
    if before_id is not None:
        after = " AND d.id < :before"
        params["before"] = before_id
    rows = reader.all(
        f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries d "
        "JOIN outbox_events v ON v.id = d.event_id "
        f"WHERE d.endpoint_id = :endpoint{after} ORDER BY d.id DESC LIMIT :limit",
        params,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    logs = _attempts(reader, [int(row[0]) for row in rows])
    return [_delivery(row, logs.get(int(row[0]), [])) for row in rows], more


def delivery(reader: Reader, endpoint_id: int, delivery_id: int) -> Delivery | None:
    row = reader.one(
        f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries d "
        "JOIN outbox_events v ON v.id = d.event_id "
        "WHERE d.id = :id AND d.endpoint_id = :endpoint",
        {"id": delivery_id, "endpoint": endpoint_id},
    )
    if row is None:
        return None
    return _delivery(row, _attempts(reader, [delivery_id]).get(delivery_id, []))


def _attempts(reader: Reader, delivery_ids: list[int]) -> dict[int, list[Attempt]]:
    if not delivery_ids:
        return {}
    params: dict[str, Any] = {}
    ids = bind_list(params, "delivery", delivery_ids)
    found: dict[int, list[Attempt]] = {}
    for row in reader.all(
        "SELECT delivery_id, attempt, started_at, status_code, latency_ms, error, "
        f"response_excerpt, next_attempt_at FROM webhook_attempts WHERE delivery_id IN {ids} "
        "ORDER BY delivery_id, attempt, id",
        params,
    ):
        found.setdefault(int(row[0]), []).append(
            Attempt(
                attempt=int(row[1]),
                started_at=from_micros(row[2]),
                status_code=row[3],
                latency_ms=int(row[4]),
                error=row[5],
                response_excerpt=row[6],
                next_attempt_at=_moment(row[7]),
            )
        )
    return found


def send_again(tx: Transaction, delivery_id: int, now: datetime) -> None:
    """One more attempt of the delivery, now (the same message)."""
    tx.conn.execute(
        text(
            "UPDATE webhook_deliveries SET status = :pending, next_attempt_at = :now, "
            "last_attempt = attempts + 1, finished_at = NULL, claim = NULL WHERE id = :id"
        ),
        {"pending": PENDING, "now": to_micros(now), "id": delivery_id},
    )


# -- the worker's side ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery a worker holds for one attempt."""

    id: int
    claim: str
    attempt: int  # the number of this attempt
    last_attempt: int | None
    body: str | None  # as first sent, if it was
    endpoint_id: int
    dialect: str
    url: str
    secret_sealed: str
    previous_secret_sealed: str | None
    previous_secret_until: datetime | None
    event: StoredEvent


def claim(
    tx: Transaction,
    *,
    now: datetime,
    hold_until: datetime,
    token: str,
    limit: int,
    skip_endpoints: Sequence[int] = (),
) -> list[Claimed]:
    """Take up to ``limit`` due deliveries of enabled endpoints for one attempt each.

    The claim moves each one's ``next_attempt_at`` to ``hold_until``: no other worker takes it
    before then, and if this one dies it is due again then. PostgreSQL claimants skip rows
    another has locked; SQLite has one writer at a time.
    """
    params: dict[str, Any] = {
        "now": to_micros(now),
        "until": to_micros(hold_until),
        "token": token,
        "limit": limit,
    }
    skip = ""
    if skip_endpoints:
        skip = f" AND d.endpoint_id NOT IN {bind_list(params, 'skip', list(skip_endpoints))}"
    lock = "" if tx.is_sqlite else " FOR UPDATE OF d SKIP LOCKED"
    rows = tx.reader.all(
        "UPDATE webhook_deliveries SET next_attempt_at = :until, claim = :token "
        "WHERE id IN (SELECT d.id FROM webhook_deliveries d "
        "JOIN webhook_endpoints e ON e.id = d.endpoint_id "
        f"WHERE d.status = 'pending' AND d.next_attempt_at <= :now AND e.status = 'enabled'{skip} "
        f"ORDER BY d.next_attempt_at LIMIT :limit{lock}) RETURNING id",
        params,
    )
    if not rows:
        return []
    params = {}
    ids = bind_list(params, "claimed", [int(row[0]) for row in rows])
    found = tx.reader.all(
        "SELECT d.id, d.attempts, d.last_attempt, d.body, e.id, e.dialect, e.url, "
        "e.secret_sealed, e.previous_secret_sealed, e.previous_secret_until, "
        "v.id, v.uuid, v.event_type, v.subject, v.payload, v.created_at "
        "FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
        f"JOIN outbox_events v ON v.id = d.event_id WHERE d.id IN {ids} "
        "ORDER BY d.next_attempt_at, d.id",
        params,
    )
    return [
        Claimed(
            id=int(row[0]),
            claim=token,
            attempt=int(row[1]) + 1,
            last_attempt=row[2],
            body=row[3],
            endpoint_id=int(row[4]),
            dialect=row[5],
            url=row[6],
            secret_sealed=row[7],
            previous_secret_sealed=row[8],
            previous_secret_until=_moment(row[9]),
            event=StoredEvent(
                id=int(row[10]),
                uuid=row[11],
                type=row[12],
                subject=row[13],
                payload=msgspec.json.decode(row[14]),
                created_at=from_micros(row[15]),
            ),
        )
        for row in found
    ]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to."""

    delivery_id: int
    claim: str
    endpoint_id: int
    attempt: int
    started_at: datetime
    latency_ms: int
    status_code: int | None
    error: str | None
    excerpt: str | None
    status: str  # the delivery's, after it: pending (to retry), delivered, failed
    next_attempt_at: datetime | None
    body: str | None
    event_name: str | None
    worker: str
    disable_reason: str | None = None  # the endpoint is to be disabled (it answered 410)


def record(
    tx: Transaction, outcomes: Sequence[Outcome], now: datetime, failing_limit: datetime
) -> list[int]:
    """Write the attempts, their deliveries' new state (only where the claim still holds) and
    what they say of each endpoint; return the endpoints disabled by these outcomes."""
    if not outcomes:
        return []
    tx.conn.execute(
        text(
            "UPDATE webhook_deliveries SET status = :status, attempts = :attempt, "
            "next_attempt_at = :next, claim = NULL, body = COALESCE(body, :body), "
            "event_name = COALESCE(event_name, :event_name), last_status_code = :code, "
            "last_error = :error, finished_at = :finished WHERE id = :id AND claim = :claim"
        ),
        [
            {
                "status": o.status,
                "attempt": o.attempt,
                "next": _micros(o.next_attempt_at),
                "body": o.body,
                "event_name": o.event_name,
                "code": o.status_code,
                "error": o.error,
                "finished": None if o.status == PENDING else to_micros(now),
                "id": o.delivery_id,
                "claim": o.claim,
            }
            for o in outcomes
        ],
    )
    # A delivery removed meanwhile (its endpoint deleted) keeps no log.
    params: dict[str, Any] = {}
    ids = bind_list(params, "delivery", sorted({o.delivery_id for o in outcomes}))
    present = {
        int(row[0])
        for row in tx.reader.all(f"SELECT id FROM webhook_deliveries WHERE id IN {ids}", params)
    }
    logged = [o for o in outcomes if o.delivery_id in present]
    if not logged:
        return []
    tx.conn.execute(
        insert(webhook_attempts),
        [
            {
                "delivery_id": o.delivery_id,
                "attempt": o.attempt,
                "started_at": o.started_at,
                "status_code": o.status_code,
                "latency_ms": o.latency_ms,
                "error": o.error,
                "response_excerpt": o.excerpt,
                "next_attempt_at": o.next_attempt_at,
                "worker": o.worker,
            }
            for o in logged
        ],
    )
    return _judge_endpoints(tx, logged, now, failing_limit)


def _judge_endpoints(
    tx: Transaction, outcomes: Sequence[Outcome], now: datetime, failing_limit: datetime
) -> list[int]:
    succeeded = sorted({o.endpoint_id for o in outcomes if o.status == DELIVERED})
    failed = sorted({o.endpoint_id for o in outcomes if o.status != DELIVERED} - set(succeeded))
    e = webhook_endpoints.c
    if succeeded:
        tx.conn.execute(
            update(webhook_endpoints)
            .where(e.id.in_(succeeded), e.failing_since.is_not(None))
            .values(failing_since=None)
        )
    if failed:
        tx.conn.execute(
            update(webhook_endpoints)
            .where(e.id.in_(failed), e.failing_since.is_(None))
            .values(failing_since=now)
        )
    reasons = {o.endpoint_id: o.disable_reason for o in outcomes if o.disable_reason}
    long_failing = tx.conn.execute(
        webhook_endpoints.select()
        .with_only_columns(e.id, e.failing_since)
        .where(e.id.in_(failed), e.status == ENABLED, e.failing_since <= failing_limit)
    ).all()
    for endpoint_id, since in long_failing:
        reasons.setdefault(
            int(endpoint_id),
            f"every delivery attempt failed from {since:%Y-%m-%d %H:%M} UTC for 5 days",
        )
    for endpoint_id, reason in reasons.items():
        disable(tx, endpoint_id, reason, now)
    return sorted(reasons)


def disable(tx: Transaction, endpoint_id: int, reason: str, now: datetime) -> None:
    """Disabled, saying why; its pending deliveries wait (parked) until it is enabled."""
    e = webhook_endpoints.c
    done = tx.conn.execute(
        update(webhook_endpoints)
        .where(e.id == endpoint_id, e.status == ENABLED)
        .values(status=DISABLED, disabled_reason=reason[:300], disabled_at=now, updated_at=now)
    )
    if done.rowcount:
        d = webhook_deliveries.c
        tx.conn.execute(
            update(webhook_deliveries)
            .where(d.endpoint_id == endpoint_id, d.status == PENDING)
            .values(next_attempt_at=None)
        )


def unpark(tx: Transaction, endpoint_id: int, now: datetime) -> None:
    """The endpoint's parked deliveries are due now."""
    d = webhook_deliveries.c
    tx.conn.execute(
        update(webhook_deliveries)
        .where(d.endpoint_id == endpoint_id, d.status == PENDING, d.next_attempt_at.is_(None))
        .values(next_attempt_at=now)
    )


def next_due(reader: Reader) -> datetime | None:
    """When the earliest pending delivery is due (or held until)."""
    return _moment(
        reader.scalar(
            "SELECT next_attempt_at FROM webhook_deliveries WHERE status = 'pending' "
            "AND next_attempt_at IS NOT NULL ORDER BY next_attempt_at LIMIT 1"
        )
    )


def heartbeat(
    tx: Transaction,
    name: str,
    started: datetime,
    now: datetime,
    delivered: int,
    failed_attempts: int,
) -> None:
    values = {"heartbeat_at": now, "delivered": delivered, "failed_attempts": failed_attempts}
    done = tx.conn.execute(
        update(webhook_workers).where(webhook_workers.c.name == name).values(**values)
    )
    if done.rowcount == 0:
        tx.conn.execute(insert(webhook_workers).values(name=name, started_at=started, **values))


def forget_worker(tx: Transaction, name: str) -> None:
    tx.conn.execute(delete(webhook_workers).where(webhook_workers.c.name == name))


def forget_silent_workers(tx: Transaction, before: datetime) -> None:
    tx.conn.execute(delete(webhook_workers).where(webhook_workers.c.heartbeat_at < before))


def workers(reader: Reader) -> list[tuple[str, datetime, datetime, int, int]]:
    """(name, started, last heartbeat, delivered, failed attempts) of every worker known."""
    return [
        (row[0], from_micros(row[1]), from_micros(row[2]), int(row[3]), int(row[4]))
        for row in reader.all(
            "SELECT name, started_at, heartbeat_at, delivered, failed_attempts "
            "FROM webhook_workers ORDER BY name"
        )
    ]


def queue(reader: Reader) -> tuple[int, datetime | None]:
    """How many deliveries are pending to enabled endpoints, and when the oldest of them was
    made (those waiting for a disabled endpoint are not counted)."""
    row = reader.one(
        "SELECT COUNT(*), MIN(d.created_at) FROM webhook_deliveries d "
        "JOIN webhook_endpoints e ON e.id = d.endpoint_id "
        "WHERE d.status = 'pending' AND e.status = 'enabled'"
    )
    assert row is not None
    return int(row[0]), _moment(row[1])


def purge(tx: Transaction, before: datetime, batch: int) -> int:
    """Forget finished deliveries (with their log) and events older than ``before`` that no
    delivery still waits on, in bounded batches; return how many rows went."""
    cutoff = {"before": to_micros(before), "batch": batch}
    finished = [
        int(row[0])
        for row in tx.reader.all(
            "SELECT id FROM webhook_deliveries WHERE status <> 'pending' "
            "AND finished_at < :before ORDER BY id LIMIT :batch",
            cutoff,
        )
    ]
    gone = 0
    if finished:
        d = webhook_deliveries.c
        gone += tx.conn.execute(
            delete(webhook_attempts).where(webhook_attempts.c.delivery_id.in_(finished))
        ).rowcount
        gone += tx.conn.execute(delete(webhook_deliveries).where(d.id.in_(finished))).rowcount
    events = [
        int(row[0])
        for row in tx.reader.all(
            "SELECT v.id FROM outbox_events v WHERE v.created_at < :before AND NOT EXISTS "
            "(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = v.id) "
            "ORDER BY v.id LIMIT :batch",
            cutoff,
        )
    ]
    if events:
        gone += tx.conn.execute(
            delete(outbox_events).where(outbox_events.c.id.in_(events))
        ).rowcount
    return gone
