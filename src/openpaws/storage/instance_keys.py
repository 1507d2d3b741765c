"""Secrets this installation made once and keeps (migration 0004), read once per database."""

from __future__ import annotations

from openpaws.storage.database import Reader


def key(reader: Reader, name: str) -> bytes:
    """The kept secret ``name`` of the database ``reader`` reads."""
    found: bytes | None = reader.kept.get(f"instance_key:{name}")
    if found is None:
        value = reader.scalar("SELECT value FROM instance_keys WHERE name = :name", {"name": name})
        if value is None:
            raise LookupError(f"no instance key {name}: is the database migrated?")
        found = reader.kept[f"instance_key:{name}"] = bytes.fromhex(value)
    return found
