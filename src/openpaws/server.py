"""Builds the ASGI app: one database, every dialect mounted at its prefix."""

from __future__ import annotations

import gc
import logging
import sys
from typing import Any

import anyio.to_thread
from litestar import Litestar, Request, Response, get
from litestar.config.cors import CORSConfig
from litestar.exceptions import HTTPException
from litestar.plugins.prometheus import PrometheusController

from openpaws.config import Settings
from openpaws.dialects.pawplacer import routes as pawplacer
from openpaws.dialects.petfinder import routes as petfinder
from openpaws.domain import geo
from openpaws.observability import configure_logging, observer
from openpaws.platform.rate_limits import RateLimiter
from openpaws.storage.database import Database

SWITCH_INTERVAL_SECONDS = 0.0005


def create_app(settings: Settings | None = None, db: Database | None = None) -> Litestar:
    settings = settings or Settings()
    database = db or Database(settings.resolved_database_url)
    limiter = RateLimiter(settings.redis_url or None, settings.rate_limit_namespace)
    # SQLite reads are in-process and short: on one core they are cheaper run on the event loop
    # than handed to a thread. Anything that waits on a network (PostgreSQL, Redis) or on a
    # disk flush (every write) runs in the thread pool.
    inline_reads = database.is_sqlite and not settings.redis_url
    routers = [
        petfinder.build_router(database, settings, inline_reads=inline_reads),
        pawplacer.build_router(database, settings, limiter, inline_reads=inline_reads),
    ]
    dialect_prefixes = [(router.path, router) for router in routers]

    def not_found(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        """Unknown paths and methods under a dialect's prefix get that dialect's error shape."""
        for prefix, router in dialect_prefixes:
            if request.url.path.startswith(prefix):
                handler = router.exception_handlers[Exception]
                return handler(request, error)
        status = error.status_code if isinstance(error, HTTPException) else 500
        return Response({"detail": str(error)}, status_code=status)

    @get(["/healthz"], sync_to_thread=False)
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @get(["/readyz"], sync_to_thread=True)
    def readyz() -> Response[dict[str, Any]]:
        """The process can serve: the database answers, and Redis too when configured."""
        checks = {"database": _database_answers(database)}
        if settings.redis_url:
            checks["redis"] = _redis_answers(limiter)
        ready = all(checks.values())
        body = {"status": "ready" if ready else "unavailable", "checks": checks}
        return Response(body, status_code=200 if ready else 503)

    def start() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.db_threads
        geo.warm_up()
        database.optimize()
        # The gazetteer and taxonomy live for the whole process: keep them out of every
        # garbage collection, which otherwise rescans them and stretches tail latency.
        gc.freeze()
        # A writer holding SQLite's write slot gives up the GIL on every statement; a short
        # switch interval gets it back sooner, so the slot (and every writer queued behind it)
        # waits less on other threads' work.
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)

    def on_shutdown() -> None:
        if db is None:
            database.dispose()

    configure_logging(settings.log_level)
    logging.getLogger("openpaws.access").disabled = not settings.access_log
    return Litestar(
        route_handlers=[*routers, healthz, readyz, PrometheusController],
        middleware=[observer()],
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_allow_origins),
            allow_methods=["GET", "POST", "PATCH", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "x-api-key", "Idempotency-Key"],
            expose_headers=[petfinder.TOKEN_HEADER, *pawplacer.EXPOSED_HEADERS],
        ),
        exception_handlers={404: not_found, 405: not_found},
        on_startup=[start],
        on_shutdown=[on_shutdown],
        openapi_config=None,
        logging_config=None,  # configure_logging above: JSON lines
    )


def _database_answers(db: Database) -> bool:
    try:
        return db.answers()
    except Exception:
        logging.getLogger("openpaws").exception("database check failed")
        return False


def _redis_answers(limiter: RateLimiter) -> bool:
    try:
        return bool(limiter.storage.check())
    except Exception:
        logging.getLogger("openpaws").exception("redis check failed")
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
