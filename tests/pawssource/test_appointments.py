"""Vets and groomers: booked by pet owners, confirmed for a slot and completed by their
organization; a provider never holds one slot twice, whatever the concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from openpaws import demo
from openpaws.cli import app
from openpaws.domain.vocab import OrganizationKind
from openpaws.storage.tables import appointment_slots, outbox_events
from tests.pawssource.conftest import PS, Accounts, key_client, owned_rows, public_id
from tests.support.api import ContractClient
from tests.support.contract import Contract


@pytest.fixture
def clinic(fresh: Accounts, ps_contract: Contract) -> ContractClient:
    code = demo.first_of_kind(fresh.db, OrganizationKind.CLINIC)
    return key_client(fresh.db, ps_contract, org=code)


@pytest.fixture
def groomer(fresh: Accounts, ps_contract: Contract) -> ContractClient:
    code = demo.first_of_kind(fresh.db, OrganizationKind.GROOMER)
    return key_client(fresh.db, ps_contract, org=code)


def first_provider(client: ContractClient, path: str, code: str | None = None) -> dict[str, Any]:
    found = client.json(f"{PS}/{path}")["data"]
    return next(p for p in found if code is None or p["organization"]["code"] == code)


def open_day(client: ContractClient, provider: str, path: str = "vets") -> tuple[str, list[str]]:
    """The first day from tomorrow with free slots, and those slots."""
    day = datetime.now(UTC).date() + timedelta(days=1)
    for _ in range(14):
        slots = client.json(f"{PS}/{path}/{provider}/availability?date={day}")["data"]["slots"]
        if len(slots) >= 4:
            return day.isoformat(), slots
        day += timedelta(days=1)
    raise AssertionError("no open day in two weeks")


def my_pet(fresh: Accounts) -> str:
    return public_id(fresh.db, owned_rows(fresh.db, "petowner1")[0]["id"])


def book(fresh: Accounts, vet: str, day: str, **extra: Any) -> dict[str, Any]:
    body = {
        "pet_id": my_pet(fresh),
        "vet_id": vet,
        "appointment_type": "routine_checkup",
        "requested_date": day,
        "preferred_time_slot": "morning",
        "notes": "Annual vaccination due",
        **extra,
    }
    response = fresh.owner.post(f"{PS}/appointments", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json()["data"])


def clinic_code(fresh: Accounts) -> str:
    return demo.first_of_kind(fresh.db, OrganizationKind.CLINIC)


def test_vets_are_listed_with_what_their_clinic_offers(fresh: Accounts) -> None:
    vet = first_provider(fresh.owner, "vets", clinic_code(fresh))
    assert vet["id"].startswith("vet_dr_")
    assert {"routine_checkup", "vaccination"} <= {s["code"] for s in vet["services"]}
    assert fresh.owner.json(f"{PS}/vets/{vet['id']}")["data"] == vet
    assert fresh.owner.get(f"{PS}/vets/vet_nobody").status_code == 404
    near = fresh.owner.json(f"{PS}/vets?location={vet['organization']['postal_code']}")["data"]
    assert vet["id"] in {v["id"] for v in near}
    theirs = fresh.owner.json(f"{PS}/vets?clinic={clinic_code(fresh)}")["data"]
    assert theirs and {v["organization"]["code"] for v in theirs} == {clinic_code(fresh)}


def test_a_booking_is_a_request_for_any_future_date(fresh: Accounts) -> None:
    vet = first_provider(fresh.owner, "vets", clinic_code(fresh))
    day, _ = open_day(fresh.owner, vet["id"])
    appointment = book(fresh, vet["id"], day)
    assert appointment["status"] == "requested" and appointment["scheduled_at"] is None
    assert appointment["id"].startswith("apt_") and appointment["price"]["amount"] > 0
    assert fresh.owner.json(f"{PS}/appointments")["data"][0]["id"] == appointment["id"]
    assert fresh.other.get(f"{PS}/appointments/{appointment['id']}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "issue", "status"),
    [
        ({"requested_date": "2020-01-01"}, "requested_date", "must_not_be_in_the_past", 422),
        ({"requested_date": "15/03/2025"}, "requested_date", "must_be_valid_iso_date", 422),
        ({"vet_id": "vet_nobody_here"}, "provider", "not_found", 422),
        ({"vet_id": "dr_sarah"}, "vet_id", "not_found", 422),
        ({"appointment_type": "haircut"}, "appointment_type", "must_be_one_of", 422),
        ({"preferred_time_slot": "midnight"}, "preferred_time_slot", "must_be_one_of", 422),
        ({"pet_id": None}, "pet_id", "not_found", 422),
    ],
)
def test_bad_bookings_are_refused(
    fresh: Accounts, change: dict[str, Any], field: str, issue: str, status: int
) -> None:
    vet = first_provider(fresh.owner, "vets", clinic_code(fresh))
    day = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    body = {
        "pet_id": my_pet(fresh),
        "vet_id": vet["id"],
        "appointment_type": "routine_checkup",
        "requested_date": day,
        **change,
    }
    response = fresh.owner.post(f"{PS}/appointments", json=body)
    assert response.status_code == status, response.text
    assert (field, issue) in [(d["field"], d["issue"]) for d in response.json()["error"]["details"]]


def test_another_accounts_pet_cannot_be_booked(fresh: Accounts) -> None:
    vet = first_provider(fresh.owner, "vets", clinic_code(fresh))
    theirs = public_id(fresh.db, owned_rows(fresh.db, "petowner2")[0]["id"])
    day = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    response = fresh.owner.post(
        f"{PS}/appointments",
        json={
            "pet_id": theirs,
            "vet_id": vet["id"],
            "appointment_type": "dental",
            "requested_date": day,
        },
    )
    assert response.status_code == 422
    detail = response.json()["error"]["details"][0]
    assert (detail["field"], detail["issue"]) == ("pet_id", "not_found")


def test_the_clinic_confirms_a_slot_and_the_event_is_written(
    fresh: Accounts, clinic: ContractClient
) -> None:
    vet = first_provider(fresh.owner, "vets", clinic_code(fresh))
    day, slots = open_day(fresh.owner, vet["id"])
    appointment = book(fresh, vet["id"], day)
    path = f"{PS}/appointments/{appointment['id']}"
    refused = fresh.owner.post(f"{path}/confirm", json={"scheduled_at": slots[0]})
    assert refused.status_code == 403
    confirmed = clinic.post(f"{path}/confirm", json={"scheduled_at": slots[0]})
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()["data"]
    assert body["status"] == "confirmed"
    assert datetime.fromisoformat(body["scheduled_at"]) == datetime.fromisoformat(slots[0])
    assert (
        slots[0]
        not in fresh.owner.json(f"{PS}/vets/{vet['id']}/availability?date={day}")["data"]["slots"]
    )
    with fresh.db.engine.connect() as conn:
        events = conn.execute(
            select(outbox_events).where(outbox_events.c.event_type == "appointment.confirmed")
        ).all()
    assert len(events) == 1 and events[0].payload["appointment"]["status"] == "confirmed"
    done = clinic.post(f"{path}/complete")
    assert done.status_code == 200 and done.json()["data"]["status"] == "completed"


def test_ten_concurrent_confirms_of_one_slot_give_one_success(
    fresh: Accounts, clinic: ContractClient
) -> None:
    vet = first_provider(fresh.owner, "vets", clinic_code(fresh))
    day, slots = open_day(fresh.owner, vet["id"])
    booked = [book(fresh, vet["id"], day)["id"] for _ in range(10)]

    def confirm(appointment: str) -> int:
        response = clinic.post(
            f"{PS}/appointments/{appointment}/confirm", json={"scheduled_at": slots[1]}
        )
        if response.status_code == 422:
            assert response.json()["error"]["details"][0]["issue"] == "slot_unavailable"
        return response.status_code

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(confirm, booked))
    assert sorted(statuses) == [200] + [422] * 9
    with fresh.db.engine.connect() as conn:
        held = conn.execute(select(func.count()).select_from(appointment_slots)).scalar_one()
    assert held == 1


def test_rescheduling_or_cancelling_releases_the_slot(
    fresh: Accounts, clinic: ContractClient
) -> None:
    vet = first_provider(fresh.owner, "vets", clinic_code(fresh))
    day, slots = open_day(fresh.owner, vet["id"])
    first, second = book(fresh, vet["id"], day), book(fresh, vet["id"], day)
    assert (
        clinic.post(
            f"{PS}/appointments/{first['id']}/confirm", json={"scheduled_at": slots[0]}
        ).status_code
        == 200
    )
    later = (datetime.fromisoformat(day) + timedelta(days=7)).date().isoformat()
    moved = fresh.owner.patch(f"{PS}/appointments/{first['id']}", json={"requested_date": later})
    assert moved.status_code == 200, moved.text
    assert moved.json()["data"]["status"] == "requested"
    assert moved.json()["data"]["scheduled_at"] is None
    taken = clinic.post(
        f"{PS}/appointments/{second['id']}/confirm", json={"scheduled_at": slots[0]}
    )
    assert taken.status_code == 200, taken.text
    cancelled = fresh.owner.post(f"{PS}/appointments/{second['id']}/cancel")
    assert cancelled.json()["data"]["status"] == "cancelled"
    assert (
        slots[0]
        in fresh.owner.json(f"{PS}/vets/{vet['id']}/availability?date={day}")["data"]["slots"]
    )
    again = fresh.owner.post(f"{PS}/appointments/{second['id']}/cancel")
    assert again.status_code == 422


@pytest.mark.parametrize(
    ("start", "issue"),
    [("T09:10:00", "must_be_on_the_half_hour"), ("T03:00:00", "outside_opening_hours")],
)
def test_confirmations_keep_the_grid_and_the_opening_hours(
    fresh: Accounts, clinic: ContractClient, start: str, issue: str
) -> None:
    vet = first_provider(fresh.owner, "vets", clinic_code(fresh))
    day, _ = open_day(fresh.owner, vet["id"])
    appointment = book(fresh, vet["id"], day)
    refused = clinic.post(
        f"{PS}/appointments/{appointment['id']}/confirm", json={"scheduled_at": day + start}
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"][0]["issue"] == issue


def test_grooming_packages_add_ons_upgrades_and_the_report(
    fresh: Accounts, groomer: ContractClient
) -> None:
    code = demo.first_of_kind(fresh.db, OrganizationKind.GROOMER)
    staff = first_provider(fresh.owner, "groomers", code)
    prices = {s["code"]: s["price"]["amount"] for s in staff["services"] + staff["add_ons"]}
    day, slots = open_day(fresh.owner, staff["id"], "groomers")
    made = fresh.owner.post(
        f"{PS}/grooming/appointments",
        json={
            "pet_id": my_pet(fresh),
            "groomer_id": staff["id"],
            "package": "basic_bath",
            "add_ons": ["nail_trim"],
            "requested_date": day,
        },
    )
    assert made.status_code == 201, made.text
    grooming = made.json()["data"]
    assert grooming["price"]["amount"] == prices["basic_bath"] + prices["nail_trim"]
    path = f"{PS}/grooming/appointments/{grooming['id']}"
    upgraded = fresh.owner.patch(path, json={"package": "full_groom", "add_ons": ["paw_balm"]})
    assert upgraded.json()["data"]["price"]["amount"] == prices["full_groom"] + prices["paw_balm"]
    assert groomer.post(f"{path}/confirm", json={"scheduled_at": slots[0]}).status_code == 200
    down = fresh.owner.patch(path, json={"package": "basic_bath"})
    assert down.status_code == 422
    assert down.json()["error"]["details"][0]["issue"] == "not_an_upgrade"
    report = {"summary": "Calm and clean.", "services_performed": ["bath", "paw balm"]}
    assert groomer.post(f"{path}/complete", json={}).status_code == 400
    done = groomer.post(f"{path}/complete", json={"report": report})
    assert done.status_code == 200, done.text
    assert done.json()["data"]["report"]["summary"] == "Calm and clean."
    with fresh.db.engine.connect() as conn:
        event = conn.execute(
            select(outbox_events).where(outbox_events.c.event_type == "appointment.completed")
        ).one()
    assert event.payload["appointment"]["report"]["summary"] == "Calm and clean."
    assert event.payload["appointment"]["service"] == "grooming"


def test_the_operator_sets_a_clinics_time_zone(fresh: Accounts) -> None:
    code = clinic_code(fresh)
    env = {"OPENPAWS_DATABASE_URL": fresh.db.engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    assert runner.invoke(app, ["orgs", "time-zone", code, "Mars/Olympus"], env=env).exit_code == 1
    done = runner.invoke(app, ["orgs", "time-zone", code, "America/Los_Angeles"], env=env)
    assert done.exit_code == 0, done.output
    vet = first_provider(fresh.owner, "vets", code)
    assert vet["organization"]["time_zone"] == "America/Los_Angeles"
    _, slots = open_day(fresh.owner, vet["id"])
    assert all(s.endswith(("-08:00", "-07:00")) for s in slots)
