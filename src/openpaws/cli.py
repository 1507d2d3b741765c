"""The ``openpaws`` command: serve, migrate, demo data and credentials."""

from __future__ import annotations

import os
import tempfile

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from openpaws import demo
from openpaws.config import Settings
from openpaws.domain import animal_changes, org_settings
from openpaws.domain.errors import OpenPawsError
from openpaws.domain.vocab import StatusClass
from openpaws.platform import api_keys, oauth
from openpaws.platform.rate_limits import EndpointClass
from openpaws.storage import migrate as migrations
from openpaws.storage.database import Database

app = typer.Typer(help="OpenPaws: one pet-data store, four public APIs.", no_args_is_help=True)
clients = typer.Typer(help="OAuth clients of the Petfinder API.", no_args_is_help=True)
app.add_typer(clients, name="clients")
keys = typer.Typer(help="Organization API keys (PawPlacer).", no_args_is_help=True)
app.add_typer(keys, name="keys")
statuses = typer.Typer(help="An organization's status labels.", no_args_is_help=True)
app.add_typer(statuses, name="statuses")
fields = typer.Typer(help="An organization's custom fields.", no_args_is_help=True)
app.add_typer(fields, name="fields")
limits = typer.Typer(help="An organization's hourly request limits.", no_args_is_help=True)
app.add_typer(limits, name="limits")
pets = typer.Typer(help="An organization's animals.", no_args_is_help=True)
app.add_typer(pets, name="pets")
console = Console()

DEMO_CLIENT_NAME = "demo"
DEMO_KEY_NAME = "demo (this start)"
DEFAULT_DEMO_ANIMALS = 1_000


def _database() -> Database:
    return Database(Settings().resolved_database_url)


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    with _database() as db:
        migrations.upgrade(db)
    console.print(f"Database at the newest schema: {db.engine.url.render_as_string()}")


def _load_demo(
    db: Database, animals: int, organizations: int | None = None, anchor_animals: int = 0
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
) -> None:
    """Load deterministic demo data into an empty database (migrating it first)."""
    try:
        with _database() as db:
            migrations.upgrade(db)
            _load_demo(db, animals, organizations, anchor_animals)
    except demo.DatabaseNotEmpty:
        console.print("[red]The database already holds data; demo data goes into an empty one.")
        raise typer.Exit(1) from None


@clients.command("create")
def clients_create(
    name: str = typer.Option(..., help="A name to recognise the client by."),
) -> None:
    """Create a client; its secret is shown once here and stored only as a hash."""
    with _database() as db:
        creds = oauth.create_client(db, name)
    console.print(f"client_id:     {creds.client_id}")
    console.print(f"client_secret: {creds.client_secret}")


def _fail(error: OpenPawsError) -> None:
    detail = "; ".join(f"{f.name}: {f.message}" for f in error.fields) or error.message
    console.print(f"[red]{detail}")
    raise typer.Exit(1)


ORG = typer.Option(..., "--org", help="Organization code (e.g. NJ333) or UUID.")


@keys.command("create")
def keys_create(
    org: str = ORG,
    scope: str = typer.Option(..., help="read, or write (write + read)."),
    name: str = typer.Option(None, help="A name to recognise the key by."),
) -> None:
    """Create a key; it is shown once here and stored only as a hash."""
    with _database() as db:
        try:
            record, plain = api_keys.create_key(db, org, scope, name)
        except OpenPawsError as error:
            _fail(error)
    console.print(f"id:    {record.uuid}")
    console.print(f"scope: {record.scope}")
    console.print(f"key:   {plain}")


@keys.command("list")
def keys_list(
    org: str = typer.Option(None, "--org", help="Only this organization's keys."),
) -> None:
    """Keys with their prefix and last characters only."""
    with _database() as db:
        try:
            found = api_keys.list_keys(db, org)
        except OpenPawsError as error:
            _fail(error)
    for k in found:
        state = "revoked" if k.revoked_at else "active"
        console.print(
            f"{k.uuid}  {k.organization_code:<8} {k.scope:<5} {k.prefix}...{k.last_four}  "
            f"{state}  {k.name or ''}"
        )


@keys.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="The key's id from `keys list`.")) -> None:
    with _database() as db:
        try:
            api_keys.revoke_key(db, key_id)
        except OpenPawsError as error:
            _fail(error)
    console.print(f"Revoked {key_id}")


