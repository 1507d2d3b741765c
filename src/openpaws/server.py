"""Builds the ASGI app: one database, every registered dialect mounted at its prefix."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from litestar import Litestar, Request, Response, get
from litestar.config.cors import CORSConfig
from litestar.exceptions import HTTPException
from litestar.plugins.prometheus import PrometheusController
from litestar.types import ASGIApp

from openpaws.config import Settings
from openpaws.dialects import addresses, registry, versions
from openpaws.dialects.asgi import (
    Endpoint,
    ThinPath,
    answer,
    bare_call,
    endpoints,
    known_error,
    litestar_router,
)
from openpaws.dialects.pipeline import Mounted, Reply, Route, Runtime
from openpaws.domain import geo
from openpaws.observability import configure_logging, observer
from openpaws.platform import upkeep
from openpaws.platform.api_keys import Usage
from openpaws.platform.attempts import AttemptLimits, Attempts
from openpaws.platform.quotas import Quotas
from openpaws.platform.secret_keys import secret_box
from openpaws.platform.webhooks.worker import Worker, WorkerSettings
from openpaws.storage import webhooks as webhook_store
from openpaws.storage.database import Database

SWITCH_INTERVAL_SECONDS = 0.0005
# A webhook worker that has not beaten for this long is shown as not alive.
WORKER_SILENT_AFTER = timedelta(seconds=30)
logger = logging.getLogger("openpaws")


def mount(dialect: registry.Dialect, runtime: Runtime) -> tuple[Mounted, list[Route]]:
    """The dialect at its prefix, with its routes and its contract."""
    settings = runtime.settings
    clients = dialect.clients
    mounted = Mounted(
        name=dialect.name,
        prefix=settings.prefix(dialect.name, dialect.prefix),
        runtime=runtime,
        auth=dialect.auth,
        quotas={q.name: q for q in dialect.quotas},
        max_body_bytes=dialect.max_body_bytes,
    )
    if clients is not None:
        mounted.client_scopes = clients.scopes
        mounted.token_lifetime = settings.dialect_int(
            dialect.name, "TOKEN_LIFETIME_SECONDS", clients.token_lifetime_seconds
        )
    mounted.presenter = dialect.presenter(mounted)
    contract = dialect.contract.read_bytes()

    def openapi(_call: Any) -> Reply:
        return Reply(200, contract, media_type="application/yaml")

    return mounted, [*dialect.routes(mounted), Route("GET", "/openapi.yaml", openapi)]


def webhook_worker(
    settings: Settings, db: Database, threads: ThreadPoolExecutor | None = None
) -> Worker:
    """The webhook worker for these settings, with every dialect's webhook style."""
    return Worker(
        db,
        secret_box(settings.secret_key, db.url),
        registry.webhook_styles(),
        WorkerSettings(
            timeout_seconds=settings.webhooks_timeout_seconds,
            allow_private=settings.webhooks_allow_private,
        ),
        threads=threads,
    )


