"""Runtime configuration from ``OPENPAWS_*`` environment variables: the core's read once,
each dialect's (``OPENPAWS_<DIALECT>_<NAME>``) when the dialect is mounted."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("openpaws.db")


def _env(name: str, default: str) -> str:
    return os.environ.get(f"OPENPAWS_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to know about its surroundings."""

    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", ""))
    # Rate-limit counters live in this process unless a Redis URL is given (shared by all).
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", ""))
    rate_limit_namespace: str = field(
        default_factory=lambda: _env("RATE_LIMIT_NAMESPACE", "openpaws")
    )
    public_site_url: str = field(
        default_factory=lambda: _env("PUBLIC_SITE_URL", "https://openpaws.example.org")
    )
    # Threads that run blocking database work per process. Six is what the server used before
    # it had its own pool (asyncio's default executor on two cores); four cost writes ~5% here.
    db_threads: int = field(default_factory=lambda: int(_env("DB_THREADS", "6")))
    log_level: str = field(default_factory=lambda: _env("LOG_LEVEL", "info"))
    # One JSON line per request (request id, route, status, duration) at info level.
    access_log: bool = field(default_factory=lambda: _env("ACCESS_LOG", "true") == "true")
    # Authentication throttling: failed attempts per credential in five minutes, and per
    # client address in a minute; token requests per client address in a minute.
    auth_failures_per_credential: int = field(
        default_factory=lambda: int(_env("AUTH_FAILURES_PER_CREDENTIAL", "10"))
    )
    auth_failures_per_address: int = field(
        default_factory=lambda: int(_env("AUTH_FAILURES_PER_ADDRESS", "60"))
    )
    token_requests_per_address: int = field(
        default_factory=lambda: int(_env("TOKEN_REQUESTS_PER_ADDRESS", "60"))
    )
    # The proxies whose X-Forwarded-For names the client (addresses or networks).
    trusted_proxies: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            p.strip() for p in _env("TRUSTED_PROXIES", "").split(",") if p.strip()
        )
    )
    cors_allow_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            o.strip() for o in _env("CORS_ALLOW_ORIGINS", "*").split(",") if o.strip()
        )
    )
    # The key that encrypts webhook signing secrets at rest (Fernet; several, comma-separated,
    # to rotate: the first encrypts, any decrypts). Required with PostgreSQL; the embedded
    # default keeps one in a file beside the SQLite database (platform/secret_keys.py).
    secret_key: str = field(default_factory=lambda: _env("SECRET_KEY", ""))
    # Whether `serve` runs the webhook worker in its own process(es) ("off" leaves delivery
    # to `openpaws worker`).
    worker: bool = field(default_factory=lambda: _env("WORKER", "on").lower() != "off")
    # Webhook targets on private, loopback and link-local addresses (tests, on-premises
    # receivers); metadata, multicast and unspecified addresses stay refused.
    webhooks_allow_private: bool = field(
        default_factory=lambda: _env("WEBHOOKS_ALLOW_PRIVATE", "0") == "1"
    )
    # How long one delivery attempt may take, all told (connect, send, answer).
    webhooks_timeout_seconds: float = field(
        default_factory=lambda: float(_env("WEBHOOKS_TIMEOUT_SECONDS", "15"))
    )
    # Delivered events and delivery logs are purged after this many days.
    webhooks_retention_days: int = field(
        default_factory=lambda: int(_env("WEBHOOKS_RETENTION_DAYS", "30"))
    )

    # Each dialect's own settings, OPENPAWS_<DIALECT>_<NAME> (e.g. OPENPAWS_PETFINDER_PREFIX).
    dialect_values: dict[str, str] = field(default_factory=dict)

    def for_dialect(self, dialect: str, name: str, default: str) -> str:
        key = f"{dialect}_{name}".upper()
        return self.dialect_values.get(key) or _env(key, default)

    def prefix(self, dialect: str, default: str) -> str:
        """Where a dialect is mounted: its default prefix unless OPENPAWS_<NAME>_PREFIX says
        ("/x/y" without a trailing slash; "" at the root)."""
        stripped = self.for_dialect(dialect, "PREFIX", default).strip("/")
        return f"/{stripped}" if stripped else ""

    def dialect_int(self, dialect: str, name: str, default: int) -> int:
        return int(self.for_dialect(dialect, name, str(default)))

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the working directory."""
        return self.database_url or f"sqlite:///{DEFAULT_SQLITE_PATH}"
