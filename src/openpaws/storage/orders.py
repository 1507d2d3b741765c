"""Orders and their items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, update

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.commerce import Order, OrderItem, OrderPage
from openpaws.domain.search import KeysetCursor
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.sql import after_in_newest_first, bind_list, newest_first
from openpaws.storage.tables import order_items, orders
from openpaws.storage.texts import check_row
from openpaws.storage.types import from_micros

_COLUMNS = (
    "o.id, o.uuid, o.organization_id, o.person_id, o.shop_organization_id, o.status, "
    "o.shipping_address_id, o.payment_method_id, o.subtotal, o.shipping, o.total, o.currency, "
    "o.notes, o.carrier, o.tracking_number, o.tracking_url, o.shipped_at, o.cancelled_at, "
    "o.created_at, o.updated_at"
)
_NEWEST_FIRST = newest_first("o")


def _moment(value: int | None) -> Any:
    return None if value is None else from_micros(value)


def _orders(reader: Reader, rows: Sequence[Sequence[Any]]) -> list[Order]:
    """Orders of these rows, with their items (read in one query)."""
    if not rows:
        return []
    params: dict[str, Any] = {}
    ids = bind_list(params, "order", [int(row[0]) for row in rows])
    items: dict[int, list[OrderItem]] = {}
    for item in reader.all(
        "SELECT i.order_id, i.product_id, p.name, p.sku, i.quantity, i.unit_price "
        f"FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id IN {ids} "
        "ORDER BY i.id",
        params,
    ):
        items.setdefault(int(item[0]), []).append(
            OrderItem(int(item[1]), item[2], item[3], int(item[4]), int(item[5]))
        )
    return [_order(row, items.get(int(row[0]), [])) for row in rows]


def _order(row: Sequence[Any], items: list[OrderItem]) -> Order:
    return Order(
        id=int(row[0]),
        uuid=row[1],
        organization_id=row[2],
        person_id=row[3],
        shop_organization_id=int(row[4]),
        status=row[5],
        shipping_address_id=int(row[6]),
        payment_method_id=int(row[7]),
        subtotal=int(row[8]),
        shipping=int(row[9]),
        total=int(row[10]),
        currency=row[11],
        notes=row[12],
        carrier=row[13],
        tracking_number=row[14],
        tracking_url=row[15],
        shipped_at=_moment(row[16]),
        cancelled_at=_moment(row[17]),
        created_at=from_micros(row[18]),
        updated_at=from_micros(row[19]),
        items=items,
    )


def insert_order(tx: Transaction, values: dict[str, Any], items: Sequence[dict[str, Any]]) -> int:
    check_row(orders, values)
    order_id = int(
        tx.conn.execute(insert(orders).values(**values).returning(orders.c.id)).scalar_one()
    )
    tx.conn.execute(insert(order_items), [{**item, "order_id": order_id} for item in items])
    return order_id


def update_order(tx: Transaction, order_id: int, values: dict[str, Any]) -> None:
    check_row(orders, values)
    tx.conn.execute(update(orders).where(orders.c.id == order_id).values(**values))


def _visible(account: Account, params: dict[str, Any]) -> str:
    """Orders the account placed, and (an organization) those it sells."""
    params["account"] = account.id
    if account.kind is AccountKind.PERSON:
        return "o.person_id = :account"
    return "(o.organization_id = :account OR o.shop_organization_id = :account)"


def order_of(reader: Reader, account: Account, order_id: int) -> Order | None:
    params: dict[str, Any] = {"id": order_id}
    where = _visible(account, params)
    rows = reader.all(f"SELECT {_COLUMNS} FROM orders o WHERE o.id = :id AND {where}", params)
    found = _orders(reader, rows)
    return found[0] if found else None


def page(
    reader: Reader,
    account: Account,
    status: str | None,
    limit: int,
    after: KeysetCursor | None,
) -> OrderPage:
    params: dict[str, Any] = {"limit": limit + 1}
    where = [_visible(account, params)]
    if status:
        where.append("o.status = :status")
        params["status"] = status
    if after is not None:
        where.append(after_in_newest_first("o", after, params))
    sql = (
        f"SELECT {_COLUMNS} FROM orders o WHERE {' AND '.join(where)} "
        f"ORDER BY {_NEWEST_FIRST} LIMIT :limit"
    )
    found = _orders(reader, reader.all(sql, params))
    return OrderPage(found[:limit], len(found) > limit)
