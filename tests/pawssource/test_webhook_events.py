"""Each Paws Source webhook event reaches the endpoints of the accounts it belongs to, under its
documented name, with ``data`` shaped as the resource's GET answers it (as it was when the event
happened), signed so that the Standard Webhooks reference library and an independent HMAC of
X-Paws-Signature both verify it: pet.created (of a pet made through PawPlacer),
appointment.confirmed (vet and grooming), grooming.completed, order.shipped, and the extensions
pet.updated, pet.deleted and appointment.completed, sent only where chosen."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from openpaws import demo
from openpaws.cli import app
from openpaws.dialects.pawplacer import DIALECT as PAWPLACER
from openpaws.domain.vocab import OrganizationKind
from openpaws.services import identifiers
from openpaws.storage.database import Database
from openpaws.storage.tables import products
from openpaws.storage.webhooks import Outcome
from tests.pawplacer.conftest import PP, pet_body, raise_limits
from tests.pawplacer.conftest import client_for as pawplacer_client
from tests.pawssource.conftest import PS, Accounts, owned_rows, public_id, row_id
from tests.pawssource.test_orders import ADDRESS, CARD
from tests.pawssource.webhook_support import add_endpoint, hook_client, new_pet, new_worker, verify
from tests.support import reference, setup
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.receiver import Receiver, receiving

Clients = Callable[..., ContractClient]
MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
REPORT = {"summary": "Calm and clean.", "services_performed": ["bath", "nail trim"]}
TRACKING = {
    "carrier": "UPS",
    "tracking_number": "1Z999AA10123456784",
    "tracking_url": "https://ups.example/1Z999AA10123456784",
}


# -- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def clients(fresh: Accounts, ps_contract: Contract) -> Iterator[Clients]:
    """Clients of accounts (``org=code`` or ``person=username``) allowed to register this
    machine's receivers; each closed after the test."""
    made: list[ContractClient] = []

    def client(**account: Any) -> ContractClient:
        found = hook_client(fresh.db, ps_contract, **account)
        made.append(found)
        return found

    yield client
    for found in made:
        found.client.__exit__(None, None, None)


@pytest.fixture
def pawplacer(fresh: Accounts) -> Iterator[ContractClient]:
    """A PawPlacer write key of the shelter."""
    raise_limits(fresh.db, fresh.shelter)
    contract = Contract(PAWPLACER.contract, "urn:openpaws:pawplacer", PP)
    client = pawplacer_client(fresh.db, contract, fresh.shelter, "write")
    yield client
    client.client.__exit__(None, None, None)


def deliver(db: Database) -> list[Outcome]:
    """One worker step over ``db``: every delivery due now attempted and recorded."""

    async def run() -> list[Outcome]:
        worker = new_worker(db)
        try:
            return await worker.step()
        finally:
            await worker.close()

    return asyncio.run(run())


def envelope(endpoint: dict[str, Any], receiver: Receiver) -> dict[str, Any]:
    """The one request the receiver got, verified with the endpoint's secret; its envelope
    checked (``id`` is the webhook-id, ``created_at`` a UTC moment)."""
    assert len(receiver.received) == 1, [r.body for r in receiver.received]
    return envelope_of(endpoint, receiver.received[0])


def envelope_of(endpoint: dict[str, Any], request: Any) -> dict[str, Any]:
    payload: dict[str, Any] = verify(endpoint["secret"], request)
    assert set(payload) == {"id", "type", "created_at", "data"}
    assert payload["id"] == request.headers["webhook-id"] and payload["id"].startswith("evt_")
    assert MOMENT.match(payload["created_at"]), payload["created_at"]
    return payload


def by_type(endpoint: dict[str, Any], receiver: Receiver) -> dict[str, dict[str, Any]]:
    """Each request's verified body by its event type (order is not promised)."""
    found = [envelope_of(endpoint, r) for r in receiver.received]
    named = {p["type"]: p for p in found}
    assert len(named) == len(found), [p["type"] for p in found]
    return named


def kind_code(db: Database, kind: OrganizationKind) -> str:
    return demo.first_of_kind(db, kind)


def provider(client: ContractClient, path: str, code: str) -> str:
    """The id of the first vet or groomer (``path``) of the organization ``code``."""
    found = client.json(f"{PS}/{path}")["data"]
    return str(next(p for p in found if p["organization"]["code"] == code)["id"])


