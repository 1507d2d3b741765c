"""The ``openpaws`` command: serve, migrate, demo data and credentials."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from openpaws import demo
from openpaws.config import Settings
from openpaws.platform import oauth
from openpaws.storage import migrate as migrations
from openpaws.storage.database import Database

app = typer.Typer(help="OpenPaws: one pet-data store, four public APIs.", no_args_is_help=True)
clients = typer.Typer(help="OAuth clients of the Petfinder API.", no_args_is_help=True)
app.add_typer(clients, name="clients")
console = Console()

DEMO_CLIENT_NAME = "demo"
DEFAULT_DEMO_ANIMALS = 1_000


def _database() -> Database:
    return Database(Settings().resolved_database_url)


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    with _database() as db:
        migrations.upgrade(db)
    console.print(f"Database at the newest schema: {db.engine.url.render_as_string()}")


def _load_demo(db: Database, animals: int) -> None:
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("Loading demo animals", total=animals)
        orgs, count = demo.load(db, animals, progress=lambda n: progress.advance(task, n))
    console.print(f"Loaded {orgs} organizations and {count} animals.")


@app.command("demo")
def demo_command(
    animals: int = typer.Option(DEFAULT_DEMO_ANIMALS, help="How many animals to create."),
) -> None:
    """Load deterministic demo data into an empty database (migrating it first)."""
    try:
        with _database() as db:
            migrations.upgrade(db)
            _load_demo(db, animals)
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
    from granian import Granian
    from granian.constants import Interfaces

    settings = Settings()
    if demo_data:
        with _database() as db:
            migrations.upgrade(db)
            if demo.is_empty(db):
                _load_demo(db, DEFAULT_DEMO_ANIMALS)
            creds = oauth.rotate_or_create_client(db, DEMO_CLIENT_NAME)
        base = f"http://{host}:{port}"
        console.print(f"\nPetfinder API v2: {base}{settings.petfinder_prefix}")
        console.print(f"  contract:       {base}{settings.petfinder_prefix}/openapi.yaml")
        console.print(f"Demo client_id:     {creds.client_id}")
        console.print(f"Demo client_secret: {creds.client_secret}\n")
    Granian(
        "openpaws.server:create_app",
        factory=True,
        interface=Interfaces.ASGI,
        address=host,
        port=port,
        workers=workers,
        log_access=False,
    ).serve()


def main() -> None:
    app()
