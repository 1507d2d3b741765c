"""The ``openpaws`` command: serve, migrate, demo data, credentials and settings.

Credentials and quotas are the platform's and serve every dialect: ``--dialect`` picks one
(by default the first registered dialect, by name, that has such credentials or quotas).
Each dialect may add commands of its own.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import typer
import yaml
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from sqlalchemy.engine import make_url

from openpaws import cli_webhooks, demo, schema
from openpaws.cli_support import (
    account as _account,
)
from openpaws.cli_support import (
    console,
)
from openpaws.cli_support import (
    database as _database,
)
from openpaws.cli_support import (
    errors_shown as _errors_shown,
)
from openpaws.cli_support import (
    in_transaction as _in_transaction,
)
from openpaws.config import Settings
from openpaws.dialects import registry
from openpaws.domain.custom_fields import FieldSpec
from openpaws.domain.errors import InvalidInput
from openpaws.domain.statuses import StatusSpec
from openpaws.domain.vocab import StatusClass
from openpaws.platform import api_keys, oauth, quotas
from openpaws.postman import collection
from openpaws.services import animal_changes, org_settings, organizations
from openpaws.storage.database import Database, Transaction

app = typer.Typer(help="OpenPaws: one pet-data store, four public APIs.", no_args_is_help=True)
clients = typer.Typer(help="OAuth clients (Petfinder).", no_args_is_help=True)
app.add_typer(clients, name="clients")
keys = typer.Typer(help="API keys of organizations and persons (PawPlacer).", no_args_is_help=True)
app.add_typer(keys, name="keys")
statuses = typer.Typer(help="An organization's status labels.", no_args_is_help=True)
app.add_typer(statuses, name="statuses")
fields = typer.Typer(help="An organization's custom fields.", no_args_is_help=True)
app.add_typer(fields, name="fields")
limits = typer.Typer(help="Other request limits for one organization or key.", no_args_is_help=True)
app.add_typer(limits, name="limits")
pets = typer.Typer(help="An organization's animals.", no_args_is_help=True)
orgs = typer.Typer(help="Organizations.", no_args_is_help=True)
app.add_typer(orgs, name="orgs")
app.add_typer(pets, name="pets")

DEFAULT_DEMO_ANIMALS = 1_000
T = TypeVar("T")


def _first(found: list[registry.Dialect], what: str) -> str:
    if not found:
        raise typer.BadParameter(f"no dialect has {what}")
    return found[0].name


@orgs.command("time-zone")
def orgs_time_zone(
    org: str = typer.Argument(..., help="Organization code (e.g. NY11) or UUID."),
    zone: str = typer.Argument(..., help="An IANA time zone, e.g. America/Chicago."),
) -> None:
    """Set the time zone an organization's bookings are in (else its state's)."""
    _in_transaction(lambda db, tx: organizations.set_time_zone(tx, org, zone))
    console.print(f"{org}: {zone}")


@app.command()
def postman(
    dialect: str = typer.Argument(..., help="The API, e.g. pawssource."),
    base_url: str = typer.Option("http://127.0.0.1:8000", help="Where the server answers."),
) -> None:
    """Print a Postman v2.1 collection of every route of the API's contract."""
    with _errors_shown():
        chosen = registry.dialect(dialect)
    document = yaml.safe_load(chosen.contract.read_text())
    key = f"{chosen.keys.prefix}..." if chosen.keys else "..."
    found = collection(document, base_url.rstrip("/") + chosen.prefix, key)
    typer.echo(json.dumps(found, indent=2, ensure_ascii=False))


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    with _database() as db:
        schema.upgrade(db)
    console.print(f"Database at the newest schema: {db.engine.url.render_as_string()}")


def _load_demo(
    db: Database,
    animals: int,
    organizations: int | None = None,
    anchor_animals: int = 0,
    products: int | None = None,
) -> None:
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("Loading demo animals", total=animals)
        orgs, count = demo.load(
            db,
            animals,
            organizations=organizations,
            anchor_animals=anchor_animals,
            products=products,
            progress=lambda n: progress.advance(task, n),
        )
    console.print(f"Loaded {orgs} organizations and {count} animals.")


