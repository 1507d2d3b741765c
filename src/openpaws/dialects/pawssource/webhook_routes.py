"""An account's webhook endpoints (an OpenPaws extension; the seed's "dashboard"): create with
a URL and the events to receive, list, read, change, delete, enable again, rotate the secret,
send a test event, and read and resend the delivery log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from msgspec import UNSET, UnsetType

from openpaws.dialects import inputs
from openpaws.dialects.pawssource import bodies, params, paths, vocab, webhooks, wire
from openpaws.dialects.pipeline import Call, Route
from openpaws.domain.webhooks import EndpointChange
from openpaws.platform.principals import Scope
from openpaws.platform.webhooks import endpoints
from openpaws.storage.database import Transaction

QUOTA = "requests"
ENDPOINTS = "/webhook_endpoints"
ENDPOINT = f"{ENDPOINTS}/{{endpoint_id}}"
DELIVERIES = f"{ENDPOINT}/deliveries"
DELIVERY = f"{DELIVERIES}/{{delivery_id}}"
FIELDS = ("url", "enabled_events", "description")
URL_LIMIT = 2048
DESCRIPTION_LIMIT = 200
STATUSES = {"enabled": True, "disabled": False}


def _now() -> datetime:
    return datetime.now(UTC)


def _endpoint_id(call: Call) -> int:
    return paths.path_id(call, "endpoint_id", webhooks.ENDPOINT, "webhook_endpoint")


def _delivery_id(call: Call) -> int:
    return paths.path_id(call, "delivery_id", webhooks.DELIVERY, "webhook_delivery")


def _allow_private(call: Call) -> bool:
    return call.mounted.runtime.settings.webhooks_allow_private


def _change(call: Call, *, creating: bool) -> EndpointChange:
    payload = bodies.json_object(call)
    allowed = FIELDS if creating else (*FIELDS, "status")
    r = bodies.reader(payload, allowed, ("url", "enabled_events") if creating else ())
    url = r.take("url", inputs.required_text(URL_LIMIT, line=True)) if "url" in r else None
    events = None
    if "enabled_events" in r:
        events = r.take("enabled_events", inputs.choice_list(tuple(webhooks.EVENTS), 20))
        if events is not None and not events:
            r.bad("enabled_events", "not_items")
    description: str | UnsetType | None = UNSET
    if "description" in r:
        description = r.take("description", inputs.optional_text(DESCRIPTION_LIMIT, line=True))
    enabled = r.take("status", inputs.choice(STATUSES)) if "status" in r else None
    r.finish(bodies.INVALID)
    return EndpointChange(url=url, description=description, event_names=events, enabled=enabled)


def _new_endpoint(call: Call) -> EndpointChange:
    return _change(call, creating=True)


def _endpoint_update(call: Call) -> EndpointChange:
    return _change(call, creating=False)


class Handlers:
    def list_endpoints(self, call: Call) -> wire.Page[wire.WebhookEndpoint]:
        ids, account = paths.ids(call), call.require_principal().account
        found = endpoints.endpoints(call.reader, call.mounted.name, account)
        return wire.Page([webhooks.endpoint(e, ids) for e in found], wire.Meta(None, False))

    def get_endpoint(self, call: Call) -> wire.One[wire.WebhookEndpoint]:
        account = call.require_principal().account
        found = endpoints.endpoint(call.reader, account, _endpoint_id(call), call.mounted.name)
        return wire.One(webhooks.endpoint(found, paths.ids(call)))

    def create_endpoint(
        self, call: Call, tx: Transaction, wanted: EndpointChange
    ) -> wire.One[wire.WebhookEndpoint]:
        made = endpoints.create(
            tx,
            call.mounted.runtime.secret_box(),
            dialect=call.mounted.name,
            style=webhooks.STYLE,
            account=call.require_principal().account,
            url=wanted.url or "",
            events=wanted.event_names or [],
            description=wanted.description or None,
            allow_private=_allow_private(call),
            now=_now(),
        )
        return wire.One(webhooks.endpoint(made.endpoint, paths.ids(call), made.secret))

    def update_endpoint(
        self, call: Call, tx: Transaction, wanted: EndpointChange
    ) -> wire.One[wire.WebhookEndpoint]:
        account = call.require_principal().account
        endpoint_id = self._own(call, tx)
        found = endpoints.change(
            tx,
            account,
            endpoint_id,
            wanted,
            style=webhooks.STYLE,
            allow_private=_allow_private(call),
            now=_now(),
        )
        return wire.One(webhooks.endpoint(found, paths.ids(call)))

    def delete_endpoint(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.Deleted]:
        endpoints.remove(tx, call.require_principal().account, self._own(call, tx))
        return wire.One(wire.Deleted(call.params["endpoint_id"]))

    def enable_endpoint(
        self, call: Call, tx: Transaction, _: None
    ) -> wire.One[wire.WebhookEndpoint]:
        account = call.require_principal().account
        found = endpoints.enable(tx, account, self._own(call, tx), _now())
        return wire.One(webhooks.endpoint(found, paths.ids(call)))

    def rotate_secret(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.WebhookEndpoint]:
        account = call.require_principal().account
        box = call.mounted.runtime.secret_box()
        made = endpoints.rotate_secret(tx, box, account, self._own(call, tx), _now())
        return wire.One(webhooks.endpoint(made.endpoint, paths.ids(call), made.secret))

    def send_test(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.WebhookDelivery]:
        account = call.require_principal().account
        found = endpoints.send_test(tx, account, self._own(call, tx), _now())
        return wire.One(webhooks.delivery(found, call.params["endpoint_id"], paths.ids(call)))

    def list_deliveries(self, call: Call) -> wire.Page[wire.WebhookDelivery]:
        ids = paths.ids(call)
        r = inputs.Reader(call.query, "query", vocab.MESSAGES)
        limit = r.get("limit", inputs.integer(1, params.MAX_LIMIT), params.DEFAULT_LIMIT)
        after = r.get("cursor", params.cursor_reader(ids, webhooks.DELIVERY), None)
        r.finish(bodies.INVALID)
        account = call.require_principal().account
        endpoint_id = _endpoint_id(call)
        endpoints.endpoint(call.reader, account, endpoint_id, call.mounted.name)
        found, more = endpoints.deliveries(
            call.reader, account, endpoint_id, limit, None if after is None else after.id
        )
        shown = [webhooks.delivery(d, call.params["endpoint_id"], ids) for d in found]
        return params.page(shown, more, lambda: (shown[-1].id, found[-1].created_at))

    def get_delivery(self, call: Call) -> wire.One[wire.WebhookDelivery]:
        account = call.require_principal().account
        endpoint_id = _endpoint_id(call)
        endpoints.endpoint(call.reader, account, endpoint_id, call.mounted.name)
        found = endpoints.delivery(call.reader, account, endpoint_id, _delivery_id(call))
        return wire.One(webhooks.delivery(found, call.params["endpoint_id"], paths.ids(call)))

    def redeliver(self, call: Call, tx: Transaction, _: None) -> wire.One[wire.WebhookDelivery]:
        account = call.require_principal().account
        found = endpoints.redeliver(tx, account, self._own(call, tx), _delivery_id(call), _now())
        return wire.One(webhooks.delivery(found, call.params["endpoint_id"], paths.ids(call)))

    @staticmethod
    def _own(call: Call, tx: Transaction) -> int:
        """The endpoint in the path, if it is the caller's and this dialect's."""
        account = call.require_principal().account
        return endpoints.endpoint(tx.reader, account, _endpoint_id(call), call.mounted.name).id


def routes() -> Sequence[Route]:
    h = Handlers()
    manage = Scope.WEBHOOKS_MANAGE
    # Not idempotent: the answer holds the secret, shown once, which must not be kept for
    # replays (an idempotent answer is stored as it was sent).
    created: dict[str, Any] = {"quota": QUOTA, "status": 201, "write": True}
    accepted: dict[str, Any] = {"quota": QUOTA, "status": 202, "write": True}
    changed: dict[str, Any] = {"quota": QUOTA, "write": True}
    return (
        Route("GET", ENDPOINTS, h.list_endpoints, manage, quota=QUOTA),
        Route("POST", ENDPOINTS, h.create_endpoint, manage, read=_new_endpoint, **created),
        Route("GET", ENDPOINT, h.get_endpoint, manage, quota=QUOTA),
        Route("PATCH", ENDPOINT, h.update_endpoint, manage, read=_endpoint_update, **changed),
        Route("DELETE", ENDPOINT, h.delete_endpoint, manage, **changed),
        Route("POST", f"{ENDPOINT}/enable", h.enable_endpoint, manage, **changed),
        Route("POST", f"{ENDPOINT}/rotate_secret", h.rotate_secret, manage, **changed),
        Route("POST", f"{ENDPOINT}/test", h.send_test, manage, **accepted),
        Route("GET", DELIVERIES, h.list_deliveries, manage, quota=QUOTA),
        Route("GET", DELIVERY, h.get_delivery, manage, quota=QUOTA),
        Route("POST", f"{DELIVERY}/redeliver", h.redeliver, manage, **accepted),
    )
