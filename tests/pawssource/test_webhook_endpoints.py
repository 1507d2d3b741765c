"""Managing webhook endpoints through Paws Source: the secret shown once and kept sealed, each
account reaching its own endpoints only (another's are not found, never forbidden), the
``webhooks:manage`` permission, validation, changes, disabling and enabling, deletion with
every delivery, and idempotent creation; every answer checked against the contract."""

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from openpaws.dialects.pawssource import webhooks
from openpaws.platform.secret_keys import secret_box
from openpaws.services import identifiers
from openpaws.storage.database import Database
from openpaws.storage.tables import (
    metadata,
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
)
from tests.conftest import TEST_SECRET_KEY, make_client
from tests.pawssource.conftest import NAME, PS, Accounts
from tests.pawssource.webhook_support import add_endpoint, hook_client, new_pet, new_worker
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.receiver import receiving

ENDPOINTS = f"{PS}/webhook_endpoints"
URL = "https://hooks.example.com/openpaws"
SECRET = re.compile(r"^whsec_([A-Za-z0-9+/]{43}=)$")
ENDPOINT_ID = re.compile(r"^we_[0-9a-z]{8}$")


def create(client: ContractClient, **body: Any) -> httpx.Response:
    return client.post(ENDPOINTS, json={"url": URL, "enabled_events": ["pet.created"], **body})


def created(client: ContractClient, **body: Any) -> dict[str, Any]:
    made = create(client, **body)
    assert made.status_code == 201, made.text
    data: dict[str, Any] = made.json()["data"]
    return data


def secret_bytes(shown: str) -> bytes:
    """The 32 bytes a ``whsec_`` secret spells (strict base64)."""
    found = SECRET.match(shown)
    assert found is not None, shown
    return base64.b64decode(found.group(1), validate=True)


def error(response: httpx.Response) -> tuple[int, str, list[tuple[str, str]]]:
    body = response.json()["error"]
    return response.status_code, body["code"], [(d["field"], d["issue"]) for d in body["details"]]


def without_secret(endpoint: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in endpoint.items() if k != "secret"}


def stored(db: Database, endpoint_id: str) -> Any:
    """The endpoint's row, by the id the API shows."""
    row_id = identifiers.public_ids(db.reader()).decode(webhooks.ENDPOINT, endpoint_id)
    assert row_id is not None, endpoint_id
    with db.engine.connect() as conn:
        return conn.execute(select(webhook_endpoints).where(webhook_endpoints.c.id == row_id)).one()


def every_stored_text(db: Database) -> str:
    """Every value of every row of every table, as text (to look for a secret in)."""
    found: list[str] = []
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                found.extend(str(value) for value in row if value is not None)
    return "\n".join(found)


