"""An organization's own statuses, custom field definitions and rate limits."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Connection, delete, func, insert, select

from openpaws.domain.entities import CustomFieldDefinition, CustomStatus
from openpaws.storage.database import Reader
from openpaws.storage.tables import custom_field_definitions, custom_statuses, rate_limits

_STATUS_SQL = (
    "SELECT id, uuid, organization_id, label, status_class, is_public, is_default, position "
    "FROM custom_statuses WHERE organization_id = :org ORDER BY position, id"
)
_FIELD_SQL = (
    "SELECT id, uuid, organization_id, entity, field_key, label, field_type, required, "
    "help_text, options, section, position FROM custom_field_definitions "
    "WHERE organization_id = :org AND entity = :entity ORDER BY position, id"
)


def statuses(reader: Reader, organization_id: int) -> list[CustomStatus]:
    return [
        CustomStatus(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), r[7])
        for r in reader.all(_STATUS_SQL, {"org": organization_id})
    ]


def field_definitions(
    reader: Reader, organization_id: int, entity: str
) -> list[CustomFieldDefinition]:
    result = []
    for r in reader.all(_FIELD_SQL, {"org": organization_id, "entity": entity}):
        options = None if r[9] is None else msgspec.json.decode(r[9], type=list[str])
        result.append(
            CustomFieldDefinition(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], options, r[10], r[11]
            )
        )
    return result


def next_position(conn: Connection, table_name: str, organization_id: int) -> int:
    table = {"statuses": custom_statuses, "fields": custom_field_definitions}[table_name]
    current = conn.execute(
        select(func.max(table.c.position)).where(table.c.organization_id == organization_id)
    ).scalar()
    return 0 if current is None else int(current) + 1


def insert_status(conn: Connection, **values: Any) -> None:
    conn.execute(insert(custom_statuses).values(**values))


def insert_field(conn: Connection, **values: Any) -> None:
    conn.execute(insert(custom_field_definitions).values(**values))


def set_rate_limit(
    conn: Connection, organization_id: int, endpoint_class: str, per_hour: int
) -> None:
    conn.execute(
        delete(rate_limits).where(
            rate_limits.c.organization_id == organization_id,
            rate_limits.c.endpoint_class == endpoint_class,
        )
    )
    conn.execute(
        insert(rate_limits).values(
            organization_id=organization_id, endpoint_class=endpoint_class, per_hour=per_hour
        )
    )


def rate_limit(reader: Reader, organization_id: int, endpoint_class: str) -> int | None:
    value = reader.scalar(
        "SELECT per_hour FROM rate_limits WHERE organization_id = :org AND endpoint_class = :cls",
        {"org": organization_id, "cls": endpoint_class},
    )
    return None if value is None else int(value)
