"""Managing webhook endpoints: each account its own (``account=None`` is the operator, who
may reach every one). Secrets are made here, shown once, and kept sealed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from msgspec import UNSET

from openpaws.domain.accounts import Account
from openpaws.domain.errors import InvalidInput, NotFound
from openpaws.domain.webhooks import Delivery, Endpoint, EndpointChange, EndpointStatus
from openpaws.platform.secret_keys import SecretBox
from openpaws.platform.webhooks import signing, targets
from openpaws.platform.webhooks.styles import WebhookStyle
from openpaws.storage import outbox
from openpaws.storage import webhooks as store
from openpaws.storage.database import Reader, Transaction

# After a rotation the previous secret signs beside the new one for this long.
ROTATION_OVERLAP = timedelta(hours=24)
ENABLED, DISABLED = EndpointStatus.ENABLED.value, EndpointStatus.DISABLED.value
DISABLED_BY_ACCOUNT = "disabled by the account"


@dataclass(frozen=True)
class Made:
    """An endpoint with its secret, as shown once (on creation and rotation)."""

    endpoint: Endpoint
    secret: str


def _not_found() -> NotFound:
    return NotFound("Webhook endpoint not found", kind="webhook_endpoint")


def chosen_events(style: WebhookStyle, names: Any) -> list[str]:
    """The event names an account chose, checked against what the dialect offers."""
    offered = ", ".join(style.events)
    if not isinstance(names, list) or not names:
        raise InvalidInput.field(
            "body", "enabled_events", f"Choose one or more of: {offered}", kind="not_items"
        )
    chosen: list[str] = []
    for name in names:
        if not isinstance(name, str) or name not in style.events:
            raise InvalidInput.field(
                "body", "enabled_events", f"{name!r} is not an event: {offered}", kind="not_one_of"
            )
        if name not in chosen:
            chosen.append(name)
    return chosen


def create(
    tx: Transaction,
    box: SecretBox,
    *,
    dialect: str,
    style: WebhookStyle,
    account: Account,
    url: str,
    events: Sequence[str],
    description: str | None,
    allow_private: bool,
    now: datetime,
) -> Made:
    target = targets.checked_url(url, allow_private=allow_private)
    names = chosen_events(style, list(events))
    secret = signing.new_secret()
    endpoint_id = store.add_endpoint(
        tx,
        {
            "uuid": str(uuid.uuid4()),
            "dialect": dialect,
            "organization_id": account.organization_id,
            "person_id": account.person_id,
            "url": target,
            "description": description,
            "topics": style.topics(names),
            "event_names": names,
            "secret_sealed": box.seal(secret),
            "status": ENABLED,
            "created_at": now,
            "updated_at": now,
        },
    )
    found = store.endpoint(tx.reader, None, endpoint_id)
    assert found is not None
    return Made(found, signing.shown(secret))


def endpoints(reader: Reader, dialect: str | None, account: Account | None) -> list[Endpoint]:
    return store.endpoints(reader, dialect, account)


def endpoint(
    reader: Reader, account: Account | None, endpoint_id: int, dialect: str | None = None
) -> Endpoint:
    found = store.endpoint(reader, account, endpoint_id)
    if found is None or (dialect is not None and found.dialect != dialect):
        raise _not_found()
    return found


def by_uuid(reader: Reader, endpoint_uuid: str) -> Endpoint:
    """The operator's way to an endpoint."""
    found = store.endpoint_by_uuid(reader, endpoint_uuid)
    if found is None:
        raise _not_found()
    return found