class _Any:
    """Equal to anything (a value the test does not pin down)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


def count(db: Database, table: Any) -> int:
    with db.engine.connect() as conn:
        return len(list(conn.execute(select(table.c.id))))


# -- creation and the secret -----------------------------------------------------------------


def test_a_new_endpoint_is_201_with_its_secret_shown_this_once(fresh: Accounts) -> None:
    client = fresh.shelter_client
    events = ["pet.created", "order.shipped", "grooming.completed"]
    made = create(client, enabled_events=events, description="CRM sync")
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    assert ENDPOINT_ID.match(data["id"])
    assert data["url"] == URL and data["description"] == "CRM sync"
    assert data["enabled_events"] == events
    assert data["status"] == "enabled"
    assert (data["disabled_reason"], data["disabled_at"], data["failing_since"]) == (None,) * 3
    assert data["created_at"] == data["updated_at"]
    assert len(secret_bytes(data["secret"])) == 32

    path = f"{ENDPOINTS}/{data['id']}"
    shown = client.json(path)["data"]
    assert "secret" not in shown
    assert shown == without_secret(data)
    listed = client.json(ENDPOINTS)
    assert listed["data"] == [without_secret(data)]
    assert listed["meta"] == {"next_cursor": None, "has_more": False}
    changed = client.patch(path, json={"description": "CRM"})
    assert changed.status_code == 200 and "secret" not in changed.json()["data"]
    enabled = client.post(f"{path}/enable")
    assert enabled.status_code == 200 and "secret" not in enabled.json()["data"]


def test_every_endpoint_gets_a_secret_of_its_own_and_a_rotation_a_new_one(
    fresh: Accounts,
) -> None:
    client = fresh.shelter_client
    first, second = created(client), created(client)
    assert secret_bytes(first["secret"]) != secret_bytes(second["secret"])
    rotated = client.post(f"{ENDPOINTS}/{first['id']}/rotate_secret")
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["data"]["secret"]
    assert len(secret_bytes(new)) == 32
    assert new not in (first["secret"], second["secret"])
    assert "secret" not in client.json(f"{ENDPOINTS}/{first['id']}")["data"]


def test_the_secret_is_stored_sealed_and_nowhere_in_plain_text(fresh: Accounts) -> None:
    endpoint = created(fresh.shelter_client)
    shown = endpoint["secret"]
    raw = secret_bytes(shown)
    row = stored(fresh.db, endpoint["id"])
    sealed = row.secret_sealed
    for plain in (shown, shown.removeprefix("whsec_"), raw.hex()):
        assert plain not in sealed
    assert raw not in sealed.encode()
    # Sealed with the deployment's key: it opens to the very bytes shown.
    assert secret_box(TEST_SECRET_KEY, fresh.db.url).open(sealed) == raw
    everything = every_stored_text(fresh.db)
    assert sealed in everything  # the scan does read the endpoints' rows
    for plain in (shown.removeprefix("whsec_"), raw.hex()):
        assert plain not in everything


def test_a_rotated_secret_is_sealed_too_and_the_old_one_kept_sealed(fresh: Accounts) -> None:
    endpoint = created(fresh.shelter_client)
    rotated = fresh.shelter_client.post(f"{ENDPOINTS}/{endpoint['id']}/rotate_secret")
    new = rotated.json()["data"]["secret"]
    row = stored(fresh.db, endpoint["id"])
    box = secret_box(TEST_SECRET_KEY, fresh.db.url)
    assert box.open(row.secret_sealed) == secret_bytes(new)
    assert box.open(row.previous_secret_sealed) == secret_bytes(endpoint["secret"])
    everything = every_stored_text(fresh.db)
    for shown in (endpoint["secret"], new):
        assert shown.removeprefix("whsec_") not in everything


# -- idempotent creation ---------------------------------------------------------------------


def test_a_creation_is_never_replayed_since_its_answer_holds_the_secret(
    fresh: Accounts,
) -> None:
    client = fresh.shelter_client
    body = {"url": URL, "enabled_events": ["pet.created"]}
    headers = {"Idempotency-Key": "hook-1"}
    first = client.post(ENDPOINTS, json=body, headers=headers)
    again = client.post(ENDPOINTS, json=body, headers=headers)
    assert first.status_code == again.status_code == 201, again.text
    assert "Idempotency-Replay" not in again.headers
    assert again.json()["data"]["secret"] != first.json()["data"]["secret"]
    assert len(client.json(ENDPOINTS)["data"]) == 2


def test_a_creation_with_an_idempotency_key_keeps_no_plain_secret(fresh: Accounts) -> None:
    made = fresh.shelter_client.post(
        ENDPOINTS,
        json={"url": URL, "enabled_events": ["pet.created"]},
        headers={"Idempotency-Key": "hook-secret"},
    )
    assert made.status_code == 201, made.text
    shown = made.json()["data"]["secret"]
    assert shown.removeprefix("whsec_") not in every_stored_text(fresh.db)


# -- each account its own --------------------------------------------------------------------


def test_each_account_lists_only_its_own_endpoints(fresh: Accounts) -> None:
    mine = created(fresh.owner, url="https://hooks.example.com/owner1")
    theirs = created(fresh.other, url="https://hooks.example.com/owner2")
    shelters = created(fresh.shelter_client, url="https://hooks.example.com/shelter")
    for client, endpoint in (
        (fresh.owner, mine),
        (fresh.other, theirs),
        (fresh.shelter_client, shelters),
    ):
        assert client.json(ENDPOINTS)["data"] == [without_secret(endpoint)]


def test_another_accounts_endpoint_is_not_found_whatever_is_asked(fresh: Accounts) -> None:
    endpoint = created(fresh.owner)
    path = f"{ENDPOINTS}/{endpoint['id']}"
    queued = fresh.owner.post(f"{path}/test")
    assert queued.status_code == 202, queued.text
    delivery = queued.json()["data"]["id"]
    before = stored(fresh.db, endpoint["id"])
    asks = [
        ("GET", path, None),
        ("PATCH", path, {"url": "https://attacker.example.com/x"}),
        ("PATCH", path, {"status": "disabled"}),
        ("DELETE", path, None),
        ("POST", f"{path}/enable", None),
        ("POST", f"{path}/test", None),
        ("POST", f"{path}/rotate_secret", None),
        ("GET", f"{path}/deliveries", None),
        ("GET", f"{path}/deliveries/{delivery}", None),
        ("POST", f"{path}/deliveries/{delivery}/redeliver", None),
    ]
    for stranger in (fresh.other, fresh.shelter_client):
        for method, url, body in asks:
            answer = stranger.request(method, url, json=body)
            assert answer.status_code == 404, (method, url, answer.text)
            assert answer.json()["error"]["code"] == "not_found"
    after = stored(fresh.db, endpoint["id"])
    assert after._asdict() == before._asdict()  # not changed, disabled, rotated or removed
    (only,) = fresh.owner.json(f"{path}/deliveries")["data"]
    assert only["id"] == delivery and only["attempts"] == 0
    assert count(fresh.db, webhook_deliveries) == 1


@pytest.mark.parametrize("endpoint_id", ["we_zzzzzzzz", "we_1", "pet_8x2k9m4p", "12"])
def test_ids_that_name_no_endpoint_are_not_found(fresh: Accounts, endpoint_id: str) -> None:
    created(fresh.owner)
    for method in ("GET", "DELETE"):
        answer = fresh.owner.request(method, f"{ENDPOINTS}/{endpoint_id}")
        assert answer.status_code == 404, answer.text
        assert answer.json()["error"]["code"] == "not_found"


@pytest.fixture
def read_only(fresh: Accounts, ps_contract: Contract) -> Iterator[ContractClient]:
    """petowner1's key holding pets:read only (no webhooks:manage)."""
    client = make_client(fresh.db, ps_contract)
    client.token = setup.create_account_key(
        fresh.db, NAME, person="petowner1", permissions=["pets:read"]
    )
    yield client
    client.client.__exit__(None, None, None)


