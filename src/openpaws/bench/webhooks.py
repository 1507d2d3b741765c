"""``openpaws bench-webhooks``: webhook delivery throughput, and what delivery costs a write.

The worker (``openpaws worker``) is pinned to the server core and the receiver (granian,
bench/receiver.py) to the load core. Each scenario commits 10,000 ``pet.created`` events of one
shelter with three endpoints (30,000 deliveries) while no worker runs, then starts one and
times the deliveries as the receiver sees them arrive:

- instant: the three answer at once;
- slow: the three answer after 200 ms (many deliveries must be in flight at once);
- one hanging: one never answers (each attempt waits out the timeout); the other two answer
  at once, and their rate is what counts.

Then ``POST /pawssource/v2/pets`` (wrk, 32 connections, on the load core) against the server
of the commit before webhooks (a git worktree, same machine, same sitting) and of this one:
with no endpoint, and with three endpoints and the server's own worker delivering.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from openpaws import demo, schema
from openpaws.bench import load, report
from openpaws.bench.load import Measure
from openpaws.bench.servers import SERVER_CORE, Server
from openpaws.dialects.pawssource.webhooks import STYLE
from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.changes import AnimalChange
from openpaws.platform.secret_keys import new_key, secret_box
from openpaws.platform.webhooks import endpoints
from openpaws.services import animal_changes, organizations
from openpaws.storage import webhooks as store
from openpaws.storage.database import Database

Say = Callable[[str], None]
EVENTS = 10_000
RECEIVER_PORT = 8820
SERVER_PORT = 8821
WAIT_SECONDS = 600
BEFORE = "54dbe9f"  # the last commit before webhook delivery
START, END = "<!-- webhooks:start -->", "<!-- webhooks:end -->"

CREATE_LUA = """\
counter = 0
function init(args)
  math.randomseed(os.time())
  prefix = string.format("hook-%d", math.random(1, 1000000000))
end
function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench %s-%d","species":"canine"}', prefix, counter)
  local headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  return wrk.format("POST", nil, headers, body)
