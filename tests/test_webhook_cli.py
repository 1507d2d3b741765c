"""The operator's webhook commands (`openpaws webhooks add|list|test|deliveries|redeliver|
rotate-secret|enable|remove`, `openpaws secret-key`) over a SQLite file, delivering to a real
receiver; the key that seals signing secrets, kept beside the SQLite file (made on first use,
owner-only, then reused); and `openpaws worker` and `openpaws serve` refusing to start on
PostgreSQL without a good OPENPAWS_SECRET_KEY."""

from __future__ import annotations

import asyncio
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from rich.console import Console
from typer.testing import CliRunner, Result

from openpaws import cli_support, cli_webhooks, schema
from openpaws.cli import app
from openpaws.config import Settings
from openpaws.platform.secret_keys import KEY_FILE_SUFFIX
from openpaws.server import webhook_worker
from openpaws.storage.database import Database
from openpaws.storage.webhooks import Outcome
from tests.pawssource.webhook_support import signed_by, verify
from tests.support import setup
from tests.support.databases import POSTGRES_URL, postgres_unavailable_reason
from tests.support.receiver import Answer, receiving
from tests.support.server import free_port

runner = CliRunner()
PRIVATE = {"OPENPAWS_WEBHOOKS_ALLOW_PRIVATE": "1"}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


# -- fixtures and helpers -------------------------------------------------------------------


class Operator:
    """A SQLite file with demo data, and the commands run against it."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.org = setup.first_listing_organization(db)
        self.key_file = Path(f"{path}{KEY_FILE_SUFFIX}")

    def run(self, *args: str, env: Mapping[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=dict(env or {}))

    def ok(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        result = self.run(*args, env=env)
        assert result.exit_code == 0, result.output
        return result.output

    def add(self, url: str, events: str = "pet.created") -> tuple[str, str]:
        """A new endpoint of the shelter: (its id, its secret)."""
        output = self.ok("webhooks", "add", url, "--events", events, "--org", self.org, env=PRIVATE)
        found = re.search(rf"id:\s+({UUID})", output)
        secret = re.search(r"secret:\s+(whsec_\S+)", output)
        assert found and secret, output
        return found.group(1), secret.group(1)

    def deliver(self) -> list[Outcome]:
        """One step of the worker `openpaws worker` runs (its key: the file's)."""
        settings = Settings(
            database_url=self.db.url,
            secret_key="",
            webhooks_allow_private=True,
            webhooks_timeout_seconds=2.0,
        )
        worker = webhook_worker(settings, self.db)

        async def run() -> list[Outcome]:
            try:
                return await worker.step()
            finally:
                await worker.close()

        return asyncio.run(run())


@pytest.fixture
def operator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Operator]:
    path = tmp_path / "hooks.db"
    url = f"sqlite:///{path}"
    db = Database(url)
    schema.upgrade(db)
    setup.load_demo(db, 30, organizations=3)
    monkeypatch.setenv("OPENPAWS_DATABASE_URL", url)
    for name in ("OPENPAWS_SECRET_KEY", "OPENPAWS_WEBHOOKS_ALLOW_PRIVATE"):
        monkeypatch.delenv(name, raising=False)
    yield Operator(db, path)
    db.dispose()


def words(text: str) -> str:
    """The text with every run of white space one space (the console wraps long lines)."""
    return " ".join(text.split())


def delivery_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line and not line.startswith(" ")]


def attempt_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.startswith("    #")]


# -- the commands -----------------------------------------------------------------------------


def test_add_prints_the_id_and_a_secret_and_list_shows_the_endpoint(operator: Operator) -> None:
    with receiving() as receiver:
        endpoint, secret = operator.add(receiver.url, "pet.created,order.shipped")
    assert secret.startswith("whsec_") and len(secret) > 40
    listed = operator.ok("webhooks", "list")
    (line,) = [line for line in listed.splitlines() if endpoint in line]
    assert receiver.url in line and "pawssource" in line
    assert "pet.created,order.shipped" in line and line.endswith("enabled")
    assert secret not in listed
    mine = operator.ok("webhooks", "list", "--org", operator.org)
    assert endpoint in mine
    other = operator.ok("webhooks", "list", "--person", "petowner1")
    assert endpoint not in other


