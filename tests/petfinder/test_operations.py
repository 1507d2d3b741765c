"""Health, readiness, metrics and structured request logs."""

from __future__ import annotations

import logging

import pytest

from openpaws.storage.database import Database
from tests.conftest import make_client
from tests.petfinder.helpers import PREFIX
from tests.support.api import ContractClient
from tests.support.contract import Contract


def test_health_and_readiness(api: ContractClient) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    # No webhook worker runs in this test's app (they are listed when they do).
    assert ready.json() == {"status": "ready", "checks": {"database": True}, "webhook_workers": []}


def test_readiness_checks_redis_when_configured(seeded_db: Database, contract: Contract) -> None:
    down = make_client(seeded_db, contract, redis_url="redis://127.0.0.1:1/0")
    try:
        answer = down.client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json()["checks"] == {"database": True, "redis": False}
    finally:
        down.client.__exit__(None, None, None)


def test_metrics_count_requests_per_route(api: ContractClient) -> None:
    for animal_id in (1, 2, 3):
        api.get(f"{PREFIX}/animals/{animal_id}")
    text = api.client.get("/metrics").text
    route = 'path="/petfinder/v2/animals/{animal_id}"'
    counts = [
        line
        for line in text.splitlines()
        if line.startswith("openpaws_requests_total") and route in line
    ]
    assert counts and sum(float(line.rsplit(" ", 1)[1]) for line in counts) >= 3
    assert any(
        line.startswith("openpaws_request_duration_seconds_bucket") and route in line
        for line in text.splitlines()
    )


def test_every_answer_has_a_request_id_that_the_log_line_carries(
    api: ContractClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="openpaws.access"):
        response = api.get(f"{PREFIX}/types")
    request_id = response.headers["X-Request-Id"]
    records = [r for r in caplog.records if getattr(r, "request_id", None) == request_id]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", f"{PREFIX}/types", 200)  # type: ignore[attr-defined]
