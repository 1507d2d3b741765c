"""The catalog, shipping addresses, payment references and orders: stock taken with the order
and never below zero, given back on cancel; the shop ships with tracking (order.shipped)."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select, update

from openpaws import demo
from openpaws.domain.vocab import OrganizationKind
from openpaws.services import identifiers
from openpaws.storage import writes
from openpaws.storage.database import Database
from openpaws.storage.tables import outbox_events, products
from tests.pawssource.conftest import PS, Accounts, key_client
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract

ADDRESS = {
    "name": "Ana Rivera",
    "line1": "12 Main St",
    "city": "Rochester",
    "state": "NY",
    "postal_code": "14604",
    "country": "US",
}
CARD = {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030, "label": "Mine"}


def all_products(db: Database) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(products))]


def product_id(db: Database, row_id: int) -> str:
    return identifiers.public_ids(db.reader()).encode("prod", row_id)


def stock_of(db: Database, row_id: int) -> int:
    return next(p["stock"] for p in all_products(db) if p["id"] == row_id)


def set_stock(db: Database, row_id: int, stock: int) -> None:
    with db.transaction() as tx:
        tx.conn.execute(update(products).where(products.c.id == row_id).values(stock=stock))


def buyer_records(client: ContractClient) -> tuple[str, str]:
    address = client.post(f"{PS}/shipping_addresses", json=ADDRESS)
    assert address.status_code == 201, address.text
    card = client.post(f"{PS}/payment_methods", json=CARD)
    assert card.status_code == 201, card.text
    return address.json()["data"]["id"], card.json()["data"]["id"]


def order_body(db: Database, rows: list[tuple[int, int]], address: str, card: str) -> Any:
    return {
        "items": [{"product_id": product_id(db, r), "quantity": q} for r, q in rows],
        "shipping_address_id": address,
        "payment_method_id": card,
    }


@pytest.fixture
def shop(fresh: Accounts, ps_contract: Contract) -> ContractClient:
    return key_client(
        fresh.db, ps_contract, org=demo.first_of_kind(fresh.db, OrganizationKind.SHOP)
    )


def test_product_search_by_keyword_category_diet_and_stock(seeded: Accounts) -> None:
    rows = [p for p in all_products(seeded.db) if p["active"]]
    word = rows[0]["name"].split()[-1].lower()  # a kind, e.g. "kibble"
    expected = {
        product_id(seeded.db, p["id"])
        for p in rows
        if any(word in (p[c] or "").lower() for c in ("name", "brand", "description"))
    }
    found = seeded.owner.json(f"{PS}/products?keyword={word}&limit=100")["data"]
    assert {p["id"] for p in found} == expected or len(expected) > 100
    nutrition = seeded.owner.json(f"{PS}/products?category=nutrition&limit=100")["data"]
    assert nutrition and {p["category"] for p in nutrition} == {"nutrition"}
    grain_free = seeded.owner.json(f"{PS}/products?dietary_preference=grain_free")["data"]
    assert grain_free and all("grain_free" in p["dietary_preferences"] for p in grain_free)
    sold_out = seeded.owner.json(f"{PS}/products?in_stock=false&limit=100")["data"]
    assert {p["id"] for p in sold_out} == {
        product_id(seeded.db, p["id"]) for p in rows if p["stock"] == 0
    }
    felines = seeded.owner.json(f"{PS}/products?species=feline&limit=100")["data"]
    assert felines and all(p["species"] in ([], ["feline"], ["canine", "feline"]) for p in felines)


def test_a_product_and_its_inventory(seeded: Accounts) -> None:
    row = all_products(seeded.db)[0]
    pid = product_id(seeded.db, row["id"])
    product = seeded.owner.json(f"{PS}/products/{pid}")["data"]
    assert product["name"] == row["name"] and product["price"]["amount"] == row["price_amount"]
    inventory = seeded.owner.json(f"{PS}/products/{pid}/inventory")["data"]
    assert inventory == {
        "product_id": pid,
        "available_quantity": row["stock"],
        "in_stock": row["stock"] > 0,
        "restock_date": None,
    }
    assert seeded.owner.get(f"{PS}/products/prod_zzzzzzzz").status_code == 404


def test_addresses_and_payment_methods_belong_to_their_account(fresh: Accounts) -> None:
    address, card = buyer_records(fresh.owner)
    assert [a["id"] for a in fresh.owner.json(f"{PS}/shipping_addresses")["data"]] == [address]
    assert fresh.owner.json(f"{PS}/payment_methods/{card}")["data"]["last4"] == "4242"
    assert fresh.other.get(f"{PS}/shipping_addresses/{address}").status_code == 404
    assert fresh.other.delete(f"{PS}/payment_methods/{card}").status_code == 404
    assert fresh.owner.delete(f"{PS}/payment_methods/{card}").status_code == 200
    assert fresh.owner.json(f"{PS}/payment_methods")["data"] == []


@pytest.mark.parametrize(
    ("body", "status", "field", "issue"),
    [
        ({**CARD, "number": "4242424242424242"}, 422, "number", "unknown_field"),
        ({**CARD, "last4": "42a2"}, 422, "last4", "must_be_four_digits"),
        ({**CARD, "exp_year": 2020}, 422, "exp_year", "expired"),
        ({k: v for k, v in CARD.items() if k != "brand"}, 400, "brand", "required"),
    ],
)
def test_payment_methods_take_no_card_numbers(
    fresh: Accounts, body: dict[str, Any], status: int, field: str, issue: str
) -> None:
    response = fresh.owner.post(f"{PS}/payment_methods", json=body)
    assert response.status_code == status, response.text
    details = response.json()["error"]["details"]
    assert (field, issue) in [(d["field"], d["issue"]) for d in details]


def test_an_order_takes_stock_and_a_cancel_gives_it_back(fresh: Accounts) -> None:
    address, card = buyer_records(fresh.owner)
    row = next(p for p in all_products(fresh.db) if p["stock"] >= 5)
    before = row["stock"]
    placed = fresh.owner.post(
        f"{PS}/orders", json=order_body(fresh.db, [(row["id"], 2)], address, card)
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()["data"]
    assert order["status"] == "pending" and order["tracking"] is None
    assert order["total"] == {"amount": 2 * row["price_amount"], "currency": "USD"}
    assert stock_of(fresh.db, row["id"]) == before - 2
    assert fresh.owner.json(f"{PS}/orders")["data"][0]["id"] == order["id"]
    assert fresh.other.get(f"{PS}/orders/{order['id']}").status_code == 404
    cancelled = fresh.owner.post(f"{PS}/orders/{order['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["data"]["status"] == "cancelled"
    assert stock_of(fresh.db, row["id"]) == before
    again = fresh.owner.post(f"{PS}/orders/{order['id']}/cancel")
    assert again.status_code == 422
    assert again.json()["error"]["details"][0]["issue"] == "invalid_state"


def test_the_shop_ships_with_tracking_and_the_event_carries_it(
    fresh: Accounts, shop: ContractClient
) -> None:
    address, card = buyer_records(fresh.owner)
    row = next(p for p in all_products(fresh.db) if p["stock"] >= 1)
    order = fresh.owner.post(
        f"{PS}/orders", json=order_body(fresh.db, [(row["id"], 1)], address, card)
    ).json()["data"]
    tracking = {
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "tracking_url": "https://ups.example/1Z999",
    }
    assert fresh.owner.post(f"{PS}/orders/{order['id']}/ship", json=tracking).status_code == 403
    assert shop.json(f"{PS}/orders")["data"][0]["id"] == order["id"]
    shipped = shop.post(f"{PS}/orders/{order['id']}/ship", json=tracking)
    assert shipped.status_code == 200, shipped.text
    body = shipped.json()["data"]
    assert body["status"] == "shipped" and body["tracking"]["tracking_number"] == "1Z999"
    assert fresh.owner.json(f"{PS}/orders/{order['id']}")["data"]["tracking"]["carrier"] == "UPS"
    with fresh.db.engine.connect() as conn:
        events = conn.execute(
            select(outbox_events).where(outbox_events.c.event_type == "order.shipped")
        ).all()
    assert len(events) == 1 and events[0].person_id is not None
    assert events[0].payload["tracking_number"] == "1Z999"
    assert events[0].payload["carrier"] == "UPS"
    assert fresh.owner.post(f"{PS}/orders/{order['id']}/cancel").status_code == 422


def test_insufficient_stock_is_422_and_changes_nothing(fresh: Accounts) -> None:
    address, card = buyer_records(fresh.owner)
    row = next(p for p in all_products(fresh.db) if p["stock"] >= 1)
    refused = fresh.owner.post(
        f"{PS}/orders", json=order_body(fresh.db, [(row["id"], row["stock"] + 1)], address, card)
    )
    assert refused.status_code == 422
    detail = refused.json()["error"]["details"][0]
    assert (detail["field"], detail["issue"]) == ("items[0].quantity", "insufficient_stock")
    assert stock_of(fresh.db, row["id"]) == row["stock"]
    assert fresh.owner.json(f"{PS}/orders")["data"] == []


def test_twenty_orders_for_the_last_three_units(fresh: Accounts) -> None:
    address, card = buyer_records(fresh.owner)
    row = next(p for p in all_products(fresh.db) if p["stock"] >= 1)
    set_stock(fresh.db, row["id"], 3)
    body = order_body(fresh.db, [(row["id"], 1)], address, card)
    with ThreadPoolExecutor(20) as pool:
        statuses = list(
            pool.map(lambda _: fresh.owner.post(f"{PS}/orders", json=body).status_code, range(20))
        )
    assert sorted(statuses) == [201] * 3 + [422] * 17
    assert stock_of(fresh.db, row["id"]) == 0
    assert len(fresh.owner.json(f"{PS}/orders?limit=100")["data"]) == 3


def test_an_order_holds_one_shops_products(fresh: Accounts) -> None:
    address, card = buyer_records(fresh.owner)
    rows = all_products(fresh.db)
    first = rows[0]
    shop = demo.organization_rows(random.Random(5), 1, demo.EPOCH, [OrganizationKind.SHOP], 900)
    setup.insert_organizations(fresh.db, shop)
    with fresh.db.transaction() as tx:
        writes.insert_products(tx, demo.product_rows(random.Random(5), [900], 1, demo.EPOCH, 9_000))
    other = all_products(fresh.db)[-1]
    assert other["shop_organization_id"] != first["shop_organization_id"]
    refused = fresh.owner.post(
        f"{PS}/orders",
        json=order_body(fresh.db, [(first["id"], 1), (other["id"], 1)], address, card),
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["issue"] == "mixed_shops"


@pytest.mark.parametrize(
    ("change", "field", "issue", "status"),
    [
        ({"items": []}, "items", "must_be_non_empty_array", 422),
        ({"shipping_address_id": "addr_zzzzzzzz"}, "shipping_address_id", "not_found", 422),
        ({"payment_method_id": "nope"}, "payment_method_id", "not_found", 422),
        ({"items": [{"product_id": "prod_12345678"}]}, "items[0].quantity", "required", 400),
        ({"items": [{"product_id": "x", "quantity": 0}]}, "items[0].quantity", "out_of_range", 422),
    ],
)
def test_bad_orders_are_refused(
    fresh: Accounts, change: dict[str, Any], field: str, issue: str, status: int
) -> None:
    address, card = buyer_records(fresh.owner)
    row = all_products(fresh.db)[0]
    body = {**order_body(fresh.db, [(row["id"], 1)], address, card), **change}
    response = fresh.owner.post(f"{PS}/orders", json=body)
    assert response.status_code == status, response.text
    assert (field, issue) in [(d["field"], d["issue"]) for d in response.json()["error"]["details"]]


def test_an_order_retried_with_its_idempotency_key_is_placed_once(fresh: Accounts) -> None:
    address, card = buyer_records(fresh.owner)
    row = next(p for p in all_products(fresh.db) if p["stock"] >= 2)
    body = order_body(fresh.db, [(row["id"], 1)], address, card)
    first = fresh.owner.post(f"{PS}/orders", json=body, headers={"Idempotency-Key": "cart-7"})
    again = fresh.owner.post(f"{PS}/orders", json=body, headers={"Idempotency-Key": "cart-7"})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotency-Replay"] == "true"
    assert again.json() == first.json()
    assert stock_of(fresh.db, row["id"]) == row["stock"] - 1
    other = {**body, "notes": "changed"}
    conflict = fresh.owner.post(f"{PS}/orders", json=other, headers={"Idempotency-Key": "cart-7"})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "idempotency_conflict"


def test_keyword_pages_walk_every_match_with_filters_and_see_new_products(
    fresh: Accounts,
) -> None:
    rows = [p for p in all_products(fresh.db) if p["active"]]
    word = "salmon"
    expected = [
        product_id(fresh.db, p["id"])
        for p in sorted(rows, key=lambda p: (p["created_at"], p["id"]), reverse=True)
        if any(word in (p[c] or "").lower() for c in ("name", "brand", "description"))
        and p["stock"] > 0
    ]
    assert len(expected) > 5
    seen: list[str] = []
    url = f"{PS}/products?keyword={word}&in_stock=true&limit=3"
    cursor = None
    while True:
        page = fresh.owner.json(url + (f"&cursor={cursor}" if cursor else ""))
        seen += [p["id"] for p in page["data"]]
        if not page["meta"]["has_more"]:
            break
        cursor = page["meta"]["next_cursor"]
    assert seen == expected
    made = demo.product_rows(
        random.Random(9), [rows[0]["shop_organization_id"]], 1, demo.EPOCH, 9_500
    )
    made[0]["name"] = "Quokkaberry Crunch"
    with fresh.db.transaction() as tx:
        writes.insert_products(tx, made)
    found = fresh.owner.json(f"{PS}/products?keyword=quokkaberry")["data"]
    assert [p["name"] for p in found] == ["Quokkaberry Crunch"]