@app.command("demo")
def demo_command(
    animals: int = typer.Option(DEFAULT_DEMO_ANIMALS, help="How many animals to create."),
    organizations: int = typer.Option(
        None, help="How many organizations (default: one per 200 animals, at least 8)."
    ),
    anchor_animals: int = typer.Option(
        0, help="The first organization (a shelter) holds this many of the animals."
    ),
    products: int = typer.Option(None, help="How many products the shops sell (default 60 each)."),
    fresh: bool = typer.Option(
        False, "--fresh", help="Replace the SQLite file with new demo data (asks first)."
    ),
    yes: bool = typer.Option(False, "--yes", help="With --fresh: do not ask."),
) -> None:
    """Load deterministic demo data into an empty database (migrating it first)."""
    if fresh:
        _start_afresh(yes)
    try:
        with _database() as db:
            schema.upgrade(db)
            _load_demo(db, animals, organizations, anchor_animals, products)
    except demo.DatabaseNotEmpty:
        console.print("[red]The database already holds data; demo data goes into an empty one.")
        if _sqlite_file() is not None:
            console.print(f"To replace {_sqlite_file()} with new demo data: openpaws demo --fresh")
        else:
            console.print("Point OPENPAWS_DATABASE_URL at an empty database to load it there.")
        raise typer.Exit(1) from None