def create_app(settings: Settings | None = None, db: Database | None = None) -> ASGIApp:
    settings = settings or Settings()
    database = db or Database(settings.resolved_database_url)
    quotas = Quotas(settings.redis_url or None, settings.rate_limit_namespace)
    runtime = Runtime(
        db=database,
        settings=settings,
        quotas=quotas,
        key_usage=Usage(),
        attempts=Attempts(
            quotas.storage,
            AttemptLimits(
                settings.auth_failures_per_credential,
                settings.auth_failures_per_address,
                settings.token_requests_per_address,
            ),
        ),
        trusted_proxies=addresses.networks(settings.trusted_proxies),
        # SQLite reads are in-process and short: on one core they are cheaper run on the event
        # loop than handed to a thread. Anything that waits on a network (PostgreSQL, Redis)
        # or on a disk flush (every write) runs in the thread pool.
        inline_reads=database.is_sqlite and not settings.redis_url,
        threads=ThreadPoolExecutor(settings.db_threads, thread_name_prefix="openpaws"),
    )
    routers = []
    served: list[Endpoint] = []
    prefixes: list[Mounted] = []
    versioned: list[tuple[Mounted, versions.Versioning]] = []
    allow_headers: set[str] = {"Authorization", "Content-Type"}
    expose_headers: set[str] = set()
    methods: set[str] = {"OPTIONS"}
    for dialect in registry.dialects():
        mounted, routes = mount(dialect, runtime)
        found = endpoints(mounted, routes, dialect.trailing_slash)
        routers.append(
            litestar_router(mounted, found, dialect.trailing_slash, dialect.max_body_bytes)
        )
        served += found
        prefixes.append(mounted)
        if dialect.versioning is not None:
            versioned.append((mounted, dialect.versioning))
        allow_headers |= set(dialect.cors.allow_headers)
        expose_headers |= set(dialect.cors.expose_headers)
        methods |= {r.method for r in routes}

    thin = ThinPath(served)

    def not_routed(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        """Unknown paths and methods under a dialect's prefix get that dialect's error shape
        (a 405 with the methods the path has, in ``Allow``)."""
        for mounted in prefixes:
            path = request.url.path
            if path == mounted.prefix or path.startswith(mounted.prefix + "/"):
                failure = mounted.presenter.failure(
                    bare_call(request.scope, mounted), known_error(error)
                )
                if failure.status == 405 and (allowed := thin.allowed(path)) is not None:
                    failure.headers["Allow"] = ", ".join(allowed[1])
                return answer(failure)  # type: ignore[return-value]
        status = error.status_code if isinstance(error, HTTPException) else 500
        return Response({"detail": str(error)}, status_code=status)

    @get(["/"], sync_to_thread=False)
    def index(request: Request[Any, Any, Any]) -> dict[str, Any]:
        """The APIs served here: each one's base URL and contract."""
        base = str(request.base_url).rstrip("/")
        return {
            "apis": [
                {
                    "name": mounted.name,
                    "title": registry.dialect(mounted.name).title,
                    "base_url": f"{base}{mounted.prefix}",
                    "contract": f"{base}{mounted.prefix}/openapi.yaml",
                }
                for mounted in prefixes
            ]
        }

    @get(["/healthz"], sync_to_thread=False)
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @get(["/readyz"], sync_to_thread=True)
    def readyz() -> Response[dict[str, Any]]:
        """The process can serve: the database answers, and Redis too when configured. The
        body also lists the webhook workers' heartbeats (they do not change the status)."""
        checks = {"database": _answers("database", database.answers)}
        if settings.redis_url:
            checks["redis"] = _answers("redis", runtime.quotas.answers)
        ready = all(checks.values())
        body: dict[str, Any] = {"status": "ready" if ready else "unavailable", "checks": checks}
        if checks["database"]:
            body["webhook_workers"] = _heartbeats(database)
        return Response(body, status_code=200 if ready else 503)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        geo.warm_up()
        database.optimize()
        # The gazetteer and taxonomy live for the whole process: keep them out of every
        # garbage collection, which otherwise rescans them and stretches tail latency.
        gc.freeze()
        # A writer holding SQLite's write slot gives up the GIL on every statement; a short
        # switch interval gets it back sooner, so the slot (and every writer queued behind it)
        # waits less on other threads' work.
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        tidying = asyncio.create_task(_tidy_now_and_then(runtime))
        stop_worker = asyncio.Event()
        delivering = None
        if settings.worker and registry.webhook_styles():
            worker = webhook_worker(settings, database, runtime.threads)
            delivering = asyncio.create_task(worker.run(stop_worker))
        try:
            yield
        finally:
            stop_worker.set()
            if delivering is not None:
                try:
                    await delivering
                except Exception:
                    logger.exception("the webhook worker stopped with an error")
            tidying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tidying
            try:
                await _in_threads(
                    runtime, upkeep.tidy, database, runtime.key_usage, _retention(settings)
                )
            except Exception:
                logger.exception("upkeep at shutdown failed")
            finally:
                runtime.threads.shutdown(wait=True)
                if db is None:
                    database.dispose()

    configure_logging(settings.log_level)
    logging.getLogger("openpaws.access").disabled = not settings.access_log
    app = Litestar(
        route_handlers=[
            *routers,
            *([index] if all(m.prefix for m in prefixes) else []),
            healthz,
            readyz,
            PrometheusController,
        ],
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_allow_origins),
            allow_methods=sorted(methods),  # type: ignore[arg-type]
            allow_headers=sorted(allow_headers),
            expose_headers=sorted(expose_headers),
        ),
        exception_handlers={404: not_routed, 405: not_routed},
        lifespan=[lifespan],
        openapi_config=None,
        logging_config=None,  # configure_logging above: JSON lines
    )
    # Requests for a declared route without an Origin header take the thin path; the
    # observer (request id, metrics, access log) sees every request either way.
    return observer()(cast("ASGIApp", versions.wrap(thin.wrap(app), versioned)))


async def _in_threads(runtime: Runtime, work: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(runtime.threads, work, *args)


async def _tidy_now_and_then(runtime: Runtime) -> None:
    while True:
        await asyncio.sleep(upkeep.INTERVAL_SECONDS)
        try:
            await _in_threads(
                runtime, upkeep.tidy, runtime.db, runtime.key_usage, _retention(runtime.settings)
            )
        except Exception:
            logger.exception("upkeep failed")


def _retention(settings: Settings) -> timedelta:
    return timedelta(days=settings.webhooks_retention_days)


def _heartbeats(db: Database) -> list[dict[str, Any]]:
    """Each webhook worker known, with how long ago it last beat."""
    now = datetime.now(UTC)
    try:
        found = webhook_store.workers(db.reader())
    except Exception:
        logger.exception("reading webhook workers failed")
        return []
    return [
        {
            "name": name,
            "started_at": started.isoformat(),
            "last_heartbeat_seconds": round((now - beat).total_seconds(), 1),
            "alive": now - beat < WORKER_SILENT_AFTER,
            "delivered": delivered,
            "failed_attempts": failed,
        }
        for name, started, beat, delivered, failed in found
    ]


def _answers(what: str, check: Any) -> bool:
    try:
        return bool(check())
    except Exception:
        logger.exception(f"{what} check failed")
        return False


def run(target: str, host: str, port: int, workers: int = 1) -> None:
    """Serve the ASGI app factory ``target`` ("module:function") with granian.

    ``openpaws serve`` and the benchmark's baseline apps start through here, so they are served
    by identical server software and settings.
    """
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        target,
        factory=True,
        interface=Interfaces.ASGI,
        address=host,
        port=port,
        workers=workers,
        log_access=False,
    ).serve()
