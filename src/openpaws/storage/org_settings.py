"""An organization's own statuses and custom field definitions."""

from __future__ import annotations

import msgspec
from sqlalchemy import Table, func, insert, select

from openpaws.domain.custom_fields import FieldSpec
from openpaws.domain.entities import CustomFieldDefinition, CustomStatus
from openpaws.domain.statuses import StatusSpec
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.tables import custom_field_definitions, custom_statuses
from openpaws.storage.texts import check_row

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


def _next_position(tx: Transaction, table: Table, organization_id: int) -> int:
    current = tx.conn.execute(
        select(func.max(table.c.position)).where(table.c.organization_id == organization_id)
    ).scalar()
    return 0 if current is None else int(current) + 1


def insert_status(tx: Transaction, *, uuid: str, organization_id: int, spec: StatusSpec) -> None:
    row = {
        "uuid": uuid,
        "organization_id": organization_id,
        "label": spec.label,
        "status_class": spec.status_class.value,
        "is_public": spec.is_public,
        "is_default": spec.is_default,
        "position": _next_position(tx, custom_statuses, organization_id),
    }
    check_row(custom_statuses, row)
    tx.conn.execute(insert(custom_statuses).values(**row))


def insert_field(tx: Transaction, *, uuid: str, organization_id: int, spec: FieldSpec) -> None:
    row = {
        "uuid": uuid,
        "organization_id": organization_id,
        "entity": spec.entity,
        "field_key": spec.field_key,
        "label": spec.label,
        "field_type": spec.field_type,
        "required": spec.required,
        "help_text": spec.help_text,
        "options": list(spec.options) if spec.options else None,
        "section": spec.section,
        "position": _next_position(tx, custom_field_definitions, organization_id),
    }
    check_row(custom_field_definitions, row)
    tx.conn.execute(insert(custom_field_definitions).values(**row))