def open_slots(client: ContractClient, provider_id: str, path: str) -> tuple[str, list[str]]:
    """The first day from tomorrow with free slots, and those slots."""
    day = datetime.now(UTC).date() + timedelta(days=1)
    for _ in range(14):
        answer = client.json(f"{PS}/{path}/{provider_id}/availability?date={day}")
        if len(answer["data"]["slots"]) >= 2:
            return day.isoformat(), answer["data"]["slots"]
        day += timedelta(days=1)
    raise AssertionError("no open day in two weeks")


def owners_pet(fresh: Accounts) -> str:
    return public_id(fresh.db, owned_rows(fresh.db, "petowner1")[0]["id"])


def book_vet(fresh: Accounts, owner: ContractClient) -> tuple[str, str]:
    """A vet appointment petowner1 booked with the first clinic: its path and a free slot."""
    vet = provider(owner, "vets", kind_code(fresh.db, OrganizationKind.CLINIC))
    day, slots = open_slots(owner, vet, "vets")
    made = owner.post(
        f"{PS}/appointments",
        json={
            "pet_id": owners_pet(fresh),
            "vet_id": vet,
            "appointment_type": "routine_checkup",
            "requested_date": day,
            "preferred_time_slot": "morning",
        },
    )
    assert made.status_code == 201, made.text
    return f"{PS}/appointments/{made.json()['data']['id']}", slots[0]


def book_grooming(fresh: Accounts, owner: ContractClient) -> tuple[str, str]:
    """A grooming appointment petowner1 booked with the first groomer: its path and a slot."""
    staff = provider(owner, "groomers", kind_code(fresh.db, OrganizationKind.GROOMER))
    day, slots = open_slots(owner, staff, "groomers")
    made = owner.post(
        f"{PS}/grooming/appointments",
        json={
            "pet_id": owners_pet(fresh),
            "groomer_id": staff,
            "package": "basic_bath",
            "add_ons": ["nail_trim"],
            "requested_date": day,
        },
    )
    assert made.status_code == 201, made.text
    return f"{PS}/grooming/appointments/{made.json()['data']['id']}", slots[0]


def confirm(provider_client: ContractClient, path: str, slot: str) -> None:
    confirmed = provider_client.post(f"{path}/confirm", json={"scheduled_at": slot})
    assert confirmed.status_code == 200, confirmed.text


def complete(provider_client: ContractClient, path: str, **body: Any) -> None:
    done = provider_client.post(f"{path}/complete", json=body)
    assert done.status_code == 200, done.text


# -- pet.created --------------------------------------------------------------------------


def test_a_pet_made_through_pawplacer_reaches_the_shelters_endpoint_as_pet_created(
    fresh: Accounts, clients: Clients, pawplacer: ContractClient
) -> None:
    shelter, owner = clients(org=fresh.shelter), clients(person="petowner1")
    with receiving() as shelters, receiving() as owners:
        endpoint = add_endpoint(shelter, shelters.url, "pet.created")
        add_endpoint(owner, owners.url, "pet.created")
        made = pawplacer.post(f"{PP}/api/pets", json=pet_body(name="Crossover"))
        assert made.status_code == 201, made.text
        outcomes = deliver(fresh.db)
    assert [o.status for o in outcomes] == ["delivered"]
    assert owners.received == []  # the shelter's pet is no pet owner's event
    payload = envelope(endpoint, shelters)
    assert payload["type"] == "pet.created"
    pet = shelter.json(f"{PS}/pets/{payload['data']['id']}")["data"]
    assert payload["data"] == pet  # the Paws Source shape, the GET's very answer
    assert pet["name"] == "Crossover" and pet["species"] == "canine"
    row = next(r for r in reference.all_animals(fresh.db) if r["uuid"] == made.json()["id"])
    assert row_id(fresh.db, pet["id"]) == row["id"]