def test_a_key_without_webhooks_manage_is_403_even_for_its_accounts_endpoints(
    fresh: Accounts, read_only: ContractClient
) -> None:
    endpoint = created(fresh.owner)  # petowner1's, by a key that may manage webhooks
    path = f"{ENDPOINTS}/{endpoint['id']}"
    assert read_only.get(f"{PS}/pets").status_code == 200  # the key itself works
    asks = [
        ("GET", ENDPOINTS, None),
        ("POST", ENDPOINTS, {"url": URL, "enabled_events": ["pet.created"]}),
        ("GET", path, None),
        ("PATCH", path, {"status": "disabled"}),
        ("DELETE", path, None),
        ("POST", f"{path}/enable", None),
        ("POST", f"{path}/rotate_secret", None),
        ("POST", f"{path}/test", None),
        ("GET", f"{path}/deliveries", None),
    ]
    for method, url, body in asks:
        answer = read_only.request(method, url, json=body)
        assert answer.status_code == 403, (method, url, answer.text)
        assert answer.json()["error"]["code"] == "forbidden"
    assert fresh.owner.json(ENDPOINTS)["data"] == [without_secret(endpoint)]
    assert count(fresh.db, webhook_deliveries) == 0


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ({"enabled_events": ["pet.created"]}, ["url"]),
        ({"url": URL}, ["enabled_events"]),
        ({}, ["url", "enabled_events"]),
        ({"description": "no url, no events"}, ["url", "enabled_events"]),
    ],
)
def test_a_missing_url_or_event_list_is_400_naming_it(
    fresh: Accounts, body: dict[str, Any], missing: list[str]
) -> None:
    answer = fresh.shelter_client.post(ENDPOINTS, json=body)
    status, code, details = error(answer)
    assert (status, code) == (400, "invalid_request"), answer.text
    assert sorted(field for field, issue in details if issue == "required") == sorted(missing)
    assert fresh.shelter_client.json(ENDPOINTS)["data"] == []


