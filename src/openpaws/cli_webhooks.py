"""``openpaws webhooks``: the operator's view of every account's webhook endpoints, their
delivery log and resends; ``openpaws worker`` runs delivery in its own process, and
``openpaws secret-key`` makes a key to seal signing secrets with."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from openpaws.cli_support import account, console, database, errors_shown, in_transaction
from openpaws.config import Settings
from openpaws.dialects import registry
from openpaws.domain.errors import InvalidInput
from openpaws.domain.webhooks import Endpoint
from openpaws.platform import secret_keys
from openpaws.platform.webhooks import endpoints
from openpaws.platform.webhooks.styles import WebhookStyle
from openpaws.storage.database import Database, Transaction

webhooks = typer.Typer(
    help="Webhook endpoints of organizations and persons, and their deliveries.",
    no_args_is_help=True,
)
ENDPOINT = typer.Argument(..., help="The endpoint's id (from `webhooks list`).")


def _now() -> datetime:
    return datetime.now(UTC)


def _style(dialect: str | None) -> tuple[str, WebhookStyle]:
    styles = registry.webhook_styles()
    name = dialect or next(iter(sorted(styles)), "")
    if name not in styles:
        known = ", ".join(sorted(styles)) or "none"
        raise InvalidInput.field(
            "body", "dialect", f"{name} has no webhooks (those that do: {known})"
        )
    return name, styles[name]


def _box(settings: Settings) -> secret_keys.SecretBox:
    return secret_keys.secret_box(settings.secret_key, settings.resolved_database_url)


def _line(e: Endpoint) -> str:
    state = e.status if e.disabled_reason is None else f"{e.status} ({e.disabled_reason})"
    return f"{e.uuid}  {e.dialect}  {e.url}  {','.join(e.event_names)}  {state}"


@webhooks.command("add")
def add(
    url: str = typer.Argument(..., help="Where to post events (http or https)."),
    events: str = typer.Option(..., help="Comma-separated event names of the dialect."),
    org: str = typer.Option(None, "--org", help="The organization (code or UUID)."),
    person: str = typer.Option(None, "--person", help="The person (username or UUID)."),
    dialect: str = typer.Option(None, help="The API whose events and shape (default: the first)."),
    description: str = typer.Option(None, help="A note to recognise it by."),
) -> None:
    """Register an endpoint of an account; its signing secret is shown once."""
    settings = Settings()
    with errors_shown():
        name, style = _style(dialect)
        box = _box(settings)
    made = in_transaction(
        lambda db, tx: endpoints.create(
            tx,
            box,
            dialect=name,
            style=style,
            account=account(tx, org, person),
            url=url,
            events=[e.strip() for e in events.split(",") if e.strip()],
            description=description,
            allow_private=settings.webhooks_allow_private,
            now=_now(),
        )
    )
    console.print(f"id:     {made.endpoint.uuid}")
    console.print(f"secret: {made.secret}", soft_wrap=True)


@webhooks.command("list")
def list_endpoints(
    org: str = typer.Option(None, "--org", help="Only this organization's."),
    person: str = typer.Option(None, "--person", help="Only this person's."),
    dialect: str = typer.Option(None, help="Only this API's."),
) -> None:
    """Every endpoint (or one account's): id, API, URL, events, status and why disabled."""

    def found(db: Database, tx: Transaction) -> list[Endpoint]:
        owner = None if org is None and person is None else account(tx, org, person)
        return endpoints.endpoints(tx.reader, dialect, owner)

    for endpoint in in_transaction(found):
        console.print(_line(endpoint), soft_wrap=True)


@webhooks.command("remove")
def remove(endpoint: str = ENDPOINT) -> None:
    """Delete the endpoint, its deliveries and their log."""
    in_transaction(
        lambda db, tx: endpoints.remove(tx, None, endpoints.by_uuid(tx.reader, endpoint).id)
    )
    console.print(f"Removed {endpoint}")


@webhooks.command("enable")
def enable(endpoint: str = ENDPOINT) -> None:
    """Enable a disabled endpoint; what waited for it is sent now."""
    found = in_transaction(
        lambda db, tx: endpoints.enable(tx, None, endpoints.by_uuid(tx.reader, endpoint).id, _now())
    )
    console.print(_line(found), soft_wrap=True)


@webhooks.command("test")
def test(endpoint: str = ENDPOINT) -> None:
    """Send a webhook.test event to the endpoint alone."""
    found = in_transaction(
        lambda db, tx: endpoints.send_test(
            tx, None, endpoints.by_uuid(tx.reader, endpoint).id, _now()
        )
    )
    console.print(f"Queued delivery {found.id}")


@webhooks.command("rotate-secret")
def rotate_secret(endpoint: str = ENDPOINT) -> None:
    """A new secret, shown once; the old one signs beside it for 24 hours."""
    settings = Settings()
    with errors_shown():
        box = _box(settings)
    made = in_transaction(
        lambda db, tx: endpoints.rotate_secret(
            tx, box, None, endpoints.by_uuid(tx.reader, endpoint).id, _now()
        )
    )
    console.print(f"secret: {made.secret}", soft_wrap=True)
    console.print(f"The previous secret also signs until {made.endpoint.previous_secret_until}.")


@webhooks.command("deliveries")
def deliveries(
    endpoint: str = ENDPOINT,
    limit: int = typer.Option(20, help="How many, newest first."),
) -> None:
    """The endpoint's newest deliveries, with every attempt."""
    with database() as db, errors_shown():
        reader = db.reader()
        found, _more = endpoints.deliveries(
            reader, None, endpoints.by_uuid(reader, endpoint).id, limit, None
        )
    for d in found:
        due = "" if d.next_attempt_at is None else f" next {d.next_attempt_at:%Y-%m-%d %H:%M:%S}"
        console.print(
            f"{d.id}  {d.event_name or d.event_type}  {d.status}  attempts {d.attempts}{due}",
            soft_wrap=True,
        )
        for a in d.log:
            answer = a.status_code if a.status_code is not None else a.error
            console.print(
                f"    #{a.attempt} {a.started_at:%Y-%m-%d %H:%M:%S}  {answer}  {a.latency_ms} ms",
                soft_wrap=True,
            )


@webhooks.command("redeliver")
def redeliver(
    endpoint: str = ENDPOINT,
    delivery: int = typer.Argument(..., help="The delivery's id (from `webhooks deliveries`)."),
) -> None:
    """Send a delivery again now, as the same message (one attempt)."""
    in_transaction(
        lambda db, tx: endpoints.redeliver(
            tx, None, endpoints.by_uuid(tx.reader, endpoint).id, delivery, _now()
        )
    )
    console.print(f"Queued delivery {delivery} again")


def check_secret_key(settings: Settings) -> None:
    """Refuse to start without a key every instance shares (PostgreSQL), or with a bad one."""
    with errors_shown():
        _box(settings)


def worker(
    metrics_port: int = typer.Option(
        None, help="Serve Prometheus metrics on this port (/metrics)."
    ),
) -> None:
    """Deliver webhooks in this process until interrupted (any number may run)."""
    from openpaws.platform.webhooks.worker import run_forever
    from openpaws.server import webhook_worker

    settings = Settings()
    check_secret_key(settings)
    if metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(metrics_port)
    db = database()
    found = webhook_worker(settings, db)
    console.print(f"Webhook worker {found.name} delivering (Ctrl-C stops it).")
    try:
        run_forever(found)
    finally:
        db.dispose()


def secret_key() -> None:
    """Print a new key for OPENPAWS_SECRET_KEY (Fernet)."""
    typer.echo(secret_keys.new_key())