def test_pet_created_carries_the_pet_as_committed_not_as_it_is_when_sent(
    fresh: Accounts, clients: Clients
) -> None:
    shelter = clients(org=fresh.shelter)
    with receiving() as receiver:
        endpoint = add_endpoint(shelter, receiver.url, "pet.created")
        pet = new_pet(shelter, "Biscuit")
        renamed = shelter.patch(f"{PS}/pets/{pet['id']}", json={"name": "Crumpet"})
        assert renamed.status_code == 200, renamed.text
        deliver(fresh.db)
    payload = envelope(endpoint, receiver)
    assert payload["type"] == "pet.created"
    assert payload["data"]["id"] == pet["id"]
    assert payload["data"]["name"] == "Biscuit"
    assert shelter.json(f"{PS}/pets/{pet['id']}")["data"]["name"] == "Crumpet"


# -- appointment.confirmed ------------------------------------------------------------------


def test_a_confirmed_vet_appointment_reaches_the_owner_and_the_clinic(
    fresh: Accounts, clients: Clients
) -> None:
    owner = clients(person="petowner1")
    clinic = clients(org=kind_code(fresh.db, OrganizationKind.CLINIC))
    bystander = clients(person="petowner2")
    with receiving() as owners, receiving() as clinics, receiving() as theirs:
        mine = add_endpoint(owner, owners.url, "appointment.confirmed")
        its = add_endpoint(clinic, clinics.url, "appointment.confirmed")
        add_endpoint(bystander, theirs.url, "appointment.confirmed")
        path, slot = book_vet(fresh, owner)
        deliver(fresh.db)
        assert owners.received == [] and clinics.received == []  # booked: not yet confirmed
        confirm(clinic, path, slot)
        deliver(fresh.db)
    assert theirs.received == []
    shown = owner.json(path)["data"]
    assert shown["status"] == "confirmed"
    for endpoint, receiver in ((mine, owners), (its, clinics)):
        payload = envelope(endpoint, receiver)
        assert payload["type"] == "appointment.confirmed"
        assert payload["data"] == shown
    # One event, belonging to both accounts: the same message to each.
    assert owners.received[0].headers["webhook-id"] == clinics.received[0].headers["webhook-id"]


def test_a_confirmed_grooming_appointment_is_appointment_confirmed_in_grooming_shape(
    fresh: Accounts, clients: Clients
) -> None:
    owner = clients(person="petowner1")
    groomer = clients(org=kind_code(fresh.db, OrganizationKind.GROOMER))
    with receiving() as owners, receiving() as groomers:
        mine = add_endpoint(owner, owners.url, "appointment.confirmed")
        its = add_endpoint(groomer, groomers.url, "appointment.confirmed")
        path, slot = book_grooming(fresh, owner)
        confirm(groomer, path, slot)
        deliver(fresh.db)
    shown = owner.json(path)["data"]
    for endpoint, receiver in ((mine, owners), (its, groomers)):
        payload = envelope(endpoint, receiver)
        assert payload["type"] == "appointment.confirmed"
        assert payload["data"] == shown
    data = envelope(mine, owners)["data"]
    assert data["status"] == "confirmed" and data["package"] == "basic_bath"
    assert "groomer_id" in data and "vet_id" not in data


def test_appointment_confirmed_shows_the_clinic_as_it_was_when_confirmed(
    fresh: Accounts, clients: Clients
) -> None:
    owner = clients(person="petowner1")
    code = kind_code(fresh.db, OrganizationKind.CLINIC)
    clinic = clients(org=code)
    with receiving() as owners:
        mine = add_endpoint(owner, owners.url, "appointment.confirmed")
        path, slot = book_vet(fresh, owner)
        confirm(clinic, path, slot)
        when_confirmed = owner.json(path)["data"]
        zone = when_confirmed["clinic"]["time_zone"]
        other = "Pacific/Auckland" if zone != "Pacific/Auckland" else "America/Los_Angeles"
        env = {"OPENPAWS_DATABASE_URL": fresh.db.engine.url.render_as_string(hide_password=False)}
        moved = CliRunner().invoke(app, ["orgs", "time-zone", code, other], env=env)
        assert moved.exit_code == 0, moved.output
        assert owner.json(path)["data"]["clinic"]["time_zone"] == other
        deliver(fresh.db)
    payload = envelope(mine, owners)
    assert payload["data"] == when_confirmed


# -- grooming.completed and appointment.completed -------------------------------------------