def _sqlite_file() -> Path | None:
    """The SQLite file of the configured database, or None for another database."""
    url = make_url(Settings().resolved_database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _start_afresh(yes: bool) -> None:
    """Delete the SQLite file (with its journal files), after asking."""
    path = _sqlite_file()
    if path is None:
        console.print("[red]--fresh replaces a SQLite file; this database is not one.")
        raise typer.Exit(1)
    if path.exists() and not yes:
        typer.confirm(f"Delete {path} and everything in it?", abort=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _client_dialect(dialect: str | None) -> str:
    found = registry.dialect(dialect or _first(registry.with_clients(), "OAuth clients"))
    if found.clients is None:
        raise InvalidInput.field("body", "dialect", f"{found.name} has no OAuth clients")
    return found.name


@clients.command("create")
def clients_create(
    name: str = typer.Option(..., help="A name to recognise the client by."),
    dialect: str = typer.Option(None, help="The API the client is for (default: petfinder)."),
) -> None:
    """Create a client; its secret is shown once here and stored only as a hash."""
    with _errors_shown():
        chosen = _client_dialect(dialect)
    creds = _in_transaction(lambda db, tx: oauth.create_client(tx, chosen, name))
    console.print(f"client_id:     {creds.client_id}")
    console.print(f"client_secret: {creds.client_secret}")


ORG = typer.Option(..., "--org", help="Organization code (e.g. NJ333) or UUID.")


def _key_dialect(dialect: str | None) -> registry.Dialect:
    found = registry.dialect(dialect or _first(registry.with_keys(), "API keys"))
    if found.keys is None:
        raise InvalidInput.field("body", "dialect", f"{found.name} has no API keys")
    return found


@keys.command("create")
def keys_create(
    org: str = typer.Option(None, "--org", help="Organization code (e.g. NJ333) or UUID."),
    person: str = typer.Option(None, "--person", help="A person's username or UUID."),
    scope: str = typer.Option(None, help="PawPlacer: read, or write (write + read)."),
    permissions: str = typer.Option(
        None, help="Comma-separated permissions, where a dialect has them."
    ),
    plan: str = typer.Option(None, help="The key's plan, where a dialect has plans."),
    per_minute: int = typer.Option(None, help="The key's own requests a minute."),
    burst: int = typer.Option(None, help="The key's own requests in any one second."),
    expires_in_days: int = typer.Option(None, help="The key stops working after this many days."),
    name: str = typer.Option(None, help="A name to recognise the key by."),
    dialect: str = typer.Option(None, help="The API the key is for (default: pawplacer)."),
) -> None:
    """Create a key; it is shown once here and stored only as a hash."""
    words = [p.strip() for p in (permissions or "").split(",") if p.strip()]

    def create(db: Database, tx: Transaction) -> tuple[api_keys.store.KeyRecord, str, str]:
        chosen = _key_dialect(dialect)
        policy = chosen.keys
        assert policy is not None
        account = _account(tx, org, person)
        if plan is not None and plan not in policy.plans:
            raise InvalidInput.field("body", "plan", f"{chosen.name} keys have no plan {plan}")
        expires = None
        if expires_in_days is not None:
            if expires_in_days < 1:
                raise InvalidInput.field("body", "expires_in_days", "At least one day")
            expires = datetime.now(UTC) + timedelta(days=expires_in_days)
        record, plain = api_keys.create_key(
            tx,
            dialect=chosen.name,
            prefix=policy.prefix,
            account=account,
            scopes=policy.scopes(tx.reader, account, scope, words),
            plan=plan or (policy.plans[0] if policy.plans else None),
            expires_at=expires,
            name=name,
        )
        if per_minute is not None or burst is not None:
            _key_limits(tx, chosen, record.id, per_minute, burst)
        return record, plain, policy.describe(frozenset(api_keys.scopes_of(record)))

    record, plain, described = _in_transaction(create)
    console.print(f"id:    {record.uuid}")
    console.print(f"scope: {described}")
    console.print(f"key:   {plain}")


def _key_limits(
    tx: Transaction,
    chosen: registry.Dialect,
    key_id: int,
    per_minute: int | None,
    burst: int | None,
) -> None:
    """The key's own numbers for every quota of the dialect that counts keys."""
    if per_minute is None:
        raise InvalidInput.field("body", "per_minute", "--burst needs --per-minute")
    limit = quotas.Limit(per_minute, quotas.Window.MINUTE, burst)
    for quota in chosen.quotas:
        if quota.counts is quotas.Counted.KEY:
            quotas.set_override(
                tx, dialect=chosen.name, quota=quota, limit=limit, api_key_id=key_id
            )


@keys.command("list")
def keys_list(
    org: str = typer.Option(None, "--org", help="Only this organization's keys."),
    dialect: str = typer.Option(None, help="Only this API's keys."),
) -> None:
    """Keys with their prefix and last characters only."""
    with _database() as db, _errors_shown():
        reader = db.reader()
        org_id = None if org is None else organizations.organization_id(reader, org)
        found = api_keys.list_keys(reader, dialect=dialect, organization_id=org_id)
    for k in found:
        served = registry.find(k.dialect)
        policy = served.keys if served else None
        kind = policy.describe(frozenset(api_keys.scopes_of(k))) if policy else ",".join(k.scopes)
        expired = k.expires_at is not None and k.expires_at <= datetime.now(UTC)
        state = "revoked" if k.revoked_at else "expired" if expired else "active"
        owner = k.organization_code or k.person_username or ""
        console.print(
            f"{k.uuid}  {owner:<8} {kind:<5} {k.prefix}...{k.last_four}  {state}  {k.name or ''}"
        )


@keys.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="The key's id from `keys list`.")) -> None:
    _in_transaction(lambda db, tx: api_keys.revoke_key(tx, key_id))
    console.print(f"Revoked {key_id}")


def _organization(tx: Transaction, org: str) -> int:
    return organizations.organization_id(tx.reader, org)


@statuses.command("add")
def statuses_add(
    org: str = ORG,
    label: str = typer.Option(..., help="The label the organization uses."),
    status_class: StatusClass = typer.Option(..., "--class", help="What the label means."),
    public: bool = typer.Option(True, "--public/--private", help="Listed publicly or not."),
    default: bool = typer.Option(False, help="The default available status."),
) -> None:
    spec = StatusSpec(label, status_class, public, default)
    _in_transaction(lambda db, tx: org_settings.add_status(tx, _organization(tx, org), spec))
    console.print(f"Added status {label}")


@statuses.command("list")
def statuses_list(org: str = ORG) -> None:
    with _database() as db, _errors_shown():
        reader = db.reader()
        found = org_settings.status_list(reader, organizations.organization_id(reader, org))
    for s in found:
        flags = ("public" if s.is_public else "private") + (", default" if s.is_default else "")
        console.print(f"{s.uuid}  {s.label:<20} {s.status_class:<10} {flags}")