end
"""


class Scenario(msgspec.Struct):
    name: str
    deliveries: int  # expected at the endpoints that answer
    received: int
    duplicates: int
    seconds: float  # first to last arrival at the answering endpoints
    per_second: float
    per_endpoint: list[float]  # the answering endpoints' own rates
    delivered_rows: int  # deliveries the database shows delivered afterwards


class Writes(msgspec.Struct):
    name: str
    measure: Measure


class WebhookRun(msgspec.Struct):
    measured_at: str
    events: int
    scenarios: list[Scenario]
    writes: list[Writes]
    before: str | None


# -- setup ----------------------------------------------------------------------------------


def _env(url: str, key: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENPAWS_")}
    env |= {
        "OPENPAWS_DATABASE_URL": url,
        "OPENPAWS_SECRET_KEY": key,
        "OPENPAWS_WEBHOOKS_ALLOW_PRIVATE": "1",
        "OPENPAWS_ACCESS_LOG": "false",
        **extra,
    }
    return env


def _cli(python: list[str], env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*python, "-m", "openpaws", *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _database(path: Path, python: list[str], env: dict[str, str]) -> None:
    if path.exists():
        path.unlink()
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()
    _cli(python, env, "demo", "--animals", "2000", "--organizations", "10")


def _account(db: Database) -> tuple[str, Account]:
    code = demo.first_listing_organization(db)
    with db.read() as reader:
        return code, Account(AccountKind.ORGANIZATION, organizations.organization_id(reader, code))


def _endpoints(db: Database, key: str, account: Account, paths: list[str]) -> None:
    box = secret_box(key, db.url)
    with db.transaction() as tx:
        for old in store.endpoints(tx.reader, None, None):
            store.remove_endpoint(tx, old.id)
        for path in paths:
            endpoints.create(
                tx,
                box,
                dialect="pawssource",
                style=STYLE,
                account=account,
                url=f"http://127.0.0.1:{RECEIVER_PORT}{path}",
                events=["pet.created"],
                description=None,
                allow_private=True,
                now=datetime.now(UTC),
            )


def _events(db: Database, account: Account, count: int) -> None:
    batch = 500
    for start in range(0, count, batch):
        with db.transaction() as tx:
            for n in range(start, min(count, start + batch)):
                animal_changes.create_for_account(
                    tx,
                    account,
                    AnimalChange(
                        name=f"Hook {n}",
                        type="dog",
                        age="adult",
                        sex="female",
                        size="small",
                        health="unknown",
                    ),
                )


# -- the receiver and the worker ---------------------------------------------------------------


def _stats() -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{RECEIVER_PORT}/stats", timeout=5) as answer:
        found: dict[str, Any] = msgspec.json.decode(answer.read())
        return found


def _reset() -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{RECEIVER_PORT}/reset", method="POST")
    urllib.request.urlopen(request, timeout=5).close()


@contextmanager
def _receiver(workdir: Path) -> Iterator[None]:
    log = (workdir / "receiver.log").open("ab")
    process = subprocess.Popen(
        [
            "taskset",
            "-c",
            load.LOAD_CORE,
            sys.executable,
            "-m",
            "openpaws.bench.receiver",
            str(RECEIVER_PORT),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _stats()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=20)


@contextmanager
def _worker(env: dict[str, str], workdir: Path) -> Iterator[None]:
    log = (workdir / "worker.log").open("ab")
    process = subprocess.Popen(
        ["taskset", "-c", SERVER_CORE, sys.executable, "-m", "openpaws", "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _scenario(
    name: str,
    db: Database,
    env: dict[str, str],
    key: str,
    account: Account,
    paths: list[str],
    answering: list[str],
    workdir: Path,
    say: Say,
) -> Scenario:
    say(f"webhooks: {name}: {EVENTS:,} events to {len(paths)} endpoints")
    _endpoints(db, key, account, paths)
    _events(db, account, EVENTS)
    _reset()
    wanted = EVENTS * len(answering)
    with _worker(env, workdir):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            stats = _stats()
            if sum(stats.get(p, {}).get("distinct", 0) for p in answering) >= wanted:
                break
            time.sleep(0.5)
        time.sleep(1)
        stats = _stats()
    seen = [stats[p] for p in answering if p in stats]
    received = sum(s["received"] for s in seen)
    distinct = sum(s["distinct"] for s in seen)
    first = min(s["first"] for s in seen)
    last = max(s["last"] for s in seen)
    seconds = max(last - first, 1e-6)
    with db.read() as reader:
        delivered = int(
            reader.scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'")
        )
    found = Scenario(
        name=name,
        deliveries=wanted,
        received=received,
        duplicates=received - distinct,
        seconds=round(seconds, 2),
        per_second=round(distinct / seconds, 1),
        per_endpoint=[round(s["distinct"] / max(s["last"] - s["first"], 1e-6), 1) for s in seen],
        delivered_rows=delivered,
    )
    say(f"webhooks: {name}: {found.per_second:,.0f} deliveries/s ({distinct:,}/{wanted:,})")
    return found


# -- writes ---------------------------------------------------------------------------------


def _before_tree(workdir: Path, commit: str) -> Path | None:
    """The commit before webhooks as a worktree (None outside a git checkout)."""
    tree = workdir / f"before-{commit}"
    if tree.exists():
        return tree
    here = Path(__file__).parent  # this checkout's repository
    subprocess.run(["git", "worktree", "prune"], cwd=here, capture_output=True, check=False)
    done = subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree.resolve()), commit],
        capture_output=True,
        text=True,
        check=False,
        cwd=here,
    )
    return tree if done.returncode == 0 else None


def _writes(
    name: str,
    python: list[str],
    env: dict[str, str],
    code: str,
    workdir: Path,
    say: Say,
    *serve: str,
) -> Writes:
    out = _cli(
        python,
        env,
        "keys",
        "create",
        "--dialect",
        "pawssource",
        "--org",
        code,
        "--plan",
        "enterprise",
        "--per-minute",
        "1000000000",
        "--burst",
        "100000000",
    )
    token = re.search(r"key:\s+(\S+)", out)
    assert token is not None, out
    argv = [*python, "-m", "openpaws", "serve", "--port", str(SERVER_PORT), *serve]
    script = workdir / "create_ps_pet.lua"
    script.write_text(CREATE_LUA)
    with Server(name, argv, env, SERVER_PORT, workdir / "server.log"):
        measure = load.run(
            f"http://127.0.0.1:{SERVER_PORT}/pawssource/v2/pets",
            script,
            32,
            10,
            {"Authorization": f"Bearer {token.group(1)}"},
        )
    say(f"webhooks: POST /pets {name}: {measure.rps:,.0f}/s, p50 {measure.p50_ms:.2f} ms")
    return Writes(name, measure)


# -- the run --------------------------------------------------------------------------------


def run(*, workdir: str, results: str, page: str, before: str, say: Say) -> WebhookRun:
    work = Path(workdir) / "webhooks"
    work.mkdir(parents=True, exist_ok=True)
    key = new_key()
    here = [sys.executable]
    path = (work / "hooks.db").resolve()
    url = f"sqlite:///{path}"
    env = _env(url, key)
    _database(path, here, env)
    scenarios = []
    writes = []
    with Database(url) as db, _receiver(work):
        schema.upgrade(db)
        code, account = _account(db)
        fast = [f"/fast/{n}" for n in (1, 2, 3)]
        slow = [f"/slow/{n}" for n in (1, 2, 3)]
        hanging = ["/hang/1", "/fast/4", "/fast/5"]
        scenarios.append(_scenario("instant", db, env, key, account, fast, fast, work, say))
        scenarios.append(_scenario("slow (200 ms)", db, env, key, account, slow, slow, work, say))
        scenarios.append(
            _scenario("one hanging", db, env, key, account, hanging, hanging[1:], work, say)
        )
        writes = _all_writes(work, here, key, before, code, fast, say)
    found = WebhookRun(
        measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
        events=EVENTS,
        scenarios=scenarios,
        writes=writes,
        before=before if any(w.name.startswith("before") for w in writes) else None,
    )
    Path(results).write_bytes(msgspec.json.format(msgspec.json.encode(found)))
    _write_page(Path(page), found)
    return found


ROUNDS = 3


def _all_writes(
    work: Path, here: list[str], key: str, before: str, code: str, fast: list[str], say: Say
) -> list[Writes]:
    """POST /pets on databases built alike (the same demo, each of its own): the commit
    before webhooks, and this one without and with three endpoints. Each is measured in
    ROUNDS rounds, the variants taking turns, and its median round is kept."""
    variants: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
    tree = _before_tree(work, before)
    if tree is not None:
        old_path = (work / "before.db").resolve()
        old_env = _env(f"sqlite:///{old_path}", key, PYTHONPATH=str(tree / "src"))
        _database(old_path, here, old_env)
        variants.append((f"before ({before})", old_env, ()))
    ours: list[tuple[str, list[str], tuple[str, ...]]] = [
        ("no endpoint", [], ()),
        ("3 endpoints, no worker (--no-worker)", fast, ("--no-worker",)),
        ("3 endpoints, worker on", fast, ()),
    ]
    for name, paths, serve in ours:
        path = (work / f"writes-{len(variants)}.db").resolve()
        env = _env(f"sqlite:///{path}", key)
        _database(path, here, env)
        with Database(f"sqlite:///{path}") as db:
            _endpoints(db, key, _account(db)[1], paths)
        variants.append((name, env, serve))
    rounds: dict[str, list[Writes]] = {name: [] for name, _, _ in variants}
    for _ in range(ROUNDS):
        for name, env, serve in variants:
            rounds[name].append(_writes(name, here, env, code, work, say, *serve))
    return [
        sorted(found, key=lambda w: w.measure.rps)[len(found) // 2] for found in rounds.values()
    ]


def _write_page(page: Path, found: WebhookRun) -> None:
    lines = [
        START,
        "",
        "## Webhook delivery",
        "",
        f"Reproduce: `openpaws bench-webhooks` (measured {found.measured_at}; worker on core "
        f"{SERVER_CORE}, receiver on core {load.LOAD_CORE}; {found.events:,} events to three "
        "endpoints per scenario).",
        "",
        "| scenario | deliveries | duplicates | seconds | deliveries/s | per endpoint | bar "
        "| met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in found.scenarios:
        bar = 600 if s.name == "one hanging" else 1000
        rate = min(s.per_endpoint) if s.name == "one hanging" else s.per_second
        met = "yes" if rate >= bar and s.received >= s.deliveries else "**no**"
        lines.append(
            f"| {s.name} | {s.received:,}/{s.deliveries:,} | {s.duplicates} | {s.seconds} | "
            f"{s.per_second:,.0f} | {', '.join(f'{r:,.0f}' for r in s.per_endpoint)} | "
            f">= {bar:,}{' each' if bar == 600 else ''} | {met} |"
        )
    lines += [
        "",
        f"`POST /pawssource/v2/pets`, 32 connections, 10 s, the median of {ROUNDS} rounds "
        "(the variants taking turns, each on a database of its own built alike):",
        "",
    ]
    lines += ["| server | req/s | p50 ms | p99 ms |", "|---|---|---|---|"]
    for w in found.writes:
        m = w.measure
        lines.append(f"| {w.name} | {m.rps:,.0f} | {m.p50_ms:.2f} | {m.p99_ms:.2f} |")
    report.write(page, "\n".join([*lines, "", END, ""]), START, END)


def check_tools() -> None:
    for tool in ("taskset", "wrk"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed (make bench-tools installs wrk)")
