"""What every Paws Source route reads from its path: the instance's public ids, and the row a
public id in the path names (404 in the resource's words when it names none)."""

from __future__ import annotations

from openpaws.dialects.pipeline import Call
from openpaws.domain.errors import NotFound
from openpaws.domain.public_ids import PublicIds
from openpaws.services import identifiers


def ids(call: Call) -> PublicIds:
    return identifiers.public_ids(call.reader)


def path_id(call: Call, name: str, noun: str, kind: str) -> int:
    """The row number of the public id in path parameter ``name`` (a ``noun``)."""
    found = ids(call).decode(noun, call.params[name])
    if found is None:
        raise NotFound("Not found", kind=kind)
    return found
