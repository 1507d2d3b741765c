"""The platform's quotas, checked directly: windows, bursts, plans, operators' overrides and
whom each quota counts; with in-process counters and with counters in Redis."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from sqlalchemy import text

from openpaws.domain.errors import InvalidInput
from openpaws.platform.principals import AccountKind, Credential, CredentialKind, Principal
from openpaws.platform.quotas import (
    Counted,
    Limit,
    Quota,
    Quotas,
    RateLimited,
    Verdict,
    Window,
    set_override,
)
from openpaws.storage.database import Database
from tests.support import setup
from tests.support.databases import PostgresDatabases, SqliteDatabases
from tests.support.factories import add_organizations

REDIS_URL = "redis://127.0.0.1:6379/0"
DIALECT = "quota-tests"  # no dialect of the server: only these tests' overrides apply
SECONDS = {Window.SECOND: 1, Window.MINUTE: 60, Window.HOUR: 3600}


@pytest.fixture(params=["memory", "redis"])
def counters(request: pytest.FixtureRequest) -> Iterator[Quotas]:
    """Counters in this process, or in Redis under a namespace of this test's own."""
    if request.param == "memory":
        yield Quotas()
        return
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error})")
    found = Quotas(REDIS_URL, namespace=f"openpaws-test-{uuid.uuid4().hex}")
    found.reset()
    yield found
    found.reset()


@pytest.fixture(scope="module")
def quiet_db(databases: SqliteDatabases | PostgresDatabases) -> Iterator[Database]:
    """An empty database the counting tests only read overrides from (there are none)."""
    db = databases.fresh()
    yield db
    databases.drop(db)


def caller(
    account_id: int = 1,
    key_id: int = 1,
    *,
    kind: AccountKind = AccountKind.ORGANIZATION,
    plan: str | None = None,
) -> Principal:
    """An account authenticated by its API key ``key_id``."""
    credential = Credential(CredentialKind.API_KEY, key_id, DIALECT)
    return Principal(kind, account_id, credential, frozenset(), plan)


def hit(
    counters: Quotas,
    db: Database,
    quota: Quota,
    principal: Principal | None,
    times: int = 1,
    ip: str = "192.0.2.1",
) -> list[Verdict]:
    """``times`` requests, each allowed."""
    return [counters.meter(db.reader(), DIALECT, quota, principal, ip).hit() for _ in range(times)]


def refused(
    counters: Quotas, db: Database, quota: Quota, principal: Principal | None, ip: str = "192.0.2.1"
) -> Verdict:
    with pytest.raises(RateLimited) as raised:
        counters.meter(db.reader(), DIALECT, quota, principal, ip).hit()
    return raised.value.verdict


def well_inside(window: Window, margin: float) -> None:
    """Sliding-window counters weigh the previous window's hits by how much of it still
    overlaps: a run that straddles a window's turn is counted differently. Start with at least
    ``margin`` seconds of the current window left."""
    length = SECONDS[window]
    left = length - time.time() % length
    if left < margin:
        time.sleep(left + 0.01)


# --- Windows and bursts ---


@pytest.mark.parametrize(("window", "margin"), [(Window.SECOND, 0.6), (Window.MINUTE, 2)])
def test_the_hit_past_the_limit_is_refused(
    counters: Quotas, quiet_db: Database, window: Window, margin: float
) -> None:
    quota = Quota("windowed", Limit(3, window), Counted.KEY)
    well_inside(window, margin)
    allowed = hit(counters, quiet_db, quota, caller(), 3)
    assert [(v.allowed, v.limit, v.remaining, v.window) for v in allowed] == [
        (True, 3, 2, window),
        (True, 3, 1, window),
        (True, 3, 0, window),
    ]
    verdict = refused(counters, quiet_db, quota, caller())
    assert (verdict.allowed, verdict.limit, verdict.remaining) == (False, 3, 0)
    assert (verdict.window, verdict.quota) == (window, "windowed")
    assert 1 <= verdict.retry_after() <= SECONDS[window]
    assert verdict.reset_at <= time.time() + SECONDS[window] + 0.001