@pytest.mark.parametrize(
    ("body", "field", "issue"),
    [
        ({"enabled_events": ["pet.adopted"]}, "enabled_events", None),
        ({"enabled_events": ["pet.created", "webhook.test"]}, "enabled_events", None),
        ({"enabled_events": []}, "enabled_events", "must_be_non_empty_array"),
        ({"enabled_events": "pet.created"}, "enabled_events", "must_be_array"),
        ({"enabled_events": [7]}, "enabled_events", "must_be_array"),
        ({"secret": "whsec_mine"}, "secret", "unknown_field"),
        ({"status": "disabled"}, "status", "unknown_field"),
        ({"url": ""}, "url", None),
        ({"url": 7}, "url", "must_be_string"),
        ({"url": "https://hooks.example.com/a\nb"}, "url", None),
        ({"description": "x" * 201}, "description", "too_long"),
    ],
)
def test_an_invalid_new_endpoint_is_422_naming_the_field(
    fresh: Accounts, body: dict[str, Any], field: str, issue: str | None
) -> None:
    answer = create(fresh.shelter_client, **body)
    status, code, details = error(answer)
    assert (status, code) == (422, "validation_failed"), answer.text
    assert [f for f, _ in details] == [field]
    if issue is not None:
        assert details == [(field, issue)]
    assert fresh.shelter_client.json(ENDPOINTS)["data"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"enabled_events": ["pet.created", "pet.adopted"]},
        {"enabled_events": []},
        {"status": "paused"},
        {"url": "ftp://hooks.example.com/x"},
        {"url": "http://10.0.0.1/x"},
        {"secret": "whsec_mine"},
        {"id": "we_00000000"},
    ],
)
def test_an_invalid_change_is_422_and_changes_nothing(
    fresh: Accounts, body: dict[str, Any]
) -> None:
    endpoint = created(fresh.shelter_client, description="kept")
    path = f"{ENDPOINTS}/{endpoint['id']}"
    answer = fresh.shelter_client.patch(path, json=body)
    status, code, details = error(answer)
    assert (status, code) == (422, "validation_failed"), answer.text
    assert [f for f, _ in details] == list(body)
    assert fresh.shelter_client.json(path)["data"] == without_secret(endpoint)


@pytest.mark.parametrize("content", [b"", b"[]", b"{", b'"url"'])
def test_a_body_that_is_not_a_json_object_is_400(fresh: Accounts, content: bytes) -> None:
    answer = fresh.shelter_client.post(
        ENDPOINTS, content=content, headers={"Content-Type": "application/json"}
    )
    assert error(answer)[:2] == (400, "invalid_request"), answer.text
    assert fresh.shelter_client.json(ENDPOINTS)["data"] == []


# -- changing, disabling, enabling -----------------------------------------------------------


def test_a_change_sets_the_url_events_and_description(fresh: Accounts) -> None:
    client = fresh.shelter_client
    endpoint = created(client, description="first")
    path = f"{ENDPOINTS}/{endpoint['id']}"
    wanted = {
        "url": "https://other.example.com/hooks?v=2",
        "enabled_events": ["order.shipped", "pet.deleted", "order.shipped"],
        "description": "second",
    }
    answer = client.patch(path, json=wanted)
    assert answer.status_code == 200, answer.text
    changed = answer.json()["data"]
    assert changed["url"] == wanted["url"]
    assert changed["enabled_events"] == ["order.shipped", "pet.deleted"]  # no repeats
    assert changed["description"] == "second"
    assert changed["status"] == "enabled"
    assert changed["created_at"] == endpoint["created_at"]
    assert changed["updated_at"] >= endpoint["updated_at"]
    assert client.json(path)["data"] == changed
    partial = client.patch(path, json={"description": "third"})
    assert partial.status_code == 200, partial.text
    assert partial.json()["data"] == {**changed, "description": "third", "updated_at": ANY}


def test_changed_events_decide_what_is_queued(fresh: Accounts) -> None:
    client = fresh.shelter_client
    endpoint = created(client, enabled_events=["pet.created"])
    path = f"{ENDPOINTS}/{endpoint['id']}"
    new_pet(client, "Queued")
    assert len(client.json(f"{path}/deliveries")["data"]) == 1
    assert client.patch(path, json={"enabled_events": ["order.shipped"]}).status_code == 200
    new_pet(client, "Not wanted")
    assert len(client.json(f"{path}/deliveries")["data"]) == 1


