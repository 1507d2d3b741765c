"""Where webhooks may be posted: every internal address class is refused when an endpoint is
registered (through the Paws Source API of a server that does not allow private targets) and
again when a delivery connects, against the address the connection would actually reach (a
name that resolves inside, DNS rebinding, reaches nothing). An operator's ``allow_private``
opens loopback, private, link-local and shared addresses, never metadata, multicast,
unspecified or reserved ones."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from openpaws.dialects.pawssource import DIALECT as PAWSSOURCE
from openpaws.domain.errors import InvalidInput
from openpaws.platform.webhooks import targets
from openpaws.storage.database import Database
from openpaws.storage.webhooks import Outcome
from tests.pawssource.conftest import PS, key_client
from tests.pawssource.webhook_support import add_endpoint, hook_client, new_worker
from tests.support import setup
from tests.support.api import ContractClient
from tests.support.contract import Contract
from tests.support.databases import PostgresDatabases, SqliteDatabases
from tests.support.receiver import Receiver, receiving

ENDPOINTS = f"{PS}/webhook_endpoints"
REBIND = "rebind.example"

# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract(PAWSSOURCE.contract, "urn:openpaws:pawssource", PS)


def _populated(db: Database) -> str:
    """A little demo data; the code of a shelter whose key registers endpoints."""
    setup.load_demo(db, 20, organizations=2)
    return setup.first_listing_organization(db)


@pytest.fixture(scope="module")
def registry_db(databases: SqliteDatabases | PostgresDatabases) -> Iterator[tuple[Database, str]]:
    """One database for the registration checks (a refused registration writes nothing)."""
    db = databases.fresh()
    org = _populated(db)
    yield db, org
    databases.drop(db)


@pytest.fixture(scope="module")
def registrar(registry_db: tuple[Database, str], contract: Contract) -> Iterator[ContractClient]:
    """A shelter's client of a server that does not allow private targets (the default)."""
    db, org = registry_db
    client = key_client(db, contract, org=org)
    yield client
    client.client.__exit__(None, None, None)


@pytest.fixture
def shelter(fresh_db: Database, contract: Contract) -> Iterator[ContractClient]:
    """A shelter's client over a database of its own (deliveries are per test)."""
    client = key_client(fresh_db, contract, org=_populated(fresh_db))
    yield client
    client.client.__exit__(None, None, None)


# -- registration ---------------------------------------------------------------------------


def issues(response: httpx.Response) -> list[tuple[str, str]]:
    return [(d["field"], d["issue"]) for d in response.json()["error"]["details"]]


def register(client: ContractClient, url: str) -> httpx.Response:
    return client.post(ENDPOINTS, json={"url": url, "enabled_events": ["pet.created"]})


def registered_urls(client: ContractClient) -> list[str]:
    return [e["url"] for e in client.json(ENDPOINTS)["data"]]


INTERNAL_HOSTS = [
    "127.0.0.1",
    "127.1.2.3",
    "0.0.0.0",
    "10.1.2.3",
    "100.64.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "169.254.1.1",
    "100.100.100.200",
    "224.0.0.1",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:10.0.0.1]",
    "[::ffff:169.254.169.254]",
    "[64:ff9b::a9fe:a9fe]",  # NAT64 of the metadata address
    "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
    "[fc00::1]",
    "[fd12::1]",
    "[fd00:ec2::254]",
    "[fe80::1]",
    "[ff02::1]",
    "[::]",
    "localhost",
    "LOCALHOST.",
    "foo.localhost",
    "2130706433",  # 127.0.0.1 in decimal
    "0177.0.0.1",  # ... in octal
    "0x7f000001",  # ... in hex
    "0x7f.1",
    "127.1",  # ... short
    "0",  # 0.0.0.0, short
]


@pytest.mark.parametrize("host", INTERNAL_HOSTS)
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_registering_an_internal_address_is_refused_naming_the_url(
    registrar: ContractClient, host: str, scheme: str
) -> None:
    url = f"{scheme}://{host}:8080/hooks"
    refused = register(registrar, url)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "validation_failed"
    assert issues(refused) == [("url", "internal_address_not_allowed")]
    assert url not in registered_urls(registrar)


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "localhost", "2130706433", "10.0.0.1"])
def test_changing_the_url_to_an_internal_address_is_refused_and_keeps_the_old_one(
    registrar: ContractClient, host: str
) -> None:
    made = register(registrar, "https://hooks.example.com/before")
    assert made.status_code == 201, made.text
    path = f"{ENDPOINTS}/{made.json()['data']['id']}"
    refused = registrar.patch(path, json={"url": f"http://{host}/after"})
    assert refused.status_code == 422, refused.text
    assert issues(refused) == [("url", "internal_address_not_allowed")]
    assert registrar.json(path)["data"]["url"] == "https://hooks.example.com/before"
    assert registrar.delete(path).status_code == 200


