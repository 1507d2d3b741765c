"""Events written in the same transaction as the change they describe."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert

from openpaws.storage.prepared import Prepared
from openpaws.storage.tables import outbox_events

_INSERT = Prepared(insert(outbox_events), by_columns=True)


def add_event(
    conn: Connection,
    organization_id: int | None,
    event_type: str,
    payload: dict[str, Any],
    now: datetime,
) -> None:
    _INSERT.execute(
        conn,
        {
            "uuid": str(uuid.uuid4()),
            "organization_id": organization_id,
            "event_type": event_type,
            "payload": payload,
            "created_at": now,
        },
    ).close()
