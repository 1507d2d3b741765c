"""Events written in the same transaction as the change they describe."""

from __future__ import annotations

import uuid

from sqlalchemy import insert

from openpaws.domain.events import Event
from openpaws.storage.database import Transaction
from openpaws.storage.prepared import Prepared
from openpaws.storage.tables import outbox_events

_INSERT = Prepared(insert(outbox_events), by_columns=True)


def add_event(tx: Transaction, event: Event) -> None:
    """Keep ``event`` with the change that made it: both commit, or neither."""
    _INSERT.execute(
        tx.conn,
        {
            "uuid": str(uuid.uuid4()),
            "organization_id": event.organization_id,
            "person_id": event.person_id,
            "event_type": event.type.value,
            "subject": event.subject,
            "payload": event.snapshot,
            "created_at": event.occurred_at,
        },
    ).close()