NOT_URLS = [
    "ftp://hooks.example.com/x",
    "file:///etc/passwd",
    "gopher://hooks.example.com:70/_x",
    "javascript:alert(1)",
    "hooks.example.com/x",  # no scheme
    "https://user:pw@hooks.example.com/x",
    "https://user@hooks.example.com/x",
    "https://:pw@hooks.example.com/x",
    "http:///x",  # no host
    "https://",
    "https://hooks.example.com:0/x",
    "https://hooks.example.com:99999/x",
    "https://[::1/x",
    "https://hooks.example.com/x#fragment",
    "https://\uff11\uff12\uff17.0.0.1/x",
    "https://ex\u200bample.com/x",
]


@pytest.mark.parametrize("url", NOT_URLS)
def test_a_url_that_is_not_an_http_target_is_refused_as_not_a_url(
    registrar: ContractClient, url: str
) -> None:
    refused = register(registrar, url)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "validation_failed"
    assert issues(refused) == [("url", "must_be_url")]
    assert url not in registered_urls(registrar)


def test_an_over_long_url_is_refused_naming_the_url(registrar: ContractClient) -> None:
    url = "https://hooks.example.com/" + "x" * (targets.MAX_URL_LENGTH - 25)
    assert len(url) == targets.MAX_URL_LENGTH + 1
    refused = register(registrar, url)
    assert refused.status_code == 422, refused.text
    # The API's length check comes first and says so; checked_url's own (the same limit) is
    # "not_url" (test_checked_url_refuses_an_over_long_url_as_not_a_url).
    assert issues(refused) == [("url", "too_long")]
    longest = url[:-1]
    made = register(registrar, longest)
    assert made.status_code == 201, made.text
    assert made.json()["data"]["url"] == longest
    assert registrar.delete(f"{ENDPOINTS}/{made.json()['data']['id']}").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/x",
        "http://hooks.example.com:8080/x?a=1",
        f"http://{REBIND}/x",  # a name: not resolved at registration
        "https://localhost.example.com/x",  # not *.localhost
        "https://8.8.8.8/x",
        "https://[2606:4700::1111]/x",
        "https://[::ffff:8.8.8.8]/x",
    ],
)
def test_a_public_target_is_accepted(registrar: ContractClient, url: str) -> None:
    made = register(registrar, url)
    assert made.status_code == 201, made.text
    assert made.json()["data"]["url"] == url
    assert url in registered_urls(registrar)
    assert registrar.delete(f"{ENDPOINTS}/{made.json()['data']['id']}").status_code == 200


def test_an_operator_allowing_private_targets_may_register_loopback_but_not_metadata(
    registry_db: tuple[Database, str], contract: Contract
) -> None:
    db, org = registry_db
    client = hook_client(db, contract, org=org)
    try:
        made = register(client, "http://127.0.0.1:9/hooks")
        assert made.status_code == 201, made.text
        assert client.delete(f"{ENDPOINTS}/{made.json()['data']['id']}").status_code == 200
        for url in ("http://169.254.169.254/latest", "http://224.0.0.1/", "http://0.0.0.0:80/"):
            refused = register(client, url)
            assert refused.status_code == 422, (url, refused.text)
            assert issues(refused) == [("url", "internal_address_not_allowed")]
    finally:
        client.client.__exit__(None, None, None)


# -- the policy, address by address --------------------------------------------------------

LOOPBACK, PRIVATE, LINK_LOCAL = "a loopback address", "a private address", "a link-local address"
SHARED, METADATA = "a shared (carrier-grade NAT) address", "a cloud metadata address"
MULTICAST, UNSPECIFIED = "a multicast address", "an unspecified address"
RESERVED = "a reserved or special-purpose address"

# (address, why it is refused, whether an operator allowing private targets may reach it)
POLICY = [
    ("127.0.0.1", LOOPBACK, True),
    ("127.255.255.254", LOOPBACK, True),
    ("::1", LOOPBACK, True),
    ("::ffff:127.0.0.1", LOOPBACK, True),
    ("2002:7f00:1::", LOOPBACK, True),  # 6to4
    ("10.1.2.3", PRIVATE, True),
    ("172.16.5.4", PRIVATE, True),
    ("172.31.255.255", PRIVATE, True),
    ("192.168.1.1", PRIVATE, True),
    ("::ffff:10.0.0.1", PRIVATE, True),
    ("64:ff9b::a00:1", PRIVATE, True),  # NAT64 of 10.0.0.1
    ("fc00::1", PRIVATE, True),
    ("fd12::1", PRIVATE, True),
    ("100.64.0.1", SHARED, True),
    ("100.127.255.254", SHARED, True),
    ("169.254.1.1", LINK_LOCAL, True),
    ("fe80::1", LINK_LOCAL, True),
    ("169.254.169.254", METADATA, False),
    ("100.100.100.200", METADATA, False),
    ("fd00:ec2::254", METADATA, False),
    ("::ffff:169.254.169.254", METADATA, False),
    ("64:ff9b::a9fe:a9fe", METADATA, False),
    ("2002:a9fe:a9fe::", METADATA, False),
    ("224.0.0.1", MULTICAST, False),
    ("239.255.255.250", MULTICAST, False),
    ("ff02::1", MULTICAST, False),
    ("0.0.0.0", UNSPECIFIED, False),
    ("::", UNSPECIFIED, False),
    ("::7f00:1", RESERVED, False),  # IPv4-compatible (deprecated)
]


