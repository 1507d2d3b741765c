"""Orders: placed from one shop's products with stock taken in the same transaction (never
below zero), cancelled (stock given back) before they ship, shipped by the shop."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.commerce import Order, OrderPage, OrderRequest, Shipment
from openpaws.domain.errors import InvalidInput, NotFound
from openpaws.domain.events import EventType, order_event
from openpaws.domain.search import KeysetCursor
from openpaws.domain.vocab import OrderStatus
from openpaws.storage import account_records, orders, outbox, products
from openpaws.storage.database import Reader, Transaction

SHIPPING = 0  # OpenPaws charges nothing, shipping included


def _not_found() -> NotFound:
    return NotFound("Order not found", kind="order")


def _problem(name: str, message: str, kind: str) -> InvalidInput:
    return InvalidInput.field("body", name, message, kind=kind)


def place_order(tx: Transaction, account: Account, request: OrderRequest) -> Order:
    """A pending order of the account, its stock taken. Every product must be one shop's."""
    reader = tx.reader
    if not account_records.addresses(reader, account, request.shipping_address_id):
        raise _problem("shipping_address_id", "No such shipping address", "not_found")
    if not account_records.payment_methods_of(reader, account, request.payment_method_id):
        raise _problem("payment_method_id", "No such payment method", "not_found")
    quantities: dict[int, int] = {}
    for line in request.lines:
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    found = products.by_ids(reader, list(quantities))
    for n, line in enumerate(request.lines):
        product = found.get(line.product_id)
        if product is None or not product.active:
            raise _problem(f"items[{n}].product_id", "No such product", "not_found")
    shops = {p.shop_organization_id for p in found.values()}
    if len(shops) > 1:
        raise _problem("items", "An order holds the products of one shop", "mixed_shops")
    now = datetime.now(UTC)
    # In product order, so that two orders never wait on each other's rows (PostgreSQL).
    for product_id in sorted(quantities):
        if not products.take_stock(tx, product_id, quantities[product_id], now):
            n = next(i for i, line in enumerate(request.lines) if line.product_id == product_id)
            left = products.by_id(reader, product_id)
            message = f"Only {left.stock if left else 0} in stock"
            raise _problem(f"items[{n}].quantity", message, "insufficient_stock")
    subtotal = sum(found[p].price_amount * q for p, q in quantities.items())
    order_id = orders.insert_order(
        tx,
        {
            "uuid": str(uuid.uuid4()),
            "organization_id": account.organization_id,
            "person_id": account.person_id,
            "shop_organization_id": shops.pop(),
            "status": OrderStatus.PENDING.value,
            "shipping_address_id": request.shipping_address_id,
            "payment_method_id": request.payment_method_id,
            "subtotal": subtotal,
            "shipping": SHIPPING,
            "total": subtotal + SHIPPING,
            "currency": next(iter(found.values())).currency,
            "notes": request.notes,
            "created_at": now,
            "updated_at": now,
        },
        [
            {"product_id": p, "quantity": q, "unit_price": found[p].price_amount}
            for p, q in quantities.items()
        ],
    )
    return _order(reader, account, order_id)


def _order(reader: Reader, account: Account, order_id: int) -> Order:
    found = orders.order_of(reader, account, order_id)
    if found is None:
        raise _not_found()
    return found


def order(reader: Reader, account: Account, order_id: int) -> Order:
    """An order the account placed or (a shop) sells."""
    return _order(reader, account, order_id)


def order_page(
    reader: Reader, account: Account, status: str | None, limit: int, after: KeysetCursor | None
) -> OrderPage:
    return orders.page(reader, account, status, limit, after)


def _pending(found: Order, action: str) -> None:
    if found.status != OrderStatus.PENDING:
        message = f"A {found.status} order cannot be {action}"
        raise InvalidInput.field("body", "status", message, kind="invalid_state")


def cancel_order(tx: Transaction, account: Account, order_id: int) -> Order:
    """Cancel a pending order (its buyer or its shop); its stock goes back."""
    found = _order(tx.reader, account, order_id)
    _pending(found, "cancelled")
    now = datetime.now(UTC)
    for item in found.items:
        products.return_stock(tx, item.product_id, item.quantity, now)
    orders.update_order(
        tx,
        order_id,
        {"status": OrderStatus.CANCELLED.value, "cancelled_at": now, "updated_at": now},
    )
    return _order(tx.reader, account, order_id)


def ship_order(tx: Transaction, account: Account, order_id: int, shipment: Shipment) -> Order:
    """The shop ships a pending order it sells: ``order.shipped``, with the tracking."""
    found = orders.order_of(tx.reader, account, order_id)
    if found is None or account.kind is not AccountKind.ORGANIZATION:
        raise _not_found()
    if found.shop_organization_id != account.id:
        raise _not_found()  # the buyer's own order: only its shop ships it
    _pending(found, "shipped")
    now = datetime.now(UTC)
    orders.update_order(
        tx,
        order_id,
        {
            "status": OrderStatus.SHIPPED.value,
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "tracking_url": shipment.tracking_url,
            "shipped_at": now,
            "updated_at": now,
        },
    )
    shipped = _order(tx.reader, account, order_id)
    outbox.add_event(tx, order_event(EventType.ORDER_SHIPPED, shipped, now))
    return shipped