def test_a_completed_grooming_is_grooming_completed_with_its_report(
    fresh: Accounts, clients: Clients
) -> None:
    owner = clients(person="petowner1")
    groomer = clients(org=kind_code(fresh.db, OrganizationKind.GROOMER))
    with receiving() as owners, receiving() as groomers, receiving() as vets_only:
        mine = add_endpoint(owner, owners.url, "grooming.completed")
        its = add_endpoint(groomer, groomers.url, "grooming.completed")
        add_endpoint(owner, vets_only.url, "appointment.completed")
        path, slot = book_grooming(fresh, owner)
        confirm(groomer, path, slot)  # appointment.confirmed: chosen by none of them
        complete(groomer, path, report=REPORT)
        deliver(fresh.db)
    assert vets_only.received == []  # appointment.completed is the vets' event alone
    shown = owner.json(path)["data"]
    assert shown["status"] == "completed"
    for endpoint, receiver in ((mine, owners), (its, groomers)):
        payload = envelope(endpoint, receiver)
        assert payload["type"] == "grooming.completed"
        assert payload["data"] == shown
        assert payload["data"]["report"]["summary"] == REPORT["summary"]
        assert payload["data"]["report"]["services_performed"] == REPORT["services_performed"]


def test_a_completed_vet_appointment_is_appointment_completed_only_where_chosen(
    fresh: Accounts, clients: Clients
) -> None:
    owner = clients(person="petowner1")
    clinic = clients(org=kind_code(fresh.db, OrganizationKind.CLINIC))
    with receiving() as grooming_only, receiving() as chosen:
        add_endpoint(owner, grooming_only.url, "grooming.completed")
        endpoint = add_endpoint(owner, chosen.url, "appointment.completed")
        path, slot = book_vet(fresh, owner)
        confirm(clinic, path, slot)
        complete(clinic, path)
        deliver(fresh.db)
    assert grooming_only.received == []
    payload = envelope(endpoint, chosen)
    assert payload["type"] == "appointment.completed"
    assert payload["data"] == owner.json(path)["data"]
    assert payload["data"]["status"] == "completed" and "vet_id" in payload["data"]


# -- order.shipped ------------------------------------------------------------------------


def place_order(db: Database, buyer: ContractClient, shop_code: str) -> str:
    """An order ``buyer`` placed with the shop ``shop_code`` (a product it has in stock): its
    path."""
    address = buyer.post(f"{PS}/shipping_addresses", json=ADDRESS)
    card = buyer.post(f"{PS}/payment_methods", json=CARD)
    assert address.status_code == 201 and card.status_code == 201
    shop_id = setup.organization_id(db, shop_code)
    product = next(
        p
        for p in reference_products(db)
        if p["shop_organization_id"] == shop_id and p["active"] and p["stock"] >= 1
    )
    placed = buyer.post(
        f"{PS}/orders",
        json={
            "items": [{"product_id": product_id(db, product["id"]), "quantity": 1}],
            "shipping_address_id": address.json()["data"]["id"],
            "payment_method_id": card.json()["data"]["id"],
        },
    )
    assert placed.status_code == 201, placed.text
    return f"{PS}/orders/{placed.json()['data']['id']}"


def ship(shop: ContractClient, path: str) -> None:
    shipped = shop.post(f"{path}/ship", json=TRACKING)
    assert shipped.status_code == 200, shipped.text


def test_a_shipped_order_reaches_the_buyer_with_its_tracking(
    fresh: Accounts, clients: Clients
) -> None:
    buyer, bystander = clients(person="petowner1"), clients(person="petowner2")
    shop_code = kind_code(fresh.db, OrganizationKind.SHOP)
    shop = clients(org=shop_code)
    with receiving() as buyers, receiving() as shops, receiving() as theirs:
        mine = add_endpoint(buyer, buyers.url, "order.shipped")
        its = add_endpoint(shop, shops.url, "order.shipped")
        add_endpoint(bystander, theirs.url, "order.shipped")
        path = place_order(fresh.db, buyer, shop_code)
        deliver(fresh.db)
        assert buyers.received == []  # placed, not shipped
        ship(shop, path)
        deliver(fresh.db)
    assert theirs.received == []
    shown = buyer.json(path)["data"]
    payload = envelope(mine, buyers)
    assert payload["type"] == "order.shipped"
    assert payload["data"] == shown
    assert payload["data"]["status"] == "shipped"
    tracking = payload["data"]["tracking"]
    assert {k: tracking[k] for k in TRACKING} == TRACKING
    assert MOMENT.match(tracking["shipped_at"])
    # The shop that sold it is the event's organization: its endpoint has it too.
    assert envelope(its, shops)["data"] == shown