@fields.command("add")
def fields_add(
    org: str = ORG,
    entity: str = typer.Option("pet", help="pet, adopter, foster, surrender or volunteer."),
    key: str = typer.Option(..., help="The field_key clients send."),
    label: str = typer.Option(..., help="The human-readable label."),
    field_type: str = typer.Option(
        "text", "--type", help="text, textarea, number, select, multiselect, boolean or date."
    ),
    required: bool = typer.Option(False, help="Must every record hold a value."),
    option: list[str] = typer.Option(None, help="An allowed value (select fields); repeat."),
    section: str = typer.Option(None, help="Form section."),
    help_text: str = typer.Option(None, help="Guidance shown with the field."),
) -> None:
    options = tuple(option) if option else None
    spec = FieldSpec(entity, key, label, field_type, required, help_text, options, section)
    _in_transaction(lambda db, tx: org_settings.add_field(tx, _organization(tx, org), spec))
    console.print(f"Added field {key}")


@fields.command("list")
def fields_list(org: str = ORG, entity: str = typer.Option("pet", help="Whose fields.")) -> None:
    with _database() as db, _errors_shown():
        reader = db.reader()
        org_id = organizations.organization_id(reader, org)
        found = org_settings.field_definitions(reader, org_id, entity)
    for f in found:
        options = f" options={','.join(f.options)}" if f.options else ""
        console.print(f"{f.field_key:<20} {f.field_type:<12} required={f.required}{options}")


@limits.command("set")
def limits_set(
    org: str = typer.Option(None, "--org", help="Organization code (e.g. NJ333) or UUID."),
    key: str = typer.Option(None, "--key", help="An API key's id (from `keys list`)."),
    endpoint: str = typer.Option(
        ..., help="The quota, e.g. PawPlacer's list, detail, custom_fields or write."
    ),
    per_hour: int = typer.Option(None, help="Requests an hour."),
    per_minute: int = typer.Option(None, help="Requests a minute."),
    per_second: int = typer.Option(None, help="Requests a second."),
    burst: int = typer.Option(None, help="At most this many in any one second, on top."),
    dialect: str = typer.Option(None, help="The API of the quota (default: pawplacer)."),
) -> None:
    """Other numbers for one quota of one organization or one key."""
    given = [
        (n, w)
        for n, w in (
            (per_hour, quotas.Window.HOUR),
            (per_minute, quotas.Window.MINUTE),
            (per_second, quotas.Window.SECOND),
        )
        if n is not None
    ]
    if len(given) != 1:
        console.print("[red]Give one of --per-hour, --per-minute or --per-second.")
        raise typer.Exit(1)
    ((number, window),) = given

    def set_limit(db: Database, tx: Transaction) -> str:
        chosen = registry.dialect(dialect or _first(registry.with_quotas(), "quotas"))
        quota = chosen.quota(endpoint)
        limit = quotas.Limit(number, window, burst)
        if key is not None:
            key_id = api_keys.key_id(tx.reader, key)
            quotas.set_override(
                tx, dialect=chosen.name, quota=quota, limit=limit, api_key_id=key_id
            )
        else:
            org_id = None if org is None else _organization(tx, org)
            quotas.set_override(
                tx, dialect=chosen.name, quota=quota, limit=limit, organization_id=org_id
            )
        return quota.name

    name = _in_transaction(set_limit)
    console.print(f"{name}: {number} requests a {window.value}")


@pets.command("delete")
def pets_delete(
    org: str = ORG, pet: str = typer.Argument(..., help="The pet's UUID or custom_id.")
) -> None:
    """Soft-delete a pet: it disappears from every API for good."""
    _in_transaction(lambda db, tx: animal_changes.delete_animal(tx, _organization(tx, org), pet))
    console.print(f"Deleted {pet}")