def test_retry_after_is_within_a_one_second_window(quiet_db: Database) -> None:
    """In-process counters only: with Redis the limiter's reset time depends on the
    millisecond the window's key was made in, so the outcome there is not deterministic."""
    counters = Quotas()
    quota = Quota("per-second", Limit(2, Window.SECOND), Counted.KEY)
    well_inside(Window.SECOND, 0.6)
    hit(counters, quiet_db, quota, caller(), 2)
    verdict = refused(counters, quiet_db, quota, caller())
    assert verdict.retry_after() == 1


def test_a_burst_is_refused_within_a_wide_window(counters: Quotas, quiet_db: Database) -> None:
    """Three a second on top of a hundred a minute: the fourth in one second is refused by the
    burst (a one-second window) and does not spend the minute's count."""
    quota = Quota("bursty", Limit(100, Window.MINUTE, burst=3), Counted.KEY)
    well_inside(Window.SECOND, 0.6)
    allowed = hit(counters, quiet_db, quota, caller(), 3)
    assert [(v.limit, v.remaining, v.window) for v in allowed] == [
        (100, 99, Window.MINUTE),
        (100, 98, Window.MINUTE),
        (100, 97, Window.MINUTE),
    ]
    verdict = refused(counters, quiet_db, quota, caller())
    assert (verdict.allowed, verdict.limit, verdict.remaining) == (False, 3, 0)
    assert (verdict.window, verdict.quota) == (Window.SECOND, "bursty")
    assert verdict.retry_after() == 1
    standing = counters.meter(quiet_db.reader(), DIALECT, quota, caller(), "192.0.2.1").standing()
    assert (standing.remaining, standing.window) == (97, Window.MINUTE)


# --- Plans ---


def test_a_plan_has_its_own_numbers(counters: Quotas, quiet_db: Database) -> None:
    quota = Quota(
        "planned",
        Limit(2, Window.MINUTE),
        Counted.KEY,
        plans={"pro": Limit(5, Window.MINUTE)},
    )
    pro, unknown, none = (
        caller(key_id=1, plan="pro"),
        caller(key_id=2, plan="enterprise"),
        caller(key_id=3),
    )
    reader = quiet_db.reader()
    assert counters.limit_for(reader, DIALECT, quota, pro) == Limit(5, Window.MINUTE)
    assert counters.limit_for(reader, DIALECT, quota, unknown) == Limit(2, Window.MINUTE)
    assert counters.limit_for(reader, DIALECT, quota, none) == Limit(2, Window.MINUTE)
    assert counters.limit_for(reader, DIALECT, quota, None) == Limit(2, Window.MINUTE)
    well_inside(Window.MINUTE, 2)
    assert [v.remaining for v in hit(counters, quiet_db, quota, pro, 5)] == [4, 3, 2, 1, 0]
    assert refused(counters, quiet_db, quota, pro).limit == 5
    assert [v.remaining for v in hit(counters, quiet_db, quota, unknown, 2)] == [1, 0]
    assert refused(counters, quiet_db, quota, unknown).limit == 2


# --- Overrides ---


