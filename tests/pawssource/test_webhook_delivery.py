"""Webhook delivery through a real receiver: signatures (checked by the Standard Webhooks
reference library and an independent HMAC), the retry schedule on a clock the test moves,
410, redirects, Retry-After, slow and endless receivers, fan-out fixed at commit, and events
of rolled-back writes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from openpaws.domain.accounts import Account, AccountKind
from openpaws.domain.changes import AnimalChange
from openpaws.domain.webhooks import JITTER
from openpaws.services import animal_changes, organizations
from tests.pawssource.conftest import PS, Accounts
from tests.pawssource.webhook_support import (
    Clock,
    add_endpoint,
    deliveries,
    hook_client,
    new_pet,
    new_worker,
    signed_by,
    statuses,
    verify,
)
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.receiver import Answer, receiving


@pytest.fixture
def shelter(fresh: Accounts, ps_contract: Contract) -> Iterator[ContractClient]:
    client = hook_client(fresh.db, ps_contract, org=fresh.shelter)
    yield client
    client.client.__exit__(None, None, None)


def within_jitter(actual: timedelta, wanted: timedelta) -> bool:
    return wanted * (1 - JITTER) - timedelta(seconds=1) <= actual <= wanted * (1 + JITTER)


def test_a_receiver_answering_500_500_200_gets_three_attempts_of_one_message(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with receiving(Answer(500), Answer(500), Answer(200)) as receiver:
        endpoint = add_endpoint(shelter, receiver.url, "pet.created")
        pet = new_pet(shelter, "Retried")
        clock = Clock()
        worker = new_worker(fresh.db, clock)
        started = clock.now

        async def scenario() -> list[timedelta]:
            waits = []
            first = await worker.step()
            assert [o.status_code for o in first] == [500]
            assert first[0].next_attempt_at is not None
            waits.append(first[0].next_attempt_at - first[0].started_at)
            clock.move(seconds=1)
            assert await worker.step() == []  # not due yet
            clock.now = first[0].next_attempt_at
            second = await worker.step()
            assert [o.status_code for o in second] == [500]
            assert second[0].next_attempt_at is not None
            waits.append(second[0].next_attempt_at - second[0].started_at)
            clock.now = second[0].next_attempt_at
            third = await worker.step()
            assert [(o.status_code, o.status) for o in third] == [(200, "delivered")]
            await worker.close()
            return waits

        waits = asyncio.run(scenario())
    assert within_jitter(waits[0], timedelta(seconds=5))
    assert within_jitter(waits[1], timedelta(minutes=5))
    sent = receiver.received
    assert len(sent) == 3
    assert len({r.headers["webhook-id"] for r in sent}) == 1
    assert len({r.headers["webhook-timestamp"] for r in sent}) == 3
    assert len({r.headers["webhook-signature"] for r in sent}) == 3
    assert len({r.body for r in sent}) == 1
    assert int(sent[0].headers["webhook-timestamp"]) == int(started.timestamp())
    for request in sent:
        assert signed_by(endpoint["secret"], request)
    body = json.loads(sent[0].body)
    assert body["type"] == "pet.created" and body["data"]["id"] == pet["id"]
    assert body["id"] == sent[0].headers["webhook-id"] and body["id"].startswith("evt_")
    log = shelter.json(f"{PS}/webhook_endpoints/{endpoint['id']}/deliveries")["data"]
    assert [d["status"] for d in log] == ["delivered"]
    assert [a["status_code"] for a in log[0]["attempt_log"]] == [500, 500, 200]
    assert log[0]["event_id"] == body["id"] and log[0]["event_type"] == "pet.created"


def test_a_delivery_verifies_with_the_reference_library_now(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with receiving() as receiver:
        endpoint = add_endpoint(shelter, receiver.url, "pet.created")
        pet = new_pet(shelter, "Verified")
        asyncio.run(_step_and_close(new_worker(fresh.db)))
        (request,) = receiver.received
    payload = verify(endpoint["secret"], request)
    assert payload["data"] == {**pet, "updated_at": payload["data"]["updated_at"]}
    assert request.headers["content-type"] == "application/json"


async def _step_and_close(worker: object) -> list[object]:
    done = await worker.step()  # type: ignore[attr-defined]
    await worker.close()  # type: ignore[attr-defined]
    return done  # type: ignore[no-any-return]


def test_after_a_rotation_both_secrets_sign_for_a_day(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with receiving() as receiver:
        endpoint = add_endpoint(shelter, receiver.url, "pet.created")
        rotated = shelter.post(f"{PS}/webhook_endpoints/{endpoint['id']}/rotate_secret")
        assert rotated.status_code == 200, rotated.text
        new_secret = rotated.json()["data"]["secret"]
        assert new_secret != endpoint["secret"] and new_secret.startswith("whsec_")
        new_pet(shelter, "Rotated")
        asyncio.run(_step_and_close(new_worker(fresh.db)))
        clock = Clock()
        clock.move(hours=25)
        new_pet(shelter, "Later")
        asyncio.run(_step_and_close(new_worker(fresh.db, clock)))
        first, later = receiver.received
    assert len(first.headers["webhook-signature"].split(" ")) == 2
    verify(new_secret, first)  # X-Paws-Signature is the current secret's
    assert signed_by(endpoint["secret"], first) and signed_by(new_secret, first)
    assert len(later.headers["webhook-signature"].split(" ")) == 1
    assert signed_by(new_secret, later) and not signed_by(endpoint["secret"], later)
    again = shelter.json(f"{PS}/webhook_endpoints/{endpoint['id']}")["data"]
    assert "secret" not in again


def test_an_endpoint_made_later_never_receives_earlier_events(
    fresh: Accounts, shelter: ContractClient
) -> None:
    new_pet(shelter, "Before")
    with receiving() as receiver:
        add_endpoint(shelter, receiver.url, "pet.created")
        asyncio.run(_step_and_close(new_worker(fresh.db)))
        assert receiver.received == []
        new_pet(shelter, "After")
        asyncio.run(_step_and_close(new_worker(fresh.db)))
    names = [json.loads(r.body)["data"]["name"] for r in receiver.received]
    assert names == ["After"]


def test_an_endpoint_receives_only_its_own_accounts_events_and_chosen_types(
    fresh: Accounts, shelter: ContractClient, ps_contract: Contract
) -> None:
    owner = hook_client(fresh.db, ps_contract, person="petowner2")
    try:
        with receiving() as mine, receiving() as theirs:
            add_endpoint(shelter, mine.url, "pet.created")
            add_endpoint(owner, theirs.url, "pet.updated")
            new_pet(owner, "Theirs")  # created: their endpoint wants updates only
            new_pet(shelter, "Mine")
            asyncio.run(_step_and_close(new_worker(fresh.db)))
    finally:
        owner.client.__exit__(None, None, None)
    assert [json.loads(r.body)["data"]["name"] for r in mine.received] == ["Mine"]
    assert theirs.received == []


def test_no_event_of_a_rolled_back_write_is_ever_sent(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with receiving() as receiver:
        add_endpoint(shelter, receiver.url, "pet.created")
        with fresh.db.read() as reader:
            org = organizations.organization_id(reader, fresh.shelter)
        account = Account(AccountKind.ORGANIZATION, org)
        with pytest.raises(RuntimeError), fresh.db.transaction() as tx:
            animal_changes.create_for_account(
                tx,
                account,
                AnimalChange(
                    name="Phantom",
                    type="dog",
                    age="adult",
                    sex="male",
                    size="medium",
                    health="unknown",
                ),
            )
            raise RuntimeError("the request failed after the write")
        assert deliveries(fresh.db) == []
        asyncio.run(_step_and_close(new_worker(fresh.db)))
    assert receiver.received == []


def test_410_disables_the_endpoint_and_says_why_until_it_is_enabled_again(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with receiving(Answer(410), Answer(200)) as receiver:
        endpoint = add_endpoint(shelter, receiver.url, "pet.created")
        path = f"{PS}/webhook_endpoints/{endpoint['id']}"
        new_pet(shelter, "Gone")
        asyncio.run(_step_and_close(new_worker(fresh.db)))
        shown = shelter.json(path)["data"]
        assert shown["status"] == "disabled"
        assert "410" in shown["disabled_reason"]
        new_pet(shelter, "While disabled")  # no delivery: the endpoint is disabled
        asyncio.run(_step_and_close(new_worker(fresh.db)))
        assert len(receiver.received) == 1
        assert statuses(deliveries(fresh.db)) == ["failed"]
        enabled = shelter.post(f"{path}/enable")
        assert enabled.status_code == 200 and enabled.json()["data"]["status"] == "enabled"
        assert enabled.json()["data"]["disabled_reason"] is None
        new_pet(shelter, "Back")
        asyncio.run(_step_and_close(new_worker(fresh.db)))
    assert [json.loads(r.body)["data"]["name"] for r in receiver.received] == ["Gone", "Back"]


def test_a_redirect_is_a_failure_and_is_never_followed(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with receiving() as elsewhere:
        moved = Answer(302, headers={"Location": elsewhere.url})
        with receiving(moved) as receiver:
            add_endpoint(shelter, receiver.url, "pet.created")
            new_pet(shelter, "Moved")
            (outcome,) = asyncio.run(_step_and_close(new_worker(fresh.db)))
    assert elsewhere.received == []
    assert outcome.status == "pending" and outcome.status_code == 302  # type: ignore[attr-defined]
    assert "redirects are not followed" in outcome.error  # type: ignore[attr-defined]


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(fresh: Accounts, shelter: ContractClient, status: int) -> None:
    with receiving(Answer(status, headers={"Retry-After": "600"})) as receiver:
        add_endpoint(shelter, receiver.url, "pet.created")
        new_pet(shelter, "Later please")
        (outcome,) = asyncio.run(_step_and_close(new_worker(fresh.db)))
    wait = outcome.next_attempt_at - outcome.started_at  # type: ignore[attr-defined]
    assert timedelta(seconds=600) <= wait <= timedelta(seconds=602)


def test_a_hanging_or_endless_receiver_stalls_no_other_endpoint(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with (
        receiving(Answer(delay=5)) as hanging,
        receiving(Answer(endless=True)) as endless,
        receiving() as quick,
    ):
        for receiver in (hanging, endless, quick):
            add_endpoint(shelter, receiver.url, "pet.created")
        new_pet(shelter, "Everyone")
        outcomes = asyncio.run(_step_and_close(new_worker(fresh.db, timeout=1.0)))
    by_port = {o.endpoint_id: o for o in outcomes}  # type: ignore[attr-defined]
    assert len(by_port) == 3
    results = sorted((o.status_code or 0, o.error or "") for o in outcomes)  # type: ignore[attr-defined]
    assert (0, "no answer within 1 s") in results
    assert sum(1 for code, _ in results if code == 200) == 2  # endless: read capped
    quick_latency = [o.latency_ms for o in outcomes if o.status_code == 200]  # type: ignore[attr-defined]
    assert min(quick_latency) < 1000


def test_a_delivery_can_be_sent_again_by_hand_with_the_same_webhook_id(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with receiving() as receiver:
        endpoint = add_endpoint(shelter, receiver.url, "pet.created")
        new_pet(shelter, "Twice")
        asyncio.run(_step_and_close(new_worker(fresh.db)))
        path = f"{PS}/webhook_endpoints/{endpoint['id']}/deliveries"
        (delivery,) = shelter.json(path)["data"]
        again = shelter.post(f"{path}/{delivery['id']}/redeliver")
        assert again.status_code == 202, again.text
        assert again.json()["data"]["status"] == "pending"
        asyncio.run(_step_and_close(new_worker(fresh.db)))
        first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    shown = shelter.json(f"{path}/{delivery['id']}")["data"]
    assert shown["status"] == "delivered" and shown["attempts"] == 2


def test_a_test_event_reaches_the_endpoint_alone(fresh: Accounts, shelter: ContractClient) -> None:
    with receiving() as receiver, receiving() as other:
        endpoint = add_endpoint(shelter, receiver.url, "order.shipped")
        add_endpoint(shelter, other.url, "order.shipped")
        sent = shelter.post(f"{PS}/webhook_endpoints/{endpoint['id']}/test")
        assert sent.status_code == 202, sent.text
        asyncio.run(_step_and_close(new_worker(fresh.db)))
    (request,) = receiver.received
    assert other.received == []
    payload = verify(endpoint["secret"], request)
    assert payload["type"] == "webhook.test"
    assert payload["data"]["webhook_endpoint_id"] == endpoint["id"]


def test_an_endpoint_deleted_mid_attempt_leaves_the_worker_recording(
    fresh: Accounts, shelter: ContractClient
) -> None:
    with receiving(Answer(delay=1.0)) as slow, receiving() as quick:
        doomed = add_endpoint(shelter, slow.url, "pet.created")
        add_endpoint(shelter, quick.url, "pet.created")
        new_pet(shelter, "Orphaned")
        worker = new_worker(fresh.db)

        async def scenario() -> list[object]:
            stepping = asyncio.create_task(worker.step())
            await asyncio.sleep(0.4)  # the slow attempt is under way
            gone = await asyncio.to_thread(shelter.delete, f"{PS}/webhook_endpoints/{doomed['id']}")
            assert gone.status_code == 200
            done = await stepping
            await worker.close()
            return done  # type: ignore[return-value]

        outcomes = asyncio.run(scenario())
    assert sorted(o.status_code for o in outcomes) == [200, 200]  # type: ignore[attr-defined]
    assert statuses(deliveries(fresh.db)) == ["delivered"]  # the other endpoint's, recorded
