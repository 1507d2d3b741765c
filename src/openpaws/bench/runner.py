"""One benchmark run: every request against OpenPaws, the floor and the raw baseline."""

from __future__ import annotations

import os
import subprocess
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import msgspec

from openpaws import demo
from openpaws.bench import baselines, datasets, load, servers, writes
from openpaws.bench import pawssource as ps
from openpaws.bench.inputs import Fragment, Inputs, draw, product_fragments
from openpaws.bench.load import Measure
from openpaws.dialects import pawplacer, petfinder
from openpaws.platform import api_keys, oauth, quotas
from openpaws.platform.api_keys import Account
from openpaws.platform.principals import AccountKind
from openpaws.services import organizations
from openpaws.storage.database import Database

Say = Callable[[str], None]
LOAD_CORE = load.LOAD_CORE
PORTS = {"openpaws": 8810, "floor": 8811, "raw": 8812}
PETFINDER = "/petfinder/v2"
PAWPLACER = "/pawplacer"
UNLIMITED = 1_000_000_000
TOKEN_SECONDS = 6 * 3600


class Row(msgspec.Struct):
    """One request at one size: OpenPaws, and the baselines where they apply."""

    request: int
    openpaws: Measure
    openpaws_single: Measure
    floor: Measure | None = None
    floor_single: Measure | None = None
    raw: Measure | None = None
    raw_single: Measure | None = None


class Run(msgspec.Struct):
    backend: str
    size: int
    measured_at: str
    seconds: int
    rows: list[Row]
    peak_rss_mb: float  # the serving process
    peak_rss_all_mb: float  # granian's supervisor and its worker together
    writes_answered: int
    rows_added: int
    raw_commits_per_s: float | None
    listed: int
    anchor_pets: int
    zip_codes: int
    ids: int
    names: list[Fragment]
    searches: list[Fragment]
    writes_sent: int | None = None  # wrk stops with up to one request per connection in flight
    pet_pages: int = 0  # request 7's cursors (the shelter's whole walk)
    products: int = 0  # the catalog request 8 searches
    product_searches: list[Fragment] = []
    orders: ps.Orders | None = None  # request 9, 32 connections, stock sized to the run
    hot_orders: ps.Orders | None = None  # request 10: 10 products whose stock runs out


@dataclass(frozen=True)
class Plan:
    sizes: list[int]
    backends: list[datasets.Backend]
    workdir: Path
    seconds: int = 10
    single_seconds: int = 5


@dataclass
class Read:
    """A read request and the paths its inputs spread over."""

    number: int
    paths: list[str]
    headers: dict[str, str]
    bodies: dict[str, bytes] = field(default_factory=dict)


def reads(inputs: Inputs, token: str, key: str, extra: Sequence[Read] = ()) -> list[Read]:
    bearer = {"Authorization": f"Bearer {token}"}
    return [
        *extra,
        Read(1, [f"{PETFINDER}/animals?type=dog&page={n}" for n in inputs.pages], bearer),
        Read(
            2,
            [
                f"{PETFINDER}/animals?location={z}&distance=50&sort=distance"
                for z in inputs.zip_codes
            ],
            bearer,
        ),
        Read(3, [f"{PETFINDER}/animals?name={quote(f.text)}" for f in inputs.names], bearer),
        Read(4, [f"{PETFINDER}/animals/{i}" for i in inputs.ids], bearer),
        Read(
            5,
            [f"{PAWPLACER}/api/pets?search={quote(f.text)}" for f in inputs.searches],
            {"x-api-key": key},
        ),
    ]


def server_env(url: str, backend: datasets.Backend, **extra: str) -> dict[str, str]:
    """The environment of a server under test: production defaults, only the data named."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENPAWS_")}
    env["OPENPAWS_DATABASE_URL"] = url
    if backend.redis_url:
        env["OPENPAWS_REDIS_URL"] = backend.redis_url
    return {**env, **extra}


def fetch(base: str, path: str, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(base + path, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as answer:
        if answer.status != 200:
            raise load.LoadFailed(f"{path} answered {answer.status}")
        return bytes(answer.read())


def _pair(base: str, read: Read, workdir: Path, plan: Plan) -> tuple[Measure, Measure]:
    """32 connections for the run's length, then 1 connection for half as long."""
    script = load.spread_script(read.paths, workdir / f"request-{read.number}.lua")
    url = base + read.paths[0]
    many = load.run(url, script, 32, plan.seconds, read.headers)
    one = load.run(url, script, 1, plan.single_seconds, read.headers)
    return many, one


