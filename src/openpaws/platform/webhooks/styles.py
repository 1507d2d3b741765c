"""What a dialect registers to have webhooks: the event names it offers, how it shapes an
event, and any signature header of its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from openpaws.domain.events import StoredEvent
from openpaws.storage.database import Reader


@dataclass(frozen=True, slots=True)
class Rendered:
    """One event as a dialect posts it."""

    name: str  # the dialect's name of the event
    body: bytes  # the exact bytes posted (and signed)


def _message_id(event: StoredEvent) -> str:
    return "msg_" + event.uuid.replace("-", "")


def _no_headers(_secret: bytes, _body: bytes) -> Mapping[str, str]:
    return {}


@dataclass(frozen=True)
class WebhookStyle:
    # Each event name an endpoint may choose, and the canonical topics it receives
    # (domain/events.py ``topics``).
    events: Mapping[str, tuple[str, ...]]
    # The event in the dialect's envelope and shape, from its snapshot (the record as it was
    # committed); the reader is for what the snapshot only names.
    render: Callable[[Reader, StoredEvent], Rendered]
    # Headers of the dialect's own beside the Standard Webhooks ones, from the current secret
    # and the exact body.
    signature_headers: Callable[[bytes, bytes], Mapping[str, str]] = field(default=_no_headers)
    # webhook-id of the event's message: the same on every attempt and every resend.
    message_id: Callable[[StoredEvent], str] = field(default=_message_id)

    def topics(self, names: list[str]) -> list[str]:
        return sorted({topic for name in names for topic in self.events[name]})
