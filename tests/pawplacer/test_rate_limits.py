"""Hourly limits per organization and endpoint class, and per key for writes."""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from sqlalchemy import text

from tests.conftest import make_client
from tests.pawplacer.conftest import PP, Shelters, client_for, pet_body
from tests.pawplacer.test_write import count_rows
from tests.support import setup
from tests.support.contract import Contract

PETS = f"{PP}/api/pets"
REDIS_URL = "redis://127.0.0.1:6379/0"


def test_writes_default_to_ten_an_hour_per_key(fresh: Shelters, pp_contract: Contract) -> None:
    writer = client_for(fresh.db, pp_contract, fresh.listing_c, "write")
    remaining = []
    for n in range(10):
        response = writer.post(PETS, json=pet_body(name=f"Pet {n}"))
        assert response.status_code == 201
        remaining.append(int(response.headers["X-RateLimit-Remaining"]))
    assert remaining == list(range(9, -1, -1))
    before = count_rows(fresh.db, "animals")
    refused = writer.post(PETS, json=pet_body(name="Eleventh"))
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert body["error"] == "Rate limit exceeded. Maximum 10 writes per hour for this key."
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert int(refused.headers["X-RateLimit-Limit"]) == 10
    assert count_rows(fresh.db, "animals") == before
    people = writer.post(f"{PP}/api/people", json={"type": "adopter", "name": "Late"})
    assert people.status_code == 429
    writer.client.__exit__(None, None, None)


def test_two_write_keys_of_one_organization_are_counted_apart(
    fresh: Shelters, pp_contract: Contract
) -> None:
    """The write limit (10 an hour by default) is each key's: one key's spent quota leaves
    another key of the same organization its own."""
    first = client_for(fresh.db, pp_contract, fresh.listing_c, "write")
    second = client_for(fresh.db, pp_contract, fresh.listing_c, "write")
    org = fresh.org_id(fresh.listing_c)

    def pets_of_the_organization() -> int:
        with fresh.db.engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT count(*) FROM animals WHERE organization_id = :org"),
                    {"org": org},
                ).scalar_one()
            )

    before = pets_of_the_organization()
    for n in range(10):
        assert first.post(PETS, json=pet_body(name=f"First {n}")).status_code == 201
    refused = first.post(PETS, json=pet_body(name="First, refused"))
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert pets_of_the_organization() == before + 10

    other = second.post(PETS, json=pet_body(name="Second 0"))
    assert other.status_code == 201, other.text
    assert int(other.headers["X-RateLimit-Remaining"]) == 9  # its own count, not the first's
    assert pets_of_the_organization() == before + 11
    assert first.post(PETS, json=pet_body(name="First, still refused")).status_code == 429
    assert pets_of_the_organization() == before + 11
    for client in (first, second):
        client.client.__exit__(None, None, None)


def test_reads_count_per_organization_across_keys(fresh: Shelters, pp_contract: Contract) -> None:
    setup.set_limit(fresh.db, fresh.a, "list", 3)
    other_key = setup.create_key(fresh.db, fresh.a, "read")
    statuses = []
    for n in range(4):
        headers = {"x-api-key": other_key} if n % 2 else {}
        statuses.append(fresh.read_a.get(PETS, headers=headers).status_code)
    assert statuses == [200, 200, 200, 429]
    refused = fresh.read_a.get(PETS)
    assert refused.json()["error"] == (
        "Rate limit exceeded. Maximum 3 requests per hour. Cache responses to avoid throttling."
    )
    assert fresh.read_a.get(f"{PP}/api/pets/custom-fields").status_code == 200
    assert fresh.read_b.get(PETS).status_code == 200


def test_custom_fields_default_to_fifteen(fresh: Shelters, pp_contract: Contract) -> None:
    reader = client_for(fresh.db, pp_contract, fresh.listing_c, "read")
    answers = [reader.get(f"{PP}/api/pets/custom-fields").status_code for _ in range(16)]
    assert answers == [200] * 15 + [429]
    assert reader.get(f"{PP}/api/pets").status_code == 200  # another class
    reader.client.__exit__(None, None, None)


def test_detail_limit_is_its_own_class(fresh: Shelters) -> None:
    setup.set_limit(fresh.db, fresh.a, "detail", 2)
    pet = fresh.read_a.json(f"{PETS}?limit=1")["pets"][0]["id"]
    answers = [fresh.read_a.get(f"{PETS}/{pet}").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert int(fresh.read_a.get(f"{PETS}/{pet}").headers["X-RateLimit-Limit"]) == 2


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error})")


def test_redis_shares_one_count_between_servers(fresh: Shelters, pp_contract: Contract) -> None:
    """Two app instances (as two server processes would) with one Redis: N+1 requests spread
    over both give exactly one 429."""
    _redis_or_skip()
    settings = {"redis_url": REDIS_URL, "rate_limit_namespace": f"test-{uuid.uuid4().hex}"}
    setup.set_limit(fresh.db, fresh.a, "list", 5)
    one = make_client(fresh.db, pp_contract, **settings)
    two = make_client(fresh.db, pp_contract, **settings)
    key = setup.create_key(fresh.db, fresh.a, "read")
    one.api_key = two.api_key = key
    answers = [(one if n % 2 else two).get(PETS).status_code for n in range(6)]
    assert answers == [200] * 5 + [429]
    reset = int(one.get(PETS).headers["X-RateLimit-Reset"])
    assert time.time() < reset <= time.time() + 3601
    for client in (one, two):
        client.client.__exit__(None, None, None)
