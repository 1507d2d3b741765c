"""Upkeep now and then: purge expired tokens and spent idempotency entries, and write down
when each API key was last used."""

from __future__ import annotations

from dataclasses import dataclass

from openpaws.platform import idempotency, oauth
from openpaws.platform.api_keys import Usage
from openpaws.storage.database import Database

INTERVAL_SECONDS = 60


@dataclass(frozen=True)
class Tidied:
    tokens: int
    idempotency_entries: int
    keys_used: int


def tidy(db: Database, usage: Usage) -> Tidied:
    """One round of upkeep, in one transaction (each purge is a bounded batch)."""
    with db.transaction() as tx:
        return Tidied(
            tokens=oauth.purge_expired_tokens(tx),
            idempotency_entries=idempotency.purge_expired(tx),
            keys_used=usage.flush(tx),
        )