def test_a_test_event_is_delivered_logged_and_sent_again_with_the_same_webhook_id(
    operator: Operator,
) -> None:
    with receiving() as receiver:
        endpoint, secret = operator.add(receiver.url)
        queued = operator.ok("webhooks", "test", endpoint)
        found = re.search(r"Queued delivery (\d+)", queued)
        assert found, queued
        delivery = found.group(1)
        assert receiver.received == []  # queued, not sent: the worker sends it
        outcomes = operator.deliver()
        assert [(o.status_code, o.status) for o in outcomes] == [(200, "delivered")]
        (first,) = receiver.received
        payload = verify(secret, first)
        assert payload["type"] == "webhook.test"

        log = operator.ok("webhooks", "deliveries", endpoint)
        assert delivery_lines(log) == [f"{delivery}  webhook.test  delivered  attempts 1"]
        (attempt,) = attempt_lines(log)
        assert attempt.startswith("#1 ") and "  200  " in attempt and attempt.endswith(" ms")

        again = operator.ok("webhooks", "redeliver", endpoint, delivery)
        assert f"Queued delivery {delivery} again" in again
        operator.deliver()
        first, second = receiver.received
    assert second.headers["webhook-id"] == first.headers["webhook-id"]
    assert second.body == first.body
    verify(secret, second)
    log = operator.ok("webhooks", "deliveries", endpoint)
    assert delivery_lines(log) == [f"{delivery}  webhook.test  delivered  attempts 2"]
    assert [a.split()[0] for a in attempt_lines(log)] == ["#1", "#2"]


def test_rotate_secret_prints_a_new_one_and_both_sign_meanwhile(operator: Operator) -> None:
    with receiving() as receiver:
        endpoint, old = operator.add(receiver.url)
        rotated = operator.ok("webhooks", "rotate-secret", endpoint)
        found = re.search(r"secret:\s+(whsec_\S+)", rotated)
        assert found, rotated
        new = found.group(1)
        assert new != old
        assert "previous secret also signs until" in words(rotated)
        operator.ok("webhooks", "test", endpoint)
        operator.deliver()
        (request,) = receiver.received
    verify(new, request)  # X-Paws-Signature is the current secret's
    assert signed_by(new, request) and signed_by(old, request)


def test_an_endpoint_disabled_by_410_is_enabled_again_by_the_operator(
    operator: Operator,
) -> None:
    with receiving(Answer(410), Answer(200)) as receiver:
        endpoint, _ = operator.add(receiver.url)
        operator.ok("webhooks", "test", endpoint)
        operator.deliver()
        listed = operator.ok("webhooks", "list")
        assert "disabled (the endpoint answered 410 Gone)" in words(listed)
        enabled = operator.ok("webhooks", "enable", endpoint)
        assert endpoint in enabled and words(enabled).endswith("enabled")
        assert "disabled" not in enabled
        operator.ok("webhooks", "test", endpoint)
        outcomes = operator.deliver()
    assert [o.status_code for o in outcomes] == [200]
    assert len(receiver.received) == 2
    assert words(operator.ok("webhooks", "list")).endswith("enabled")


def test_remove_deletes_the_endpoint_and_its_log(operator: Operator) -> None:
    with receiving() as receiver:
        endpoint, _ = operator.add(receiver.url)
        kept, _ = operator.add(receiver.url, "order.shipped")
        operator.ok("webhooks", "test", endpoint)
        operator.deliver()
    removed = operator.ok("webhooks", "remove", endpoint)
    assert f"Removed {endpoint}" in removed
    listed = operator.ok("webhooks", "list")
    assert endpoint not in listed and kept in listed
    gone = operator.run("webhooks", "deliveries", endpoint)
    assert gone.exit_code == 1 and "not found" in gone.output.lower()
    assert operator.run("webhooks", "remove", endpoint).exit_code == 1


def test_a_url_the_server_may_not_post_to_is_refused_in_red_naming_url(
    operator: Operator, monkeypatch: pytest.MonkeyPatch
) -> None:
    colour = Console(force_terminal=True, color_system="standard", width=300)
    monkeypatch.setattr(cli_support, "console", colour)
    monkeypatch.setattr(cli_webhooks, "console", colour)
    refused = operator.run(
        "webhooks", "add", "http://10.0.0.1/", "--events", "pet.created", "--org", operator.org
    )
    assert refused.exit_code == 1
    assert "\x1b[31m" in refused.output  # red
    plain = re.sub(r"\x1b\[[0-9;]*m", "", refused.output)
    assert plain.startswith("url: ") and "10.0.0.1 is a private address" in plain
    assert operator.ok("webhooks", "list") == ""


@pytest.mark.parametrize(
    ("url", "env", "says"),
    [
        ("http://10.0.0.1/", {}, "10.0.0.1 is a private address"),
        ("http://127.0.0.1:9/", {}, "127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/", PRIVATE, "a cloud metadata address"),
        ("ftp://example.com/", PRIVATE, "Must be an http or https URL"),
    ],
)
def test_refused_urls_exit_1_and_make_no_endpoint(
    operator: Operator, url: str, env: dict[str, str], says: str
) -> None:
    refused = operator.run(
        "webhooks", "add", url, "--events", "pet.created", "--org", operator.org, env=env
    )
    assert refused.exit_code == 1
    assert words(refused.output).startswith("url: ") and says in words(refused.output)
    assert operator.ok("webhooks", "list") == ""


