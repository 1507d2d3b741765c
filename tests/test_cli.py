"""The openpaws command, against the test databases."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from openpaws import schema
from openpaws.cli import app
from openpaws.storage.database import Database
from tests.petfinder.helpers import PREFIX
from tests.support import reference, setup

runner = CliRunner()


@pytest.fixture
def env(fresh_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("OPENPAWS_DATABASE_URL", fresh_db.url)
    return fresh_db


def test_migrate_is_idempotent(env: Database) -> None:
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert schema.is_current(env)


def test_demo_loads_deterministic_data_once(env: Database) -> None:
    result = runner.invoke(app, ["demo", "--animals", "300"])
    assert result.exit_code == 0, result.output
    animals = reference.organization_animals(env)
    orgs = reference.all_organizations(env)
    assert len(animals) == 300
    owned = [a for a in reference.all_animals(env) if a["organization_id"] is None]
    assert owned and all(a["owner_person_id"] and a["status"] == "owned" for a in owned)
    assert {"clinic", "groomer", "shop"} <= {o["kind"] for o in orgs.values()}
    assert len({a["type"] for a in animals}) >= 6
    assert all(o["latitude"] and o["postcode"] and o["hours"] and o["phone"] for o in orgs.values())
    assert any(a["photos"] for a in animals) and any(a["tags"] for a in animals)
    again = runner.invoke(app, ["demo", "--animals", "10"])
    assert again.exit_code == 1
    assert len(reference.organization_animals(env)) == 300


def test_demo_on_data_says_how_to_start_afresh_and_fresh_replaces_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    monkeypatch.setenv("OPENPAWS_DATABASE_URL", f"sqlite:///{path}")
    assert runner.invoke(app, ["demo", "--animals", "40"]).exit_code == 0
    again = runner.invoke(app, ["demo", "--animals", "40"])
    assert again.exit_code == 1
    assert "openpaws demo --fresh" in again.output
    declined = runner.invoke(app, ["demo", "--fresh", "--animals", "30"], input="n\n")
    assert declined.exit_code == 1
    db = Database(f"sqlite:///{path}")
    try:
        assert len(reference.organization_animals(db)) == 40
    finally:
        db.dispose()
    fresh = runner.invoke(app, ["demo", "--fresh", "--animals", "30"], input="y\n")
    assert fresh.exit_code == 0, fresh.output
    db = Database(f"sqlite:///{path}")
    try:
        assert len(reference.organization_animals(db)) == 30
    finally:
        db.dispose()


def test_demo_fresh_refuses_a_database_that_is_not_a_sqlite_file(env: Database) -> None:
    if env.is_sqlite:
        pytest.skip("needs a database other than a SQLite file")
    result = runner.invoke(app, ["demo", "--fresh", "--yes"])
    assert result.exit_code == 1
    assert "not one" in result.output


def test_demo_is_deterministic(databases: object, env: Database) -> None:
    other = databases.fresh()  # type: ignore[attr-defined]
    try:
        setup.load_demo(env, 120)
        setup.load_demo(other, 120)
        names = lambda db: [(a["name"], a["breed_primary"]) for a in reference.all_animals(db)]  # noqa: E731
        assert names(env) == names(other)
    finally:
        databases.drop(other)  # type: ignore[attr-defined]


def test_clients_create_prints_a_secret_stored_only_as_hash(env: Database) -> None:
    result = runner.invoke(app, ["clients", "create", "--name", "shelter site"])
    assert result.exit_code == 0, result.output
    client_id = re.search(r"client_id:\s+(\S+)", result.output).group(1)  # type: ignore[union-attr]
    secret = re.search(r"client_secret:\s+(\S+)", result.output).group(1)  # type: ignore[union-attr]
    with env.engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT secret_hash FROM oauth_clients WHERE client_id = ?"
            if env.is_sqlite
            else "SELECT secret_hash FROM oauth_clients WHERE client_id = %s",
            (client_id,),
        ).scalar_one()
    assert stored == setup.hash_secret(secret) and secret not in stored
    token = setup.issue_token(env, client_id, secret, 60)
    assert setup.token_seconds_left(env, token) > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_demo_end_to_end(tmp_path: Path) -> None:
    """What `make run` does: migrate, load demo data, print a demo client, serve over HTTP."""
    port = _free_port()
    env = {**os.environ, "OPENPAWS_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    command = [sys.executable, "-m", "openpaws", "serve", "--demo", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path
    )
    try:
        lines: list[str] = []
        assert server.stdout is not None
        banners = (
            "x-api-key",
            "client_secret",
            "Paws Source key (pet owner",
            "Paws Source key (shop",
        )
        while not all(any(w in line for line in lines) for w in banners):
            line = server.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        output = "".join(lines)
        assert f"http://127.0.0.1:{port}{PREFIX}" in output
        client_id = re.search(r"client_id:\s+(\S+)", output).group(1)  # type: ignore[union-attr]
        secret = re.search(r"client_secret:\s+(\S+)", output).group(1)  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}{PREFIX}"
        deadline = time.monotonic() + 30
        while True:
            try:
                token = httpx.post(
                    f"{base}/oauth2/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": client_id,
                        "client_secret": secret,
                    },
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert token.status_code == 200
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        page = httpx.get(f"{base}/animals?type=dog", headers=headers)
        assert page.status_code == 200
        assert page.json()["pagination"]["total_count"] > 100
        key = re.search(r"x-api-key \(\w+, write\): (\S+)", output).group(1)  # type: ignore[union-attr]
        pets = httpx.get(f"http://127.0.0.1:{port}/pawplacer/api/pets", headers={"x-api-key": key})
        assert pets.status_code == 200 and pets.json()["total"] > 0
        owner = re.search(r"Paws Source key \(pet owner petowner1\): (pk_live_\S+)", output)
        shop = re.search(r"Paws Source key \(shop \w+\): (pk_live_\S+)", output)
        assert owner and shop, output
        mine = httpx.get(
            f"http://127.0.0.1:{port}/pawssource/v2/pets",
            headers={"Authorization": f"Bearer {owner.group(1)}"},
        )
        assert mine.status_code == 200 and mine.json()["data"], mine.text
        shop_pets = httpx.get(
            f"http://127.0.0.1:{port}/pawssource/v2/pets",
            headers={"Authorization": f"Bearer {shop.group(1)}"},
        )
        assert shop_pets.status_code == 200 and shop_pets.json()["data"] == []
    finally:
        server.terminate()
        server.wait(timeout=15)
        if server.stdout:
            server.stdout.close()


def _seeded_code(db: Database) -> str:
    setup.load_demo(db, 60, organizations=3)
    return setup.first_listing_organization(db)


def test_keys_create_list_revoke(env: Database) -> None:
    code = _seeded_code(env)
    created = runner.invoke(app, ["keys", "create", "--org", code.lower(), "--scope", "read"])
    assert created.exit_code == 0, created.output
    key = re.search(r"key:\s+(\S+)", created.output).group(1)  # type: ignore[union-attr]
    key_id = re.search(r"id:\s+(\S+)", created.output).group(1)  # type: ignore[union-attr]
    listed = runner.invoke(app, ["keys", "list", "--org", code])
    assert key_id in listed.output and key[:8] in listed.output and key[-4:] in listed.output
    assert key not in listed.output
    with env.engine.connect() as conn:
        stored = " ".join(
            str(v) for row in conn.exec_driver_sql("SELECT * FROM api_keys") for v in row
        )
    assert key not in stored
    assert setup.key_organization_id(env, key) > 0
    assert runner.invoke(app, ["keys", "revoke", key_id]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["keys", "list"]).output
    with pytest.raises(Exception, match="revoked"):
        setup.key_organization_id(env, key)
    assert (
        runner.invoke(app, ["keys", "create", "--org", "ZZ999", "--scope", "read"]).exit_code == 1
    )
    assert runner.invoke(app, ["keys", "create", "--org", code, "--scope", "admin"]).exit_code == 1


def test_organization_settings_commands(env: Database) -> None:
    code = _seeded_code(env)
    added = runner.invoke(
        app,
        [
            "statuses",
            "add",
            "--org",
            code,
            "--label",
            "Medical Hold",
            "--class",
            "hold",
            "--private",
        ],
    )
    assert added.exit_code == 0, added.output
    assert "Medical Hold" in runner.invoke(app, ["statuses", "list", "--org", code]).output
    field = runner.invoke(
        app,
        [
            "fields",
            "add",
            "--org",
            code,
            "--key",
            "coat_care",
            "--label",
            "Coat care",
            "--type",
            "select",
            "--option",
            "daily",
            "--option",
            "weekly",
        ],
    )
    assert field.exit_code == 0, field.output
    found = {f.field_key: f for f in setup.fields(env, code, "pet")}
    assert found["coat_care"].options == ["daily", "weekly"]
    bad = runner.invoke(app, ["fields", "add", "--org", code, "--key", "Bad Key", "--label", "x"])
    assert bad.exit_code == 1
    limit = runner.invoke(
        app, ["limits", "set", "--org", code, "--endpoint", "list", "--per-hour", "7"]
    )
    assert limit.exit_code == 0
    assert setup.rate_limit(env, code, "list") == 7


def test_texts_the_columns_cannot_hold_are_refused_alike_on_both_databases(env: Database) -> None:
    """SQLite would store these and PostgreSQL fail on them: both refuse them before storage,
    naming the field, and store nothing."""
    code = _seeded_code(env)
    before = setup.statuses(env, code)
    for label in ("x" * 101, "Medical\x00Hold"):
        refused = runner.invoke(
            app, ["statuses", "add", "--org", code, "--label", label, "--class", "hold"]
        )
        assert refused.exit_code == 1, refused.output
        assert "label" in refused.output
    assert setup.statuses(env, code) == before
    named = runner.invoke(app, ["clients", "create", "--name", "n" * 201])
    assert named.exit_code == 1, named.output
    assert "name" in named.output


def test_pets_delete(env: Database) -> None:
    code = _seeded_code(env)
    org_id = reference.all_organizations(env)
    target = next(
        a
        for a in reference.all_animals(env)
        if org_id[a["organization_id"]]["code"] == code and a["public_status"]
    )
    result = runner.invoke(app, ["pets", "delete", "--org", code, target["uuid"]])
    assert result.exit_code == 0, result.output
    after = next(a for a in reference.all_animals(env) if a["id"] == target["id"])
    assert after["deleted_at"] is not None and after["public_status"] is None
    assert runner.invoke(app, ["pets", "delete", "--org", code, target["uuid"]]).exit_code == 1
