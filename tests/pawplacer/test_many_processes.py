"""Two server processes on one PostgreSQL and one Redis behave as one service."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest
import redis

from tests.pawplacer.conftest import PP, Shelters, pet_body
from tests.pawplacer.test_write import count_rows
from tests.support import setup
from tests.support.server import running_server

REDIS_URL = "redis://127.0.0.1:6379/0"
PETS = f"{PP}/api/pets"


@pytest.fixture
def two_servers(fresh: Shelters) -> Iterator[list[str]]:
    if fresh.db.is_sqlite:
        pytest.skip("several processes share PostgreSQL and Redis (the SQLite file is one host's)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error})")
    env = {"OPENPAWS_REDIS_URL": REDIS_URL, "OPENPAWS_RATE_LIMIT_NAMESPACE": uuid.uuid4().hex}
    with ExitStack() as stack:
        bases = [stack.enter_context(running_server(fresh.db.url, env=env))[0] for _ in range(2)]
        yield bases


def test_rate_limits_count_once_across_processes(fresh: Shelters, two_servers: list[str]) -> None:
    setup.set_limit(fresh.db, fresh.a, "list", 6)
    headers = {"x-api-key": fresh.read_a.api_key or ""}
    answers = [
        httpx.get(f"{two_servers[n % 2]}{PETS}", headers=headers).status_code for n in range(7)
    ]
    assert answers == [200] * 6 + [429]


def test_a_key_used_on_one_process_replays_on_the_other(
    fresh: Shelters, two_servers: list[str]
) -> None:
    headers = {"x-api-key": fresh.write_a.api_key or "", "Idempotency-Key": "cross-process"}
    first = httpx.post(f"{two_servers[0]}{PETS}", json=pet_body(), headers=headers)
    second = httpx.post(f"{two_servers[1]}{PETS}", json=pet_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotency-Replay"] == "true"
    assert second.json() == first.json()
    conflict = httpx.post(f"{two_servers[1]}{PETS}", json=pet_body(name="X"), headers=headers)
    assert conflict.status_code == 409


def test_fifty_concurrent_writes_over_two_processes_make_one_record(
    fresh: Shelters, two_servers: list[str]
) -> None:
    before = count_rows(fresh.db, "animals")
    headers = {"x-api-key": fresh.write_a.api_key or "", "Idempotency-Key": "burst-two"}
    body = pet_body(name="Spread Max")
    start = threading.Barrier(50)

    def send(n: int) -> httpx.Response:
        with httpx.Client(base_url=two_servers[n % 2], timeout=60) as client:
            start.wait()
            return client.post(PETS, json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(send, range(50)))
    assert [a.status_code for a in answers] == [201] * 50
    assert len({a.json()["id"] for a in answers}) == 1
    assert count_rows(fresh.db, "animals") == before + 1
