"""The key that keeps recoverable secrets (webhook signing secrets) encrypted at rest.

Webhook secrets must be read back to sign with, so unlike API keys they cannot be hashed. They
are sealed with Fernet (``cryptography``: AES-128-CBC with an HMAC-SHA256 tag) under
``OPENPAWS_SECRET_KEY``. Several keys, comma-separated, rotate it: the first seals, any opens.
The embedded default (a SQLite file) makes a key on first start and keeps it in a file beside
the database; a PostgreSQL deployment must give the key, so every instance seals and opens with
the same one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.engine import make_url

from openpaws.domain.errors import OpenPawsError

KEY_FILE_SUFFIX = ".secret-key"
HOW_TO_MAKE_ONE = "make one with `openpaws secret-key`"


class SecretKeyMissing(OpenPawsError):
    """No key to seal secrets with, or a key that is not one."""


class SecretBox:
    """Seals and opens secrets with the configured key(s)."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def seal(self, secret: bytes) -> str:
        return self._fernet.encrypt(secret).decode()

    def open(self, sealed: str) -> bytes:
        try:
            return self._fernet.decrypt(sealed.encode())
        except InvalidToken as error:
            raise SecretKeyMissing(
                "a stored secret does not open with OPENPAWS_SECRET_KEY: the key changed "
                "(give the old key after the new one, comma-separated, to rotate)"
            ) from error


def new_key() -> str:
    return Fernet.generate_key().decode()


def _parsed(value: str) -> list[bytes]:
    keys = [part.strip().encode() for part in value.split(",") if part.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError as error:
            raise SecretKeyMissing(
                f"OPENPAWS_SECRET_KEY is not a Fernet key (32 url-safe base64 bytes): "
                f"{HOW_TO_MAKE_ONE}"
            ) from error
    return keys


def key_file(database_url: str) -> Path | None:
    """Where the embedded default keeps its key: beside its SQLite file (none otherwise)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}{KEY_FILE_SUFFIX}")


def secret_box(configured: str, database_url: str) -> SecretBox:
    """The box for this deployment: the configured key, else (SQLite only) the key kept beside
    the database file, made on first use, readable by its owner only."""
    if configured.strip():
        return SecretBox(_parsed(configured))
    path = key_file(database_url)
    if path is None:
        raise SecretKeyMissing(
            "OPENPAWS_SECRET_KEY is required with this database: every instance must seal "
            f"webhook secrets with the same key ({HOW_TO_MAKE_ONE})"
        )
    if not path.exists():
        _create(path)
    return SecretBox(_parsed(path.read_text()))


def _create(path: Path) -> None:
    """Write a new key whole, then link it into place: a process starting at the same moment
    reads either no file or the complete one, and only one key wins."""
    draft = path.with_name(f"{path.name}.{os.getpid()}.draft")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(new_key() + "\n")
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        draft.unlink()