def change(
    tx: Transaction,
    account: Account | None,
    endpoint_id: int,
    wanted: EndpointChange,
    *,
    style: WebhookStyle,
    allow_private: bool,
    now: datetime,
) -> Endpoint:
    current = endpoint(tx.reader, account, endpoint_id)
    values: dict[str, Any] = {"updated_at": now}
    if wanted.url is not None:
        values["url"] = targets.checked_url(wanted.url, allow_private=allow_private)
    if wanted.description is not UNSET:
        values["description"] = wanted.description
    if wanted.event_names is not None:
        names = chosen_events(style, wanted.event_names)
        values["event_names"] = names
        values["topics"] = style.topics(names)
    store.change_endpoint(tx, current.id, values)
    if wanted.enabled is True:
        return enable(tx, account, endpoint_id, now)
    if wanted.enabled is False:
        return disable(tx, account, endpoint_id, DISABLED_BY_ACCOUNT, now)
    return endpoint(tx.reader, account, endpoint_id)


def enable(tx: Transaction, account: Account | None, endpoint_id: int, now: datetime) -> Endpoint:
    """Enabled again: deliveries parked while it was disabled are due now, and its record of
    failing starts afresh."""
    current = endpoint(tx.reader, account, endpoint_id)
    if current.status != ENABLED:
        store.change_endpoint(
            tx,
            current.id,
            {
                "status": ENABLED,
                "disabled_reason": None,
                "disabled_at": None,
                "failing_since": None,
                "updated_at": now,
            },
        )
        store.unpark(tx, current.id, now)
    return endpoint(tx.reader, account, endpoint_id)


def disable(
    tx: Transaction, account: Account | None, endpoint_id: int, reason: str, now: datetime
) -> Endpoint:
    current = endpoint(tx.reader, account, endpoint_id)
    if current.status == ENABLED:
        store.disable(tx, current.id, reason, now)
    return endpoint(tx.reader, account, endpoint_id)


def remove(tx: Transaction, account: Account | None, endpoint_id: int) -> None:
    store.remove_endpoint(tx, endpoint(tx.reader, account, endpoint_id).id)


def rotate_secret(
    tx: Transaction, box: SecretBox, account: Account | None, endpoint_id: int, now: datetime
) -> Made:
    """A new secret; the current one goes on signing beside it for ROTATION_OVERLAP."""
    current = endpoint(tx.reader, account, endpoint_id)
    sealed, _previous = store.sealed_secrets(tx.reader, current.id)
    secret = signing.new_secret()
    store.change_endpoint(
        tx,
        current.id,
        {
            "secret_sealed": box.seal(secret),
            "previous_secret_sealed": sealed,
            "previous_secret_until": now + ROTATION_OVERLAP,
            "updated_at": now,
        },
    )
    return Made(endpoint(tx.reader, account, endpoint_id), signing.shown(secret))


def send_test(
    tx: Transaction, account: Account | None, endpoint_id: int, now: datetime
) -> Delivery:
    """A webhook.test event for this endpoint alone, delivered like any other."""
    current = endpoint(tx.reader, account, endpoint_id)
    delivery_id = outbox.add_test_event(
        tx, current, {"endpoint_id": current.id, "endpoint": current.uuid}, now
    )
    return delivery(tx.reader, account, endpoint_id, delivery_id)


def deliveries(
    reader: Reader, account: Account | None, endpoint_id: int, limit: int, before: int | None
) -> tuple[list[Delivery], bool]:
    """The endpoint's deliveries, newest first, with every attempt; and whether more follow."""
    return store.deliveries(reader, endpoint(reader, account, endpoint_id).id, limit, before)


def delivery(
    reader: Reader, account: Account | None, endpoint_id: int, delivery_id: int
) -> Delivery:
    found = store.delivery(reader, endpoint(reader, account, endpoint_id).id, delivery_id)
    if found is None:
        raise NotFound("Delivery not found", kind="webhook_delivery")
    return found


def redeliver(
    tx: Transaction, account: Account | None, endpoint_id: int, delivery_id: int, now: datetime
) -> Delivery:
    """Send the delivery once more, now, as the same message (one attempt; it is not retried
    on the schedule again)."""
    found = delivery(tx.reader, account, endpoint_id, delivery_id)
    store.send_again(tx, found.id, now)
    return delivery(tx.reader, account, endpoint_id, delivery_id)
