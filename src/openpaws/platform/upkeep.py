"""Upkeep now and then: purge expired tokens, spent idempotency entries, and webhook events and
delivery logs past their retention; write down when each API key was last used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from openpaws.platform import idempotency, oauth
from openpaws.platform.api_keys import Usage
from openpaws.storage import webhooks
from openpaws.storage.database import Database

INTERVAL_SECONDS = 60
PURGE_BATCH = 1_000
WEBHOOK_RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class Tidied:
    tokens: int
    idempotency_entries: int
    keys_used: int
    webhook_rows: int = 0  # finished deliveries, their attempts, and delivered events


def tidy(db: Database, usage: Usage, webhook_retention: timedelta = WEBHOOK_RETENTION) -> Tidied:
    """One round of upkeep, in one transaction (each purge is a bounded batch). Webhook
    deliveries finished (delivered or failed) more than ``webhook_retention`` ago go with their
    log, and so do older events no delivery still waits on."""
    with db.transaction() as tx:
        return Tidied(
            tokens=oauth.purge_expired_tokens(tx),
            idempotency_entries=idempotency.purge_expired(tx),
            keys_used=usage.flush(tx),
            webhook_rows=webhooks.purge(tx, datetime.now(UTC) - webhook_retention, PURGE_BATCH),
        )