@dataclass
class Credentials:
    token: str
    key: str
    key_id: int
    anchor: str


def credentials(url: str) -> Credentials:
    """A Petfinder token and a PawPlacer write key of the anchor shelter, which meets no
    quota."""
    with Database(url) as db:
        anchor = demo.first_listing_organization(db)
        with db.transaction() as tx:
            client = oauth.create_client(tx, petfinder.NAME, "bench")
            token = oauth.issue_token(tx, petfinder.NAME, client, TOKEN_SECONDS).access_token
            org_id = organizations.organization_id(tx.reader, anchor)
            record, key = api_keys.create_key(
                tx,
                dialect=pawplacer.NAME,
                prefix=pawplacer.KEY_PREFIX,
                account=Account(AccountKind.ORGANIZATION, org_id),
                scopes=pawplacer.KEY_KINDS["write"],
                name="bench",
            )
            unlimited = quotas.Limit(UNLIMITED, quotas.Window.HOUR)
            for quota in pawplacer.QUOTAS:
                quotas.set_override(
                    tx,
                    dialect=pawplacer.NAME,
                    quota=quota,
                    limit=unlimited,
                    organization_id=org_id,
                )
        return Credentials(token, key, record.id, anchor)


def measure(plan: Plan, backend: datasets.Backend, size: int, say: Say) -> Run:
    url = datasets.ensure(backend, size, plan.workdir, say)
    creds = credentials(url)
    paws = ps.prepare(url, creds.anchor)
    with Database(url) as db:
        inputs = draw(db, creds.anchor)
        pages = ps.pet_pages(db, creds.anchor)
        product_count, product_searches = product_fragments(db)
    work = plan.workdir / f"{backend.name}-{size}"
    work.mkdir(exist_ok=True)
    log = work / "servers.log"
    paws_reads = [
        Read(7, pages, {"Authorization": f"Bearer {paws.shelter_key}"}),
        Read(8, ps.search_paths(product_searches), {"Authorization": f"Bearer {paws.buyer_key}"}),
    ]
    requests = sorted(reads(inputs, creds.token, creds.key, paws_reads), key=lambda r: r.number)
    env = server_env(url, backend)
    results: dict[int, Row] = {}

    say(f"{backend.name} {size:,}: OpenPaws reads")
    port = PORTS["openpaws"]
    with servers.Server("openpaws", servers.openpaws_argv(port), env, port, log) as server:
        for read in requests:  # warm every input once, keeping the answers for the baselines
            read.bodies = {p: fetch(server.base, p, read.headers) for p in read.paths}
        for read in requests:
            many, one = _pair(server.base, read, work, plan)
            results[read.number] = Row(read.number, many, one)
            say(f"  request {read.number}: {many.rps:,.0f} req/s, p99 {many.p99_ms:.1f} ms")
        rss = server.peak_rss()

    say(f"{backend.name} {size:,}: floor")
    bodies_file = work / "bodies.msgpack"
    everything = {path: body for r in requests for path, body in r.bodies.items()}
    bodies_file.write_bytes(msgspec.msgpack.encode(everything))
    port = PORTS["floor"]
    floor_env = server_env(url, backend, **{baselines.BODIES_ENV: str(bodies_file)})
    with servers.Server("floor", servers.baseline_argv("floor", port), floor_env, port, log) as s:
        for read in requests:
            results[read.number].floor, results[read.number].floor_single = _pair(
                s.base, read, work, plan
            )

    say(f"{backend.name} {size:,}: raw baseline")
    port = PORTS["raw"]
    raw_env = server_env(url, backend, **{baselines.RAW_DATABASE_ENV: url})
    with servers.Server("raw", servers.baseline_argv("raw", port), raw_env, port, log) as s:
        for read in (requests[0], requests[3]):
            for path, body in read.bodies.items():
                if (theirs := fetch(s.base, path, read.headers)) != body:
                    pairs = enumerate(zip(theirs, body, strict=False))
                    at = next((i for i, (a, b) in pairs if a != b), min(len(theirs), len(body)))
                    raise load.LoadFailed(
                        f"the raw baseline's body differs for {path} at byte {at}: "
                        f"{theirs[at - 80 : at + 80]!r} vs OpenPaws' {body[at - 80 : at + 80]!r}"
                    )
            results[read.number].raw, results[read.number].raw_single = _pair(
                s.base, read, work, plan
            )

    say(f"{backend.name} {size:,}: OpenPaws writes")
    with Database(url) as db:
        start = writes.mark(db, creds.key_id)
    script = load.create_pet_script(work / "create_pet.lua")
    port = PORTS["openpaws"]
    key_header = {"x-api-key": creds.key}
    with servers.Server("openpaws", servers.openpaws_argv(port), env, port, log) as server:
        target = f"{server.base}{PAWPLACER}/api/pets"
        many = load.run(target, script, 32, plan.seconds, key_header)
        one = load.run(target, script, 1, plan.single_seconds, key_header)
        results[6] = Row(6, many, one)
        write_rss = server.peak_rss()
    with Database(url) as db:
        written = writes.take_back(db, start)
    answered = many.requests + one.requests
    sent = (many.sent or 0) + (one.sent or 0)
    if not answered <= len(written.animals) <= sent:
        raise load.LoadFailed(
            f"{answered} writes answered and {sent} sent, but {len(written.animals)} rows added"
        )
    raw_rate = None
    if backend.name == "sqlite":
        raw_rate = writes.raw_commit_rate(url.split(":///", 1)[1], written, start)
    say(f"  writes: {many.rps:,.0f}/s; raw commit loop {raw_rate or 0:,.0f}/s")

    say(f"{backend.name} {size:,}: Paws Source orders")
    buyer = {"Authorization": f"Bearer {paws.buyer_key}"}
    with (
        Database(url) as db,
        servers.Server("openpaws", servers.openpaws_argv(port), env, port, log) as server,
    ):
        target = f"{server.base}{ps.PS}/orders"
        spread = ps.product_ids(db, ps.SPREAD_PRODUCTS)
        script = ps.order_script(work / "orders.lua", ps.public(db, spread), paws)
        many, orders = ps.run_orders(db, target, script, spread, 1_000, plan.seconds, buyer)
        one, _ = ps.run_orders(db, target, script, spread, 1_000, plan.single_seconds, buyer)
        results[9] = Row(9, many, one)
        hot = ps.product_ids(db, ps.HOT_PRODUCTS, ps.SPREAD_PRODUCTS + 1)
        # Stock for about half the run: the other half meets insufficient stock.
        units = max(1, int(many.rps * plan.seconds / 2 / len(hot)))
        script = ps.order_script(work / "hot_orders.lua", ps.public(db, hot), paws)
        hot_many, hot_orders = ps.run_orders(db, target, script, hot, units, plan.seconds, buyer)
        results[10] = Row(10, hot_many, hot_many)
    say(
        f"  orders: {many.rps:,.0f}/s; hot: {hot_orders.created:,} made, "
        f"{hot_orders.refused:,} refused for stock"
    )

    return Run(
        backend=backend.name,
        size=size,
        measured_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        seconds=plan.seconds,
        rows=[results[n] for n in sorted(results)],
        peak_rss_mb=round(max(rss[0], write_rss[0]), 1),
        peak_rss_all_mb=round(max(rss[1], write_rss[1]), 1),
        writes_answered=answered,
        rows_added=len(written.animals),
        writes_sent=sent,
        raw_commits_per_s=round(raw_rate, 1) if raw_rate else None,
        listed=inputs.listed,
        anchor_pets=inputs.anchor_pets,
        zip_codes=len(inputs.zip_codes),
        ids=len(inputs.ids),
        names=inputs.names,
        searches=inputs.searches,
        pet_pages=len(pages),
        products=product_count,
        product_searches=product_searches,
        orders=orders,
        hot_orders=hot_orders,
    )


def pin_services(core: str) -> None:
    """Move PostgreSQL's and Redis' processes to ``core`` (they share the load generator's)."""
    for pattern in ("postgres", "redis-server"):
        found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True)
        for pid in found.stdout.split():
            subprocess.run(["taskset", "-a", "-p", "-c", core, pid], capture_output=True)