@statuses.command("add")
def statuses_add(
    org: str = ORG,
    label: str = typer.Option(..., help="The label the organization uses."),
    status_class: StatusClass = typer.Option(..., "--class", help="What the label means."),
    public: bool = typer.Option(True, "--public/--private", help="Listed publicly or not."),
    default: bool = typer.Option(False, help="The default available status."),
) -> None:
    with _database() as db:
        try:
            org_settings.add_status(
                db, org, org_settings.StatusSpec(label, status_class, public, default)
            )
        except OpenPawsError as error:
            _fail(error)
    console.print(f"Added status {label}")


@statuses.command("list")
def statuses_list(org: str = ORG) -> None:
    with _database() as db:
        try:
            found = org_settings.statuses_of(db, org)
        except OpenPawsError as error:
            _fail(error)
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
    spec = org_settings.FieldSpec(
        entity,
        key,
        label,
        field_type,
        required,
        help_text,
        tuple(option) if option else None,
        section,
    )
    with _database() as db:
        try:
            org_settings.add_field(db, org, spec)
        except OpenPawsError as error:
            _fail(error)
    console.print(f"Added field {key}")


@fields.command("list")
def fields_list(org: str = ORG, entity: str = typer.Option("pet", help="Whose fields.")) -> None:
    with _database() as db:
        try:
            found = org_settings.fields_of(db, org, entity)
        except OpenPawsError as error:
            _fail(error)
    for f in found:
        options = f" options={','.join(f.options)}" if f.options else ""
        console.print(f"{f.field_key:<20} {f.field_type:<12} required={f.required}{options}")


@limits.command("set")
def limits_set(
    org: str = ORG,
    endpoint: EndpointClass = typer.Option(..., help="list, detail, custom_fields or write."),
    per_hour: int = typer.Option(..., help="Requests an hour."),
) -> None:
    with _database() as db:
        try:
            org_settings.set_rate_limit(db, org, endpoint.value, per_hour)
        except OpenPawsError as error:
            _fail(error)
    console.print(f"{endpoint.value}: {per_hour} requests an hour")


@pets.command("delete")
def pets_delete(
    org: str = ORG, pet: str = typer.Argument(..., help="The pet's UUID or custom_id.")
) -> None:
    """Soft-delete a pet: it disappears from every API for good."""
    with _database() as db:
        try:
            animal_changes.delete_animal(db, org_settings.organization_id(db, org), pet)
        except OpenPawsError as error:
            _fail(error)
    console.print(f"Deleted {pet}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Server processes."),
    demo_data: bool = typer.Option(
        False, "--demo", help="Migrate, load demo data if empty, and print a demo client."
    ),
) -> None:
    """Serve every API with granian."""
    from openpaws.server import run

    settings = Settings()
    with _database() as db:
        if not demo_data and not migrations.is_current(db):
            console.print("[red]The database schema is not current: run `openpaws migrate`.")
            raise typer.Exit(1)
    if demo_data:
        with _database() as db:
            migrations.upgrade(db)
            if demo.is_empty(db):
                _load_demo(db, DEFAULT_DEMO_ANIMALS)
            creds = oauth.rotate_or_create_client(db, DEMO_CLIENT_NAME)
            demo_org = demo.first_listing_organization(db)
            for old in api_keys.list_keys(db, demo_org):  # one demo key at a time
                if old.name == DEMO_KEY_NAME and old.revoked_at is None:
                    api_keys.revoke_key(db, old.uuid)
            _, demo_key = api_keys.create_key(db, demo_org, "write", DEMO_KEY_NAME)
        base = f"http://{host}:{port}"
        console.print(f"\nPetfinder API v2: {base}{settings.petfinder_prefix}")
        console.print(f"  contract:       {base}{settings.petfinder_prefix}/openapi.yaml")
        console.print(f"Demo client_id:     {creds.client_id}")
        console.print(f"Demo client_secret: {creds.client_secret}")
        console.print(f"PawPlacer API:      {base}{settings.pawplacer_prefix}/api/pets")
        console.print(f"  contract:         {base}{settings.pawplacer_prefix}/openapi.yaml")
        console.print(f"Demo x-api-key ({demo_org}, write): {demo_key}\n")
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


def main() -> None:
    app()
