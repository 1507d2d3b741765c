"""Idempotency-Key: replay, conflict, and one record under concurrent retries."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.pawplacer.conftest import PP, Shelters, pet_body
from tests.pawplacer.test_write import count_rows
from tests.support import setup
from tests.support.server import running_server

PETS = f"{PP}/api/pets"


def test_same_key_and_payload_replays_the_first_answer(fresh: Shelters) -> None:
    headers = {"Idempotency-Key": "website-pet-sync:DOG-1"}
    first = fresh.write_a.post(PETS, json=pet_body(), headers=headers)
    before = count_rows(fresh.db, "animals")
    second = fresh.write_a.post(PETS, json=pet_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotency-Replay"] == "true"
    assert "Idempotency-Replay" not in first.headers
    assert count_rows(fresh.db, "animals") == before


def test_same_key_other_payload_conflicts(fresh: Shelters) -> None:
    headers = {"Idempotency-Key": "k-1"}
    assert fresh.write_a.post(PETS, json=pet_body(), headers=headers).status_code == 201
    before = count_rows(fresh.db, "animals")
    other = fresh.write_a.post(PETS, json=pet_body(name="Other"), headers=headers)
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert other.json()["error"] == (
        "This Idempotency-Key was already used with a different request payload."
    )
    assert count_rows(fresh.db, "animals") == before


def test_patch_and_people_replay_too(fresh: Shelters) -> None:
    pet = fresh.write_a.post(PETS, json=pet_body()).json()
    headers = {"Idempotency-Key": "patch-1"}
    one = fresh.write_a.patch(f"{PETS}/{pet['id']}", json={"name": "A"}, headers=headers)
    fresh.write_a.patch(f"{PETS}/{pet['id']}", json={"name": "B"})
    two = fresh.write_a.patch(f"{PETS}/{pet['id']}", json={"name": "A"}, headers=headers)
    assert two.headers["Idempotency-Replay"] == "true" and two.json() == one.json()
    people = {"type": "adopter", "name": "Jo"}
    p1 = fresh.write_a.post(f"{PP}/api/people", json=people, headers={"Idempotency-Key": "p"})
    p2 = fresh.write_a.post(f"{PP}/api/people", json=people, headers={"Idempotency-Key": "p"})
    assert p1.json()["id"] == p2.json()["id"] and p2.headers["Idempotency-Replay"] == "true"


def test_keys_are_scoped_to_the_api_key(fresh: Shelters) -> None:
    headers = {"Idempotency-Key": "shared"}
    a = fresh.write_a.post(PETS, json=pet_body(), headers=headers)
    b = fresh.write_b.post(PETS, json=pet_body(), headers=headers)
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]


def test_failed_attempts_are_not_remembered(fresh: Shelters) -> None:
    headers = {"Idempotency-Key": "retry-after-fix"}
    bad = fresh.write_a.post(PETS, json=pet_body(species="dragon"), headers=headers)
    assert bad.status_code == 400
    fixed = fresh.write_a.post(PETS, json=pet_body(species="dragon"), headers=headers)
    assert fixed.status_code == 400 and "Idempotency-Replay" not in fixed.headers
    good = fresh.write_a.post(PETS, json=pet_body(), headers=headers)
    assert good.status_code == 201


def test_bad_key_is_refused(fresh: Shelters) -> None:
    response = fresh.write_a.post(PETS, json=pet_body(), headers={"Idempotency-Key": "x" * 256})
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "Idempotency-Key"


def test_replays_do_not_spend_write_quota(fresh: Shelters) -> None:
    setup.set_limit(fresh.db, fresh.a, "write", 2)
    headers = {"Idempotency-Key": "quota"}
    assert fresh.write_a.post(PETS, json=pet_body(), headers=headers).status_code == 201
    for _ in range(3):
        replay = fresh.write_a.post(PETS, json=pet_body(), headers=headers)
        assert replay.status_code == 201 and replay.headers["Idempotency-Replay"] == "true"
    assert fresh.write_a.post(PETS, json=pet_body(name="Two")).status_code == 201
    assert fresh.write_a.post(PETS, json=pet_body(name="Three")).status_code == 429


def test_fifty_concurrent_requests_create_one_record(fresh: Shelters) -> None:
    """Against a real server process: every answer names the one record, none is a 5xx."""
    key = fresh.write_a.api_key or ""
    before = count_rows(fresh.db, "animals")
    body = pet_body(name="Concurrent Max")
    start = threading.Barrier(50)

    with running_server(fresh.db.url) as (base, _):

        def send(_: int) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=60) as client:
                start.wait()
                return client.post(
                    PETS, json=body, headers={"x-api-key": key, "Idempotency-Key": "burst-1"}
                )

        with ThreadPoolExecutor(max_workers=50) as pool:
            answers = list(pool.map(send, range(50)))

    assert [a.status_code for a in answers] == [201] * 50
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotency-Replay") == "true" for a in answers) == 49
    assert count_rows(fresh.db, "animals") == before + 1


def test_entries_live_24_hours_then_the_key_is_free(fresh: Shelters) -> None:
    headers = {"Idempotency-Key": "day-old"}
    first = fresh.write_a.post(PETS, json=pet_body(), headers=headers)
    with fresh.db.engine.connect() as conn:
        lifetime = conn.exec_driver_sql(
            "SELECT expires_at - created_at FROM idempotency_keys"
        ).scalar_one()
    assert lifetime >= 24 * 3600 * 1_000_000
    with fresh.db.transaction() as tx:
        tx.conn.exec_driver_sql("UPDATE idempotency_keys SET expires_at = 0")
    again = fresh.write_a.post(PETS, json=pet_body(name="New Day"), headers=headers)
    assert again.status_code == 201 and "Idempotency-Replay" not in again.headers
    assert again.json()["id"] != first.json()["id"]
