"""The benchmark's own parts: its baselines answer byte for byte as OpenPaws does, wrk's
report is read strictly, inputs fall in the band the issue sets, the bars are judged right,
and the write bookkeeping leaves the data as it found it. (The bench itself never runs here;
the raw baseline's byte-for-byte test needs a Petfinder client: tests/petfinder/.)"""

from __future__ import annotations

from collections import Counter
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from openpaws import demo
from openpaws.bench import baselines, inputs, load, report, runner, writes
from openpaws.config import Settings
from openpaws.server import create_app
from openpaws.storage.database import Database
from tests.pawplacer.conftest import pet_body
from tests.support import setup
from tests.support.asgi import asgi_get

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8810/petfinder/v2/animals?type=dog&page=1
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.59ms    8.12ms  89.55ms   77.01%
    Req/Sec     1.57k   146.53     1.86k    75.00%
  Latency Distribution
     50%  919.00us
     75%   23.82ms
     90%   29.53ms
     99%    1.20s
  15616 requests in 10.00s, 88.21MB read
Requests/sec:   1561.12
Transfer/sec:      8.82MB
"""


def test_wrk_report_is_read_with_its_units() -> None:
    measured = load.parse(WRK_REPORT)
    assert measured == load.Measure(15616, 1561.12, 0.919, 1200.0)


def test_the_write_script_count_of_requests_sent_is_read() -> None:
    measured = load.parse(WRK_REPORT + "Requests sent: 15640\n")
    assert measured == load.Measure(15616, 1561.12, 0.919, 1200.0, sent=15640)
    assert "Requests sent" in load.CREATE_PET_LUA


@pytest.mark.parametrize(
    "line",
    ["  Non-2xx or 3xx responses: 3", "  Socket errors: connect 0, read 1, write 0, timeout 0"],
)
def test_any_failed_answer_fails_the_run(line: str) -> None:
    broken = WRK_REPORT.replace("Requests/sec:", f"{line}\nRequests/sec:")
    with pytest.raises(load.LoadFailed):
        load.parse(broken)


def test_fragments_are_spread_over_the_band_with_their_counts() -> None:
    population = 10_000
    # Names whose pieces match between 0.1% and 2% of the population, and one too common.
    texts: Counter[str] = Counter({name.lower(): 25 for name in demo.NAMES})
    texts["bella"] = 5_000
    chosen = inputs.choose_fragments(texts, population)
    assert len(chosen) == inputs.FRAGMENTS
    assert all(10 <= f.matches <= 200 for f in chosen)
    assert all(3 <= len(f.text) <= 5 and f.text.isalpha() for f in chosen)
    counts = [f.matches for f in chosen]
    assert counts == sorted(counts)
    for fragment in chosen[:5]:  # the counts are true counts over the texts
        assert fragment.matches == sum(n for t, n in texts.items() if fragment.text in t)


def test_too_few_fragments_in_the_band_is_an_error() -> None:
    with pytest.raises(inputs.NotEnoughInputs):
        inputs.choose_fragments(Counter({"max": 5_000}), 10_000)


def test_floor_answers_the_recorded_bytes(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = {"/petfinder/v2/animals?type=dog&page=2": b'{"animals":[]}'}
    bodies = tmp_path / "bodies.msgpack"
    bodies.write_bytes(msgspec.msgpack.encode(recorded))
    monkeypatch.setenv(baselines.BODIES_ENV, str(bodies))
    floor = baselines.floor()
    assert asgi_get(floor, "/petfinder/v2/animals?type=dog&page=2", "") == (200, b'{"animals":[]}')
    assert asgi_get(floor, "/petfinder/v2/animals?type=dog&page=3", "")[0] == 404


def _measure(rps: float, p50: float = 1.0, p99: float = 50.0) -> load.Measure:
    return load.Measure(int(rps * 10), rps, p50, p99)


def _run(backend: str, size: int, rps: dict[int, float], raw: dict[int, float]) -> runner.Run:
    rows = [
        runner.Row(
            n,
            _measure(value),
            _measure(value / 2),
            raw=_measure(raw[n]) if n in raw else None,
        )
        for n, value in rps.items()
    ]
    return runner.Run(
        backend, size, "now", 10, rows, 150.0, 230.0, 100, 100, 1000.0, 1, 1, 100, 10, [], []
    )


def test_bars_are_judged_from_the_figures() -> None:
    reads = {1: 1600.0, 2: 600.0, 3: 450.0, 4: 3000.0, 5: 700.0, 6: 520.0}
    big = _run("sqlite", report.MILLION, reads, {1: 100.0, 4: 5000.0})
    small = _run("sqlite", report.SMALLEST, reads, {})
    pg = _run("postgres", report.MILLION, {**reads, 4: 1500.0}, {})
    judged = {bar.text: bar.met for bar in report.bars([small, big, pg])}
    assert judged["request 1 at 1,000,000: >= 0.8 x raw and >= 1,500 req/s"] is True
    assert judged["request 4 at 1,000,000: >= 0.8 x raw"] is False  # 0.6 x
    assert judged["request 2 at 1,000,000: >= 500 req/s, p99 <= 100 ms"] is True
    assert judged["request 3 at 1,000,000: >= 500 req/s, p99 <= 100 ms"] is False
    assert judged["request 6 at 1,000,000: >= 500 writes/s and >= 0.5 x raw commits"] is True
    assert judged["PostgreSQL + Redis at 1,000,000: every request >= 1/1.5 of SQLite"] is False


def test_write_rows_are_taken_back_and_replayed_by_the_raw_loop(fresh_db: Database) -> None:
    if not fresh_db.is_sqlite:
        pytest.skip("the raw commit loop is SQLite's (a plain sqlite3 loop)")
    setup.load_demo(fresh_db, 50, organizations=8)
    loaded = _counts(fresh_db)
    anchor = setup.first_listing_organization(fresh_db)
    key_id, key = setup.create_key_with_id(fresh_db, anchor, "write", "bench")
    start = writes.mark(fresh_db, setup.key_row_id(fresh_db, key_id))
    with TestClient(create_app(Settings(worker=False), fresh_db)) as client:
        for n in range(3):
            answer = client.post(
                "/pawplacer/api/pets",
                json=pet_body(name=f"Bench {n}"),
                headers={"x-api-key": key, "Idempotency-Key": f"bench-{n}"},
            )
            assert answer.status_code == 201, answer.text
    written = writes.take_back(fresh_db, start)
    assert (len(written.animals), len(written.idempotency), len(written.outbox)) == (3, 3, 3)
    assert _counts(fresh_db) == loaded
    assert writes.raw_commit_rate(fresh_db.url.split(":///", 1)[1], written, start) > 0
    assert _counts(fresh_db) == loaded


def _counts(db: Database) -> tuple[int, ...]:
    with db.engine.connect() as conn:
        return tuple(
            conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("animals", "idempotency_keys", "outbox_events")
        )
