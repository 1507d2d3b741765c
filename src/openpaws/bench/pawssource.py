"""The benchmark's Paws Source requests: walking a shelter's 10,000 pets by cursor, searching
a catalog of 100,000 products by keyword, and placing orders (over 1,000 products with stock
sized to the run, and over 10 hot products whose stock runs out mid-run). Afterwards the
orders and the stock are checked to the unit."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import msgspec
from sqlalchemy import text

from openpaws.bench import load
from openpaws.bench.inputs import Fragment
from openpaws.dialects import pawssource
from openpaws.dialects.pawssource import params
from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.commerce import AddressChange, PaymentMethodChange
from openpaws.domain.entities import Address
from openpaws.platform import api_keys, quotas
from openpaws.services import account_records, identifiers, organizations, people
from openpaws.storage.database import Database

PS = "/pawssource/v2"
PAGE = 20
UNLIMITED = 1_000_000_000
SPREAD_PRODUCTS = 1_000
HOT_PRODUCTS = 10
BUYER = "petowner1"

# POST /pawssource/v2/orders of one unit of a product drawn at random, counting the answers.
ORDER_LUA = """\
local products = %(products)s
local count = #products
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(%(seed)d + (thread_number or 0))
  sent, created, refused, other = 0, 0, 0, 0
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"items":[{"product_id":"%%s","quantity":1}],"shipping_address_id":"%(address)s",' ..
    '"payment_method_id":"%(payment)s"}', products[math.random(count)])
  local headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 422 then refused = refused + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = {sent = 0, created = 0, refused = 0, other = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format("Requests sent: %%d\\n", totals.sent))
  io.write(string.format("Orders created: %%d\\nOrders refused: %%d\\nOther answers: %%d\\n",
    totals.created, totals.refused, totals.other))
end
"""


class Orders(msgspec.Struct):
    """An order run: what wrk saw, and what the database holds afterwards."""

    created: int  # 201s
    refused: int  # 422 insufficient_stock
    sent: int
    rows_added: int  # orders written
    units_taken: int  # stock taken from the run's products
    stock_left: int  # of the run's products, afterwards


@dataclass(frozen=True)
class Setup:
    shelter_key: str  # of the anchor shelter: request 7 walks its pets
    buyer_key: str  # of a pet owner with an address and a payment method: requests 8-10
    address: str
    payment: str


def _unlimited_key(tx: Any, account: Account) -> str:
    policy = pawssource.DIALECT.keys
    assert policy is not None
    record, key = api_keys.create_key(
        tx,
        dialect=pawssource.NAME,
        prefix=policy.prefix,
        account=account,
        scopes=policy.scopes(tx.reader, account, None, ()),
        plan="enterprise",
        name="bench",
    )
    for quota in pawssource.QUOTAS:
        limit = quotas.Limit(UNLIMITED, quotas.Window.MINUTE, UNLIMITED)
        quotas.set_override(
            tx, dialect=pawssource.NAME, quota=quota, limit=limit, api_key_id=record.id
        )
    return key


def prepare(url: str, anchor: str) -> Setup:
    with Database(url) as db, db.transaction() as tx:
        shelter = Account(
            AccountKind.ORGANIZATION, organizations.organization_id(tx.reader, anchor)
        )
        buyer = Account(AccountKind.PERSON, people.person_id(tx.reader, BUYER))
        where = Address("1 Bench Way", None, "Rochester", "NY", "14604", "US")
        address = account_records.add_address(tx, buyer, AddressChange("Bench", where))
        card = account_records.add_payment_method(
            tx, buyer, PaymentMethodChange("visa", "4242", 12, 2099)
        )
        ids = identifiers.public_ids(tx.reader)
        return Setup(
            _unlimited_key(tx, shelter),
            _unlimited_key(tx, buyer),
            ids.encode("addr", address.id),
            ids.encode("pm", card.id),
        )


def pet_pages(db: Database, anchor: str) -> list[str]:
    """Every page of the shelter's pets, newest first: the first, then one per cursor."""
    with db.read() as r:
        org = r.scalar("SELECT id FROM organizations WHERE code = :c", {"c": anchor})
        rows = r.all(
            "SELECT id, created_at FROM animals WHERE organization_id = :org "
            "AND deleted_at IS NULL ORDER BY created_at DESC, id DESC",
            {"org": org},
        )
        ids = identifiers.public_ids(r)
    paths = [f"{PS}/pets?limit={PAGE}"]
    for n in range(PAGE - 1, len(rows) - 1, PAGE):
        animal_id, micros = rows[n]
        moment = datetime.fromtimestamp(micros / 1_000_000, UTC)
        paths.append(
            f"{PS}/pets?limit={PAGE}&cursor={params.cursor(ids.encode('pet', animal_id), moment)}"
        )
    return paths