def test_a_keys_override_wins_over_its_organizations_which_wins_over_plans(
    counters: Quotas, fresh_db: Database
) -> None:
    own, other = add_organizations(fresh_db, 2)
    ids = [
        setup.key_row_id(fresh_db, setup.create_key_with_id(fresh_db, org["code"], "write")[0])
        for org in (own, own, other)
    ]
    first = caller(own["id"], ids[0], plan="pro")
    second = caller(own["id"], ids[1], plan="pro")
    elsewhere = caller(other["id"], ids[2])
    quota = Quota(
        "layered", Limit(2, Window.HOUR), Counted.KEY, plans={"pro": Limit(20, Window.HOUR)}
    )

    def limits() -> list[Limit]:
        reader = fresh_db.reader()
        return [counters.limit_for(reader, DIALECT, quota, p) for p in (first, second, elsewhere)]

    default, plan = Limit(2, Window.HOUR), Limit(20, Window.HOUR)
    assert limits() == [plan, plan, default]

    organization = Limit(7, Window.MINUTE)
    with fresh_db.transaction() as tx:
        set_override(
            tx, dialect=DIALECT, quota=quota, limit=organization, organization_id=own["id"]
        )
        # Another dialect's override, and another quota's, change nothing here.
        set_override(
            tx, dialect="other", quota=quota, limit=Limit(1, Window.HOUR), api_key_id=ids[0]
        )
        other_quota = Quota("another", Limit(1, Window.HOUR), Counted.KEY)
        set_override(
            tx, dialect=DIALECT, quota=other_quota, limit=Limit(1, Window.HOUR), api_key_id=ids[0]
        )
    assert limits() == [organization, organization, default]

    key = Limit(3, Window.MINUTE, burst=2)
    with fresh_db.transaction() as tx:
        set_override(tx, dialect=DIALECT, quota=quota, limit=key, api_key_id=ids[0])
    assert limits() == [key, organization, default]

    replaced = Limit(4, Window.MINUTE)
    with fresh_db.transaction() as tx:
        set_override(tx, dialect=DIALECT, quota=quota, limit=replaced, api_key_id=ids[0])
    assert limits() == [replaced, organization, default]

    well_inside(Window.MINUTE, 2)
    assert [v.remaining for v in hit(counters, fresh_db, quota, first, 4)] == [3, 2, 1, 0]
    verdict = refused(counters, fresh_db, quota, first)
    assert (verdict.limit, verdict.window) == (4, Window.MINUTE)
    allowed = hit(counters, fresh_db, quota, second)[0]
    assert (allowed.limit, allowed.remaining, allowed.window) == (7, 6, Window.MINUTE)


def test_a_quota_of_the_account_keeps_one_count_whatever_its_keys_own(
    counters: Quotas, fresh_db: Database
) -> None:
    """A key's own numbers (override, plan) are for quotas that count keys: where the whole
    account is counted, every key of it meets the same limit and the same count."""
    own = add_organizations(fresh_db, 1)[0]
    ids = [
        setup.key_row_id(fresh_db, setup.create_key_with_id(fresh_db, own["code"], "read")[0])
        for _ in range(2)
    ]
    first, second = caller(own["id"], ids[0], plan="pro"), caller(own["id"], ids[1])
    quota = Quota(
        "shared", Limit(3, Window.HOUR), Counted.ACCOUNT, plans={"pro": Limit(30, Window.HOUR)}
    )
    with fresh_db.transaction() as tx:
        set_override(
            tx, dialect=DIALECT, quota=quota, limit=Limit(50, Window.HOUR), api_key_id=ids[0]
        )
    reader = fresh_db.reader()
    assert counters.limit_for(reader, DIALECT, quota, first) == Limit(3, Window.HOUR)
    well_inside(Window.HOUR, 2)
    hit(counters, fresh_db, quota, first, 2)
    assert hit(counters, fresh_db, quota, second)[0].remaining == 0
    assert refused(counters, fresh_db, quota, first).limit == 3


@pytest.mark.parametrize("owners", ["both", "neither"])
def test_an_override_has_exactly_one_owner(fresh_db: Database, owners: str) -> None:
    org = add_organizations(fresh_db, 1)[0]
    key_id = setup.key_row_id(fresh_db, setup.create_key_with_id(fresh_db, org["code"], "read")[0])
    given = {"organization_id": org["id"], "api_key_id": key_id} if owners == "both" else {}
    quota = Quota("owned", Limit(2, Window.HOUR), Counted.KEY)
    with pytest.raises(InvalidInput), fresh_db.transaction() as tx:
        set_override(tx, dialect=DIALECT, quota=quota, limit=Limit(1, Window.HOUR), **given)
    with fresh_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM quota_overrides").scalar() == 0