def reference_products(db: Database) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(products).order_by(products.c.id))]


def product_id(db: Database, row: int) -> str:
    return identifiers.public_ids(db.reader()).encode("prod", row)


# -- pet.updated and pet.deleted ------------------------------------------------------------


def test_pet_updated_and_pet_deleted_are_sent_only_where_chosen(
    fresh: Accounts, clients: Clients
) -> None:
    owner = clients(person="petowner1")
    with receiving() as created_only, receiving() as changes, receiving() as everything:
        first = add_endpoint(owner, created_only.url, "pet.created")
        second = add_endpoint(owner, changes.url, "pet.updated", "pet.deleted")
        third = add_endpoint(owner, everything.url, "pet.created", "pet.updated", "pet.deleted")
        pet = new_pet(owner, "Pudding")
        path = f"{PS}/pets/{pet['id']}"
        renamed = owner.patch(path, json={"name": "Custard"})
        assert renamed.status_code == 200, renamed.text
        updated = renamed.json()["data"]
        assert owner.delete(path).status_code == 200
        deliver(fresh.db)
    assert owner.get(path).status_code == 404
    (created,) = by_type(first, created_only).values()
    assert created["type"] == "pet.created" and created["data"]["name"] == "Pudding"
    changed = by_type(second, changes)
    assert sorted(changed) == ["pet.deleted", "pet.updated"]
    assert changed["pet.updated"]["data"] == updated
    assert changed["pet.deleted"]["data"]["id"] == pet["id"]
    assert changed["pet.deleted"]["data"]["name"] == "Custard"
    every = by_type(third, everything)
    assert sorted(every) == ["pet.created", "pet.deleted", "pet.updated"]
    ids = {p["id"] for p in every.values()}
    assert len(ids) == 3  # three events, three messages
    assert every["pet.created"]["data"] == created["data"]


# -- events of what an organization booked or bought ----------------------------------------


def test_a_vet_appointment_an_organization_booked_reaches_the_clinic_too(
    fresh: Accounts, clients: Clients
) -> None:
    shelter = clients(org=fresh.shelter)
    clinic = clients(org=kind_code(fresh.db, OrganizationKind.CLINIC))
    pet = new_pet(shelter, "Shelter dog")
    vet = provider(shelter, "vets", kind_code(fresh.db, OrganizationKind.CLINIC))
    day, slots = open_slots(shelter, vet, "vets")
    made = shelter.post(
        f"{PS}/appointments",
        json={
            "pet_id": pet["id"],
            "vet_id": vet,
            "appointment_type": "routine_checkup",
            "requested_date": day,
        },
    )
    assert made.status_code == 201, made.text
    path = f"{PS}/appointments/{made.json()['data']['id']}"
    with receiving() as shelters, receiving() as clinics:
        add_endpoint(shelter, shelters.url, "appointment.confirmed")
        its = add_endpoint(clinic, clinics.url, "appointment.confirmed")
        confirm(clinic, path, slots[0])
        deliver(fresh.db)
    assert len(shelters.received) == 1  # the booker has it
    payload = envelope(its, clinics)  # ... and so should the clinic that confirmed it
    assert payload["type"] == "appointment.confirmed"


def test_an_order_an_organization_placed_reaches_the_shop_too(
    fresh: Accounts, clients: Clients
) -> None:
    buyer = clients(org=fresh.shelter)
    shop_code = kind_code(fresh.db, OrganizationKind.SHOP)
    shop = clients(org=shop_code)
    with receiving() as buyers, receiving() as shops:
        add_endpoint(buyer, buyers.url, "order.shipped")
        its = add_endpoint(shop, shops.url, "order.shipped")
        path = place_order(fresh.db, buyer, shop_code)
        ship(shop, path)
        deliver(fresh.db)
    assert len(buyers.received) == 1  # the buyer has it
    payload = envelope(its, shops)  # ... and so should the shop that shipped it
    assert payload["type"] == "order.shipped"
