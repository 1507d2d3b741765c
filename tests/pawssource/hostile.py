"""How the hostile corpus (tests/test_hostile.py) reaches Paws Source: a roomy key of a pet
owner, one of their pets, an address, a payment method and an order of theirs, and a valid
body for each write."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from openpaws.domain.bookings import BookingRequest
from openpaws.domain.commerce import AddressChange, OrderLine, OrderRequest, PaymentMethodChange
from openpaws.domain.entities import Address
from openpaws.domain.health import RecordChange, TagRequest
from openpaws.services import identifiers
from openpaws.storage.database import Database
from tests.pawssource.conftest import NAME, ROOMY, owned_rows, public_id
from tests.pawssource.test_orders import ADDRESS, CARD, all_products
from tests.support import setup
from tests.support.hostile import Given, Target


def given(db: Database) -> Given:
    key = setup.create_account_key(db, NAME, person="petowner1", **ROOMY)  # type: ignore[arg-type]
    owner = setup.person_account(db, "petowner1")
    ids = identifiers.public_ids(db.reader())
    pet = owned_rows(db, "petowner1")[0]
    pet_id = public_id(db, pet["id"])
    address = setup.add_address(
        db,
        owner,
        AddressChange("Ana", Address("1 Main St", None, "Rochester", "NY", "14604", "US")),
    )
    card = setup.add_payment_method(db, owner, PaymentMethodChange("visa", "4242", 12, 2030))
    product = next(p for p in all_products(db) if p["stock"] >= 10)
    order = setup.place_order(db, owner, OrderRequest([OrderLine(product["id"], 1)], address, card))
    day = (datetime.now(UTC).date() + timedelta(days=5)).isoformat()
    vet = setup.providers(db, "veterinarian")[0]
    groomer = setup.providers(db, "groomer")[0]
    visit = setup.book(
        db, owner, BookingRequest("veterinary", pet["id"], vet.slug, day, "routine_checkup")
    )
    grooming = setup.book(
        db,
        owner,
        BookingRequest("grooming", pet["id"], groomer.slug, day, package_code="basic_bath"),
    )
    record = setup.add_record(
        db, owner, pet["id"], RecordChange(kind="exam", title="Checkup", occurred_on="2026-01-02")
    )
    tag = setup.add_tag(
        db, owner, pet["id"], TagRequest("collar", f"HOSTILE-{uuid.uuid4().hex[:8]}")
    )
    hook = setup.add_webhook_endpoint(db, owner, "https://hooks.example.com/hostile")
    sent = setup.queue_webhook_test(db, owner, hook)
    hook_id, delivery_id = ids.encode("we", hook), ids.encode("dlv", sent)
    create = {"name": "Buster", "species": "canine", "breed": "Beagle", "weight_kg": 12.5}
    address_id, card_id = ids.encode("addr", address), ids.encode("pm", card)
    new_order = {
        "items": [{"product_id": ids.encode("prod", product["id"]), "quantity": 1}],
        "shipping_address_id": address_id,
        "payment_method_id": card_id,
        "notes": "Leave at the door.",
    }
    return Given(
        headers={"Authorization": f"Bearer {key}"},
        bodies={
            "POST /pets": {**create, "date_of_birth": "2020-01-02", "medical_notes": "None."},
            "PATCH /pets/{pet_id}": {"name": "Rex", "status": "inactive"},
            "POST /shipping_addresses": ADDRESS,
            "POST /payment_methods": CARD,
            "POST /orders": new_order,
            "POST /orders/{order_id}/cancel": {},
            "POST /orders/{order_id}/ship": {"carrier": "UPS", "tracking_number": "1Z"},
            "POST /pets/{pet_id}/medical_records": {
                "record_type": "vaccination",
                "title": "Rabies",
                "date": "2026-01-02",
                "next_due_date": "2027-01-02",
                "vet_id": f"vet_{vet.slug}",
                "description": "Booster.",
            },
            "PATCH /pets/{pet_id}/medical_records/{record_id}": {"title": "Exam", "date": None},
            "POST /pets/{pet_id}/tags": {
                "tag_type": "qr",
                "identifier": "QR-77",
                "issuer": "City",
                "registered_at": "2026-01-01",
            },
            **booking_bodies(pet_id, f"vet_{vet.slug}", f"groomer_{groomer.slug}", day),
            "POST /webhook_endpoints": {
                "url": "https://hooks.example.com/new",
                "enabled_events": ["pet.created", "order.shipped"],
                "description": "Our receiver",
            },
            "PATCH /webhook_endpoints/{endpoint_id}": {
                "description": "Renamed",
                "status": "enabled",
            },
            "POST /webhook_endpoints/{endpoint_id}/enable": {},
            "POST /webhook_endpoints/{endpoint_id}/rotate_secret": {},
            "POST /webhook_endpoints/{endpoint_id}/test": {},
            "POST /webhook_endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver": {},
        },
        path_params={
            "/pets/{pet_id}": {"pet_id": pet_id},
            "/pets/{pet_id}/medical_records": {"pet_id": pet_id},
            "/pets/{pet_id}/medical_records/{record_id}": {
                "pet_id": pet_id,
                "record_id": ids.encode("med", record),
            },
            "/pets/{pet_id}/tags": {"pet_id": pet_id},
            "/pets/{pet_id}/tags/{tag_id}": {"pet_id": pet_id, "tag_id": ids.encode("tag", tag)},
            "/products/{product_id}": {"product_id": ids.encode("prod", product["id"])},
            "/products/{product_id}/inventory": {"product_id": ids.encode("prod", product["id"])},
            "/shipping_addresses/{address_id}": {"address_id": address_id},
            "/payment_methods/{payment_method_id}": {"payment_method_id": card_id},
            "/orders/{order_id}": {"order_id": ids.encode("ord", order)},
            "/orders/{order_id}/cancel": {"order_id": ids.encode("ord", order)},
            "/orders/{order_id}/ship": {"order_id": ids.encode("ord", order)},
            **{
                f"/webhook_endpoints/{{endpoint_id}}{action}": {"endpoint_id": hook_id}
                for action in ("", "/enable", "/rotate_secret", "/test", "/deliveries")
            },
            **{
                f"/webhook_endpoints/{{endpoint_id}}/deliveries/{{delivery_id}}{action}": {
                    "endpoint_id": hook_id,
                    "delivery_id": delivery_id,
                }
                for action in ("", "/redeliver")
            },
            "/vets/{provider_id}": {"provider_id": f"vet_{vet.slug}"},
            "/vets/{provider_id}/availability": {"provider_id": f"vet_{vet.slug}"},
            "/groomers/{provider_id}": {"provider_id": f"groomer_{groomer.slug}"},
            "/groomers/{provider_id}/availability": {"provider_id": f"groomer_{groomer.slug}"},
            **{
                f"/appointments/{{appointment_id}}{action}": {
                    "appointment_id": ids.encode("apt", visit)
                }
                for action in ACTIONS
            },
            **{
                f"/grooming/appointments/{{appointment_id}}{action}": {
                    "appointment_id": ids.encode("grm", grooming)
                }
                for action in ACTIONS
            },
        },
    )


ACTIONS = ("", "/cancel", "/confirm", "/complete")


def booking_bodies(pet: str, vet: str, groomer: str, day: str) -> dict[str, Any]:
    visit = {"pet_id": pet, "vet_id": vet, "appointment_type": "dental", "requested_date": day}
    grooming = {
        "pet_id": pet,
        "groomer_id": groomer,
        "package": "full_groom",
        "requested_date": day,
    }
    found: dict[str, Any] = {}
    for path, new, change, report in (
        ("/appointments", visit, {"notes": "Limping."}, {}),
        (
            "/grooming/appointments",
            grooming,
            {"add_ons": ["nail_trim"]},
            {"report": {"summary": "Ok"}},
        ),
    ):
        found |= {
            f"POST {path}": {**new, "preferred_time_slot": "morning", "notes": "First visit."},
            f"PATCH {path}/{{appointment_id}}": change,
            f"POST {path}/{{appointment_id}}/cancel": {},
            f"POST {path}/{{appointment_id}}/confirm": {"scheduled_at": f"{day}T10:00:00"},
            f"POST {path}/{{appointment_id}}/complete": report,
        }
    return found


TARGET = Target(given, "application/json", "/components/schemas/Error")