def _port_taken(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None. The server itself shares its port
    between its workers (SO_REUSEPORT), which would also let a second server share it
    unseen; this probe, without that option, is refused while anyone listens there."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        return error.strerror or str(error)
    return None


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Server processes."),
    demo_data: bool = typer.Option(
        False, "--demo", help="Migrate, load demo data if empty, and print demo credentials."
    ),
    worker: bool = typer.Option(
        True, "--worker/--no-worker", help="Deliver webhooks in the server's processes."
    ),
) -> None:
    """Serve every API with granian (and deliver webhooks, unless --no-worker)."""
    from openpaws.server import run

    if not worker:
        os.environ["OPENPAWS_WORKER"] = "off"
    settings = Settings()
    cli_webhooks.check_secret_key(settings)
    if (taken := _port_taken(host, port)) is not None:
        console.print(f"[red]Cannot listen on {host}:{port}: {taken}. Is another server there?")
        console.print("Stop it, or choose another port: openpaws serve --port N (make run PORT=N).")
        raise typer.Exit(1)
    with _database() as db:
        if not demo_data and not schema.is_current(db):
            console.print("[red]The database schema is not current: run `openpaws migrate`.")
            raise typer.Exit(1)
    if demo_data:
        with _database() as db:
            schema.upgrade(db)
            if demo.is_empty(db):
                _load_demo(db, DEFAULT_DEMO_ANIMALS)
            console.print()
            for dialect in registry.dialects():
                if dialect.demo is not None:
                    base = f"http://{host}:{port}{settings.prefix(dialect.name, dialect.prefix)}"
                    for line in dialect.demo(registry.DemoContext(db, base)):
                        console.print(line, soft_wrap=True)  # keys whole, on one line
            console.print()
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # Each worker writes its metrics here; /metrics in any worker sums them all.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="openpaws-metrics-")
    run("openpaws.server:create_app", host, port, workers)


@app.command()
def bench(
    sizes: str = typer.Option("10000,100000", help="Animals in each database, comma-separated."),
    backends: str = typer.Option("sqlite", help="sqlite and/or postgres (with Redis)."),
    seconds: int = typer.Option(10, help="Length of each 32-connection run (1 connection: half)."),
    workdir: str = typer.Option("bench-data", help="Where databases and run files are kept."),
    postgres_url: str = typer.Option(
        "postgresql+psycopg://postgres@127.0.0.1:5432", help="PostgreSQL server (no database)."
    ),
    redis_url: str = typer.Option("redis://127.0.0.1:6379/0", help="Redis for the PG runs."),
    results: str = typer.Option("docs/bench/results.json", help="Results kept across runs."),
    page: str = typer.Option("docs/performance.md", help="The page the results are written to."),
) -> None:
    """Measure every benchmark request against OpenPaws, the floor and the raw baseline."""
    from openpaws.bench import main as bench_main

    bench_main.run(
        sizes=[int(s) for s in sizes.split(",") if s.strip()],
        backends=[b.strip() for b in backends.split(",") if b.strip()],
        seconds=seconds,
        workdir=workdir,
        postgres_url=postgres_url,
        redis_url=redis_url,
        results=results,
        page=page,
        say=console.print,
    )


@app.command("bench-webhooks")
def bench_webhooks(
    workdir: str = typer.Option("bench-data", help="Where databases and logs are kept."),
    results: str = typer.Option("docs/bench/webhooks.json", help="Where the figures go."),
    page: str = typer.Option("docs/performance.md", help="The page the figures are written to."),
    before: str = typer.Option("54dbe9f", help="The commit to compare POST /pets against."),
) -> None:
    """Measure webhook delivery (instant, slow and hanging receivers) and its cost to writes."""
    from openpaws.bench import webhooks as bench_hooks

    bench_hooks.check_tools()
    bench_hooks.run(workdir=workdir, results=results, page=page, before=before, say=console.print)


app.add_typer(cli_webhooks.webhooks, name="webhooks")
app.command("worker")(cli_webhooks.worker)
app.command("secret-key")(cli_webhooks.secret_key)

for _dialect in registry.dialects():
    if _dialect.cli is not None:
        _dialect.cli(app)


def main() -> None:
    app()