@pytest.mark.parametrize(("address", "reason", "_"), POLICY)
def test_refusal_names_the_class_of_an_internal_address(address: str, reason: str, _: bool) -> None:
    assert targets.refusal(ipaddress.ip_address(address), allow_private=False) == reason


@pytest.mark.parametrize(("address", "reason", "opened"), POLICY)
def test_allowing_private_targets_opens_only_the_private_classes(
    address: str, reason: str, opened: bool
) -> None:
    found = targets.refusal(ipaddress.ip_address(address), allow_private=True)
    assert found == (None if opened else reason)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert targets.refusal(ip, allow_private=False) is None
    assert targets.refusal(ip, allow_private=True) is None


@pytest.mark.parametrize(
    "address", ["240.0.0.1", "255.255.255.255", "0.1.2.3", "192.0.2.1", "198.18.0.1", "2001:db8::1"]
)
def test_reserved_addresses_stay_refused_when_private_targets_are_allowed(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert targets.refusal(ip, allow_private=False) is not None
    assert targets.refusal(ip, allow_private=True) is not None


def test_a_site_local_ipv6_address_is_refused() -> None:
    assert targets.refusal(ipaddress.ip_address("fec0::1"), allow_private=False) is not None


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("[fe80::1%eth0]", "fe80::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("hooks.example.com", None),
        ("localhost", None),
    ],
)
def test_literal_address_reads_every_spelling_a_resolver_would(
    host: str, address: str | None
) -> None:
    found = targets.literal_address(host)
    assert found == (None if address is None else ipaddress.ip_address(address))


def test_checked_url_refuses_an_over_long_url_as_not_a_url() -> None:
    url = "https://hooks.example.com/" + "x" * targets.MAX_URL_LENGTH
    with pytest.raises(InvalidInput) as refused:
        targets.checked_url(url, allow_private=False)
    assert [(p.name, p.kind) for p in refused.value.fields] == [("url", "not_url")]


@pytest.mark.parametrize("host", ["0177.0.0.1", "\uff11\uff12\uff17.0.0.1", "ex\u200bample.com"])
def test_checked_url_refuses_what_no_parser_takes_as_invalid_input(host: str) -> None:
    url = f"http://{host}/hooks"
    try:
        targets.checked_url(url, allow_private=False)
    except InvalidInput as refused:
        assert [p.name for p in refused.fields] == ["url"]
    except Exception as error:  # anything else is a 500 at the API
        pytest.fail(f"checked_url({url!r}) raised {type(error).__name__}: {error}")
    else:
        pytest.fail(f"checked_url accepted {url!r}")


# -- at send time ---------------------------------------------------------------------------


@dataclass
class Resolver:
    """A resolver the test scripts: each name's addresses, and every question it was asked."""

    answers: dict[str, list[str]]
    asked: list[tuple[str, int]] = field(default_factory=list)

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        return list(self.answers.get(host, []))


def deliver_once(db: Database, resolver: Resolver, *, allow_private: bool) -> list[Outcome]:
    """One worker step over every due delivery (the receiver's answer, or why none)."""

    async def run() -> list[Outcome]:
        worker = new_worker(db, timeout=3.0, allow_private=allow_private, resolver=resolver)
        try:
            return await worker.step()
        finally:
            await worker.close()

    return asyncio.run(run())


def queue_test_event(client: ContractClient, url: str) -> dict[str, Any]:
    """An endpoint at ``url`` with a test event due for it."""
    endpoint = add_endpoint(client, url, "pet.created")
    queued = client.post(f"{ENDPOINTS}/{endpoint['id']}/test")
    assert queued.status_code == 202, queued.text
    return endpoint


def last_error(client: ContractClient, endpoint: dict[str, Any]) -> str | None:
    (delivery,) = client.json(f"{ENDPOINTS}/{endpoint['id']}/deliveries")["data"]
    found: str | None = delivery["last_error"]
    return found