def search_paths(fragments: list[Fragment]) -> list[str]:
    return [f"{PS}/products?keyword={quote(f.text)}" for f in fragments]


def order_script(path: Path, products: list[str], setup: Setup) -> Path:
    listed = "{" + ", ".join(f'"{p}"' for p in products) + "}"
    path.write_text(
        ORDER_LUA
        % {"products": listed, "seed": 2026, "address": setup.address, "payment": setup.payment}
    )
    return path


def _ids_list(ids: list[int]) -> str:
    return "(" + ", ".join(str(int(i)) for i in ids) + ")"


def set_stock(db: Database, product_ids: list[int], stock: int) -> None:
    with db.transaction() as tx:
        tx.conn.execute(
            text(f"UPDATE products SET stock = :stock WHERE id IN {_ids_list(product_ids)}"),
            {"stock": stock},
        )


def _counts(db: Database, product_ids: list[int]) -> tuple[int, int]:
    """(orders, stock left) of these products, once the server has finished what it received:
    requests in flight or queued when wrk stopped are still written, so count until two counts
    half a second apart agree."""
    found = None
    while True:
        with db.read() as r:
            orders = r.scalar("SELECT count(*) FROM orders")
            stock = r.scalar(
                f"SELECT sum(stock) FROM products WHERE id IN {_ids_list(product_ids)}"
            )
        now = (int(orders), int(stock))
        if now == found:
            return now
        found = now
        time.sleep(0.5)


def run_orders(
    db: Database,
    target: str,
    script: Path,
    product_ids: list[int],
    stock: int,
    seconds: int,
    headers: dict[str, str],
) -> tuple[load.Measure, Orders]:
    """One order run over the products, each given ``stock`` first; checked afterwards: every
    unit taken is an order written, and no more orders were written than wrk sent."""
    set_stock(db, product_ids, stock)
    orders_before, stock_before = _counts(db, product_ids)
    measure, seen = load.run_counting(target, script, 32, seconds, headers)
    orders_after, stock_after = _counts(db, product_ids)
    found = Orders(
        created=seen["created"],
        refused=seen["refused"],
        sent=seen["sent"],
        rows_added=orders_after - orders_before,
        units_taken=stock_before - stock_after,
        stock_left=stock_after,
    )
    if seen["other"]:
        raise load.LoadFailed(f"{seen['other']} order answers were neither 201 nor 422")
    if found.rows_added != found.units_taken or not (
        found.created <= found.rows_added <= found.sent - found.refused
    ):
        raise load.LoadFailed(f"orders and stock disagree: {found}")
    if stock_after < 0:
        raise load.LoadFailed(f"stock went below zero: {found}")
    return measure, found


def product_ids(db: Database, count: int, first: int = 1) -> list[int]:
    with db.read() as r:
        rows = r.all(
            "SELECT id FROM products WHERE active = TRUE ORDER BY id LIMIT :n OFFSET :skip",
            {"n": count, "skip": first - 1},
        )
    return [int(row[0]) for row in rows]


def public(db: Database, ids: list[int]) -> list[str]:
    codec = identifiers.public_ids(db.reader())
    return [codec.encode("prod", i) for i in ids]
