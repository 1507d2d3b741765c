"""Webhook endpoints, deliveries and their attempts, and the rules of retrying.

An endpoint belongs to one account and one dialect (which names, shapes and signs what it
receives). Each committed event that an endpoint's topics name becomes one delivery to it,
fixed at commit; a delivery is attempted until the receiver answers 2xx, on the Standard
Webhooks / Svix schedule below. Delivery is at least once, and order is not promised.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from enum import StrEnum

import msgspec
from msgspec import UNSET, UnsetType

# The wait before each retry: attempt 1 is immediate; attempt n + 1 follows attempt n's
# failure by RETRY_DELAYS[n - 1]. After the last, the delivery has failed.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.1  # each wait is stretched or shrunk by up to this fraction, so retries spread
# An endpoint whose every attempt failed for this long is disabled.
FAILING_LIMIT = timedelta(days=5)
# The longest Retry-After honoured (a 429 or 503 asking for more waits this long).
LONGEST_RETRY_AFTER = timedelta(hours=24)


class EndpointStatus(StrEnum):
    ENABLED = "enabled"
    DISABLED = "disabled"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Endpoint(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    uuid: str
    dialect: str
    organization_id: int | None
    person_id: int | None
    url: str
    description: str | None
    topics: list[str]
    event_names: list[str]
    status: str
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None
    previous_secret_until: datetime | None
    created_at: datetime
    updated_at: datetime


class Attempt(msgspec.Struct, frozen=True, kw_only=True):
    attempt: int
    started_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None
    response_excerpt: str | None
    next_attempt_at: datetime | None


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    endpoint_id: int
    event_id: int
    event_uuid: str
    event_type: str  # canonical
    event_name: str | None  # the dialect's, once sent
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None
    log: list[Attempt] = []


class EndpointChange(msgspec.Struct, frozen=True, kw_only=True):
    """What an account asks to set on an endpoint (``None``: leave as it is)."""

    url: str | None = None
    description: str | UnsetType | None = UNSET  # None clears it
    event_names: list[str] | None = None
    enabled: bool | None = None


def retry_at(
    attempt: int,
    finished: datetime,
    *,
    last_attempt: int | None,
    retry_after: timedelta | None = None,
    rng: random.Random | None = None,
) -> datetime | None:
    """When to try again after attempt number ``attempt`` failed at ``finished``; ``None``
    when that was the last (``last_attempt``, or the schedule's end when ``None``).

    ``retry_after`` is a receiver's Retry-After (429, 503): the retry waits at least that
    long (up to LONGEST_RETRY_AFTER), and at least the schedule's wait.
    """
    final = ATTEMPTS if last_attempt is None else last_attempt
    if attempt >= final or attempt >= ATTEMPTS:
        return None
    wait = RETRY_DELAYS[attempt - 1] * (1 + (rng or random).uniform(-JITTER, JITTER))
    if retry_after is not None:
        wait = max(wait, min(retry_after, LONGEST_RETRY_AFTER))
    return finished + wait