def assert_refused(
    outcomes: Sequence[Outcome], receiver: Receiver, *, mentions: str | None = None
) -> None:
    (outcome,) = outcomes
    assert receiver.received == []
    assert outcome.status_code is None
    assert outcome.error is not None and outcome.error.startswith("refused:"), outcome.error
    assert outcome.status == "pending"  # retried on the schedule, like any failure
    if mentions is not None:
        assert mentions in outcome.error


REBOUND = [
    "127.0.0.1",
    "127.0.0.53",
    "10.0.0.1",
    "100.64.0.1",
    "172.16.0.1",
    "192.168.0.1",
    "169.254.169.254",
    "::1",
    "::ffff:127.0.0.1",
    "fc00::1",
    "fe80::1",
    "0.0.0.0",
    "224.0.0.1",
]


@pytest.mark.parametrize("address", REBOUND)
def test_a_name_that_resolves_inside_at_send_time_reaches_nothing(
    fresh_db: Database, shelter: ContractClient, address: str
) -> None:
    with receiving() as receiver:
        endpoint = queue_test_event(shelter, f"http://{REBIND}:{receiver.port}/hooks")
        resolver = Resolver({REBIND: [address]})
        outcomes = deliver_once(fresh_db, resolver, allow_private=False)
    assert resolver.asked == [(REBIND, receiver.port)]
    assert_refused(outcomes, receiver, mentions=f"{REBIND} resolves to {address}")
    error = last_error(shelter, endpoint)
    assert error is not None and error.startswith("refused:")


def test_every_resolved_address_is_checked_not_only_the_first(
    fresh_db: Database, shelter: ContractClient
) -> None:
    with receiving() as receiver:
        queue_test_event(shelter, f"http://{REBIND}:{receiver.port}/hooks")
        resolver = Resolver({REBIND: ["8.8.8.8", "127.0.0.1"]})
        outcomes = deliver_once(fresh_db, resolver, allow_private=False)
    assert_refused(outcomes, receiver, mentions="127.0.0.1")


def test_the_same_name_resolving_to_loopback_is_delivered_when_private_targets_are_allowed(
    fresh_db: Database, shelter: ContractClient
) -> None:
    """The control: the refusals above are the guard's, not a connection that fails anyway."""
    with receiving() as receiver:
        endpoint = queue_test_event(shelter, f"http://{REBIND}:{receiver.port}/hooks")
        resolver = Resolver({REBIND: ["127.0.0.1"]})
        (outcome,) = deliver_once(fresh_db, resolver, allow_private=True)
        (request,) = receiver.wait_for(1)
    assert resolver.asked == [(REBIND, receiver.port)]
    assert (outcome.status_code, outcome.status, outcome.error) == (200, "delivered", None)
    assert request.path == "/hooks"
    assert request.headers["host"] == f"{REBIND}:{receiver.port}"  # the name, not the address
    assert last_error(shelter, endpoint) is None


@pytest.mark.parametrize("address", ["169.254.169.254", "fd00:ec2::254", "224.0.0.1", "0.0.0.0"])
def test_metadata_multicast_and_unspecified_stay_refused_when_private_targets_are_allowed(
    fresh_db: Database, shelter: ContractClient, address: str
) -> None:
    with receiving() as receiver:
        queue_test_event(shelter, f"http://{REBIND}:{receiver.port}/hooks")
        outcomes = deliver_once(fresh_db, Resolver({REBIND: [address]}), allow_private=True)
    assert_refused(outcomes, receiver, mentions=address)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"])
def test_a_loopback_endpoint_registered_while_allowed_is_refused_once_it_no_longer_is(
    fresh_db: Database, contract: Contract, host: str
) -> None:
    """An operator who stops allowing private targets: endpoints registered meanwhile reach
    nothing, and a literal address is never handed to the resolver."""
    org = _populated(fresh_db)
    allowed = hook_client(fresh_db, contract, org=org)
    try:
        with receiving() as receiver:
            queue_test_event(allowed, f"http://{host}:{receiver.port}/hooks")
            resolver = Resolver({})
            outcomes = deliver_once(fresh_db, resolver, allow_private=False)
    finally:
        allowed.client.__exit__(None, None, None)
    assert_refused(outcomes, receiver)
    assert resolver.asked == []


def test_a_name_that_does_not_resolve_fails_without_being_called_refused(
    fresh_db: Database, shelter: ContractClient
) -> None:
    with receiving() as receiver:
        queue_test_event(shelter, f"http://{REBIND}:{receiver.port}/hooks")
        (outcome,) = deliver_once(fresh_db, Resolver({}), allow_private=False)
    assert receiver.received == []
    assert outcome.status_code is None and outcome.status == "pending"
    assert outcome.error is not None and "does not resolve" in outcome.error
    assert not outcome.error.startswith("refused:")