def test_an_unknown_event_or_no_account_is_refused(operator: Operator) -> None:
    unknown = operator.run(
        "webhooks",
        "add",
        "https://example.com/h",
        "--events",
        "pet.exploded",
        "--org",
        operator.org,
    )
    assert unknown.exit_code == 1 and "pet.exploded" in unknown.output
    assert "enabled_events" in unknown.output
    nobody = operator.run("webhooks", "add", "https://example.com/h", "--events", "pet.created")
    assert nobody.exit_code == 1 and "--org or --person" in nobody.output
    assert operator.ok("webhooks", "list") == ""


# -- the key that seals signing secrets ---------------------------------------------------------


def test_the_key_file_is_made_on_first_use_owner_only_and_reused(operator: Operator) -> None:
    assert not operator.key_file.exists()
    operator.ok("webhooks", "list")  # no secret sealed: no key needed yet
    assert not operator.key_file.exists()
    with receiving() as first, receiving() as second:
        one, first_secret = operator.add(first.url)
        key = operator.key_file.read_text()
        assert stat.S_IMODE(operator.key_file.stat().st_mode) == 0o600
        Fernet(key.strip().encode())  # a Fernet key
        two, second_secret = operator.add(second.url)
        operator.ok("webhooks", "rotate-secret", two)
        assert operator.key_file.read_text() == key
        assert [p.name for p in operator.path.parent.iterdir() if ".draft" in p.name] == []
        assert set(re.findall(UUID, operator.ok("webhooks", "list"))) == {one, two}
        operator.ok("webhooks", "test", one)
        operator.deliver()  # the worker opens what the commands sealed, with the same key
        (request,) = first.received
    verify(first_secret, request)
    assert second.received == []
    assert first_secret != second_secret


def test_a_configured_key_that_is_not_fernet_is_refused_and_no_file_is_made(
    operator: Operator,
) -> None:
    refused = operator.run(
        "webhooks",
        "add",
        "https://example.com/h",
        "--events",
        "pet.created",
        "--org",
        operator.org,
        env={"OPENPAWS_SECRET_KEY": "not-a-key"},
    )
    assert refused.exit_code == 1
    assert "OPENPAWS_SECRET_KEY is not a Fernet key" in words(refused.output)
    assert not operator.key_file.exists()
    assert operator.ok("webhooks", "list") == ""


def test_secret_key_prints_a_new_fernet_key_each_time(operator: Operator) -> None:
    first = operator.ok("secret-key").strip()
    second = operator.ok("secret-key").strip()
    token = Fernet(first.encode()).encrypt(b"sealed")
    assert Fernet(first.encode()).decrypt(token) == b"sealed"
    assert first != second
    Fernet(second.encode())
    assert not operator.key_file.exists()  # printing a key keeps none


# -- PostgreSQL needs OPENPAWS_SECRET_KEY -------------------------------------------------------


def _postgres() -> None:
    reason = postgres_unavailable_reason()
    if reason:
        pytest.skip(reason)


def _process_env(**chosen: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENPAWS_")}
    return {**env, "OPENPAWS_DATABASE_URL": POSTGRES_URL, "COLUMNS": "300", **chosen}


COMMANDS = [
    pytest.param(["worker"], id="worker"),
    pytest.param(["serve"], id="serve"),
    pytest.param(["serve", "--no-worker"], id="serve-no-worker"),
]


def _start(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    if command[0] == "serve":
        command = [*command, "--port", str(free_port())]
    return subprocess.run(
        [sys.executable, "-m", "openpaws", *command],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,  # a process that started instead of refusing fails the test here
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_on_postgresql_a_process_without_a_secret_key_refuses_to_start(
    command: list[str], tmp_path: Path
) -> None:
    _postgres()
    done = _start(command, _process_env(), tmp_path)
    said = words(done.stdout + done.stderr)
    assert done.returncode == 1, said
    assert "OPENPAWS_SECRET_KEY is required with this database" in said
    assert "openpaws secret-key" in said
    assert "Traceback" not in said


@pytest.mark.parametrize("command", COMMANDS)
def test_on_postgresql_a_process_with_a_key_that_is_not_fernet_refuses_to_start(
    command: list[str], tmp_path: Path
) -> None:
    _postgres()
    done = _start(command, _process_env(OPENPAWS_SECRET_KEY="not-a-fernet-key"), tmp_path)
    said = words(done.stdout + done.stderr)
    assert done.returncode == 1, said
    assert "OPENPAWS_SECRET_KEY is not a Fernet key" in said
    assert "Traceback" not in said


def test_on_postgresql_webhooks_add_without_a_secret_key_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _postgres()
    monkeypatch.setenv("OPENPAWS_DATABASE_URL", POSTGRES_URL)
    monkeypatch.delenv("OPENPAWS_SECRET_KEY", raising=False)
    refused = runner.invoke(
        app, ["webhooks", "add", "https://example.com/h", "--events", "pet.created", "--org", "X"]
    )
    assert refused.exit_code == 1
    assert "OPENPAWS_SECRET_KEY is required" in words(refused.output)