def test_a_description_can_be_cleared(fresh: Accounts) -> None:
    endpoint = created(fresh.shelter_client, description="soon gone")
    answer = fresh.shelter_client.patch(f"{ENDPOINTS}/{endpoint['id']}", json={"description": None})
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["description"] is None


def test_disabling_holds_events_until_it_is_enabled_again(fresh: Accounts) -> None:
    client = fresh.shelter_client
    endpoint = created(client)
    path = f"{ENDPOINTS}/{endpoint['id']}"
    answer = client.patch(path, json={"status": "disabled"})
    assert answer.status_code == 200, answer.text
    disabled = answer.json()["data"]
    assert disabled["status"] == "disabled"
    assert disabled["disabled_reason"] == "disabled by the account"
    assert disabled["disabled_at"] is not None
    assert client.json(path)["data"] == disabled
    assert client.json(ENDPOINTS)["data"] == [disabled]
    new_pet(client, "While disabled")
    assert client.json(f"{path}/deliveries")["data"] == []
    again = client.patch(path, json={"status": "disabled"})  # already: nothing changes
    assert again.status_code == 200
    assert again.json()["data"]["disabled_at"] == disabled["disabled_at"]

    enabled = client.post(f"{path}/enable")
    assert enabled.status_code == 200, enabled.text
    shown = enabled.json()["data"]
    assert shown["status"] == "enabled"
    assert (shown["disabled_reason"], shown["disabled_at"], shown["failing_since"]) == (None,) * 3
    assert client.json(path)["data"] == shown
    new_pet(client, "Enabled again")
    (delivery,) = client.json(f"{path}/deliveries")["data"]
    assert delivery["event_type"] == "pet.created" and delivery["status"] == "pending"
    assert client.post(f"{path}/enable").json()["data"] == shown  # enabling twice: no change


def test_a_patch_to_status_enabled_enables_too(fresh: Accounts) -> None:
    client = fresh.shelter_client
    endpoint = created(client)
    path = f"{ENDPOINTS}/{endpoint['id']}"
    assert client.patch(path, json={"status": "disabled"}).status_code == 200
    answer = client.patch(path, json={"status": "enabled", "description": "back"})
    assert answer.status_code == 200, answer.text
    shown = answer.json()["data"]
    assert (shown["status"], shown["disabled_reason"], shown["description"]) == (
        "enabled",
        None,
        "back",
    )


# -- deleting --------------------------------------------------------------------------------


def test_deleting_an_endpoint_removes_it_with_its_deliveries_and_their_log(
    fresh: Accounts, ps_contract: Contract
) -> None:
    client = hook_client(fresh.db, ps_contract, org=fresh.shelter)
    try:
        with receiving() as receiver:
            endpoint = add_endpoint(client, receiver.url, "pet.created")
            kept = add_endpoint(client, receiver.url, "pet.created")
            new_pet(client, "Logged")
            worker = new_worker(fresh.db)

            async def step() -> None:
                await worker.step()
                await worker.close()

            asyncio.run(step())
            assert len(receiver.received) == 2
        assert count(fresh.db, webhook_deliveries) == 2
        assert count(fresh.db, webhook_attempts) == 2
        path = f"{ENDPOINTS}/{endpoint['id']}"
        (delivery,) = client.json(f"{path}/deliveries")["data"]

        answer = client.delete(path)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"data": {"id": endpoint["id"], "deleted": True}}
        for method, url in (
            ("GET", path),
            ("DELETE", path),
            ("GET", f"{path}/deliveries"),
            ("GET", f"{path}/deliveries/{delivery['id']}"),
            ("POST", f"{path}/enable"),
        ):
            gone = client.request(method, url)
            assert gone.status_code == 404, (method, url, gone.text)
            assert gone.json()["error"]["code"] == "not_found"
        assert [e["id"] for e in client.json(ENDPOINTS)["data"]] == [kept["id"]]
        with fresh.db.engine.connect() as conn:
            rows = list(conn.execute(select(webhook_deliveries)))
            attempts = list(conn.execute(select(webhook_attempts)))
        kept_row = stored(fresh.db, kept["id"])
        assert [r.endpoint_id for r in rows] == [kept_row.id]
        assert [a.delivery_id for a in attempts] == [rows[0].id]
        assert len(client.json(f"{ENDPOINTS}/{kept['id']}/deliveries")["data"]) == 1
    finally:
        client.client.__exit__(None, None, None)
