"""Events written in the same transaction as the change they describe, and their webhook
deliveries: each enabled endpoint of the event's account that names one of its topics gets
one, fixed as the transaction commits (an endpoint made later never receives it)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from openpaws.domain.events import Event, EventType, topics
from openpaws.domain.webhooks import Endpoint
from openpaws.storage import webhooks
from openpaws.storage.database import Transaction
from openpaws.storage.prepared import Prepared
from openpaws.storage.tables import outbox_events

_INSERT = Prepared(insert(outbox_events), by_columns=True)
_INSERT_RETURNING_ID = Prepared(
    insert(outbox_events).returning(outbox_events.c.id), by_columns=True
)


def _row(
    event_type: str,
    organization_id: int | None,
    person_id: int | None,
    subject: str,
    payload: Any,
    at: datetime,
) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "organization_id": organization_id,
        "person_id": person_id,
        "event_type": event_type,
        "subject": subject,
        "payload": payload,
        "created_at": at,
    }


def add_event(tx: Transaction, event: Event) -> None:
    """Keep ``event`` with the change that made it: both commit, or neither."""
    row = _row(
        event.type.value,
        event.organization_id,
        event.person_id,
        event.subject,
        event.snapshot,
        event.occurred_at,
    )
    receivers = webhooks.endpoints_for(
        tx.reader, event.organization_ids, event.person_id, topics(event)
    )
    if not receivers:
        _INSERT.execute(tx.conn, row).close()
        return
    event_id = _inserted_id(tx, row)
    webhooks.add_deliveries(tx, event_id, receivers, event.occurred_at)


def add_test_event(
    tx: Transaction, endpoint: Endpoint, payload: dict[str, Any], now: datetime
) -> int:
    """A webhook.test event for ``endpoint`` alone; return its delivery's id."""
    row = _row(
        EventType.WEBHOOK_TEST.value,
        endpoint.organization_id,
        endpoint.person_id,
        endpoint.uuid,
        payload,
        now,
    )
    return webhooks.add_delivery(tx, _inserted_id(tx, row), endpoint.id, now)


def _inserted_id(tx: Transaction, row: dict[str, Any]) -> int:
    cursor = _INSERT_RETURNING_ID.execute(tx.conn, row)
    try:
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()
