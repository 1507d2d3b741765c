"""Runtime configuration, read once from ``OPENPAWS_*`` environment variables."""

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
    petfinder_prefix: str = field(default_factory=lambda: _env("PETFINDER_PREFIX", "/petfinder/v2"))
    pawplacer_prefix: str = field(default_factory=lambda: _env("PAWPLACER_PREFIX", "/pawplacer"))
    # Rate-limit counters live in this process unless a Redis URL is given (shared by all).
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", ""))
    rate_limit_namespace: str = field(
        default_factory=lambda: _env("RATE_LIMIT_NAMESPACE", "openpaws")
    )
    public_site_url: str = field(
        default_factory=lambda: _env("PUBLIC_SITE_URL", "https://openpaws.example.org")
    )
    token_lifetime_seconds: int = field(
        default_factory=lambda: int(_env("TOKEN_LIFETIME_SECONDS", "3600"))
    )
    # Threads that run blocking database work per process; more only adds lock contention.
    db_threads: int = field(default_factory=lambda: int(_env("DB_THREADS", "4")))
    log_level: str = field(default_factory=lambda: _env("LOG_LEVEL", "info"))
    # One JSON line per request (request id, route, status, duration) at info level.
    access_log: bool = field(default_factory=lambda: _env("ACCESS_LOG", "true") == "true")
    cors_allow_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            o.strip() for o in _env("CORS_ALLOW_ORIGINS", "*").split(",") if o.strip()
        )
    )

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the working directory."""
        return self.database_url or f"sqlite:///{DEFAULT_SQLITE_PATH}"
