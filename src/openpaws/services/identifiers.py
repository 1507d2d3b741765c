"""The installation's public-id codec (:mod:`openpaws.domain.public_ids`), keyed by the key
its database keeps."""

from __future__ import annotations

from openpaws.domain.public_ids import PublicIds
from openpaws.storage import instance_keys
from openpaws.storage.database import Reader

KEY_NAME = "public_ids"


def public_ids(reader: Reader) -> PublicIds:
    found: PublicIds | None = reader.kept.get("public_ids")
    if found is None:
        found = reader.kept["public_ids"] = PublicIds(instance_keys.key(reader, KEY_NAME))
    return found