def test_an_application_does_not_get_an_api_keys_override(fresh_db: Database) -> None:
    org = add_organizations(fresh_db, 1)[0]
    key_id = setup.key_row_id(fresh_db, setup.create_key_with_id(fresh_db, org["code"], "read")[0])
    creds = setup.create_client(fresh_db, "an application")
    with fresh_db.engine.connect() as conn:
        client_id = conn.execute(
            text("SELECT id FROM oauth_clients WHERE client_id = :c"), {"c": creds.client_id}
        ).scalar_one()
    assert client_id == key_id  # the first client and the first key of the database
    quota = Quota("apps", Limit(50, Window.HOUR), Counted.APPLICATION)
    with fresh_db.transaction() as tx:
        set_override(
            tx, dialect=DIALECT, quota=quota, limit=Limit(1, Window.HOUR), api_key_id=key_id
        )
    application = Principal(
        AccountKind.APPLICATION,
        client_id,
        Credential(CredentialKind.ACCESS_TOKEN, client_id, DIALECT),
        frozenset(),
    )
    assert Quotas().limit_for(fresh_db.reader(), DIALECT, quota, application) == quota.limit


# --- Whom a quota counts ---


def test_key_account_and_address_count_apart(counters: Quotas, quiet_db: Database) -> None:
    first, second = caller(account_id=1, key_id=11), caller(account_id=1, key_id=12)
    stranger = caller(account_id=2, key_id=21)
    limit = Limit(2, Window.MINUTE)
    well_inside(Window.MINUTE, 2)

    per_key = Quota("per-key", limit, Counted.KEY)
    hit(counters, quiet_db, per_key, first, 2)
    refused(counters, quiet_db, per_key, first)
    assert [v.remaining for v in hit(counters, quiet_db, per_key, second, 2)] == [1, 0]

    per_account = Quota("per-account", limit, Counted.ACCOUNT)
    hit(counters, quiet_db, per_account, first)
    assert hit(counters, quiet_db, per_account, second)[0].remaining == 0
    refused(counters, quiet_db, per_account, first)
    refused(counters, quiet_db, per_account, second)
    assert hit(counters, quiet_db, per_account, stranger)[0].remaining == 1

    per_address = Quota("per-address", limit, Counted.CLIENT_IP)
    hit(counters, quiet_db, per_address, first, ip="10.0.0.1")
    hit(counters, quiet_db, per_address, stranger, ip="10.0.0.1")
    refused(counters, quiet_db, per_address, second, ip="10.0.0.1")
    assert hit(counters, quiet_db, per_address, first, ip="10.0.0.2")[0].remaining == 1
    assert hit(counters, quiet_db, per_address, None, ip="10.0.0.2")[0].remaining == 0
    refused(counters, quiet_db, per_address, stranger, ip="10.0.0.2")


def test_a_person_and_an_organization_of_one_id_are_counted_apart(
    counters: Quotas, quiet_db: Database
) -> None:
    quota = Quota("per-account", Limit(1, Window.MINUTE), Counted.ACCOUNT)
    well_inside(Window.MINUTE, 2)
    hit(counters, quiet_db, quota, caller(account_id=5, key_id=1))
    refused(counters, quiet_db, quota, caller(account_id=5, key_id=2))
    person = caller(account_id=5, key_id=3, kind=AccountKind.PERSON)
    assert hit(counters, quiet_db, quota, person)[0].remaining == 0


def test_without_a_principal_every_quota_counts_the_address(
    counters: Quotas, quiet_db: Database
) -> None:
    quota = Quota("anonymous", Limit(1, Window.MINUTE), Counted.KEY)
    well_inside(Window.MINUTE, 2)
    hit(counters, quiet_db, quota, None, ip="10.0.0.3")
    refused(counters, quiet_db, quota, None, ip="10.0.0.3")
    hit(counters, quiet_db, quota, None, ip="10.0.0.4")
